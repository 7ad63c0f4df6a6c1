"""One xxgk job at a time per home: an exclusive lock on the file HOME/.xxgk.lock.

The lock is `flock` on that file, so the kernel lets it go when the holder ends, however it ends
(kill -9 included): a lock left by a killed run is no lock at all, and the next run takes it over
without having to guess whether the holder is still alive. The file's content (pid, host,
command, start time) only names the holder when another command is refused.

`hold` is re-entrant within a process: `xxgk run` holds the lock while the stages it calls
(`ingest`, `build`, `check`) take it again, which then costs nothing. A child process made by
fork (a parse worker) does not keep the lock: it closes its copy of the file at once, so a
worker that outlives a killed run cannot block the next one.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

LOCK_NAME = ".xxgk.lock"


@dataclass(frozen=True)
class Holder:
    """Who holds a home: what the lock file says."""

    pid: int
    host: str
    command: str  # the xxgk command: run, ingest, build, check, nightly, …
    started: str  # local time with its offset, to the second


class LockHeld(Exception):
    """Another xxgk command is using the home; the message names it (for `xxgk: {message}`)."""

    def __init__(self, home: Path, holder: Holder | None) -> None:
        self.home = home
        self.holder = holder
        if holder is None:  # it has not written its name yet
            who = "another xxgk command"
        else:
            where = "" if holder.host == socket.gethostname() else f" on {holder.host}"
            who = (
                f"another xxgk {holder.command} (pid {holder.pid}{where}, started {holder.started})"
            )
        super().__init__(f"{who} is using {home}; try again when it finishes")


@dataclass
class _Held:
    fd: int
    depth: int


_held: dict[Path, _Held] = {}  # home -> this process's lock on it
_guard = threading.Lock()


def lock_path(home: Path) -> Path:
    return home / LOCK_NAME


def _read(fd: int) -> Holder | None:
    try:
        data = json.loads(os.pread(fd, 4096, 0))
        return Holder(int(data["pid"]), str(data["host"]), str(data["command"]), data["started"])
    except (OSError, ValueError, KeyError, TypeError):
        return None  # empty (a holder between taking the lock and writing its name) or damaged


def _acquire(home: Path, command: str) -> int:
    home.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_path(home), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = _read(fd)
        os.close(fd)
        raise LockHeld(home, holder) from None
    except BaseException:
        os.close(fd)
        raise
    me = Holder(
        pid=os.getpid(),
        host=socket.gethostname(),
        command=command,
        started=datetime.now().astimezone().isoformat(sep=" ", timespec="seconds"),
    )
    os.ftruncate(fd, 0)  # whatever a killed holder wrote
    os.pwrite(fd, json.dumps(asdict(me)).encode(), 0)
    return fd


@contextmanager
def hold(home: Path, command: str) -> Iterator[None]:
    """Hold `home` for `command` until the block ends; LockHeld when another process holds it.
    Taking it again inside the block (in this process) is allowed and holds nothing more."""
    home = home.resolve()
    with _guard:
        held = _held.get(home)
        if held is None:
            held = _held[home] = _Held(_acquire(home, command), 0)
        held.depth += 1
    try:
        yield
    finally:
        with _guard:
            held.depth -= 1
            if held.depth == 0:
                del _held[home]
                os.ftruncate(held.fd, 0)  # nobody holds it: name no one
                os.close(held.fd)  # closing the only descriptor releases the lock


def _forget_in_child() -> None:
    """In a forked child: close the inherited descriptors without touching the parent's lock."""
    global _guard
    _guard = threading.Lock()  # another thread may have held it at the fork
    for held in _held.values():
        os.close(held.fd)
    _held.clear()


os.register_at_fork(after_in_child=_forget_in_child)
