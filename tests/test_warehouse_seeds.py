"""Generated seeds stay in step with their declarations; bodies resolve to divisions only when
one division fits."""

from __future__ import annotations

import pytest

from xxgk.warehouse.divisions import resolve_body
from xxgk.warehouse.seeds import GENERATED, SEEDS_DIR, render


@pytest.mark.parametrize("name", sorted(GENERATED))
def test_committed_seed_matches_its_declaration(name: str) -> None:
    committed = (SEEDS_DIR / f"{name}.csv").read_text("utf-8")
    assert committed == render(GENERATED[name]()), (
        f"seeds/{name}.csv drifted: run `python -m xxgk.warehouse.seeds`"
    )


@pytest.mark.parametrize(
    ("body", "code", "match", "kind", "normalised"),
    [
        ("尖山区", "230502", "exact", "人民政府", "尖山区人民政府"),
        ("沭阳县人民政府", "321322", "exact", "人民政府", "沭阳县人民政府"),
        ("沐阳县人民政府", "321322", "ocr_confusable", "人民政府", "沭阳县人民政府"),
        ("沭阳县发展和改革局", "321322", "exact", "局", "沭阳县发展和改革局"),
        ("淮安市人民政府", "320800", "exact", "人民政府", "淮安市人民政府"),
        ("平潭综合实验区", "350128", "short_name", "综合实验区", "平潭综合实验区"),
        ("北京市朝阳区人民政府", "110105", "exact", "人民政府", "北京市朝阳区人民政府"),
        (
            "江苏省 宿迁市沭阳县人民政府",
            "321322",
            "exact",
            "人民政府",
            "江苏省宿迁市沭阳县人民政府",
        ),
    ],
)
def test_body_resolves(body: str, code: str, match: str, kind: str, normalised: str) -> None:
    r = resolve_body(body)
    assert r.division is not None and r.division.adcode == code
    assert (r.match, r.kind, r.name_normalised) == (match, kind, normalised)


def test_resolved_division_names_its_parents() -> None:
    d = resolve_body("尖山区").division
    assert d is not None
    assert (d.province_name, d.city_name, d.name, d.level) == (
        "黑龙江省",
        "双鸭山市",
        "尖山区",
        "county",
    )


@pytest.mark.parametrize(
    ("body", "match"),
    [
        ("朝阳区人民政府", "ambiguous"),  # 北京 and 长春
        ("鼓楼区", "ambiguous"),
        ("国家税务总局某某市税务局", "not_found"),
    ],
)
def test_unclear_bodies_stay_unresolved(body: str, match: str) -> None:
    r = resolve_body(body)
    assert r.division is None and r.match == match
    assert (len(r.candidates) > 1) == (match == "ambiguous")
