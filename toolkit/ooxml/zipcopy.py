"""Zip container: read members, copy untouched ones raw, write deterministically.

``zipfile`` can read a package but cannot copy a member without inflating and
deflating it again.  We let ``zipfile`` parse the central directory (it copes
with prefixes, zip64 records and data descriptors), take each member's raw
compressed bytes straight from behind its local header, and write our own
local headers and central directory:

* untouched members keep their compressed bytes, CRC, method, flags (minus the
  data-descriptor bit: sizes are written into the local header), timestamp and
  attributes; extra fields and comments are dropped;
* changed and new members are deflated (level 6); replaced parts keep the
  original entry's timestamp, new parts get 1980-01-01 00:00;
* member order is kept, new members go last.

Same input bytes give the same output bytes.  Zip64 is not written: packages
of 4 GiB or more are refused.

Inflating is capped (``inflate_stream``): a member is inflated in chunks and
never yields more than its declared size + 1 byte, so a directory entry that
lies about the size costs no more than what it declares.  The bounds
themselves (how large a declared size may be) live in ``limits``.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

try:  # ISA-L inflates and checksums some 2.5 times faster, with the same output; writing stays with zlib
    from isal import isal_zlib as inflating
except ImportError:  # pragma: no cover - a platform without its wheel
    inflating = zlib

EPOCH = (1980, 1, 1, 0, 0, 0)
_LIMIT = 0xFFFFFFFF
CHUNK = 1 << 20  # bytes inflated per step: the memory a streamed member costs


class ZipError(ValueError):
    """The container cannot be read or written (corrupt, encrypted, too large)."""


class CorruptMember(ZipError):
    """A member's bytes do not match its directory entry.  ``kind`` is one of
    ``crc``, ``size`` (more or fewer bytes than declared), ``data`` (not a
    valid deflate stream), ``method`` (unsupported compression); the wording
    the user reads is in ``limits``."""

    def __init__(self, name: str, kind: str, detail: str = ""):
        super().__init__(f"{name}: {kind}" + (f" ({detail})" if detail else ""))
        self.name = name
        self.kind = kind
        self.detail = detail


@dataclass
class Member:
    name: str  # as zipfile decoded it (orig_filename)
    name_bytes: bytes
    flags: int
    method: int
    date_time: tuple
    crc: int
    compress_size: int
    file_size: int
    create_system: int
    external_attr: int
    internal_attr: int
    raw: bytes  # compressed data exactly as stored (or a view of it)


def read_members(data: bytes) -> list[Member]:
    """All members of the zip in ``data`` in central-directory order."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, struct.error) as exc:
        raise ZipError(str(exc)) from exc
    return members_of(data, infos)


def members_of(data: bytes | memoryview, infos: list[zipfile.ZipInfo]) -> list[Member]:
    """The members the directory ``infos`` (already parsed from ``data``)
    describes, each with its raw bytes (a view when ``data`` is a memoryview)."""
    members = []
    for info in infos:
        if info.flag_bits & 0x1:
            raise ZipError(f"{info.filename} is encrypted")
        offset = info.header_offset
        header = data[offset : offset + 30]
        if len(header) < 30 or header[:4] != b"PK\x03\x04":
            raise CorruptMember(info.filename, "header")
        name_len, extra_len = struct.unpack("<HH", header[26:30])
        begin = offset + 30 + name_len + extra_len
        raw = data[begin : begin + info.compress_size]
        if len(raw) != info.compress_size:
            raise CorruptMember(info.filename, "truncated")
        encoding = "utf-8" if info.flag_bits & 0x800 else "cp437"
        try:
            name_bytes = info.orig_filename.encode(encoding)
        except UnicodeEncodeError:
            name_bytes = info.orig_filename.encode("utf-8")
        members.append(Member(
            info.orig_filename, name_bytes, info.flag_bits, info.compress_type, info.date_time,
            info.CRC, info.compress_size, info.file_size, info.create_system,
            info.external_attr, info.internal_attr, raw))
    return members


def inflate_stream(name: str, method: int, raw: Iterable[bytes], file_size: int, crc: int,
                   chunk: int = CHUNK) -> Iterator[bytes]:
    """The content of a member, in pieces of at most ``chunk`` bytes, from its
    compressed bytes ``raw`` (any split).  Never produces more than
    ``file_size`` + 1 bytes in all: one byte beyond the declared size is proof
    enough that the entry lies.  The CRC and the size are checked at the end;
    a mismatch raises ``CorruptMember`` (after the pieces already yielded)."""
    total = 0
    check = 0
    if method == zipfile.ZIP_STORED:
        for block in raw:
            for start in range(0, len(block), chunk):
                piece = bytes(block[start : start + chunk])
                total += len(piece)
                if total > file_size:
                    raise CorruptMember(name, "size", f"more than the declared {file_size} bytes")
                check = inflating.crc32(piece, check)
                yield piece
    elif method == zipfile.ZIP_DEFLATED:
        inflater = inflating.decompressobj(-15)
        try:
            for block in raw:
                data = bytes(block)
                while True:
                    # max_length is never 0 (which would mean "no limit")
                    before = len(data)
                    piece = inflater.decompress(data, min(chunk, file_size + 1 - total))
                    data = inflater.unconsumed_tail
                    if not piece and data and len(data) == before and not inflater.eof:
                        raise CorruptMember(name, "data", "no progress")
                    total += len(piece)
                    if total > file_size:
                        raise CorruptMember(name, "size", f"more than the declared {file_size} bytes")
                    if piece:
                        check = inflating.crc32(piece, check)
                        yield piece
                    if inflater.eof or (not data and not piece):
                        break
                if inflater.eof:
                    break
            while not inflater.eof:  # output zlib still holds for input already consumed
                piece = inflater.decompress(b"", min(chunk, file_size + 1 - total))
                if not piece:
                    break
                total += len(piece)
                if total > file_size:
                    raise CorruptMember(name, "size", f"more than the declared {file_size} bytes")
                check = inflating.crc32(piece, check)
                yield piece
        except (zlib.error, inflating.error) as exc:
            raise CorruptMember(name, "data", str(exc)) from exc
        if not inflater.eof:
            raise CorruptMember(name, "data", "the deflate stream ends early")
    else:
        raise CorruptMember(name, "method", str(method))
    if total != file_size:
        raise CorruptMember(name, "size", f"{total} bytes, {file_size} declared")
    if check != crc:
        raise CorruptMember(name, "crc")


def inflate(member: Member) -> bytes:
    """The member's uncompressed content, CRC-checked, inflated through the
    capped stream: never more than the declared size (+ 1 byte) is produced."""
    return b"".join(inflate_stream(member.name, member.method, (member.raw,), member.file_size, member.crc))


def new_member(name: str, content: bytes, like: Member | None = None) -> Member:
    """A deflated member; ``like`` (the entry it replaces) lends timestamp and attributes."""
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    raw = compressor.compress(content) + compressor.flush()
    name_bytes = name.encode("ascii", errors="ignore")
    flags = 0 if name_bytes.decode("ascii") == name else 0x800
    if flags:
        name_bytes = name.encode("utf-8")
    if like is not None:
        name_bytes, flags = like.name_bytes, like.flags & 0x800
    return Member(
        name, name_bytes, flags, zipfile.ZIP_DEFLATED, like.date_time if like else EPOCH,
        zlib.crc32(content), len(raw), len(content),
        like.create_system if like else 0, like.external_attr if like else 0,
        like.internal_attr if like else 0, raw)


def _dos(date_time: tuple) -> tuple[int, int]:
    year, month, day, hour, minute, second = date_time
    year = min(max(year, 1980), 2107)
    return (hour << 11) | (minute << 5) | (second // 2), ((year - 1980) << 9) | (month << 5) | day


def write_members(members: list[Member]) -> bytes:
    """A zip file holding ``members`` in order."""
    out = io.BytesIO()
    central = []
    for m in members:
        offset = out.tell()
        if max(offset, m.compress_size, m.file_size) >= _LIMIT:
            raise ZipError("package too large (zip64 is not supported)")
        flags = m.flags & ~0x8  # sizes go into the local header
        dostime, dosdate = _dos(m.date_time)
        version = 20
        fields = struct.pack("<HHHHHIII", version, flags, m.method, dostime, dosdate,
                             m.crc, m.compress_size, m.file_size)
        out.write(b"PK\x03\x04" + fields + struct.pack("<HH", len(m.name_bytes), 0))
        out.write(m.name_bytes)
        out.write(m.raw)
        central.append(
            b"PK\x01\x02"
            + struct.pack("<H", (m.create_system << 8) | version)
            + fields
            + struct.pack("<HHHHHII", len(m.name_bytes), 0, 0, 0, m.internal_attr,
                          m.external_attr & 0xFFFFFFFF, offset)
            + m.name_bytes)
    start = out.tell()
    for record in central:
        out.write(record)
    size = out.tell() - start
    if len(members) > 0xFFFF or start >= _LIMIT:
        raise ZipError("package too large (zip64 is not supported)")
    out.write(b"PK\x05\x06" + struct.pack("<HHHHIIH", 0, 0, len(members), len(members), size, start, 0))
    return out.getvalue()
