"""One read of a workbook file: its bytes, its identity, its zip directory
and its parts, for the whole run.

A run reads the workbook once (``Snapshot.of_file``: the size on disk checked
first, then one ``open``: the container, then the bytes), and everything
works from those bytes: the
readers (sheets, the notes on our previous Sammanställning) and the package
layer that grafts the new sheets into the same package.  The container is
checked once (``limits.check_package``: what the file is, the zip directory
within the bounds) and the directory parsed once; it serves both the
verified reading of parts (``verify``, ``read``, ``stream``: the same
``limits`` checks as for a file on disk, ``limits.Guarded``) and the raw copy
of the members the graft does not change (``members``).  A part that several
readers look at (the index parts, the shared strings, the styles) is
inflated once, as far as they ask (``inflated``); what is parsed of it is
kept under a key (``memo``).  Worksheets are streamed each time they are
read (they can be hundreds of MB of XML) — in practice once.

``identity`` (size and modification time) and the bytes let the writer ask
whether the file on disk is still the one that was read
(``check_unchanged``): when the economist saved the workbook in Excel while
the run was reading and computing, the run starts over from the new file
rather than replace it with sheets grafted into the old one.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import ChangedError
from . import limits, opc
from .limits import Entry, Verified
from .zipcopy import CHUNK, CorruptMember, Member, ZipError, inflate_stream, members_of

CHANGED = "arbetsboken ändrades medan reconcile körde (sparad i Excel?); kör igen — inget skrevs"

# Inflated content kept per part for the readers that come after the first one:
# beyond it a part is inflated again for each (as a ledger's shared strings may
# be, tens of MB), so that a big part costs no more memory than it did streamed.
# The index parts fit (the corpus's largest, a styles part, is 3.4 MB).
KEEP = 8 << 20  # 8 MiB


@dataclass(frozen=True)
class Identity:
    """What ``os.stat`` says of the file that was read."""

    size: int
    mtime_ns: int

    @classmethod
    def of(cls, stat: os.stat_result) -> Identity:
        return cls(stat.st_size, stat.st_mtime_ns)


class Snapshot(limits.Guarded):
    """A workbook's bytes as read once, with the ``limits.Guarded`` calls served
    from memory.  The container is checked on first use (``check``), so that a
    file that is no workbook still has a snapshot (and an identity)."""

    def __init__(self, data: bytes | None, path: str | os.PathLike | None = None, identity: Identity | None = None,
                 entries: list[Entry] | None = None, refusal: Exception | None = None):
        self.path = Path(path) if path is not None else None
        self.data = data  # None: the file was refused before it was read whole
        self.identity = identity
        self._view = memoryview(data if data is not None else b"")
        self._entries: list[Entry] | None = None
        self._refusal: Exception | None = refusal
        if entries is not None:
            self._index = {e.name.lower(): e for e in entries}
            self._entries = entries
        self._members: list[Member] | None = None
        self._inflated: dict[str, _Inflated] = {}
        self._whole: dict[str, bytes] = {}
        self._memo: dict[object, object] = {}

    @classmethod
    def of_file(cls, path: str | os.PathLike) -> Snapshot:
        """The file read once: its size on disk within ``limits`` (``Refusal``
        otherwise, nothing read), then through one ``open`` the container
        (``limits.check_zip``: what the file is, the zip directory within the
        bounds, parsed once) and, when it passed, all of its bytes.  A file the
        container check refuses is not read further: its snapshot keeps the
        refusal (``check`` raises it) and its identity.  ``OSError`` as it comes."""
        size = limits.check_file(path)
        with open(path, "rb") as fh:
            try:
                entries, refusal = limits.check_zip(fh, size), None
            except ValueError as exc:  # Refusal, ZipError
                entries, refusal = None, exc
            fh.seek(0)
            data = fh.read() if refusal is None else None
            stat = os.fstat(fh.fileno())  # after reading: a write during the read shows in the mtime
        if data is not None and len(data) != size:  # it changed between stat and read: a zip of other bytes
            return cls(data, path, Identity.of(stat))
        return cls(data, path, Identity.of(stat), entries, refusal)

    # -- the container --------------------------------------------------------------------------

    def check(self) -> None:
        """``limits.check_package`` once (``of_file`` did it on the file): the
        file's size, what it is, the zip directory and every entry within the
        bounds; the same ``Refusal`` (or ``ZipError``) each time it is asked
        when they are not."""
        if self._entries is not None:
            return
        if self._refusal is not None:
            raise self._refusal
        try:
            entries = limits.check_package(self.data)
        except ValueError as exc:  # Refusal, ZipError
            self._refusal = exc
            raise
        self._index = {e.name.lower(): e for e in entries}
        self._entries = entries

    @property
    def entries(self) -> list[Entry]:
        self.check()
        return self._entries

    def entry(self, part: str) -> Entry | None:
        self.check()
        return self._index.get(part.lstrip("/").lower())

    @property
    def members(self) -> list[Member]:
        """Every member with its raw bytes (views of the snapshot), for the raw
        copy: from the directory ``check`` parsed, each local header checked."""
        if self._members is None:
            self.check()
            self._members = members_of(self._view, [e.info for e in self._entries])
        return self._members

    def package(self) -> opc.Package:
        """The members as an ``opc.Package`` whose parts are read through ``read``."""
        return self.memo("package", lambda: opc.Package(members=self.members, reader=self.read))

    # -- parts ----------------------------------------------------------------------------------

    def raw(self, entry: Entry) -> Iterator[memoryview]:
        """The member's compressed bytes, in chunks, as ``limits.raw_chunks``
        reads them from a file (the local header checked, a short member
        ``truncated``)."""
        view, offset = self._view, entry.header_offset
        header = view[offset : offset + 30]
        if len(header) < 30 or header[:4] != b"PK\x03\x04":
            raise CorruptMember(entry.name, "header")
        name_len, extra_len = struct.unpack("<HH", header[26:30])
        at, left = offset + 30 + name_len + extra_len, entry.compress_size
        while left:
            block = view[at : at + min(CHUNK, left)]
            if not len(block):
                raise CorruptMember(entry.name, "truncated")
            at += len(block)
            left -= len(block)
            yield block

    def inflated(self, part: str) -> Iterable[bytes]:
        """The part's content through the capped inflater, inflated once for all
        who ask (as far as they ask); size and CRC are checked when it ends."""
        entry = self.entry(part)
        key = entry.name.lower()
        if key not in self._inflated:
            self._inflated[key] = _Inflated(lambda: inflate_stream(
                entry.name, entry.method, self.raw(entry), entry.file_size, entry.crc))
        return self._inflated[key]

    def verify(self, part: str, **kwargs) -> Verified | None:
        """``limits.verify`` the part; a part that is not a worksheet being
        streamed (``sheet``, ``sink``) is verified over the pieces ``inflated``
        keeps."""
        if kwargs.get("sheet") or kwargs.get("sink") is not None:
            return super().verify(part, **kwargs)
        entry = self.entry(part)
        if entry is None:
            return None
        return limits.verify_pieces(entry, self.inflated(entry.name), **kwargs)

    def read(self, part: str, max_size: int | None = None) -> bytes | None:
        """The verified content of a part to be parsed in Python, within
        ``max_size`` (default ``limits.MAX_PARSED_PART``); inflated and
        verified once (a part larger than ``KEEP`` each time it is asked for)."""
        entry = self.entry(part)
        if entry is None:
            return None
        limits.check_parsed(entry, max_size)
        key = entry.name.lower()
        if key in self._whole:
            return self._whole[key]
        pieces: list[bytes] = []
        limits.verify_pieces(entry, self.inflated(entry.name), keep=pieces)
        whole = b"".join(pieces)
        if len(whole) <= KEEP:  # a larger part is the caller's alone (and inflated again if asked again)
            self._whole[key] = whole
        return whole

    def memo(self, key: object, build: Callable[[], object]) -> object:
        """``build()`` the first time ``key`` is asked for, kept for the run (what
        a reader made of a part: the parsed workbook part, the styles …)."""
        if key not in self._memo:
            self._memo[key] = build()
        return self._memo[key]

    # -- the file on disk -----------------------------------------------------------------------

    def moved(self) -> bool:
        """Whether ``os.stat`` of the path differs from ``identity`` (size or
        modification time), or the file is gone; nothing is read (a snapshot of
        bytes that came from no file never moves)."""
        if self.path is None or self.identity is None:
            return False
        try:
            return Identity.of(os.stat(self.path)) != self.identity
        except FileNotFoundError:
            return True

    def check_unchanged(self, display: str | None = None) -> None:
        """Raise ``ChangedError`` unless the file on disk is still the snapshot:
        the same size and modification time and, when those match, the same
        bytes (read once more and compared with the snapshot's: exact, and
        cheaper than a hash of both).  ``OSError`` as it comes."""
        if self.path is None or self.identity is None:
            return
        if self.moved() or (self.data is not None and not _same_bytes(self.path, self._view)):
            raise ChangedError(CHANGED, file=display or str(self.path), slug="arbetsbok-andrad")


class Absent:
    """A file that did not exist when the run began (a new ``--output``): the
    writer checks that it still does not."""

    data = None

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)

    def moved(self) -> bool:
        return os.path.lexists(self.path)

    def check_unchanged(self, display: str | None = None) -> None:
        if self.moved():
            raise ChangedError(CHANGED, file=display or str(self.path), slug="arbetsbok-andrad")


def taken(path: str | os.PathLike) -> Snapshot | Absent | None:
    """The file at ``path`` as the run begins: its snapshot, ``Absent`` when
    there is none, None when it cannot be read (or is beyond ``limits``)."""
    try:
        return Snapshot.of_file(path)
    except FileNotFoundError:
        return Absent(path)
    except (OSError, ZipError):
        return None


def _same_bytes(path: Path, data: memoryview) -> bool:
    """Whether the file holds exactly ``data``, compared chunk by chunk."""
    at = 0
    with open(path, "rb") as fh:
        while True:
            block = fh.read(CHUNK)
            if not block:
                return at == len(data)
            if data[at : at + len(block)] != block:
                return False
            at += len(block)


class _Inflated:
    """One part's content, inflated once for several readers: the pieces are
    kept as the first reader asks for them (up to ``KEEP`` bytes), and a later
    reader goes on from where the others stopped.  Beyond ``KEEP`` a reader
    inflates the rest on its own (the pieces come out the same each time).
    An error of the inflater (size, CRC, corrupt data) is raised again to each
    reader that gets that far."""

    def __init__(self, fresh: Callable[[], Iterator[bytes]]):
        self._fresh = fresh
        self._source: Iterator[bytes] | None = None
        self._pieces: list[bytes] = []
        self._kept = 0
        self._done = False
        self._full = False
        self._error: BaseException | None = None

    def __iter__(self) -> Iterator[bytes]:
        i = 0
        while True:
            if i < len(self._pieces):
                yield self._pieces[i]
                i += 1
                continue
            if self._error is not None:
                raise self._error
            if self._done:
                return
            if self._full:
                break
            if self._source is None:
                self._source = self._fresh()
            try:
                piece = next(self._source)
            except StopIteration:
                self._done = True
                return
            except Exception as exc:
                self._error = exc
                raise
            self._pieces.append(piece)
            self._kept += len(piece)
            if self._kept > KEEP:
                self._full, self._source = True, None
        for n, piece in enumerate(self._fresh()):  # beyond what is kept: inflated for this reader alone
            if n >= i:
                yield piece
