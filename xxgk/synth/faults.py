"""Faults injected into reports, one kind per faulty report, each aimed at a rule of the catalog.

Three stages, in the order a report is made:

- `break_values` changes true values before the narrative is written (so the narrative quotes
  the faulty table, as an author copying from it would): an identity broken with compensating
  changes so that only the aimed rule fails (`t3_balance`, `t3_results_total`, `t3_row_total`,
  `t4_block_total`), last year's carried-forward not carried over (`carry_over`), documents in
  force that do not follow issued and repealed (`in_force`).
- `break_figures` makes the narrative contradict the table (`narrative`): a stated figure that
  matches none of the rule's readings.
- `break_cells` changes what is written in cells: a 0 written blank or as a mark (`blank`: the
  rules that read it become not assessable, never a finding), a fraction in a count cell
  (`unreadable`: a required cell not read), Table 4's 15 values shifted by one (`shifted_t4`).

`duplicate` (the same report published twice) is made by the corpus. Which rule instances a
fault makes fail or not assessable is not declared here: `truth` evaluates the rules on what was
written, so collateral effects (a shifted Table 4 the narrative no longer matches, next year's
cross-year check after an `in_force` fault) are in the manifest too.
"""

from __future__ import annotations

import random

from xxgk.synth.model import CellText
from xxgk.synth.narrative import Figures
from xxgk.synth.values import APPLICANTS, OUTCOMES, T4_BLOCKS, T4_RESULTS, Values

VALUE_FAULTS = (
    "t3_balance",
    "t3_results_total",
    "t3_row_total",
    "t4_block_total",
    "carry_over",
    "in_force",
)
CELL_FAULTS = ("blank", "unreadable", "shifted_t4")
KINDS = (*VALUE_FAULTS, "narrative", *CELL_FAULTS, "duplicate")
MARKS = ("/", "—", "无")
T4_CODES = tuple(f"t4.{b}.{c}" for b in T4_BLOCKS for c in (*T4_RESULTS, "total"))


def _add(v: Values, row: str, column: str, d: int) -> None:
    v[f"t3.{row}.{column}"] += d
    v[f"t3.{row}.total"] += d


def break_values(kind: str, v: Values, has_previous: bool, rnd: random.Random) -> bool:
    """Apply a value fault to `v`; False (and `v` unchanged) when it cannot apply here."""
    d = rnd.randint(1, 3)
    if kind == "t3_balance":  # more new applications than were handled or carried forward
        _add(v, "new", rnd.choice(APPLICANTS), d)
    elif kind == "t3_results_total":  # an outcome cell the results total does not include
        _add(v, rnd.choice(OUTCOMES), rnd.choice(APPLICANTS), d)
    elif kind == "t3_row_total":  # two outcome rows' totals off by d, in opposite directions
        donors = [r for r in OUTCOMES if v[f"t3.{r}.total"] >= 1]
        if not donors:
            return False
        donor = rnd.choice(donors)
        d = min(d, int(v[f"t3.{donor}.total"]))
        v[f"t3.{donor}.total"] -= d
        v[f"t3.{rnd.choice([r for r in OUTCOMES if r != donor])}.total"] += d
    elif kind == "t4_block_total":
        v[f"t4.{rnd.choice(T4_BLOCKS)}.total"] += d
    elif kind == "carry_over":  # moved from new to carried over: balanced, but not last year's
        columns = [c for c in APPLICANTS if v[f"t3.new.{c}"] >= 1]
        if not has_previous or not columns:
            return False
        column = rnd.choice(columns)
        d = min(d, int(v[f"t3.new.{column}"]))
        _add(v, "carried_over", column, d)
        _add(v, "new", column, -d)
    elif kind == "in_force":
        if not has_previous:
            return False
        v[f"t2.{rnd.choice(('regulation', 'normative_doc'))}.in_force"] += d
    else:
        raise ValueError(f"not a value fault: {kind}")
    return True


def break_figures(f: Figures, v: Values, rnd: random.Random) -> None:
    """One stated figure changed to agree with none of the rule's readings of the table."""
    name = rnd.choice(sorted(f))
    on_hand = v["t3.new.total"] + v["t3.carried_over.total"]
    suits = v["t4.suit_direct.total"] + v["t4.suit_after_review.total"]
    readings = {
        "applications_received": (v["t3.new.total"], on_hand),
        "applications_handled": (v["t3.results_total.total"], on_hand),
        "applications_carried_forward": (v["t3.carried_forward.total"],),
        "admin_review_cases": (v["t4.review.total"],),
        "admin_suit_cases": (suits,),
        "review_and_suit_cases": (v["t4.review.total"] + suits,),
    }[name]
    f[name] = int(max(readings)) + rnd.randint(1, 9)


def break_cells(kind: str, cells: dict[str, CellText], form: str, rnd: random.Random) -> bool:
    """Apply a cell fault to the written cells; False when it cannot apply here."""
    if kind == "blank":
        zeros = [c for c, t in cells.items() if t.status == "zero" and not c.startswith("t2.")]
        if not zeros:
            return False
        code = rnd.choice(zeros)
        # plain text has no way to write an empty cell between others: a mark it is
        if form != "text" and rnd.random() < 0.5:
            cells[code] = CellText("", None, "blank")
        else:
            cells[code] = CellText(rnd.choice(MARKS), None, "mark")
    elif kind == "unreadable":
        code = rnd.choice([c for c in cells if c.startswith("t3.")])
        text = f"{cells[code].value:g}.5"
        cells[code] = CellText(text, None, "invalid")
    elif kind == "shifted_t4":  # every value one cell to the right, the last one first
        written = [cells[c] for c in T4_CODES]
        shifted = [written[-1], *written[:-1]]
        if all(_block_holds(shifted[k : k + 5]) for k in range(0, 15, 5)):
            return False  # the shift changed nothing any rule can see
        cells.update(zip(T4_CODES, shifted, strict=True))
    else:
        raise ValueError(f"not a cell fault: {kind}")
    return True


def _block_holds(block: list[CellText]) -> bool:
    *results, total = (c.value for c in block)
    return sum(r or 0 for r in results) == (total or 0)
