"""What a workbook may cost, checked before anything parses it.

A workbook is a zip of XML parts, and both layers of the toolkit trust it:
python-calamine (Rust) parses the parts the readers need, and the package
layer (``merge``) parses the index parts in Python.  A hostile or broken file
could make either of them use unbounded memory or time: a zip bomb (a part
that inflates 1000:1), a directory entry that lies about a part's size, an
XML entity bomb ("billion laughs") or an external entity (XXE), a sheet whose
few cells lie a million rows apart (calamine allocates the whole rectangle,
and a cell at XFD1048576 makes it abort the process).  This module is the one
place for the bounds and for the words the user reads when one is exceeded.

Checks, in the order they run:

1. ``check_file_size``   the size on disk (``os.stat``), before reading;
2. ``check_zip``         what the file is (OLE: password-protected workbook or
                         .xls; not a zip; a truncated zip), the central
                         directory's size *before* ``zipfile`` parses it, then
                         per entry: count, declared size, total, ratio,
                         encryption, uniqueness of the name;
3. ``verify``            a part's actual content, inflated through a capped
                         stream in chunks (never more than its declared size
                         + 1 byte, CRC checked, nothing held): the XML prolog
                         may not declare a DTD or entities, and a worksheet's
                         cells may not span far more than they fill
                         (``Extent``).

Package-level checks (1, 2) run once per run on the workbook's snapshot
(``snapshot.Snapshot``: the file read once, which both layers work from), or
on a file on disk (``Guarded``) or bytes given.  Part-level verification (3)
runs on the parts that are parsed: in the read layer, the parts calamine reads
when it opens the workbook and the worksheet of each sheet actually read
(lazily); in the package layer, every part it reads (``opc.Package.read`` ->
``read_member``, or the snapshot's ``read``: the same stream and checks, and
at most MAX_PARSED_PART for the index parts, which it parses whole).  The XML
parser there, ``xmlspan.parse``, refuses DTDs and entities on its own as well,
exactly as defusedxml does.  Members that are only copied are never inflated.  A sheet that is never read costs nothing
but its directory entry -- unless that entry itself looks like a bomb (check
2 applies to every member): a part declared to inflate more than 200:1 to
more than 64 MiB is refused whichever sheet it is.

Every check raises ``Refusal`` (a ``ZipError``) carrying the Swedish message
without the file name; ``workbook_error`` turns any package exception into the
``WorkbookError`` the CLI prints.
"""

from __future__ import annotations

import functools
import io
import os
import re
import struct
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from ..cells import column_letter
from ..errors import WorkbookError
from .zipcopy import CHUNK, CorruptMember, Member, ZipError, inflate_stream

# -- the bounds ---------------------------------------------------------------------------------------

# Size on disk.  The package layer holds the whole file in memory to rewrite
# it, so this is also what a run may hold; real ledgers of a full sheet
# (1,048,576 rows) are 30-60 MB on disk.
MAX_FILE_SIZE = 1 << 30  # 1 GiB

# Zip entries.  Real workbooks have tens, a few hundred with many sheets,
# images and pivot caches (the corpus's largest has 143); zipfile turns each
# into a Python object before anything else can look at it.
MAX_ENTRIES = 20_000

# The central directory, checked from the end record before zipfile parses
# it: 20,000 entries with 400-byte names.  An entry takes 46 bytes at least, so
# this also bounds the number of objects zipfile creates if the end record lies.
MAX_DIRECTORY = 8 << 20  # 8 MiB

# Declared uncompressed size of one part, and of all parts together.  A full
# 1,048,576-row x 8-column ledger sheet is about 300-350 MB of XML; a member of
# 4 GiB or more would need zip64, which the package layer cannot write anyway.
MAX_PART_SIZE = 1 << 30  # 1 GiB
MAX_TOTAL_SIZE = 2 << 30  # 2 GiB

# Compression ratio.  Sheet XML deflates 5-30:1 (the corpus's highest member is
# 114:1), sheets of empty styled cells a few hundred to one; a deflate bomb is
# about 1000:1 (deflate's limit is 1032:1).  A part is refused when it inflates
# more than BOMB_RATIO:1 AND to more than BOMB_FLOOR: below the floor a high
# ratio costs little, since parts are streamed.
BOMB_RATIO = 200
BOMB_FLOOR = 64 << 20  # 64 MiB

# Parts the toolkit parses whole in Python (the workbook part, relationships,
# content types, styles): about 10 objects per element, so 32 MiB of XML is
# some hundreds of MB of memory.  The corpus's largest (a styles part) is 3.4 MB.
MAX_PARSED_PART = 32 << 20  # 32 MiB

# What may precede the root element of an XML part (declaration, comments).
MAX_PROLOG = 64 << 10  # 64 KiB

# Excel's grid.  A cell beyond it cannot come from Excel, and calamine
# allocates it.
MAX_ROWS = 1_048_576
MAX_COLS = 16_384

# Cells in the rectangle python-calamine hands out for a sheet (rows x columns
# from A1 to the last cell with a value; every cell costs about 40 bytes in
# calamine plus a list slot in Python).  Any sheet may span FREE_AREA (4M
# cells, some 200 MB); beyond that the sheet's XML must hold at least
# MIN_BYTES_PER_CELL bytes for every cell of the rectangle (a written cell
# takes 20-40 bytes, a ledger fills its rectangle), so a few cells far apart --
# a "cell bomb" -- are refused.  MAX_AREA (a full-height sheet 32 columns wide)
# bounds even a dense sheet.
FREE_AREA = 1 << 22
MIN_BYTES_PER_CELL = 8
MAX_AREA = MAX_ROWS * 32

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")  # an OOXML file encrypted with a password

# -- the messages (Swedish, without the file name) ------------------------------------------------

ACTION_RESAVE = "öppna den i Excel, spara och kör igen"
ACTION_SUSPECT = "kontrollera var den kommer ifrån och spara om den i Excel"
NOT_XLSX = "filen är inte en .xlsx-arbetsbok ({}); spara den som .xlsx i Excel och kör igen"
NOT_ZIP = NOT_XLSX.format("inte ett zip-paket")
NO_WORKBOOK = NOT_XLSX.format("zip-paketet saknar en arbetsbok")
OLD_XLS = NOT_XLSX.format("utan en äldre .xls-fil eller annan OLE-fil")
ENCRYPTED = ("arbetsboken är lösenordsskyddad (krypterad) och kan inte läsas; spara en kopia utan lösenord "
             "(Arkiv › Info › Skydda arbetsbok › Kryptera med lösenord, töm lösenordet) och kör igen")
TRUNCATED = ("filen är inte en .xlsx-arbetsbok som går att läsa: zip-paketet är avkortat eller skadat "
             "(innehållsförteckningen saknas); hämta en hel kopia av filen och kör igen")
BROKEN = "arbetsboken går inte att läsa ({}); öppna och spara den i Excel och kör igen"
BROKEN_PART = "arbetsboken är trasig ({}: {}); " + ACTION_RESAVE
TOO_LARGE_FILE = "filen är {} stor, mer än de {} en arbetsbok får vara; ta bort blad som inte behövs och kör igen"
TOO_MANY_PARTS = ("zip-paketet har {} delar, fler än de {} en arbetsbok får ha — filen ser ut som en zip-bomb "
                  "och läses inte; " + ACTION_SUSPECT)
DIRECTORY_TOO_LARGE = ("zip-paketets innehållsförteckning är {}, mer än de {} en arbetsbok får ha — filen ser ut "
                       "som en zip-bomb och läses inte; " + ACTION_SUSPECT)
TOO_LARGE_PART = ("delen {} packas upp till {}, mer än de {} en del får vara — filen läses inte; "
                  "ta bort det som inte behövs och kör igen")
TOO_LARGE_TOTAL = ("arbetsboken packas upp till {}, mer än de {} som tillåts — filen läses inte; "
                   "ta bort blad som inte behövs och kör igen")
BOMB = "delen {} packas upp till {} från {} ({}:1) — filen ser ut som en zip-bomb och läses inte; " + ACTION_SUSPECT
TOO_LARGE_PARSED = ("delen {} är {} uppackad, mer än de {} reconcile läser för en sådan del — filen läses inte; "
                    + ACTION_RESAVE)
DTD = "{} innehåller en DTD ({}), som inte är tillåten i en arbetsbok — filen läses inte; " + ACTION_RESAVE
OUTSIDE_GRID = "{} sträcker sig utanför Excels rutnät, till cell {} — filen läses inte; " + ACTION_RESAVE
SPARSE = ("{} sträcker sig ända till cell {} ({} rader × {} kolumner) men är nästan tomt — att läsa det skulle "
          "kosta för mycket minne; radera tomma rader och kolumner nedanför och till höger om tabellen "
          "(Ctrl+End visar var bladet slutar), spara och kör igen")
TOO_MANY_CELLS = ("{} sträcker sig till cell {} ({} rader × {} kolumner), fler än de {} celler reconcile läser "
                  "från ett blad; dela upp bladet och kör igen")

REASONS = {  # CorruptMember.kind -> what is wrong with the part
    "crc": "kontrollsumman stämmer inte",
    "size": "innehållet stämmer inte med storleken i zip-paketets innehållsförteckning",
    "data": "den komprimerade datan är skadad",
    "method": "okänd komprimeringsmetod",
    "header": "delens lokala huvud saknas",
    "truncated": "delen är avkortad",
}


class Refusal(ZipError):
    """A bound is exceeded or the file is not a readable workbook; ``message`` is
    what the user reads (Swedish, without the file name), ``slug`` the kind of
    problem (``errors.SLUGS``)."""

    def __init__(self, message: str, *, slug: str):
        super().__init__(message)
        self.message = message
        self.slug = slug


def message(exc: Exception) -> str:
    """The Swedish text for a package-level exception (Refusal, a corrupt
    member, any other ZipError or XML error)."""
    if isinstance(exc, Refusal):
        return exc.message
    if isinstance(exc, CorruptMember):
        return BROKEN_PART.format(exc.name, REASONS.get(exc.kind, exc.kind))
    return BROKEN.format(describe(exc))


_MISSING_PART = re.compile(r"(?:file|part|entry)\s+not\s+found\W+([^'\"]+)", re.IGNORECASE)
_POSITION = re.compile(r"line\s+(\d+),\s*column\s+(\d+)", re.IGNORECASE)
_XML_WORDS = re.compile(r"ill-formed|well-formed|syntax error|not closed|unclosed|mismatched|junk after|"
                        r"no element found|unexpected end|invalid token|xml", re.IGNORECASE)


def describe(exc: Exception) -> str:
    """What a library's error about the package means, in Swedish: the XML
    parsers and python-calamine speak English, and their text never reaches
    the economist (``--debug`` shows it)."""
    text = str(exc)
    if (missing := _MISSING_PART.search(text)) is not None:
        return f"delen {missing.group(1).strip()} saknas i zip-paketet"
    if "shared string" in text.casefold():
        return "en cell pekar på en text som saknas i arbetsbokens texttabell (sharedStrings)"
    if _XML_WORDS.search(text) or type(exc).__name__ in ("ParseError", "XmlError", "ExpatError"):
        where = _POSITION.search(text)
        at = f", rad {where.group(1)} kolumn {where.group(2)}" if where else ""
        return f"XML-innehållet är trasigt{at}"
    return "paketet har ett fel som reconcile inte känner igen; kör med --debug för detaljer"


def workbook_error(exc: Exception, file: str) -> WorkbookError:
    return WorkbookError(message(exc), file=file, slug=exc.slug if isinstance(exc, Refusal) else "arbetsbok-trasig")


# -- formatting -----------------------------------------------------------------------------------------

def _group(n: int) -> str:
    return f"{n:,}".replace(",", " ")


def size_text(n: int) -> str:
    """Bytes the way Explorer shows them: '812 byte', '3 kB', '3,0 MB', '1,2 GB'."""
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("kB", 1 << 10)):
        if n >= scale:
            value = n / scale
            text = f"{value:.1f}" if value < 10 else _group(round(value))
            return text.replace(".", ",") + " " + unit
    return f"{n} byte"


def cell_name(row: int, col: int) -> str:
    """1-based row and column → 'XFD1048576' (columns beyond XFD are shown as numbers)."""
    if col > 18_278:  # ZZZ
        return f"R{row}C{col}"
    return f"{column_letter(col - 1)}{row}"


# -- 1. the file on disk --------------------------------------------------------------------------------

def check_file_size(size: int) -> None:
    if size > MAX_FILE_SIZE:
        raise Refusal(TOO_LARGE_FILE.format(size_text(size), size_text(MAX_FILE_SIZE)), slug="arbetsbok-for-stor")


def check_file(path: str | os.PathLike) -> int:
    """The file's size, within the bound (``os.stat``: nothing is read)."""
    size = os.stat(path).st_size
    check_file_size(size)
    return size


# -- 2. the container -----------------------------------------------------------------------------------

@dataclass
class Entry:
    """What the central directory says about one member."""

    name: str
    method: int
    flags: int
    crc: int
    compress_size: int
    file_size: int
    header_offset: int = 0
    # what zipfile parsed (for ``zipcopy.members_of``: the raw copy needs no second parse of the directory)
    info: zipfile.ZipInfo | None = field(default=None, compare=False, repr=False)

    @classmethod
    def of(cls, item: zipfile.ZipInfo | Member) -> Entry:
        if isinstance(item, Member):
            return cls(item.name, item.method, item.flags, item.crc, item.compress_size, item.file_size)
        return cls(item.orig_filename, item.compress_type, item.flag_bits, item.CRC, item.compress_size,
                   item.file_size, item.header_offset, item)


def _contains(fh: BinaryIO, needle: bytes) -> bool:
    """Whether the stream holds ``needle``, read in chunks from the start."""
    fh.seek(0)
    tail = b""
    while True:
        block = fh.read(CHUNK)
        if not block:
            return False
        if needle in tail + block[: len(needle)] or needle in block:
            return True
        tail = block[-len(needle) :]


def _directory_size(fh: BinaryIO, size: int) -> tuple[int, int] | None:
    """(entries, bytes) of the central directory as the end record states them,
    or None when there is no end record (a truncated or non-zip file)."""
    start = max(0, size - (22 + 0xFFFF))
    fh.seek(start)
    tail = fh.read()
    at = tail.rfind(b"PK\x05\x06")
    while at >= 0 and len(tail) - at < 22:
        at = tail.rfind(b"PK\x05\x06", 0, at)
    if at < 0:
        return None
    entries, directory = struct.unpack("<HI", tail[at + 10 : at + 16])
    locator = tail.rfind(b"PK\x06\x07", 0, at)
    if locator >= 0 and at - locator == 20:  # zip64: the real counts are in the zip64 end record
        (offset,) = struct.unpack("<Q", tail[locator + 8 : locator + 16])
        if offset < size:
            fh.seek(offset)
            record = fh.read(56)
            if record[:4] == b"PK\x06\x06" and len(record) == 56:
                entries, directory = struct.unpack("<QQ", record[32:48])
    return entries, directory


def check_zip(fh: BinaryIO, size: int | None = None) -> list[Entry]:
    """What the file is, and the central directory within the bounds; the
    entries in directory order.  Nothing is inflated."""
    if size is None:
        fh.seek(0, io.SEEK_END)
        size = fh.tell()
    fh.seek(0)
    head = fh.read(8)
    if head[:4] == OLE_MAGIC[:4]:
        if _contains(fh, ENCRYPTED_STREAM):
            raise Refusal(ENCRYPTED, slug="arbetsbok-krypterad")
        raise Refusal(OLD_XLS, slug="inte-xlsx")
    found = _directory_size(fh, size)
    if found is None:
        raise _not_a_zip(head)
    count, directory = found
    if count > MAX_ENTRIES:
        raise Refusal(TOO_MANY_PARTS.format(_group(count), _group(MAX_ENTRIES)), slug="zip-bomb")
    if directory > MAX_DIRECTORY:
        raise Refusal(DIRECTORY_TOO_LARGE.format(size_text(directory), size_text(MAX_DIRECTORY)), slug="zip-bomb")
    try:
        fh.seek(0)
        infos = zipfile.ZipFile(fh).infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, struct.error, OSError) as exc:
        raise _not_a_zip(head) from exc
    entries = [Entry.of(info) for info in infos]
    check_entries(entries)
    return entries


def _not_a_zip(head: bytes) -> Refusal:
    """A file whose zip directory cannot be found: a cut-off zip, or no zip at all."""
    if head[:2] == b"PK":
        return Refusal(TRUNCATED, slug="arbetsbok-avkortad")
    return Refusal(NOT_ZIP, slug="inte-xlsx")


def check_entries(entries: Iterable[Entry | Member | zipfile.ZipInfo]) -> None:
    """Count, declared sizes, total, ratio, encryption and uniqueness of every member."""
    entries = [e if isinstance(e, Entry) else Entry.of(e) for e in entries]
    if len(entries) > MAX_ENTRIES:
        raise Refusal(TOO_MANY_PARTS.format(_group(len(entries)), _group(MAX_ENTRIES)), slug="zip-bomb")
    total = 0
    seen: set[str] = set()
    for e in entries:
        if e.flags & 0x1:
            raise Refusal(ENCRYPTED, slug="arbetsbok-krypterad")
        if e.name.lower() in seen:  # which of the two would a reader take?  calamine and we might differ
            raise Refusal(BROKEN_PART.format(e.name, "delen finns två gånger i zip-paketet"), slug="arbetsbok-trasig")
        seen.add(e.name.lower())
        if e.file_size > MAX_PART_SIZE:
            raise Refusal(TOO_LARGE_PART.format(e.name, size_text(e.file_size), size_text(MAX_PART_SIZE)),
                          slug="arbetsbok-for-stor")
        ratio = e.file_size // max(e.compress_size, 1)
        if ratio > BOMB_RATIO and e.file_size > BOMB_FLOOR:
            raise Refusal(BOMB.format(e.name, size_text(e.file_size), size_text(e.compress_size), _group(ratio)),
                          slug="zip-bomb")
        total += e.file_size
    if total > MAX_TOTAL_SIZE:
        raise Refusal(TOO_LARGE_TOTAL.format(size_text(total), size_text(MAX_TOTAL_SIZE)), slug="arbetsbok-for-stor")


def check_package(data: bytes) -> list[Entry]:
    """``check_file_size`` and ``check_zip`` for a package held in memory."""
    check_file_size(len(data))
    return check_zip(io.BytesIO(data), len(data))


def check_parsed(entry: Entry | Member, max_size: int | None = None) -> None:
    """A part about to be inflated whole and parsed in Python (by default
    within MAX_PARSED_PART)."""
    max_size = MAX_PARSED_PART if max_size is None else max_size
    if entry.file_size > max_size:
        raise Refusal(TOO_LARGE_PARSED.format(entry.name, size_text(entry.file_size), size_text(max_size)),
                      slug="arbetsbok-for-stor")


# -- 3. a part's content ----------------------------------------------------------------------------------

def raw_chunks(fh: BinaryIO, entry: Entry) -> Iterator[bytes]:
    """The member's compressed bytes, read from the file in chunks."""
    fh.seek(entry.header_offset)
    header = fh.read(30)
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise CorruptMember(entry.name, "header")
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    fh.seek(entry.header_offset + 30 + name_len + extra_len)
    left = entry.compress_size
    while left:
        block = fh.read(min(CHUNK, left))
        if not block:
            raise CorruptMember(entry.name, "truncated")
        left -= len(block)
        yield block


_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"),
         (b"<\x00?\x00", "utf-16-le"), (b"\x00<\x00?", "utf-16-be"))


def _prolog(head: bytes, label: str, final: bool) -> bool:
    """Check what precedes the root element of an XML part: True once the root
    (or anything else that is no declaration, comment or processing
    instruction) is reached, or the part ends; False when more bytes are
    needed.  A DTD or an entity declaration is refused."""
    text, at = head.decode("latin-1"), 0
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            text = head.decode(encoding, errors="ignore").lstrip("\ufeff")
            break
    while True:
        while at < len(text) and text[at] in " \t\r\n":
            at += 1
        rest = text[at : at + 9]
        if not rest or (not final and len(rest) < 4 and ("<!--".startswith(rest) or rest == "<?")):
            break  # the part ends here, or a declaration may begin: wait for more
        if rest.startswith("<?") or rest.startswith("<!--"):
            end = text.find("?>" if rest.startswith("<?") else "-->", at)
            if end < 0:
                break
            at = end + (2 if rest.startswith("<?") else 3)
            continue
        if rest.startswith("<!") and not "<!--".startswith(rest):  # (an unfinished comment ends the part)
            decl = "<!ENTITY>" if rest[2:8].upper() == "ENTITY" else "<!DOCTYPE>"
            raise Refusal(DTD.format(label, decl), slug="xml-dtd")
        return True  # the root element (or something calamine will reject)
    if final:
        return True
    if len(head) >= MAX_PROLOG:
        raise Refusal(BROKEN_PART.format(label, f"ingen XML-rot inom de första {size_text(MAX_PROLOG)}"),
                      slug="arbetsbok-trasig")
    return False


@functools.lru_cache(maxsize=4096)
def _col_number(letters: bytes) -> int:
    n = 0
    for ch in letters[:5].upper():
        n = n * 26 + ch - 64
    return n if len(letters) <= 5 else MAX_COLS * 1000


def _row_number(digits: bytes) -> int:
    return int(digits) if len(digits) <= 10 else MAX_ROWS * 1000


def _letters_above(col: int) -> str:
    """A regex for column letters (any case) naming a column > ``col``."""
    if col <= 0:
        return "[A-Za-z]+"
    name = cell_name(1, min(col, 18_278))[:-1]
    options = [f"[A-Za-z]{{{len(name) + 1},}}"]
    for i, ch in enumerate(name):
        prefix = "".join(f"[{c}{c.lower()}]" for c in name[:i])
        if ch != "Z":
            higher = chr(ord(ch) + 1)
            options.append(f"{prefix}[{higher}-Z{higher.lower()}-z][A-Za-z]{{{len(name) - i - 1}}}")
    return "(?:" + "|".join(options) + ")"


def _number_above(n: int) -> str:
    """A regex for a digit run (then no digit) whose value is > ``n``: a digit
    per step, like a trie, so a reference below ``n`` fails after the digits
    it shares with ``n``."""
    if n <= 0:
        return "[0-9]+"
    digits = str(n)

    def same_length(i: int) -> str:  # the digits from i on, greater than digits[i:]
        if i == len(digits):
            return "(?!)"
        ch, rest = digits[i], len(digits) - i - 1
        higher = f"[{int(ch) + 1}-9][0-9]{{{rest}}}" if ch != "9" else "(?!)"
        return f"(?:{higher}|{ch}{same_length(i + 1)})" if rest else higher

    return f"(?:{same_length(0)}(?![0-9])|[0-9]{{{len(digits) + 1},}})"


@functools.lru_cache(maxsize=64)
def _beyond(rows: int, cols: int) -> re.Pattern:
    """Canonical references ``r="A1"`` to a cell beyond row ``rows`` or column ``cols``."""
    return re.compile(
        f'r="(?:{_letters_above(cols)}[0-9]+|[A-Za-z]+{_number_above(rows)})'.encode())


_REF_AT = re.compile(rb"([A-Za-z]+)([0-9]+)")
_ROW_AT = re.compile(rb'<row r="([0-9]+)"')
_ROW_NUMBER = re.compile(rb' r="([0-9]+)"')
# the rest of a start tag, quoted values skipped ('>' and '/>' may stand in them): group 1 is '/' when empty
_TAG_REST = re.compile(rb"""(?:[^>"'/]|/(?!>)|"[^"]*"|'[^']*')*(/?)>""")
MAX_TAG = 512  # how far the end of a tag is looked for; a cell's tag is some 20-80 bytes
# slow path: the start of every row or cell tag (any prefix), and every r attribute (any syntax)
_TAG = re.compile(rb"<(/?)(?:[^\s<>/:!?]+:)?(c|row)(?=[\s/>])")
_R_ATTR = re.compile(rb"""r(?<=[\s:]r)\s*=\s*(["'])\s*([A-Za-z]*)\s*([0-9]+)\s*\1""")  # r first: fast to find
_PREFIXED = re.compile(rb":(?:c|row)[\s/>]")
_NAME_PREFIX = re.compile(rb"[A-Za-z_][\w.-]*:")
_CELL_TAGS = (b"<c ", b"<c>", b"<c/", b"<c\t", b"<c\n", b"<c\r")
_WHITESPACE = b" \t\r\n"


class Extent:
    """The rectangle python-calamine will hand out for a worksheet, bounded
    from above while its XML streams past: the last row and column (1-based)
    of any cell that may hold a value.

    calamine places a cell at its ``r`` attribute (the last one, if repeated);
    a cell without one goes right of the previous cell (the column starts
    again after ``</row>``), in the row of the last ``<row>`` (itself the
    previous row + 1 without ``r``); only cells with content are stored.

    Each piece of XML is checked on a fast path when every cell tag is
    written ``<c r="…`` (or ``<x:c r="…``, one prefix throughout) with no
    other ``r`` syntax: the few references beyond the rectangle found so far
    are located with one regex search, some 60 MB/s.  Other pieces go the
    slow path, which reads every ``r`` attribute and walks every row and cell
    tag (a few MB/s: writers that put ``r`` later or leave it out).
    Anything odd counts as a cell with content, so the bound errs on the
    large side."""

    def __init__(self) -> None:
        self.rows = 0
        self.cols = 0
        self.row = 0  # row of the last <row> tag
        self.col = 0  # column of the last cell since the last </row>
        self.size = 0  # bytes of XML seen
        self._rest = b""

    def feed(self, data: bytes) -> None:
        self.size += len(data)
        data = self._rest + data
        cut = data.rfind(b"<")  # tags never span a piece: cut before the last one
        if cut <= 0:  # no tag starts here, or one is still open: wait, but not forever
            if len(data) <= CHUNK:
                self._rest = data
                return
            self._piece(data)
            self._rest = data[-64:]  # overlap, so that a reference cut here is seen whole
            return
        self._piece(data[:cut])
        self._rest = data[cut:]

    def close(self) -> None:
        if self._rest:
            self._piece(self._rest + b" ")
            self._rest = b""

    # -- pieces ---------------------------------------------------------------------------------

    def _note(self, row: int, col: int) -> None:
        self.rows = max(self.rows, row)
        self.cols = max(self.cols, col)

    @staticmethod
    def _tag_end(piece: bytes, start: int) -> tuple[int, bool] | None:
        """(end, empty) of the start tag whose attributes go on at ``start``:
        the offset after its '>' and whether it is written ``<c …/>``; None
        when it does not end within MAX_TAG bytes."""
        rest = _TAG_REST.match(piece, start, start + MAX_TAG)
        return None if rest is None else (rest.end(), bool(rest[1]))

    @classmethod
    def _has_value(cls, piece: bytes, start: int, found: tuple[int, bool] | None = None) -> bool:
        """Whether the tag whose attributes go on at ``start`` (and which ends as
        ``_tag_end`` found) may have content: not when it is empty (``<c …/>``)
        or closed at once (``<c …></c>``)."""
        found = found or cls._tag_end(piece, start)
        if found is None:
            return True
        after, empty = found
        if empty:
            return False
        while after < len(piece) and piece[after] in _WHITESPACE:
            after += 1
        return not piece.startswith(b"</", after)

    def _piece(self, piece: bytes) -> None:
        piece = self._unprefixed(piece)
        if not self._fast(piece):
            self._slow(piece)

    @staticmethod
    def _unprefixed(piece: bytes) -> bytes:
        """The piece with the prefix of its row and cell tags (``<x:c r=…>``, as the
        Open XML SDK writes them) taken off every tag, when one prefix is used."""
        found = _PREFIXED.search(piece) if b":" in piece else None
        if found is None:
            return piece
        start = piece.rfind(b"<", 0, found.start()) + 1
        prefix = piece[start : found.start() + 1].lstrip(b"/")
        if not _NAME_PREFIX.fullmatch(prefix):
            return piece
        plain = piece.replace(b"<" + prefix, b"<").replace(b"</" + prefix, b"</")
        return piece if _PREFIXED.search(plain) else plain

    def _canonical_cells(self, piece: bytes) -> bool:
        """Whether every cell tag in the piece is written ``<c r="…``."""
        with_r = piece.count(b'<c r="')
        return piece.count(b"<c") == with_r or sum(map(piece.count, _CELL_TAGS)) == with_r

    def _fast(self, piece: bytes) -> bool:
        if not self._canonical_cells(piece):
            return False  # a cell without r, or with another attribute first (<cols>, <cfRule> … are fine)
        if b":" in piece and _PREFIXED.search(piece):
            return False  # prefixed row or cell tags
        if piece.translate(None, _WHITESPACE).count(b"r=") != piece.count(b'r="'):
            return False  # r = "…", r='…' or a second r attribute in other syntax
        last_row = self._last_row(piece)
        if last_row is None:
            return False
        # a good first guess: the last cells with a value (rows grow down the sheet)
        at, tries = len(piece), 0
        while tries < 16:
            at = piece.rfind(b'r="', 0, at)
            if at < 0:
                break
            tries += 1
            ref = _REF_AT.match(piece, at + 3)
            if ref and piece[ref.end() : ref.end() + 1] == b'"' and self._has_value(piece, ref.end() + 1):
                self._note(_row_number(ref[2]), _col_number(ref[1]))
                break
        for match in _beyond(self.rows, self.cols).finditer(piece):
            ref = _REF_AT.match(piece, match.start() + 3)
            if piece[ref.end() : ref.end() + 1] != b'"' or self._has_value(piece, ref.end() + 1):
                self._note(_row_number(ref[2]), _col_number(ref[1]))
        # where a cell without r in a later piece would go
        self.row = last_row
        last_cell = piece.rfind(b'<c r="')
        if piece.rfind(b"</row>") > last_cell:
            self.col = 0
        elif last_cell >= 0:
            self.col = self._explicit_col(piece, last_cell + 3)
        return True

    def _explicit_col(self, piece: bytes, at: int) -> int:
        """The column of the canonical cell tag whose attributes go on at ``at``
        (`` r="…``): its last r attribute wins."""
        ref = _REF_AT.match(piece, at + 4)
        end = piece.find(b">", at)
        if ref is None or piece.find(b"r", ref.end(), end) >= 0:  # another r attribute, or an odd tag
            found = self._tag_end(piece, at)
            refs = _R_ATTR.findall(piece[at : found[0] if found else at + MAX_TAG])
            letters = [r[1] for r in refs if r[1]]
            return _col_number(letters[-1]) if letters else self.col + 1
        return _col_number(ref[1])

    def _last_row(self, piece: bytes) -> int | None:
        """The row of the piece's last ``<row r="…">`` (the current row when it has
        none); None when that tag has no r."""
        at = piece.rfind(b"<row")
        while at >= 0 and not piece.startswith(b'<row r="', at):
            if piece[at + 4 : at + 5] in (b" ", b"\t", b"\r", b"\n", b"/", b">", b""):
                return None
            at = piece.rfind(b"<row", 0, at)  # <rowBreaks>
        row = _ROW_AT.match(piece, at) if at >= 0 else None
        if at >= 0 and row is None:
            return None
        return _row_number(row[1]) if row else self.row

    def _slow(self, piece: bytes) -> None:
        # every r attribute with a cell reference, wherever it stands
        for attr in _R_ATTR.finditer(piece):
            if attr[2]:
                row, col = _row_number(attr[3]), _col_number(attr[2])
                if (row > self.rows or col > self.cols) and self._has_value(piece, attr.end()):
                    self._note(row, col)
        # the rows, and where each cell without r goes
        for tag in _TAG.finditer(piece):
            closing, name = tag.groups()
            at = tag.end()
            if closing:
                if name == b"row":
                    self.col = 0
                continue
            if piece.startswith(b' r="', at):  # the usual way: r first
                if name == b"c":
                    self.col = self._explicit_col(piece, at)
                    continue
                row = _ROW_NUMBER.match(piece, at)
                if row:
                    self.row = _row_number(row[1])
                    continue
            found = self._tag_end(piece, at)
            refs = [] if piece[at : at + 1] in (b">", b"/") else \
                _R_ATTR.findall(piece, at, found[0] if found else at + MAX_TAG)
            if name == b"row":
                self.row = _row_number(refs[-1][2]) if refs else self.row + 1
                continue
            letters = [r[1] for r in refs if r[1]]
            self.col = _col_number(letters[-1]) if letters else self.col + 1
            if not letters and self._has_value(piece, at, found):
                self._note(max(self.row, 1), self.col)

    # -- the verdict ----------------------------------------------------------------------------

    def check(self, label: str) -> None:
        rows, cols = self.rows, self.cols
        if rows > MAX_ROWS or cols > MAX_COLS:
            raise Refusal(OUTSIDE_GRID.format(label, cell_name(rows, cols)), slug="blad-utanfor-rutnatet")
        area = rows * cols
        cell = cell_name(rows, cols)
        if area > MAX_AREA:
            raise Refusal(TOO_MANY_CELLS.format(label, cell, _group(rows), _group(cols), _group(MAX_AREA)),
                          slug="blad-for-stort")
        if area > FREE_AREA and area * MIN_BYTES_PER_CELL > self.size:
            raise Refusal(SPARSE.format(label, cell, _group(rows), _group(cols)), slug="blad-glest")


class Prolog:
    """The check that an XML part declares no DTD or entities before its root
    element, fed piece by piece (``verify`` does it; so does a reader that
    peeks at the start of a part)."""

    def __init__(self, label: str):
        self.label = label
        self.head = b""
        self.done = False

    def feed(self, piece: bytes) -> None:
        if not self.done:
            self.head += piece[:MAX_PROLOG]
            self.done = _prolog(self.head, self.label, final=False)
            if self.done:
                self.head = b""

    def close(self) -> None:
        if not self.done:
            _prolog(self.head, self.label, final=True)


@dataclass
class Verified:
    name: str
    size: int  # bytes inflated
    extent: Extent | None


def verify(entry: Entry | Member, raw: Iterable[bytes], *, label: str | None = None, xml: bool = True,
           sheet: bool = False, keep: list[bytes] | None = None,
           sink: Callable[[bytes], None] | None = None) -> Verified:
    """Inflate a member through the capped stream, holding one chunk at a time
    (unless ``keep`` collects them): the declared size is the most it may
    produce, the CRC must match; an XML part may not declare a DTD or
    entities before its root element; a worksheet (``sheet``) may not span
    far more cells than it fills.  ``label`` names the part in messages
    (default: its name).  ``sink`` is handed each piece as it is inflated,
    to be parsed on the way; what it made of them may only be used once
    ``verify`` has returned (the CRC is checked at the end)."""
    entry = entry if isinstance(entry, Entry) else Entry.of(entry)
    return verify_pieces(entry, inflate_stream(entry.name, entry.method, raw, entry.file_size, entry.crc),
                         label=label, xml=xml, sheet=sheet, keep=keep, sink=sink)


def verify_pieces(entry: Entry, pieces: Iterable[bytes], *, label: str | None = None, xml: bool = True,
                  sheet: bool = False, keep: list[bytes] | None = None,
                  sink: Callable[[bytes], None] | None = None) -> Verified:
    """``verify`` over the member's content as ``inflate_stream`` yields it
    (the capped, CRC-checking stream; a snapshot may hand out the pieces it
    inflated before)."""
    label = label or entry.name
    prolog = Prolog(label) if xml else None
    extent = Extent() if sheet else None
    size = 0
    for piece in pieces:
        size += len(piece)
        if keep is not None:
            keep.append(piece)
        if prolog is not None:
            prolog.feed(piece)
        if sink is not None:
            sink(piece)
        if extent is not None:
            extent.feed(piece)
    if prolog is not None:
        prolog.close()
    if extent is not None:
        extent.close()
        extent.check(label)
    return Verified(entry.name, size, extent)


def read_member(member: Member, max_size: int | None = None) -> bytes:
    """The verified content of a member held in memory, to be parsed in Python
    (``check_parsed``)."""
    check_parsed(member, max_size)
    pieces: list[bytes] = []
    verify_member(member, keep=pieces)
    return b"".join(pieces)


def verify_member(member: Member, **kwargs) -> Verified:
    """``verify`` for a member held in memory."""
    return verify(member, (memoryview(member.raw)[i : i + CHUNK] for i in range(0, len(member.raw), CHUNK)),
                  **kwargs)


class Guarded:
    """A workbook whose container passed ``check_file`` and ``check_zip``; its
    parts (by part name, case-insensitive) are verified or read one at a time.
    Here straight from the file on disk; ``snapshot.Snapshot`` serves the same
    calls from the bytes it read once."""

    def __init__(self, path: str | os.PathLike):
        self.path = path
        size = check_file(path)
        with open(path, "rb") as fh:
            self.entries = check_zip(fh, size)
        self._index = {e.name.lower(): e for e in self.entries}

    def entry(self, part: str) -> Entry | None:
        return self._index.get(part.lstrip("/").lower())

    def raw(self, entry: Entry) -> Iterator[bytes]:
        """The member's compressed bytes, in chunks."""
        with open(self.path, "rb") as fh:
            yield from raw_chunks(fh, entry)

    def stream(self, part: str, chunk: int = CHUNK) -> Iterator[bytes]:
        """The part's content through the capped inflater (size and CRC checked at
        its end), not yet verified otherwise: for a reader that peeks and stops."""
        entry = self.entry(part)
        yield from inflate_stream(entry.name, entry.method, self.raw(entry), entry.file_size, entry.crc,
                                  chunk=chunk)

    def inflated(self, part: str) -> Iterable[bytes]:
        """``stream`` for a part several readers look at (a snapshot keeps it)."""
        return self.stream(part)

    def verify(self, part: str, **kwargs) -> Verified | None:
        """``verify`` the part if the package has it."""
        entry = self.entry(part)
        if entry is None:
            return None
        return verify(entry, self.raw(entry), **kwargs)

    def read(self, part: str, max_size: int | None = None) -> bytes | None:
        """The verified content of a part to be parsed in Python (``check_parsed``)."""
        entry = self.entry(part)
        if entry is None:
            return None
        check_parsed(entry, max_size)
        pieces: list[bytes] = []
        verify(entry, self.raw(entry), keep=pieces)
        return b"".join(pieces)

    def memo(self, key: object, build: Callable[[], object]) -> object:
        """What ``build`` makes of the parts (nothing is kept for a file on disk)."""
        return build()
