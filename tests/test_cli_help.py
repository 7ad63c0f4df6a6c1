"""Every command answers --help, and the README documents every command."""

from __future__ import annotations

import pytest
from conftest import ROOT, run_cli

from xxgk.cli import COMMANDS


def test_top_level_help_lists_every_command() -> None:
    proc = run_cli("--help")
    assert proc.returncode == 0
    for name in COMMANDS:
        assert name in proc.stdout


@pytest.mark.parametrize("name", COMMANDS)
def test_command_help(name: str) -> None:
    proc = run_cli(name, "--help")
    assert proc.returncode == 0, proc.stderr
    assert f"usage: xxgk {name}" in proc.stdout
    assert len(proc.stdout) > 200  # says what the command does, not only its usage line


@pytest.mark.parametrize("name", COMMANDS)
def test_readme_documents_command(name: str) -> None:
    assert f"`xxgk {name}" in (ROOT / "README.md").read_text("utf-8")


def test_no_command_is_a_usage_error() -> None:
    proc = run_cli()
    assert proc.returncode == 2 and "usage: xxgk" in proc.stderr
