"""A lock of our own: one ``reconcile`` run at a time refreshes a workbook.

Excel's owner file (``locks``) says a person has the workbook open; this lock
says another ``reconcile`` run (the nightly task, a manual run, a second
folder run) is refreshing it.  It is taken before the workbook is read and
held until the new file has replaced it, so that two runs never graft into
the same snapshot: the second one waits (``--wait``) or stops with exit 3.

The lock is the file ``.~reconcile.Halmstad.xlsx.lock`` beside the workbook
(hidden on Linux and macOS; a folder run passes over it), holding the pid,
the host and the time of the run that holds it.  What makes it held is an
operating-system lock on that file — ``flock`` on Linux and macOS,
``msvcrt.locking`` (a byte-range lock, on local disks and SMB shares alike)
on Windows — which the system lets go of when the process ends, however it
ends.  So a lock file left by a killed run (SIGKILL, a power cut) is taken
over by the next run at once; the file is removed when a run lets go of it
(``release``, in a ``finally``).  A run that finds the file locks it and then
checks that it is still the file at that name (the holder removes it before
letting go), else it starts again.  A left-over file this user may not write
(the nightly task's, made by another user) is looked at read-only, and made
anew when nobody holds it.

Where the file system has no locks at all (some NFS mounts without a lock
daemon), the file itself is the lock: created with ``O_CREAT | O_EXCL``,
taken over when its run is gone — a pid no longer running on this host
(Linux and macOS) — or when it is older than ``STALE_AFTER``.
"""

from __future__ import annotations

import contextlib
import errno
import os
import socket
import time
from collections.abc import Iterator
from pathlib import Path

from ..errors import LockedError, WorkbookError, os_reason

if os.name == "nt":  # pragma: no cover - Windows
    import msvcrt
else:
    import fcntl

PREFIX, SUFFIX = ".~reconcile.", ".lock"
BUSY = "en annan reconcile-körning uppdaterar arbetsboken just nu; försök igen om en stund — inget skrevs"
STALE_AFTER = 30 * 60  # seconds: a lock file this old is left over (only where the file system has no locks)
_ATTEMPTS = 20  # a lock file removed under our hands by the run that held it: try again
_LOCK_AT = 1 << 30  # Windows: the byte locked, beyond the text, which stays readable
_FLAGS = os.O_RDWR | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
_HELD: set[str] = set()  # lock files this process holds (a second run in the same process is refused too)


def lock_path(path: str | os.PathLike) -> Path:
    """``.~reconcile.Halmstad.xlsx.lock`` beside ``Halmstad.xlsx``."""
    path = Path(path)
    return path.with_name(f"{PREFIX}{path.name}{SUFFIX}")


def is_lock_file(path: str | os.PathLike) -> bool:
    name = Path(path).name
    return name.startswith(PREFIX) and name.endswith(SUFFIX)


class RunLock:
    """The lock of one workbook, held by this process until ``release``."""

    def __init__(self, path: Path, fd: int, key: str, system: bool):
        self.path = path
        self._fd: int | None = fd
        self._key = key
        self._system = system  # held through an operating-system lock (else: the file alone)

    def release(self) -> None:
        """Remove the lock file and let go of it (again: nothing)."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        _HELD.discard(self._key)
        try:
            if os.name != "nt" and self._ours(fd):
                with contextlib.suppress(OSError):
                    os.unlink(self.path)  # while still locked: a run waiting on it finds it gone
        finally:
            if os.name == "nt" and self._system:  # pragma: no cover - Windows
                with contextlib.suppress(OSError):
                    os.lseek(fd, _LOCK_AT, os.SEEK_SET)
                    msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
            os.close(fd)
        if os.name == "nt":  # pragma: no cover - Windows: an open file cannot be removed
            with contextlib.suppress(OSError):  # another run has it open already: it is that run's now
                os.unlink(self.path)

    def _ours(self, fd: int) -> bool:
        if not _same_file(fd, self.path):
            return False
        return self._system or _owner(self.path)[:2] == (os.getpid(), socket.gethostname())

    def __enter__(self) -> RunLock:
        return self

    def __exit__(self, *exc_info) -> None:
        self.release()


def acquire(path: str | os.PathLike, display: str | None = None) -> RunLock:
    """The lock of the workbook ``path``, or ``LockedError`` (exit 3, retried by
    ``--wait``) while another run holds it."""
    target = lock_path(path)
    display = display or str(path)
    busy = LockedError(BUSY, file=display, slug="arbetsbok-upptagen")
    key = os.path.normcase(os.path.abspath(target))
    if key in _HELD:
        raise busy
    for _ in range(_ATTEMPTS):
        writable = True
        try:
            fd, created = os.open(target, _FLAGS | os.O_CREAT | os.O_EXCL, 0o666), True
        except FileExistsError:
            try:
                fd, created = os.open(target, _FLAGS), False
            except FileNotFoundError:  # removed meanwhile
                continue
            except PermissionError:  # another user's (or, on Windows, being removed): looked at, not written
                try:
                    fd, created, writable = os.open(target, _FLAGS & ~os.O_RDWR | os.O_RDONLY), False, False
                except OSError:
                    time.sleep(0.05)
                    continue
        except PermissionError as exc:
            if os.name == "nt":  # pragma: no cover - Windows: the previous holder's file is being removed
                time.sleep(0.05)
                continue
            raise _cannot_write(target, display, exc) from exc
        except OSError as exc:
            raise _cannot_write(target, display, exc) from exc
        keep = False
        try:
            system = _lock(fd)
            if system is False:
                raise busy
            if system is None and not created:  # no locks here: the file's own word
                if not _stale(target):
                    raise busy
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(target)
                continue
            if not _same_file(fd, target):  # the run that held it removed it meanwhile
                continue
            if not writable:  # left over, and not ours to write: made anew
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(target)
                continue
            _write_owner(fd)
            keep = True
        finally:
            if not keep:
                os.close(fd)
        _HELD.add(key)
        return RunLock(target, fd, key, system is True)
    raise busy


@contextlib.contextmanager
def holding(path: str | os.PathLike, display: str | None = None) -> Iterator[RunLock]:
    """``acquire`` for a ``with`` block; the lock file is removed however it ends."""
    lock = acquire(path, display)
    try:
        yield lock
    finally:
        lock.release()


def _cannot_write(target: Path, display: str, exc: OSError) -> WorkbookError:
    """No lock file can be made in the folder: worded as ``atomic`` words it."""
    folder = target.parent if str(target.parent) else Path(".")
    if isinstance(exc, FileNotFoundError):
        return WorkbookError(f"mappen {folder} finns inte; skapa den eller välj en annan mapp — inget skrevs",
                             file=display, slug="mapp-saknas")
    return WorkbookError(f"kan inte skriva i mappen {folder} ({os_reason(exc)}) — inget skrevs", file=display,
                         slug="mapp-oskrivbar")


def _lock(fd: int) -> bool | None:
    """Lock the open file without waiting: True when locked, False when another
    process holds it, None when the file system has no locks."""
    if os.name == "nt":  # pragma: no cover - Windows
        os.lseek(fd, _LOCK_AT, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError as exc:
            return False if exc.errno in (errno.EACCES, errno.EDEADLK) else None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError as exc:
        if exc.errno in (errno.EAGAIN, errno.EWOULDBLOCK, errno.EACCES):
            return False
        if exc.errno in (errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS, errno.EINVAL):
            return None
        raise


def _same_file(fd: int, path: Path) -> bool:
    try:
        mine, there = os.fstat(fd), os.stat(path)
    except FileNotFoundError:
        return False
    return (mine.st_dev, mine.st_ino) == (there.st_dev, there.st_ino)


def _write_owner(fd: int) -> None:
    text = f"{os.getpid()} {socket.gethostname()} {int(time.time())} reconcile\n".encode()
    os.ftruncate(fd, 0)
    os.lseek(fd, 0, os.SEEK_SET)
    os.write(fd, text)


def _owner(path: Path) -> tuple[int | None, str | None]:
    """(pid, host) the lock file names, as far as it can be read."""
    try:
        words = path.read_text(encoding="utf-8", errors="replace").split()
    except OSError:
        return None, None
    pid = int(words[0]) if words and words[0].isdigit() else None
    return pid, words[1] if len(words) > 1 else None


def _stale(path: Path) -> bool:
    """Where there are no system locks: is the lock file left over from a run that is gone?"""
    try:
        age = time.time() - os.stat(path).st_mtime
    except FileNotFoundError:
        return True
    except OSError:
        return False
    if age > STALE_AFTER:
        return True
    pid, host = _owner(path)
    return pid is not None and host == socket.gethostname() and not _running(pid)


def _running(pid: int) -> bool:
    if os.name == "nt":  # pragma: no cover - signal 0 would end the process there; the age decides
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # another user's process
    return True
