"""Waivers: known, accepted findings, listed in a reviewed YAML file.

A waived finding stays in every output, marked waived with the reason and who accepted it; it
only stops counting towards the exit status. The file:

    waivers:
      - rule: t4_block_total          # a rule id of xxgk/template/rules.yaml
        report: 尖山区/2025            # a report_id, or body/year (survives a re-published file)
        instance: review              # optional: one instance only
        reason: 表四按上级口径填报，已书面说明
        who: 张三 (审核科), 2026-01-15
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import yaml

from xxgk.template.rules import load_rules

ENV = "XXGK_WAIVERS"


class WaiverError(Exception):
    """A waivers file that cannot be used; the message names the file and the entry."""


@dataclass(frozen=True)
class Waiver:
    rule: str
    report: str
    reason: str
    who: str
    instance: str | None = None

    def covers(
        self, report_id: str, body: str | None, year: int | None, rule: str, instance: str
    ) -> bool:
        if rule != self.rule or (self.instance is not None and instance != self.instance):
            return False
        return self.report in (report_id, f"{body}/{year}")

    @property
    def label(self) -> str:
        return f"{self.reason} — {self.who}"


def find_file(explicit: Path | None, home: Path, project: Path) -> Path | None:
    """--waivers, else $XXGK_WAIVERS, else waivers.yaml in the home, else in the project."""
    if explicit is not None:
        return explicit
    if os.environ.get(ENV):
        return Path(os.environ[ENV])
    return next((p for p in (home / "waivers.yaml", project / "waivers.yaml") if p.is_file()), None)


def load(path: Path) -> list[Waiver]:
    try:
        data = yaml.safe_load(path.read_text("utf-8")) or {}
    except (OSError, yaml.YAMLError) as e:
        raise WaiverError(f"{path}: cannot read waivers: {e}") from None
    entries = data.get("waivers") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise WaiverError(f"{path}: expected a top-level `waivers:` list")
    known = {r.id for r in load_rules()}
    out: list[Waiver] = []
    for i, entry in enumerate(entries, start=1):
        where = f"{path}: waiver {i}"
        if not isinstance(entry, dict):
            raise WaiverError(f"{where}: expected a mapping")
        missing = [k for k in ("rule", "report", "reason", "who") if not str(entry.get(k) or "")]
        if missing:
            raise WaiverError(f"{where}: missing {', '.join(missing)}: say what, why and who")
        if entry["rule"] not in known:
            raise WaiverError(f"{where}: unknown rule {entry['rule']!r}")
        instance = entry.get("instance")
        out.append(
            Waiver(
                rule=str(entry["rule"]),
                report=str(entry["report"]),
                reason=str(entry["reason"]),
                who=str(entry["who"]),
                instance=None if instance is None else str(instance),
            )
        )
    return out
