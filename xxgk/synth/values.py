"""The values model: one body's true figures year after year, consistent with every rule.

Table 3: new applications drawn around the body's `busy` rate (so heavy-tailed across bodies),
split over applicant columns (mostly natural persons), a few carried forward, the rest handled
and spread over the 21 outcome rows (most outcome cells 0); next year's carried-over is this
year's carried-forward, column by column. Table 2: documents in force follow issued and
repealed exactly; decision counts heavy-tailed; the fee mostly 0. Table 4: rare cases split over
the four results. Every cell of the 2021 format (the optional 小计 column aside) gets a value.
"""

from __future__ import annotations

import numpy as np

from xxgk.synth.bodies import Body
from xxgk.template.catalog import get_format

FORMAT = get_format("2021")
T3 = FORMAT.table("t3")
APPLICANTS = tuple(c.code for c in T3.columns if not c.optional and c.code != "total")
OUTCOMES = tuple(r.code for r in T3.rows if r.outcome)
T4_BLOCKS = tuple(r.code for r in FORMAT.table("t4").rows)
T4_RESULTS = ("upheld", "corrected", "other", "pending")
REQUIRED = tuple(c.code for c in FORMAT.required_cells)

APPLICANT_SHARE = (0.88, 0.06, 0.005, 0.01, 0.02, 0.025)
# how handled applications end, in OUTCOMES order: mostly disclosed or not held
OUTCOME_SHARE = dict(
    granted=0.44, partially_granted=0.08, denied_state_secret=0.002, denied_law_prohibited=0.01,
    denied_security_stability=0.004, denied_third_party=0.01, denied_internal_affairs=0.02,
    denied_process_info=0.02, denied_enforcement_file=0.01, denied_admin_query=0.02,
    unable_not_held=0.2, unable_needs_creation=0.03, unable_unclear=0.02,
    rejected_petition=0.03, rejected_duplicate=0.025, rejected_publication=0.004,
    rejected_excessive=0.008, rejected_confirmation=0.01, other_no_correction=0.03,
    other_no_fee=0.001, other_misc=0.038,
)  # fmt: skip
CARRY_FORWARD = 0.06  # share of applications on hand still open at the year's end
T4_RATES = {"review": 0.04, "suit_direct": 0.02, "suit_after_review": 0.01}  # per application
T4_SHARE = (0.55, 0.1, 0.2, 0.15)

Values = dict[str, int | float]


def _shares(p: tuple[float, ...]) -> np.ndarray:
    a = np.array(p, dtype=float)
    return a / a.sum()


_APPLICANT_P = _shares(APPLICANT_SHARE)
_OUTCOME_P = _shares(tuple(OUTCOME_SHARE[r] for r in OUTCOMES))
_T4_P = _shares(T4_SHARE)


def _table3(v: Values, rng: np.random.Generator, busy: float, prev: Values | None) -> None:
    new = rng.multinomial(rng.poisson(busy * rng.lognormal(0.0, 0.3)), _APPLICANT_P)
    if prev:
        carried = np.array([prev[f"t3.carried_forward.{c}"] for c in APPLICANTS])
    else:
        carried = rng.binomial(new, CARRY_FORWARD)
    forward = rng.binomial(new + carried, CARRY_FORWARD)
    handled = new + carried - forward
    outcomes = np.array([rng.multinomial(n, _OUTCOME_P) for n in handled])  # column × outcome
    rows = {
        "new": new,
        "carried_over": carried,
        "results_total": handled,
        "carried_forward": forward,
        **{r: outcomes[:, k] for k, r in enumerate(OUTCOMES)},
    }
    for row, counts in rows.items():
        for column, n in zip(APPLICANTS, counts, strict=True):
            v[f"t3.{row}.{column}"] = int(n)
        v[f"t3.{row}.total"] = int(counts.sum())


def _table2(v: Values, rng: np.random.Generator, body: Body, prev: Values | None) -> None:
    makes_rules = body.kind == "government" and body.level == "city"
    issues = {"government": 3.0, "office": 1.0, "department": 1.0, "town": 0.3}[body.kind]
    for row, rate, start in (
        ("regulation", 1.0 if makes_rules else 0.0, (10, 60) if makes_rules else (0, 0)),
        ("normative_doc", issues, (0, int(issues * 25))),
    ):
        before = prev[f"t2.{row}.in_force"] if prev else int(rng.integers(*start, endpoint=True))
        issued = int(rng.poisson(rate))
        repealed = int(rng.binomial(int(before), 0.04)) if before else 0
        v[f"t2.{row}.issued"] = issued
        v[f"t2.{row}.repealed"] = repealed
        v[f"t2.{row}.in_force"] = int(before) + issued - repealed
    scale = body.busy * (0.2 if body.kind == "town" else 1.0)
    for row, per_application in (("license", 400.0), ("penalty", 40.0), ("coercion", 2.0)):
        active = rng.random() < (0.3 if body.kind == "town" else 0.7)
        mean = max(scale * per_application, 1.0)
        v[f"t2.{row}.decisions"] = int(rng.lognormal(np.log(mean), 1.0)) if active else 0
    charges = rng.random() < 0.25
    v["t2.admin_fee.amount_wan_yuan"] = round(float(rng.lognormal(3.0, 1.8)), 2) if charges else 0


def _table4(v: Values, rng: np.random.Generator, applications: int) -> None:
    for block in T4_BLOCKS:
        results = rng.multinomial(rng.poisson(T4_RATES[block] * applications), _T4_P)
        for column, n in zip(T4_RESULTS, results, strict=True):
            v[f"t4.{block}.{column}"] = int(n)
        v[f"t4.{block}.total"] = int(results.sum())


def body_years(body: Body, years: range, seed: int) -> list[Values]:
    """The body's true values for each year, in order; deterministic in (seed, body.index)."""
    rng = np.random.default_rng([seed, body.index])
    out: list[Values] = []
    prev: Values | None = None
    for _ in years:
        v: Values = {}
        _table2(v, rng, body, prev)
        _table3(v, rng, body.busy, prev)
        _table4(v, rng, int(v["t3.new.total"]) + int(v["t3.carried_over.total"]))
        out.append({code: v[code] for code in REQUIRED})
        prev = v
    return out
