"""Crawler text dumps: page text in which every table cell is glued to the next.

Crawlers that keep only a page's text write the row 71 / 3 / 0 / 0 / 0 / 0 / 74 as
`一、本年新收政府信息公开申请数量 713000074`. The row labels still stand in the text, so each row's
run of digits can be found. A run with one character per cell splits by itself; a longer run is
split by the constraints the report itself carries: the row's own 总计 (and 小计), the Table 3
column identities, the Table 4 block totals and, for Table 2, the figures the narrative quotes.

Every cell says how it was obtained (`method`: read | split_digits | split) and which rules decided
it (`inferred_from`: the union of the minimal sets of constraints that decide it), so a check never
takes a cell as evidence for a rule that chose it. A cell that several consistent splits disagree
on stays null (status "ambiguous") with an `ambiguous_split` problem listing the candidates; when
no split satisfies a constraint the report itself breaks it, and it is not used to split
(`no_consistent_split`). Nothing is picked silently.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import accumulate, combinations
from typing import TypeVar

from xxgk.ingest.model import ParsedCell, Problem
from xxgk.ingest.values import read_value
from xxgk.template.catalog import Column, Row, Table, TemplateFormat, formats
from xxgk.template.labels import label_key

# rule ids (xxgk/template/rules.yaml) of the constraints a split may use
ROW_TOTAL = "t3_row_total"
ROW_SUBTOTAL = "t3_row_legal_person_subtotal"
BALANCE = "t3_balance"
RESULTS_TOTAL = "t3_results_total"
BLOCK_TOTAL = "t4_block_total"
# no rule checks Table 2 against the narrative: this id only marks the figures' use
NARRATIVE_QUOTE = "narrative_quote"
_RULE_ORDER = (ROW_TOTAL, ROW_SUBTOTAL, BALANCE, RESULTS_TOTAL, BLOCK_TOTAL, NARRATIVE_QUOTE)

SPLIT_LIMIT = 20_000  # pieces tried for one run under one set of constraints
SUBSET_LIMIT = 2_000  # the same, under part of a row's rules (only to name the deciding ones)
SEARCH_LIMIT = 200_000  # row choices tried when combining Table 3 rows
WIDEST = 16  # characters of the widest value a cell holds (9,999,999,999.99): no piece is wider
_LISTED = 8  # candidates named in a problem message

# full-width ASCII and the ideographic space to ASCII, one character for one (positions stay)
_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_WORDS = re.compile(r"[0-9A-Za-z\u3400-\u9fff]+")  # what label_key keeps
_SKIP = re.compile(r"[\s)\]】」』”’\"':]*")  # closing marks between a label and its values
_ATOM = r"(?:\d+(?:[.,]\d+)*|[/×\\…]|[-—–―]+)"
_ATOM_START = re.compile(r"[\d/×\\…\-—–―]")
_RUN = re.compile(rf"{_ATOM}(?:\s*{_ATOM})*")
_SEVEN_DIGITS = re.compile(r"\d{7,}")
_GLUED_T2 = re.compile(r"规章\s*\d{3,}\s*(?:行政)?规范性文件\s*\d{3,}")
_SECTION_FIVE = re.compile(r"五、|存在的主要问题|其他需要报告的事项")
_NUMBER = r"(?:0|[1-9]\d{0,2}(?:,\d{3})+|[1-9]\d*)"
_PIECE = {
    "count": re.compile(rf"{_NUMBER}"),
    "signed": re.compile(rf"-?{_NUMBER}"),
    "amount": re.compile(rf"{_NUMBER}(?:\.\d+)?"),
}
_MARK = re.compile(r"[/×\\…]|-{1,2}|—{1,2}|–|―")
# narrative wording for a Table 2 column, as in 现行有效行政规范性文件698件 / 制发的规范性文件88件
_QUOTE_WORDS = {
    "issued": "制发|印发|出台|制定",
    "repealed": "废止",
    "in_force": "现行有效",
    "new_made": "新制作|制发|印发",
    "new_published": "新公开",
    "total_published": "对外公开|累计公开",
}


# --- the text -------------------------------------------------------------------------------


@dataclass
class _Text:
    raw: str  # the text with full-width ASCII made half-width, same length as the source
    words: str  # raw reduced to label words, for label search
    pos: list[int]  # words index -> raw index
    line_starts: list[int]

    @classmethod
    def of(cls, text: str) -> _Text:
        raw = text.translate(_FULLWIDTH)
        pos = [i for m in _WORDS.finditer(raw) for i in range(m.start(), m.end())]
        starts = [0, *(m.end() for m in re.finditer("\n", raw))]
        return cls(raw, "".join(raw[i] for i in pos), pos, starts)

    def _w(self, i: int) -> int:
        return bisect_left(self.pos, i)

    def occurrences(self, keys: frozenset[str], lo: int, hi: int) -> Iterator[tuple[int, int]]:
        """Raw spans of the keys in raw[lo:hi], in text order, the longer first at one place."""
        wlo, whi = self._w(lo), self._w(hi)
        found: list[tuple[int, int]] = []
        for key in keys:
            i = self.words.find(key, wlo, whi)
            while key and i >= 0:
                found.append((i, len(key)))
                i = self.words.find(key, i + 1, whi)
        for i, n in sorted(found, key=lambda x: (x[0], -x[1])):
            yield self.pos[i], self.pos[i + n - 1] + 1

    def find(self, keys: frozenset[str], lo: int, hi: int) -> tuple[int, int] | None:
        return next(self.occurrences(keys, lo, hi), None)

    def last_end(self, keys: frozenset[str], lo: int, hi: int) -> int | None:
        """Where the last occurrence of any key in raw[lo:hi] ends."""
        wlo, whi = self._w(lo), self._w(hi)
        ends = [i + len(k) for k in keys if k and (i := self.words.rfind(k, wlo, whi)) >= 0]
        return self.pos[max(ends) - 1] + 1 if ends else None

    def where(self, start: int, end: int) -> str:
        line = bisect_right(self.line_starts, start) - 1
        last = bisect_right(self.line_starts, end - 1) - 1
        if last != line:
            return f"lines {line + 1}-{last + 1}"
        base = self.line_starts[line]
        return f"line {line + 1}, chars {start - base + 1}-{end - base}"


@dataclass(frozen=True)
class Run:
    """A row's values as written: chunks are the pieces white space separates."""

    chunks: tuple[str, ...]
    text: str
    where: str


def _values_at(t: _Text, label_end: int) -> int | None:
    """Where the values after a label start, if values follow it."""
    p = _SKIP.match(t.raw, label_end).end()
    return p if _ATOM_START.match(t.raw, p) else None


def _run(t: _Text, label_end: int, hi: int, next_number: int | None) -> Run | None:
    """The values between a label and the next (at raw[hi]). A numbered next label ("2.其他…")
    whose number the run swallowed gives it back."""
    start = _values_at(t, label_end)
    m = _RUN.match(t.raw, start, hi) if start is not None else None
    if m is None:
        return None
    end = m.end()
    number = str(next_number) if next_number else ""
    if number and t.raw[end : end + 1] in (".", "、") and m.group().endswith(number):
        end -= len(number)
        while end > start and t.raw[end - 1].isspace():
            end -= 1
    if end <= start:
        return None
    text = t.raw[start:end]
    return Run(tuple(text.split()), text, t.where(start, end))


# --- splitting one run ----------------------------------------------------------------------


@dataclass(frozen=True)
class Sum:
    """A constraint of a row itself: cell `target` equals the sum of cells `members`."""

    rule: str
    target: int
    members: tuple[int, ...]


@dataclass(frozen=True)
class Equals:
    """A figure quoted elsewhere for one cell (the narrative)."""

    rule: str
    cell: int
    value: float


Constraint = Sum | Equals
Split = tuple[str, ...]


class _TooMany(Exception):
    pass


class _Found(Exception):
    pass


def _number(piece: str) -> int | float | None:
    """A piece's number; None for a mark."""
    if piece.isdigit():
        return int(piece)
    if not piece[-1].isdigit():
        return None
    return read_value(piece, "amount" if "." in piece else "signed").value


def _valid(piece: str, kind: str) -> bool:
    """A number of the kind without leading zeros, or a mark; never wider than WIDEST."""
    if len(piece) > WIDEST:
        return False
    if piece.isdigit():  # the common case, first
        return piece[0] != "0" or piece == "0"
    return bool(_PIECE[kind].fullmatch(piece) or _MARK.fullmatch(piece))


def _holds(c: Constraint, values: Sequence[int | float | None]) -> bool:
    """A constraint holds, or cannot be assessed (a mark among its cells)."""
    if isinstance(c, Equals):
        return values[c.cell] is None or values[c.cell] == c.value
    parts = [values[i] for i in c.members]
    total = values[c.target]
    if total is None or any(v is None for v in parts):
        return True
    return sum(parts) == total  # type: ignore[arg-type]


def split_run(
    chunks: Sequence[str],
    kinds: Sequence[str],
    sums: Sequence[Sum] = (),
    limit: int = SPLIT_LIMIT,
    first: bool = False,
) -> list[Split] | None:
    """Every way to cut the chunks into len(kinds) cells, each a valid value of its kind (a number
    without leading zeros, or a mark), never across white space, with every sum holding where its
    cells are numbers (`first`: only the first found). None when more than `limit` pieces would
    have to be tried."""
    s = "".join(chunks)
    n, k = len(s), len(kinds)
    if not n or k < len(chunks) or k > n:
        return []
    search = _Search(s, list(accumulate(len(c) for c in chunks)), kinds, sums, limit, first)
    try:
        search.run()
    except _TooMany:
        return None
    except _Found:
        pass
    return search.out


class _Search:
    """The depth-first search behind `split_run`.

    Pruning, on digits-only runs: a total standing last is read first (each suffix in turn), so
    its members are split to add up to a known number; a total that follows all its members must
    be their sum written out. Counts grow with their length, so a piece that overshoots a known
    total ends its loop, as does one that leaves too few characters for the digits a total still
    to come needs; no member may have more digits than what remains to make up. A place already
    found to lead nowhere is not searched again."""

    def __init__(
        self,
        s: str,
        ends: list[int],
        kinds: Sequence[str],
        sums: Sequence[Sum],
        limit: int,
        first: bool,
    ) -> None:
        self.s, self.ends, self.kinds, self.sums, self.limit = s, ends, kinds, sums, limit
        self.first = first
        self.k = self.cells = len(kinds)
        self.stop = len(s)
        # with anything but digits in the run a total may be a mark or written with commas:
        # then only a total already read prunes
        self.digits_only = s.isdigit()
        self.values: list[int | float | None] = [None] * self.k
        self.pieces = [""] * self.k
        self.known = [False] * self.k  # the total read first
        self.acc: list[int | None] = [0] * len(sums)  # each sum's members so far; None: a mark
        self.member_of = [
            [ci for ci, c in enumerate(sums) if j in c.members] for j in range(self.k)
        ]
        self.after = [[sum(1 for i in c.members if i > j) for j in range(self.k)] for c in sums]
        # whether every cell is at most a sum's total: a member, or a subtotal of members
        self.under = [
            all(
                i in c.members
                or i == c.target
                or any(o.target == i and set(o.members) <= set(c.members) for o in sums)
                for i in range(self.k)
            )
            for c in sums
        ]
        self.out: list[Split] = []
        self.tried = 0
        self.dead: set[tuple] = set()

    def run(self) -> None:
        k, s = self.k, self.s
        last = [c for c in self.sums if c.target == k - 1 and max(c.members) < k - 1]
        if not (self.digits_only and last):
            self.go(0, 0)
            return
        self.cells, self.known[-1] = k - 1, True
        first = self.ends[-2] if len(self.ends) > 1 else 0
        for cut in range(len(s) - 1, first - 1, -1):
            piece = s[cut:]
            if piece[0] != "0" or piece == "0":
                self.values[-1], self.pieces[-1], self.stop = int(piece), piece, cut
                self.dead.clear()
                self.go(0, 0)

    def _end(self, a: int) -> int:
        """Where the chunk holding position a ends, or the search's stop."""
        return min(self.ends[bisect_right(self.ends, a)], self.stop)

    def _need(self, b: int) -> int:
        """The least number of cells s[b:stop] needs: one per chunk it touches."""
        if b >= self.stop:
            return 0
        return bisect_left(self.ends, self.stop) - bisect_right(self.ends, b) + 1

    def _fits(self, j: int, b: int) -> str:
        """After cell j ends at b: "ok", "skip" (a longer piece may do) or "stop" (none will)."""
        cells_left = self.cells - j - 1
        extra = 0
        for ci, c in enumerate(self.sums):
            got = self.acc[ci]
            if got is None:
                continue
            if self.known[c.target] or c.target <= j:
                total = self.values[c.target]
                if total is None:
                    continue
                if got > total:
                    return "skip" if c.target == j else "stop"
                rest = self.after[ci][j]
                if rest == 0:
                    if got != total:
                        return "skip"
                    continue
                left = total - got  # what the members to come must make up
                room = self.stop - b - (cells_left - rest)
                if left >= 10 ** (room - rest + 1) + 9 * rest:
                    return "skip"
                # no member may have more digits than what is left to make up, nor a subtotal
                # of members more than the total
                other = cells_left - rest
                most = rest * len(str(left)) + other * len(str(total))
                if (other == 0 or self.under[ci]) and self.stop - b > most:
                    return "skip"
            elif self.digits_only and got:
                extra += len(str(got)) - 1
        return "ok" if self.stop - b >= cells_left + extra else "stop"

    def _forced(self, j: int) -> str | None:
        """A total after all its members is their sum, written out."""
        for ci, c in enumerate(self.sums):
            if self.digits_only and c.target == j and self.after[ci][j] == 0 and j not in c.members:
                got = self.acc[ci]
                if got is not None:
                    return str(got)
        return None

    def go(self, j: int, a: int) -> bool:
        """Split s[a:stop] into cells j.. ; whether any split was found."""
        if j == self.cells:
            ok = a == self.stop and all(_holds(c, self.values) for c in self.sums)
            if ok:
                self.out.append(tuple(self.pieces))
                if self.first:
                    raise _Found
            return ok
        targets = tuple(
            self.values[c.target] if self.known[c.target] or c.target < j else "?"
            for c in self.sums
        )
        state = (j, a, *self.acc, *targets)
        if state in self.dead:
            return False
        found = False
        kind, must, members = self.kinds[j], self._forced(j), self.member_of[j]
        base = [self.acc[ci] for ci in members]
        for b in range(a + 1, self._end(a) + 1):
            self.tried += 1
            if self.tried > self.limit:
                raise _TooMany
            piece = self.s[a:b]
            if must is not None and piece != must:
                if len(piece) >= len(must):
                    break
                continue
            if not _valid(piece, kind):
                if piece[0] == "0" and piece.isdigit():
                    break  # a leading zero stays one
                continue
            value = _number(piece)
            self.values[j], self.pieces[j] = value, piece
            for ci, got in zip(members, base, strict=True):
                self.acc[ci] = None if got is None or value is None else got + value
            if self._need(b) > self.cells - j - 1:
                continue
            fit = self._fits(j, b)
            if fit == "stop" and value is not None and piece.isdigit():
                break  # a longer piece only overshoots more
            if fit == "ok":
                found = self.go(j + 1, b) or found
        self.values[j] = None
        for ci, got in zip(members, base, strict=True):
            self.acc[ci] = got
        if not found:
            self.dead.add(state)
        return found


# --- deciding one row -----------------------------------------------------------------------

T = TypeVar("T")


def _subsets(items: Sequence[T]) -> list[tuple[T, ...]]:
    """Every subset, smallest first, each in the order of `items`."""
    return [s for r in range(len(items) + 1) for s in combinations(items, r)]


def _minimal(sets: list[set[T]]) -> list[set[T]]:
    return [s for s in sets if not any(o < s for o in sets)]


@dataclass
class Decision:
    """What splitting one run decided: the splits that remain and, per cell, the rules that
    decided it (empty: the digits alone did; None: still undecided)."""

    splits: list[Split] | None  # None: too many to list
    rules: list[frozenset[str] | None]
    method: str  # read: white space separated every cell; split otherwise
    assumed: frozenset[str] = frozenset()  # the rules every remaining split obeys
    problems: list[str] = field(default_factory=list)


def _splits_under(
    chunks: Sequence[str],
    kinds: Sequence[str],
    cs: Sequence[Constraint],
    first: bool = False,
    limit: int = SPLIT_LIMIT,
) -> list[Split] | None:
    quotes = [c for c in cs if isinstance(c, Equals)]
    sums = [c for c in cs if isinstance(c, Sum)]
    found = split_run(chunks, kinds, sums, limit, first=first and not quotes)
    if found is None or not quotes:
        return found
    return [p for p in found if all(_holds(c, [_number(x) for x in p]) for c in quotes)]


def _free(chunks: Sequence[str], kinds: Sequence[str]) -> tuple[int, list[set[str]]]:
    """How many splits the characters alone allow, and per cell the pieces some split gives it
    (counted forwards and backwards over the run, not listed)."""
    s = "".join(chunks)
    n, k = len(s), len(kinds)
    ends = list(accumulate(len(c) for c in chunks))
    steps = {
        kind: [
            [b for b in range(a + 1, ends[bisect_right(ends, a)] + 1) if _valid(s[a:b], kind)]
            for a in range(n)
        ]
        for kind in set(kinds)
    }
    fwd = [[0] * (n + 1) for _ in range(k + 1)]
    fwd[0][0] = 1
    for j in range(k):
        for a in range(n):
            for b in steps[kinds[j]][a] if fwd[j][a] else ():
                fwd[j + 1][b] += fwd[j][a]
    bwd = [[0] * (n + 1) for _ in range(k + 1)]
    bwd[k][n] = 1
    for j in reversed(range(k)):
        for a in range(n):
            bwd[j][a] = sum(bwd[j + 1][b] for b in steps[kinds[j]][a])
    options = [
        {s[a:b] for a in range(n) if fwd[j][a] for b in steps[kinds[j]][a] if bwd[j + 1][b]}
        for j in range(k)
    ]
    return fwd[k][n], options


def decide_row(
    chunks: Sequence[str], kinds: Sequence[str], constraints: Sequence[Constraint] = ()
) -> Decision:
    """Split one run by its own constraints.

    When no split satisfies them all, those no split satisfies on its own are the report's own
    inconsistencies and are dropped; if the rest still admit no split, none is used. A cell's
    rules are the union of the minimal sets of rules (among those used) under which every split
    agrees on it: none when the characters alone decide it."""
    k = len(kinds)
    if len(chunks) == k:  # white space already separates the cells
        return Decision([tuple(chunks)], [frozenset()] * k, "read")
    s = "".join(chunks)
    if len(chunks) > k or len(s) > k * WIDEST:  # cells never span white space nor exceed WIDEST
        return Decision([], [None] * k, "split")
    if len(s) == k and all(_valid(ch, kind) for ch, kind in zip(s, kinds, strict=True)):
        return Decision([tuple(s)], [frozenset()] * k, "split")  # one character per cell
    count, options = _free(chunks, kinds)
    if count < 2:  # the characters alone decide, or no split fits
        split = [tuple(next(iter(o)) for o in options)] if count else []
        return Decision(split, [frozenset() if count else None] * k, "split")
    assumed = tuple(constraints)
    splits = _splits_under(chunks, kinds, assumed) if assumed else None
    problems = []
    if assumed and splits == []:
        broken = [c for c in assumed if _splits_under(chunks, kinds, (c,), first=True) == []]
        assumed = tuple(c for c in assumed if c not in broken)
        splits = _splits_under(chunks, kinds, assumed) if assumed else None
        if splits == []:
            assumed = ()
        # a narrative figure that fits no split may well count something else: no problem
        unused = sorted({c.rule for c in constraints if c not in assumed} - {NARRATIVE_QUOTE})
        if unused:
            problems.append(f"no split satisfies {', '.join(unused)} (the report breaks it)")
    if not assumed:
        splits = split_run(chunks, kinds)
    families = sorted({c.rule for c in assumed})
    # fewer rules prune less: a search that runs long only costs the cell a rule more
    under = {
        f: splits
        if len(f) == len(families)
        else _splits_under(chunks, kinds, [c for c in assumed if c.rule in f], limit=SUBSET_LIMIT)
        for f in _subsets(families)
        if f
    }

    def rules(i: int) -> frozenset[str] | None:
        if len(options[i]) == 1:
            return frozenset()
        deciding = [set(f) for f, got in under.items() if got and len({p[i] for p in got}) == 1]
        return frozenset().union(*_minimal(deciding)) if deciding else None

    cell_rules = [rules(i) for i in range(k)]
    return Decision(splits, cell_rules, "split", frozenset(families), problems)


# --- combining Table 3 rows -----------------------------------------------------------------

Values = tuple[int | float | None, ...]


@dataclass(frozen=True)
class _Eq:
    """A column identity: the signed sum of one column over some rows is zero."""

    rule: str
    column: int
    terms: tuple[tuple[int, int], ...]  # (row index, sign)


def _satisfiable(e: _Eq, options: list[list[Values]]) -> bool:
    sums = {0.0}
    for r, sign in e.terms:
        values = {v[e.column] for v in options[r]}
        if None in values:
            return True  # a mark: not assessable for some split
        sums = {s + sign * v for s in sums for v in values}  # type: ignore[operator]
    return 0 in sums


def _search(options: list[list[Values]], eqs: Sequence[_Eq], limit: int) -> list[set[int]] | None:
    """Per row, the splits that some combination satisfying every equation uses (all of them for
    a row no equation names). None beyond `limit` row choices."""
    open_rows = sorted({r for e in eqs for r, _ in e.terms if len(options[r]) > 1})
    order = {r: i for i, r in enumerate(open_rows)}
    closes: dict[int, list[_Eq]] = {r: [] for r in open_rows}
    for e in eqs:  # an equation is checked once its last open row is chosen
        involved = [r for r, _ in e.terms if r in order]
        if involved:
            closes[max(involved, key=order.__getitem__)].append(e)
    choice = [0] * len(options)
    used = [set() if r in order else set(range(len(o))) for r, o in enumerate(options)]
    tried = 0

    def holds(e: _Eq) -> bool:
        total = 0.0
        for r, sign in e.terms:
            v = options[r][choice[r]][e.column]
            if v is None:
                return True
            total += sign * v
        return total == 0

    def go(i: int) -> None:
        nonlocal tried
        if i == len(open_rows):
            for r in open_rows:
                used[r].add(choice[r])
            return
        r = open_rows[i]
        for ci in range(len(options[r])):
            tried += 1
            if tried > limit:
                raise _TooMany
            choice[r] = ci
            if all(holds(e) for e in closes[r]):
                go(i + 1)

    try:
        go(0)
    except _TooMany:
        return None
    return used


def _t3_equations(table: Table, rows: Sequence[str], width: int) -> list[_Eq]:
    at = {code: i for i, code in enumerate(rows)}
    balance = [("new", 1), ("carried_over", 1), ("results_total", -1), ("carried_forward", -1)]
    results = [("results_total", -1)] + [(r.code, 1) for r in table.rows if r.outcome]
    out: list[_Eq] = []
    for rule, terms in ((BALANCE, balance), (RESULTS_TOTAL, results)):
        if all(code in at for code, _ in terms):
            out += [_Eq(rule, c, tuple((at[code], s) for code, s in terms)) for c in range(width)]
    return out


def combine_rows(
    decisions: Sequence[Decision], eqs: Sequence[_Eq], columns: Sequence[str]
) -> list[str]:
    """Rows their own constraints leave open are decided together by the column identities
    (updating the decisions); returns the problems met. An identity no combination satisfies is
    the report's own inconsistency and is not used; if the rest admit no combination, none is."""
    options: list[list[Values]] = [
        [tuple(_number(x) for x in p) for p in d.splits] if d.splits else [] for d in decisions
    ]
    eqs = [
        e
        for e in eqs
        if all(options[r] for r, _ in e.terms) and any(len(options[r]) > 1 for r, _ in e.terms)
    ]
    problems = [
        f"{e.rule} fails in column {columns[e.column]} for every split (the report breaks it)"
        for e in eqs
        if not _satisfiable(e, options)
    ]
    eqs = [e for e in eqs if _satisfiable(e, options)]
    if not eqs:
        return problems
    families = sorted({e.rule for e in eqs})
    used = {
        f: _search(options, [e for e in eqs if e.rule in f], SEARCH_LIMIT)
        for f in _subsets(families)
    }
    full = used[tuple(families)]
    if full is None:
        return [*problems, f"more than {SEARCH_LIMIT} combinations of the rows' splits to search"]
    if any(options[r] and not full[r] for r in range(len(decisions))):
        return [*problems, f"no combination of the rows' splits satisfies {' and '.join(families)}"]
    for r, d in enumerate(decisions):
        if not d.splits or len(d.splits) < 2:
            continue
        for i, rules in enumerate(d.rules):
            if rules is not None:
                continue
            deciding = [
                set(f)
                for f, u in used.items()
                if u is not None and len({d.splits[x][i] for x in u[r]}) == 1
            ]
            if deciding:
                d.rules[i] = d.assumed.union(*_minimal(deciding))
        d.splits = [d.splits[x] for x in sorted(full[r])]
    return problems


# --- cells ----------------------------------------------------------------------------------


def _ordered(rules: frozenset[str]) -> tuple[str, ...]:
    return tuple(r for r in _RULE_ORDER if r in rules) + tuple(sorted(rules - set(_RULE_ORDER)))


@dataclass
class _Row:
    """A located row: its cells' codes and kinds, its run and what splitting it decided."""

    name: str
    codes: tuple[str, ...]
    kinds: tuple[str, ...]
    run: Run
    decision: Decision

    def cells(self) -> tuple[list[ParsedCell], list[Problem]]:
        d, run = self.decision, self.run
        if len(run.chunks) > len(self.kinds):  # more values than cells: nothing to split
            message = f"{self.name} has {len(run.chunks)} values, expected {len(self.kinds)}"
            problem = Problem("column_count_mismatch", f"{message}: {run.text}", run.where)
            return [ParsedCell(code, None, None, None, "missing") for code in self.codes], [problem]
        cells: list[ParsedCell] = []
        problems = [
            Problem("no_consistent_split", f"{self.name} {run.text!r}: {m}", run.where)
            for m in d.problems
        ]
        for i, (code, kind) in enumerate(zip(self.codes, self.kinds, strict=True)):
            rules = d.rules[i]
            if rules is None or not d.splits:
                cells.append(ParsedCell(code, None, run.text, run.where, "ambiguous", "split"))
                continue
            piece = d.splits[0][i]
            v = read_value(piece, kind)
            method = "read" if d.method == "read" else "split" if rules else "split_digits"
            cells.append(
                ParsedCell(code, v.value, piece, run.where, v.status, method, _ordered(rules))
            )
            if v.problem:
                problems.append(Problem("invalid_value", v.problem, run.where, code))
        if any(r is None for r in d.rules):
            if d.splits is None:
                listed = "too many splits to list"
            elif not d.splits:
                listed = "no split gives every cell a valid value"
            else:
                shown = " | ".join(" / ".join(p) for p in d.splits[:_LISTED])
                more = f" … ({len(d.splits)} in all)" if len(d.splits) > _LISTED else ""
                listed = f"{len(d.splits)} splits remain: {shown}{more}"
            kind = "ambiguous_split" if d.splits != [] else "no_consistent_split"
            problems.append(Problem(kind, f"{self.name} {run.text!r}: {listed}", run.where))
        return cells, problems


def _find_rows(t: _Text, rows: Sequence[Row], lo: int, hi: int) -> list[tuple[Row, int, int]]:
    """Each row's label, in template order, at the first place after the previous row where
    values follow it: (row, label start, label end)."""
    found: list[tuple[Row, int, int]] = []
    cursor = lo
    for row in rows:
        span = next(
            (s for s in t.occurrences(row.keys, cursor, hi) if _values_at(t, s[1]) is not None),
            None,
        )
        if span is not None:
            found.append((row, *span))
            cursor = span[1]
    return found


def _number_in_group(table: Table, row: Row) -> int | None:
    """A row's printed number ("2.其他法律…"): its place in its (三)-(六) group."""
    if not row.group.startswith("（"):
        return None
    return [r.code for r in table.rows if r.group == row.group].index(row.code) + 1


def _runs(
    t: _Text, table: Table, lo: int, hi: int, problems: list[Problem]
) -> list[tuple[Row, Run]]:
    """The rows of a table found in raw[lo:hi], each with the values between its label and the
    next row's."""
    found = _find_rows(t, table.rows, lo, hi)
    out: list[tuple[Row, Run]] = []
    for k, (row, _, end) in enumerate(found):
        nxt = found[k + 1] if k + 1 < len(found) else None
        number = _number_in_group(table, nxt[0]) if nxt else None
        run = _run(t, end, nxt[1] if nxt else hi, number)
        if run is not None:
            out.append((row, run))
    got = {row.code for row, _ in out}
    problems += [
        Problem("missing_row", f"{table.code}: no values found for {row.label}")
        for row in table.rows
        if row.code not in got
    ]
    return out


# --- the tables -----------------------------------------------------------------------------


def _quotes(narrative: Sequence[str], row: Row, columns: Sequence[Column]) -> list[Equals]:
    """Figures the narrative gives for a Table 2 row's columns (现行有效行政规范性文件698件)."""
    names = "|".join(
        sorted({re.escape(x) for x in (row.label, *row.variants)}, key=len, reverse=True)
    )
    out: list[Equals] = []
    for i, column in enumerate(columns):
        words = _QUOTE_WORDS.get(column.code)
        if words:
            said = re.compile(
                rf"(?:{words})[^。；;，,、\d]{{0,4}}?(?:{names})(?:共|为)?\s*(\d+)\s*件"
            )
            found = {int(m.group(1)) for text in narrative for m in said.finditer(text)}
            out += [Equals(NARRATIVE_QUOTE, i, v) for v in sorted(found)]
    return out


def _t2_rows(
    t: _Text, table: Table, lo: int, hi: int, narrative: Sequence[str], problems: list[Problem]
) -> list[_Row]:
    out = []
    for row, run in _runs(t, table, lo, hi, problems):
        columns = table.row_columns(row)
        kinds = tuple(c.kind for c in columns)
        quotes = _quotes(narrative, row, columns) if len(run.chunks) < len(kinds) else []
        codes = tuple(f"t2.{row.code}.{c.code}" for c in columns)
        out.append(
            _Row(f"t2 {row.label}", codes, kinds, run, decide_row(run.chunks, kinds, quotes))
        )
    return out


def _t3_columns(t: _Text, table: Table, header_lo: int, header_hi: int) -> tuple[Column, ...]:
    """The standard columns, and the 小计 column where the header has it (placed as it says)."""
    standard = tuple(c for c in table.columns if not c.optional)
    subtotal = next(c for c in table.columns if c.optional)
    at = t.find(subtotal.keys, header_lo, header_hi)
    if at is None:
        return standard
    other = t.find(table.column("other_org").keys, header_lo, header_hi)
    cut = 1 if other is not None and at[0] < other[0] else len(standard) - 1
    return (*standard[:cut], subtotal, *standard[cut:])


def _t3_constraints(columns: Sequence[Column]) -> list[Constraint]:
    codes = [c.code for c in columns]
    others = ("natural_person", "legal_person_subtotal", "total")
    legal = tuple(i for i, c in enumerate(codes) if c not in others)
    out: list[Constraint] = [
        Sum(ROW_TOTAL, codes.index("total"), (codes.index("natural_person"), *legal))
    ]
    if "legal_person_subtotal" in codes:
        out.append(Sum(ROW_SUBTOTAL, codes.index("legal_person_subtotal"), legal))
    return out


def _t3_rows(
    t: _Text, table: Table, lo: int, header_lo: int, hi: int, problems: list[Problem]
) -> list[_Row]:
    columns = _t3_columns(t, table, header_lo, lo)
    kinds = tuple(c.kind for c in columns)
    constraints = _t3_constraints(columns)
    located = _runs(t, table, lo, hi, problems)
    rows = [
        _Row(
            f"t3 {row.label}",
            tuple(f"t3.{row.code}.{c.code}" for c in columns),
            kinds,
            run,
            decide_row(run.chunks, kinds, constraints),
        )
        for row, run in located
    ]
    eqs = _t3_equations(table, [row.code for row, _ in located], len(columns))
    names = [c.code for c in columns]
    problems += [
        Problem("no_consistent_split", f"t3: {m}")
        for m in combine_rows([r.decision for r in rows], eqs, names)
    ]
    return rows


def _t4_row(t: _Text, table: Table, lo: int, hi: int, problems: list[Problem]) -> _Row | None:
    """Table 4's 15 values stand after its header: the blocks in order, each in column order."""
    header = frozenset().union(
        table.keys,
        *(r.keys for r in table.rows),
        *(c.keys for c in table.columns),
        {label_key("行政诉讼")},
    )
    start = t.last_end(header, lo, hi)
    run = _run(t, start, hi, None) if start is not None else None
    if run is None:
        problems.append(Problem("missing_table", "t4: no values found after its header"))
        return None
    width = len(table.columns)
    total = [c.code for c in table.columns].index("total")
    sums = [
        Sum(
            BLOCK_TOTAL, b * width + total, tuple(b * width + i for i in range(width) if i != total)
        )
        for b in range(len(table.rows))
    ]
    codes = tuple(f"t4.{r.code}.{c.code}" for r in table.rows for c in table.columns)
    kinds = tuple(c.kind for _ in table.rows for c in table.columns)
    return _Row("t4", codes, kinds, run, decide_row(run.chunks, kinds, sums))


def looks_glued(text: str) -> bool:
    """A crawler dump: two Table 3 row labels running straight into 7 or more digits, or 规章
    and 规范性文件 each followed by 3 or more glued digits."""
    # both patterns read the text as they would its half-width form (\d and \s match the
    # full-width digits and space), so only a dump that may be glued pays for the translation
    if _GLUED_T2.search(text):
        return True
    if not _SEVEN_DIGITS.search(text):
        return False
    raw = text.translate(_FULLWIDTH)
    t = _Text.of(text)
    hits = 0
    for row in next(iter(formats().values())).table("t3").rows:  # the same labels in both
        for _, end in t.occurrences(row.keys, 0, len(raw)):
            p = _values_at(t, end)
            if p is not None and _SEVEN_DIGITS.match(raw, p):
                hits += 1
                break
        if hits >= 2:
            return True
    return False


def locate_glued(text: str, fmt: TemplateFormat) -> tuple[list[ParsedCell], list[Problem]]:
    """Every cell of the format from a crawler dump, as `locate.locate` reads tokens."""
    t = _Text.of(text)
    end = len(t.raw)
    t2, t3, t4 = fmt.table("t2"), fmt.table("t3"), fmt.table("t4")
    problems: list[Problem] = []

    first = _find_rows(t, t3.rows[:1], 0, end)
    t3_first = first[0][1] if first else end
    heading = t.find(t3.keys, 0, t3_first)
    t3_lo = heading[0] if heading else t3_first
    t2_heading = t.find(t2.keys, 0, t3_lo)
    t4_heading = t.find(t4.keys, t3_first, end)
    five = _SECTION_FIVE.search(t.raw, t4_heading[1] if t4_heading else t3_first)
    t4_hi = five.start() if five else end
    narrative = [t.raw[: t2_heading[0] if t2_heading else t3_lo], t.raw[t4_hi:]]

    rows = _t2_rows(t, t2, t2_heading[1] if t2_heading else 0, t3_lo, narrative, problems)
    if first:
        t3_hi = t4_heading[0] if t4_heading else t4_hi
        rows += _t3_rows(t, t3, t3_first, heading[1] if heading else t3_first, t3_hi, problems)
    else:
        problems.append(Problem("missing_table", "Table 3 (依申请公开) not found"))
    if t4_heading is None:
        problems.append(Problem("missing_table", "Table 4 (行政复议、行政诉讼) not found"))
    elif row := _t4_row(t, t4, t4_heading[1], t4_hi, problems):
        rows.append(row)

    got: dict[str, ParsedCell] = {}
    for row in rows:
        cells, found = row.cells()
        got |= {c.code: c for c in cells}
        problems += found
    subtotal = any(code.endswith(".legal_person_subtotal") for code in got)
    return [
        got.get(c.code) or ParsedCell(c.code, None, None, None, "missing")
        for c in fmt.cells
        if subtotal or not c.column.optional
    ], problems
