"""One xxgk command at a time per home: a second one is refused with a message naming the
first, a lock left by a killed run is taken over, and the lock is held once per process."""

from __future__ import annotations

import multiprocessing
import os
import re
import signal
import subprocess
import sys
from multiprocessing.synchronize import Event
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLES, run_cli

from xxgk.warehouse.lock import LOCK_NAME, LockHeld, hold

HOLDER = """
import sys, time
from pathlib import Path
from xxgk.warehouse.lock import hold
with hold(Path(sys.argv[1]), "run"):
    print("held", flush=True)
    time.sleep(600)
"""


def refusal(pid: int, command: str, home: Path) -> re.Pattern[str]:
    return re.compile(
        rf"xxgk: another xxgk {command} \(pid {pid}, started \d{{4}}-\d\d-\d\d \d\d:\d\d:\d\d"
        rf"[+-]\d\d:\d\d\) is using {re.escape(str(home))}; try again when it finishes"
    )


@pytest.mark.parametrize(
    "command",
    [("run", str(SAMPLES)), ("ingest", str(SAMPLES)), ("build",)],
    ids=["run", "ingest", "build"],
)
def test_a_second_command_is_refused_and_told_who_holds_the_home(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    home = tmp_path / "home"
    with hold(home, "run"):
        proc = run_cli(*command, "--home", home)
    assert proc.returncode == 1
    assert refusal(os.getpid(), "run", home).fullmatch(proc.stderr.strip()), proc.stderr
    assert sorted(p.name for p in home.iterdir()) == [LOCK_NAME]  # it did nothing


def test_help_says_so() -> None:
    for command in ("run", "ingest", "build"):
        text = " ".join(run_cli(command, "--help").stdout.split())  # as argparse wraps it
        assert "another xxgk command is using HOME" in text


def test_a_lock_left_by_a_killed_run_is_taken_over(tmp_path: Path) -> None:
    home = tmp_path / "home"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(home)], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        with pytest.raises(LockHeld) as refused, hold(home, "ingest"):
            pass
        assert refusal(holder.pid, "run", home).fullmatch(f"xxgk: {refused.value}")
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    assert str(holder.pid) in (home / LOCK_NAME).read_text()  # what the killed run left
    with hold(home, "ingest"):
        assert f'"pid": {os.getpid()}' in (home / LOCK_NAME).read_text()
    proc = run_cli("ingest", SAMPLES / "000_c3b0ef98b8a3f889.txt", "--home", home)
    assert proc.returncode == 0, proc.stderr


def _take_and_leave(home: Path) -> subprocess.CompletedProcess[str]:
    """Another process takes the home's lock and lets it go at once."""
    return subprocess.run(
        [sys.executable, "-c", HOLDER.replace("time.sleep(600)", "pass"), str(home)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_lock_is_held_once_per_process(tmp_path: Path) -> None:
    home = tmp_path / "home"
    with hold(home, "run"), hold(home, "ingest"), hold(home, "build"):
        assert '"command": "run"' in (home / LOCK_NAME).read_text()
        assert _take_and_leave(home).returncode == 1  # LockHeld: still held
    done = _take_and_leave(home)  # let go when the outermost block ended
    assert done.returncode == 0 and done.stdout == "held\n", done.stderr


def _work(started: Event) -> None:
    started.set()
    signal.pause()


def test_a_forked_worker_does_not_keep_the_lock(tmp_path: Path) -> None:
    home = tmp_path / "home"
    fork = multiprocessing.get_context("fork")
    started = fork.Event()
    with hold(home, "ingest"):
        worker = fork.Process(target=_work, args=(started,))
        worker.start()
        assert started.wait(60)  # the worker runs (its copy of the lock file is closed)
    try:
        assert worker.is_alive()
        with hold(home, "run"):  # free, though a worker forked while it was held lives on
            pass
    finally:
        worker.kill()
        worker.join()
