"""The real `xxgk` command under watch: a time bound (a hang fails the test instead of hanging
it), the process's peak memory, and every attempt to reach the network, recorded by an audit
hook that a sitecustomize module installs in the child before xxgk starts."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from conftest import ROOT

_HOOK = """
import os, socket, sys

_LOG = os.environ["XXGK_TEST_NETWORK_LOG"]
_EVENTS = {"socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "socket.sendto",
           "urllib.Request", "http.client.connect", "ftplib.connect", "smtplib.connect"}

def _hook(event, args):
    if event not in _EVENTS:
        return
    if event in ("socket.connect", "socket.sendto") and args[0].family == socket.AF_UNIX:
        return  # a local socket, not the network
    with open(_LOG, "a", encoding="utf-8") as fh:
        fh.write(f"{event} {args!r}\\n")

sys.addaudithook(_hook)
"""


@dataclass(frozen=True)
class Ran:
    returncode: int
    stdout: str
    stderr: str
    peak_mib: float  # the process's peak resident memory
    network: list[str]  # attempts to reach the network (none expected)


def watch_env(folder: Path) -> dict[str, str]:
    """The environment for a watched child: the audit hook first on its path."""
    hook = folder / "sitecustomize.py"
    hook.parent.mkdir(parents=True, exist_ok=True)
    hook.write_text(_HOOK, "utf-8")
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(folder), os.environ.get("PYTHONPATH", "")]),
        "XXGK_TEST_NETWORK_LOG": str(folder / "network.log"),
        "PYTHONUNBUFFERED": "1",
    }


def network_log(folder: Path) -> list[str]:
    log = folder / "network.log"
    return log.read_text("utf-8").splitlines() if log.exists() else []


def run_watched(*args: str | Path, folder: Path, timeout: float) -> Ran:
    """`python -m xxgk ARGS` from the repository root; killed (and the test failed) after
    `timeout` seconds. `folder` holds the hook, the network log and the captured output."""
    env = watch_env(folder)
    out, err = folder / "stdout.txt", folder / "stderr.txt"
    with out.open("wb") as o, err.open("wb") as e:
        proc = subprocess.Popen(
            [sys.executable, "-m", "xxgk", *map(str, args)], cwd=ROOT, stdout=o, stderr=e, env=env
        )
        deadline = time.monotonic() + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                proc.kill()
                proc.wait()
                raise AssertionError(f"xxgk {args} did not finish in {timeout} s: a hang")
            time.sleep(0.05)
    proc.returncode = os.waitstatus_to_exitcode(status)  # Popen did not reap it: keep it told
    return Ran(
        returncode=proc.returncode,
        stdout=out.read_text("utf-8", errors="replace"),
        stderr=err.read_text("utf-8", errors="replace"),
        peak_mib=usage.ru_maxrss / 1024,  # kilobytes on Linux
        network=network_log(folder),
    )
