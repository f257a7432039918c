"""Hostile and broken workbooks (``toolkit.ooxml.limits``).

Each file is made here, from a small workbook that runs fine, and given to the
real command line in a child process: a clear one-line Swedish message naming
the file, exit 1, nothing written, within seconds and well under 500 MiB of
memory (the child reports its own peak RSS).  These bounds are safety nets,
not speed tests.  The unit tests below them pin the capped inflate and each
bound on its own.
"""

from __future__ import annotations

import dataclasses
import io
import os
import re
import struct
import subprocess
import sys
import time
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import pytest
from defusedxml import ElementTree
from workbook_factory import small_workbook
from written import WRITTEN

from toolkit.errors import WorkbookError
from toolkit.ooxml import limits
from toolkit.ooxml.limits import Entry, Extent, Refusal
from toolkit.ooxml.zipcopy import (
    CorruptMember,
    Member,
    inflate,
    inflate_stream,
    new_member,
    read_members,
    write_members,
)
from toolkit.package import write_sheets
from toolkit.package.merge import graft
from toolkit.read.workbook import Source

ROOT = Path(__file__).resolve().parents[1]
MiB = 1 << 20
MAX_RSS_MIB = 500
MAX_SECONDS = 20

# The child runs the CLI as `python -m toolkit.cli` would and writes its peak RSS (bytes) to a
# file outside the workbook's folder.  On Linux that is VmHWM, the high-water mark of the
# process's own memory: ru_maxrss would also count the parent's at the time of the fork.
WRAPPER = """
import os, resource, runpy, sys
sys.argv = ["reconcile", *sys.argv[1:]]
code = 0
try:
    runpy.run_module("toolkit.cli", run_name="__main__", alter_sys=True)
except SystemExit as exc:
    code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
sys.stdout.flush()
sys.stderr.flush()
try:
    with open("/proc/self/status") as fh:
        peak = next(int(line.split()[1]) * 1024 for line in fh if line.startswith("VmHWM:"))
except OSError:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * (1 if sys.platform == "darwin" else 1024)
with open(os.environ["HOSTILE_RSS"], "w") as fh:
    fh.write(str(peak))
os._exit(code)
"""


@dataclasses.dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    seconds: float
    rss_mib: float


def run_cli(path: Path, *args: str) -> Run:
    if sys.platform == "win32":
        pytest.skip("the peak RSS is read with /proc or the resource module")
    rss_file = path.parent.parent / f"rss-{path.name}.txt"
    env = dict(os.environ, HOSTILE_RSS=str(rss_file),
               PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    start = time.monotonic()
    done = subprocess.run([sys.executable, "-c", WRAPPER, str(path), *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=120)
    seconds = time.monotonic() - start
    rss = int(rss_file.read_text()) / MiB
    rss_file.unlink()
    print(f"{path.name}: exit {done.returncode}, {seconds:.1f} s, peak RSS {rss:.0f} MiB")
    return Run(done.returncode, done.stdout, done.stderr, seconds, rss)


def assert_bounded(run: Run) -> None:
    assert run.rss_mib < MAX_RSS_MIB, f"peak RSS {run.rss_mib:.0f} MiB"
    assert run.seconds < MAX_SECONDS, f"{run.seconds:.1f} s"


def assert_refused(path: Path, data: bytes, message: str | re.Pattern) -> Run:
    """Run the CLI on ``data`` written to ``path``: refused with exactly one line."""
    path.write_bytes(data)
    run = run_cli(path)
    assert run.code == 1, run
    assert run.stdout == ""
    assert "Traceback" not in run.stderr
    lines = run.stderr.splitlines()
    assert len(lines) == 1 and run.stderr.endswith("\n"), run.stderr
    prefix = f"{path}: "
    assert lines[0].startswith(prefix), lines[0]
    reason = lines[0][len(prefix):]
    if isinstance(message, re.Pattern):
        assert message.fullmatch(reason), reason
    else:
        assert reason == message
    assert path.read_bytes() == data, "the workbook was changed"
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name], "files were left behind"
    assert_bounded(run)
    return run


# -- building the files ------------------------------------------------------------------------

@pytest.fixture
def folder(tmp_path) -> Path:
    path = tmp_path / "bok"
    path.mkdir()
    return path


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> bytes:
    """A workbook that runs fine: Inställningar, Budget, Periodisering, Utfall, and Arkiv (never read)."""
    path = tmp_path_factory.mktemp("good") / "Halmstad.xlsx"
    small_workbook(path, Arkiv=[["Gamla år"], [2019]])
    return path.read_bytes()


def sheet_part(data: bytes, sheet: str) -> str:
    """The worksheet part of ``sheet``, found through the workbook part and its relationships."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        workbook = ElementTree.fromstring(zf.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    rid = next(el.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
               for el in workbook.iter() if el.tag.endswith("}sheet") and el.get("name") == sheet)
    target = next(el.get("Target") for el in rels if el.get("Id") == rid)
    return "xl/" + target.lstrip("/").removeprefix("xl/")


def replace_member(data: bytes, part: str, **fields) -> bytes:
    """The package with one member's fields replaced (raw bytes, sizes, CRC) as given,
    written by the toolkit's own zip writer so that sizes and CRC may lie."""
    members = read_members(data)
    out = [dataclasses.replace(m, **fields) if m.name == part else m for m in members]
    return write_members(out)


def replace_content(data: bytes, part: str, content: bytes) -> bytes:
    members = read_members(data)
    return write_members([new_member(m.name, content, like=m) if m.name == part else m for m in members])


def repeated_deflate(head: bytes, block: bytes, count: int, tail: bytes = b"") -> tuple[bytes, int, int]:
    """(raw deflate, size, CRC) of head + block × count + tail, made in milliseconds: each
    block is compressed once after a full flush, which resets the compressor, so its
    bytes can be repeated."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = compressor.compress(head) + compressor.flush(zlib.Z_FULL_FLUSH)
    again = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    last = compressor.compress(tail) + compressor.flush()
    crc = zlib.crc32(head)
    for _ in range(count):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(tail, crc)
    return first + again * count + last, len(head) + len(block) * count + len(tail), crc


SHEET_HEAD = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
              b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
SHEET_TAIL = b"</sheetData></worksheet>"
ROW = b'<row r="1"><c r="A1"><v>1</v></c></row>'
CELLS = ROW * (MiB // len(ROW))  # 1 MiB of the same row: 300 to 1 with a full flush after each


def honest_bomb(data: bytes, part: str, mib: int = 128) -> bytes:
    raw, size, crc = repeated_deflate(SHEET_HEAD, CELLS, mib, SHEET_TAIL)
    return replace_member(data, part, raw=raw, compress_size=len(raw), file_size=size, crc=crc)


def compound_file(*streams: str) -> bytes:
    """A minimal OLE compound file (version 3, 512-byte sectors): a FAT sector, a
    directory sector with the root and the named (empty) streams -- what Excel
    writes around a password-protected workbook, without the encrypted bytes."""
    end, fat_sector, free, none = 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF, 0xFFFFFFFF
    header = bytearray(512)
    header[:8] = limits.OLE_MAGIC
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIIII", header, 40, 0, 1, 1, 0, 4096, end, 0, end, 0)
    struct.pack_into("<109I", header, 76, 0, *([free] * 108))
    fat = struct.pack("<128I", fat_sector, end, *([free] * 126))

    def entry(name: str, kind: int, right: int = none, child: int = none) -> bytes:
        encoded = (name + "\0").encode("utf-16-le") if name else b""
        record = bytearray(128)
        record[: len(encoded)] = encoded
        struct.pack_into("<HBBIII", record, 64, len(encoded), kind, 1, none, right, child)
        struct.pack_into("<IQ", record, 116, end, 0)
        return bytes(record)

    entries = [entry("Root Entry", 5, child=1 if streams else none)]
    entries += [entry(name, 2, right=i + 2 if i + 1 < len(streams) else none) for i, name in enumerate(streams)]
    entries += [entry("", 0)] * (4 - len(entries) % 4 if len(entries) % 4 else 0)
    return bytes(header) + fat + b"".join(entries)


# -- the command line on hostile files ---------------------------------------------------------

BOMB = re.compile(r"delen (xl/worksheets/sheet\d+\.xml) packas upp till 1\d\d MB från \d+ kB \(\d+:1\) — "
                  r"filen ser ut som en zip-bomb och läses inte; kontrollera var den kommer ifrån och spara om den "
                  r"i Excel")


@pytest.mark.parametrize("sheet", ["Utfall", "Arkiv"])
def test_zip_bomb_is_refused_whichever_sheet_it_is(book, folder, sheet):
    """A part declared to inflate 1000:1 to 128 MiB is refused from the directory alone,
    before anything is inflated -- also in a sheet the run would never read."""
    part = sheet_part(book, sheet)
    run = assert_refused(folder / "Halmstad.xlsx", honest_bomb(book, part), BOMB)
    assert BOMB.fullmatch(run.stderr.split(": ", 1)[1].strip())[1] == part


def test_zip_bomb_with_a_lying_size_is_cut_off_at_the_declared_size(book, folder):
    """1 GiB of zeros declared as 1 kB: inflating stops one byte past the declared size."""
    part = sheet_part(book, "Utfall")
    raw, _, _ = repeated_deflate(b"", bytes(MiB), 1024)
    data = replace_member(book, part, raw=raw, compress_size=len(raw), file_size=1000, crc=0)
    assert_refused(folder / "Halmstad.xlsx", data,
                   f"arbetsboken är trasig ({part}: innehållet stämmer inte med storleken i zip-paketets "
                   "innehållsförteckning); öppna den i Excel, spara och kör igen")


BILLION_LAUGHS = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
                  + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%s;" % (b"" if i == 1 else b"%d" % (i - 1))) * 10)
                             for i in range(1, 10))
                  + b']>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                    b'<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>')


def test_billion_laughs_in_the_ledger_sheet(book, folder):
    part = sheet_part(book, "Utfall")
    assert_refused(folder / "Halmstad.xlsx", replace_content(book, part, BILLION_LAUGHS),
                   f'bladet "Utfall" ({part}) innehåller en DTD (<!DOCTYPE>), som inte är tillåten i en arbetsbok — '
                   "filen läses inte; öppna den i Excel, spara och kör igen")


def test_external_entity_in_the_shared_strings(book, folder):
    with zipfile.ZipFile(io.BytesIO(book)) as zf:
        shared = zf.read("xl/sharedStrings.xml")
    xxe = shared.replace(b"?>", b'?>\n<!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', 1)
    xxe = xxe.replace(b"<t>Arvoden</t>", b"<t>&xxe;</t>")
    assert b"&xxe;" in xxe
    assert_refused(folder / "Halmstad.xlsx", replace_content(book, "xl/sharedStrings.xml", xxe),
                   "xl/sharedStrings.xml innehåller en DTD (<!DOCTYPE>), som inte är tillåten i en arbetsbok — "
                   "filen läses inte; öppna den i Excel, spara och kör igen")


def test_million_row_cell_bomb_in_a_sheet_the_run_does_not_read_costs_nothing(book, folder):
    """Arkiv: 1,048,576 rows of cells and one at XFD1048576 -- 17 billion cells to calamine,
    which aborts the process if asked for them.  Its directory entry is within the
    bounds (50 MB at 10:1), the run never reads it, and the package layer copies it raw."""
    part = sheet_part(book, "Arkiv")
    rows = b"".join(b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (i, i) for i in range(1, 1_048_576))
    far = b'<row r="1048576"><c r="XFD1048576"><v>2</v></c></row>'
    content = SHEET_HEAD + rows + far + SHEET_TAIL
    raw = zlib.compress(content, 1)[2:-4]  # raw deflate: without the zlib header and checksum
    data = replace_member(book, part, raw=raw, compress_size=len(raw), file_size=len(content),
                          crc=zlib.crc32(content), method=zipfile.ZIP_DEFLATED)
    path = folder / "Halmstad.xlsx"
    path.write_bytes(data)
    run = run_cli(path)
    assert run.code == 0, run.stderr
    assert run.stdout.startswith(f"{path}: jan–aug 2025 · ") and run.stdout.endswith(f" · {WRITTEN}\n")
    assert_bounded(run)
    after = {m.name: m for m in read_members(path.read_bytes())}
    assert after[part].raw == raw, "the sheet was not copied raw"


@pytest.mark.parametrize(("cell", "message"), [
    pytest.param("H1048576", 'bladet "Utfall" ({part}) sträcker sig ända till cell H1048576 (1 048 576 rader × 8 '
                 "kolumner) men är nästan tomt — att läsa det skulle kosta för mycket minne; radera tomma rader och "
                 "kolumner nedanför och till höger om tabellen (Ctrl+End visar var bladet slutar), spara och kör igen",
                 id="sparse"),
    pytest.param("XFD1048576", 'bladet "Utfall" ({part}) sträcker sig till cell XFD1048576 (1 048 576 rader × 16 384 '
                 "kolumner), fler än de 33 554 432 celler reconcile läser från ett blad; dela upp bladet och kör igen",
                 id="too-many-cells"),
    pytest.param("B1048577", 'bladet "Utfall" ({part}) sträcker sig utanför Excels rutnät, till cell D1048577 — filen '
                 "läses inte; öppna den i Excel, spara och kör igen", id="outside-the-grid"),
])
def test_cell_bomb_in_the_ledger_sheet_is_refused(book, folder, cell, message):
    """One value far from the ledger makes calamine allocate the whole rectangle (and
    abort beyond memory): refused while the sheet's XML streams past, before calamine."""
    part = sheet_part(book, "Utfall")
    with zipfile.ZipFile(io.BytesIO(book)) as zf:
        sheet = zf.read(part)
    row = re.search(rb"\d+$", cell.encode())[0]
    bomb = sheet.replace(b"</sheetData>", b'<row r="%s"><c r="%s"><v>1</v></c></row></sheetData>' % (row, cell.encode()))
    assert_refused(folder / "Halmstad.xlsx", replace_content(book, part, bomb), message.format(part=part))


def test_truncated_zip(book, folder):
    assert_refused(folder / "Halmstad.xlsx", book[: len(book) // 2],
                   "filen är inte en .xlsx-arbetsbok som går att läsa: zip-paketet är avkortat eller skadat "
                   "(innehållsförteckningen saknas); hämta en hel kopia av filen och kör igen")


def test_crc_error_in_a_part_the_run_reads(book, folder):
    part = sheet_part(book, "Budget")
    member = next(m for m in read_members(book) if m.name == part)
    assert_refused(folder / "Halmstad.xlsx", replace_member(book, part, crc=member.crc ^ 1),
                   f"arbetsboken är trasig ({part}: kontrollsumman stämmer inte); öppna den i Excel, spara och kör igen")


def test_text_file_renamed_xlsx(folder):
    assert_refused(folder / "Halmstad.xlsx", "Period;Konto;Belopp\n202508;5011;31 200\n".encode("cp1252"),
                   "filen är inte en .xlsx-arbetsbok (inte ett zip-paket); spara den som .xlsx i Excel och kör igen")


def test_password_protected_workbook(folder):
    assert_refused(folder / "Halmstad.xlsx", compound_file("EncryptionInfo", "EncryptedPackage"),
                   "arbetsboken är lösenordsskyddad (krypterad) och kan inte läsas; spara en kopia utan lösenord "
                   "(Arkiv › Info › Skydda arbetsbok › Kryptera med lösenord, töm lösenordet) och kör igen")


def test_old_xls_renamed_xlsx(folder):
    assert_refused(folder / "Halmstad.xlsx", compound_file("Workbook", "\x05SummaryInformation"),
                   "filen är inte en .xlsx-arbetsbok (utan en äldre .xls-fil eller annan OLE-fil); "
                   "spara den som .xlsx i Excel och kör igen")


def test_too_many_entries(book, folder):
    members = read_members(book)
    extra = [new_member(f"customXml/item{i}.xml", b"") for i in range(limits.MAX_ENTRIES + 1 - len(members))]
    assert_refused(folder / "Halmstad.xlsx", write_members(members + extra),
                   "zip-paketet har 20 001 delar, fler än de 20 000 en arbetsbok får ha — filen ser ut som en "
                   "zip-bomb och läses inte; kontrollera var den kommer ifrån och spara om den i Excel")


# -- the capped inflate ------------------------------------------------------------------------

def _deflate(content: bytes) -> bytes:
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    return compressor.compress(content) + compressor.flush()


def _member(content: bytes, **fields) -> Member:
    return dataclasses.replace(new_member("xl/worksheets/sheet1.xml", content), **fields)


def test_inflate_stream_yields_the_content_in_bounded_pieces():
    content = os.urandom(3000) * 100
    raw = _deflate(content)
    splits = [raw[i : i + 777] for i in range(0, len(raw), 777)]
    pieces = list(inflate_stream("p", zipfile.ZIP_DEFLATED, splits, len(content), zlib.crc32(content), chunk=4096))
    assert b"".join(pieces) == content
    assert max(map(len, pieces)) <= 4096
    stored = list(inflate_stream("p", zipfile.ZIP_STORED, [content], len(content), zlib.crc32(content), chunk=1000))
    assert b"".join(stored) == content and max(map(len, stored)) <= 1000


def test_inflate_stream_stops_one_byte_past_a_lying_size():
    raw, size, crc = repeated_deflate(b"", bytes(MiB), 64)
    produced = 0
    with pytest.raises(CorruptMember) as caught:
        for piece in inflate_stream("p", zipfile.ZIP_DEFLATED, [raw], 10_000, crc, chunk=4096):
            produced += len(piece)
    assert caught.value.kind == "size"
    assert produced <= 10_000


@pytest.mark.parametrize(("change", "kind"), [
    ({"crc": 1}, "crc"),
    ({"file_size": 10**6}, "size"),  # declared larger than the content
    ({"raw": b"\xff\xff\xff\xff garbage"}, "data"),
    ({"method": 14}, "method"),
])
def test_inflate_refuses_a_member_that_does_not_match_its_entry(change, kind):
    member = _member(b"<x>" + b"hej " * 1000 + b"</x>", **change)
    with pytest.raises(CorruptMember) as caught:
        inflate(member)
    assert caught.value.kind == kind
    assert limits.message(caught.value).startswith("arbetsboken är trasig (xl/worksheets/sheet1.xml: ")


def test_inflate_refuses_a_truncated_deflate_stream():
    content = os.urandom(5000)
    raw = _deflate(content)
    with pytest.raises(CorruptMember, match="data"):
        inflate(_member(content, raw=raw[: len(raw) // 2]))


def test_inflate_of_a_lying_member_holds_no_more_than_it_declares():
    raw, _, _ = repeated_deflate(b"", bytes(MiB), 256)  # 256 MiB of zeros declared as 1 kB
    member = _member(b"", raw=raw, compress_size=len(raw), file_size=1000)
    tracemalloc.start()
    try:
        with pytest.raises(CorruptMember, match="size"):
            inflate(member)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8 * MiB


def test_verify_streams_a_large_part_in_bounded_memory():
    raw, size, crc = repeated_deflate(SHEET_HEAD, CELLS, 48, SHEET_TAIL)  # 48 MiB of cells, below the bomb floor
    member = _member(b"", raw=raw, compress_size=len(raw), file_size=size, crc=crc)
    tracemalloc.start()
    try:
        verified = limits.verify_member(member, sheet=True)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert verified.size == size and (verified.extent.rows, verified.extent.cols) == (1, 1)
    assert peak < 16 * MiB


# -- the bounds one by one ---------------------------------------------------------------------

def _entry(name="xl/worksheets/sheet1.xml", size=1000, compressed=100, flags=0) -> Entry:
    return Entry(name, zipfile.ZIP_DEFLATED, flags, 0, compressed, size)


def test_a_full_ledger_sheet_passes_the_bounds():
    """1,048,576 rows x 8 columns: about 350 MB of XML at 10:1, 8.4 million cells."""
    limits.check_entries([_entry(size=350 * 10**6, compressed=35 * 10**6), _entry("xl/styles.xml")])
    extent = Extent()
    extent.rows, extent.cols, extent.size = 1_048_576, 8, 350 * 10**6
    extent.check("bladet Utfall")


@pytest.mark.parametrize(("entries", "message"), [
    ([_entry(size=65 * MiB, compressed=65 * MiB // 201)], "zip-bomb"),
    ([_entry(size=(1 << 30) + 1, compressed=(1 << 30) // 10)], "mer än de 1,0 GB en del får vara"),
    ([_entry(f"p{i}", size=(1 << 29) - 1, compressed=1 << 25) for i in range(5)], "mer än de 2,0 GB som tillåts"),
    ([_entry(f"p{i}") for i in range(limits.MAX_ENTRIES + 1)], "20 001 delar"),
    ([_entry(flags=1)], "lösenordsskyddad"),
    ([_entry("xl/styles.xml"), _entry("xl/Styles.xml")], "(xl/Styles.xml: delen finns två gånger i zip-paketet)"),
])
def test_entries_beyond_the_bounds_are_refused(entries, message):
    with pytest.raises(Refusal, match=re.escape(message)):
        limits.check_entries(entries)


def test_a_high_ratio_below_the_floor_is_fine():
    limits.check_entries([_entry(size=64 * MiB, compressed=64 * MiB // 1000)])  # 64 MiB of empty styled cells
    limits.check_entries([_entry(size=200 * MiB, compressed=MiB)])  # 200:1


def test_every_corpus_file_passes_the_bounds():
    """Every real-world package passes the container bounds, and every XML part
    in it (every worksheet with its cell extent) passes verification."""
    corpus = ROOT.parent / "shared" / "corpus" / "xlsx"
    if not corpus.is_dir():
        pytest.skip("corpus folder ../shared/corpus/xlsx missing")
    for path in sorted(corpus.iterdir()):
        guarded = limits.Guarded(path)
        for entry in guarded.entries:
            if entry.name.lower().endswith((".xml", ".rels")):
                guarded.verify(entry.name, sheet="worksheets/" in entry.name.lower())


def test_file_size_is_checked_before_reading(tmp_path, monkeypatch):
    path = tmp_path / "Stor.xlsx"
    path.write_bytes(b"PK")
    monkeypatch.setattr(limits, "MAX_FILE_SIZE", 1)
    message = "filen är 2 byte stor, mer än de 1 byte en arbetsbok får vara; ta bort blad som inte behövs och kör igen"
    with pytest.raises(WorkbookError) as caught:
        write_sheets(path, b"")
    assert str(caught.value) == f"Stor.xlsx: {message}"
    with pytest.raises(WorkbookError) as caught:
        Source(path)
    assert caught.value.message == message


@pytest.mark.parametrize(("prolog", "refused"), [
    (b'<?xml version="1.0"?><!DOCTYPE x><x/>', "<!DOCTYPE>"),
    (b'\xef\xbb\xbf<?xml version="1.0"?>\n<!-- a <!DOCTYPE> in a comment is fine --><!DOCTYPE x [<!ENTITY e "e">]><x/>',
     "<!DOCTYPE>"),
    (b'<?xml version="1.0"?><!ENTITY e "e"><x/>', "<!ENTITY>"),
    ('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x><x/>'.encode("utf-16"), "<!DOCTYPE>"),
    (b'<?xml version="1.0"?>\n<!-- <!DOCTYPE x> --><x><!-- fine --></x>', None),
    (b"<x>no declaration</x>", None),
    (b"", None),
])
def test_a_dtd_before_the_root_element_is_refused(prolog, refused):
    member = new_member("xl/sharedStrings.xml", prolog)
    if refused is None:
        limits.verify_member(member)
        return
    with pytest.raises(Refusal, match=re.escape(f"xl/sharedStrings.xml innehåller en DTD ({refused})")):
        limits.verify_member(member)


def test_the_prolog_may_arrive_in_pieces():
    head = b'<?xml version="1.0"?>\n<!-- c --><!DOCTYPE x>'
    known = head.index(b"<!D") + 3  # "<!D" is no comment: a DTD
    for cut in range(1, known):
        assert limits._prolog(head[:cut], "p", final=False) is False
    for cut in range(known, len(head) + 1):
        with pytest.raises(Refusal):
            limits._prolog(head[:cut], "p", final=False)
    assert limits._prolog(b'<?xml version="1.0"?><!-', "p", final=True) is True  # calamine's to reject
    with pytest.raises(Refusal, match="ingen XML-rot"):
        limits._prolog(b"<!--" + b" " * limits.MAX_PROLOG, "p", final=False)


HEAD = b'<?xml version="1.0"?><worksheet xmlns="m"><dimension ref="A1:XFD1048576"/><sheetData>'
TAIL = b'</sheetData><pageMargins header="0.3" footer="0.3"/></worksheet>'
EXTENTS = {  # sheetData -> (last row, last column) calamine gives a value
    "canonical": (b'<row r="1"><c r="A1"><v>1</v></c><c r="H1" t="s"><v>0</v></c></row>'
                  b'<row r="2"><c r="B2"><v>1</v></c></row>', (2, 8)),
    "cells without a value": (b'<row r="1"><c r="A1"><v>1</v></c><c r="XFD1048576" s="1"/></row>'
                              b'<row r="2"><c r="ZZ9"></c></row>', (1, 1)),
    "a far cell": (b'<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>2</v></c></row>',
                   (1_048_576, 16_384)),
    "a second r (the last wins)": (b'<row r="1"><c r="A1" r="C300000"><v>1</v></c></row>', (300_000, 3)),
    "a second r in other quotes": (b"<row r=\"1\"><c r=\"A1\" r='C300000'><v>1</v></c></row>", (300_000, 3)),
    "other quotes and spaces": (b"<row r='1'><c r='A1'><v>1</v></c></row><row><c r = 'C300000'><v>1</v></c></row>",
                                (300_000, 3)),
    "lower case": (b"<row r='1'><c r='a1'><v>1</v></c></row><row><c r='c300000'><v>1</v></c></row>", (300_000, 3)),
    "prefixes": (b'<x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c></x:row>'
                 b'<x:row><x:c r="B300000"><x:v>1</x:v></x:c></x:row>', (300_000, 2)),
    "two prefixes": (b'<x:row r="1"><y:c r="A1"><x:v>1</x:v></y:c></x:row>'
                     b'<y:row><x:c r="B300000"><v>1</v></x:c></y:row>', (300_000, 2)),
    "a row without cell references": (b'<row r="1"><c r="A1"><v>1</v></c></row><row r="300000"><c><v>1</v></c></row>',
                                      (300_000, 1)),
    "cells without r": (b'<row r="5"><c r="C5"><v>1</v></c><c><v>2</v></c></row><row><c/><c/><c/><c><v>3</v></c></row>',
                        (6, 4)),
    "16384 cells without r": (b"<row>" + b"<c/>" * 16_383 + b"<c><v>1</v></c></row>" + b"<row/>" * 2000
                              + b"<row><c><v>1</v></c></row>", (2002, 16_384)),
    "< in an attribute": (b'<row r="1"><c x="<" r="C300000"><v>1</v></c></row>', (300_000, 3)),
    "/> in an attribute": (b'<row r="1"><c r="A1"><v>1</v></c><c r="C300000" x="/>"><v>1</v></c></row>', (300_000, 3)),
    "a long tag": (b'<row r="1"><c r="A1"><v>1</v></c><c' + b" " * 600 + b'r="C300000"><v>1</v></c></row>',
                   (300_000, 3)),
    "a long tag without r": (b'<row r="300000"><c r="A300000"><v>1</v></c><c' + b" " * 600 + b"/><c><v>1</v></c></row>",
                             (300_000, 3)),
    "leading zeros": (b'<row r="1"><c r="C0300000"><v>1</v></c></row>', (300_000, 3)),
    "an inline string": (b'<row r="1"><c r="A1"><v>1</v></c></row><row><c r="C300000" t="inlineStr"><is/></c></row>',
                         (300_000, 3)),
}


@pytest.mark.parametrize("name", EXTENTS)
@pytest.mark.parametrize("step", [1 << 20, 7, 64, 1000])
def test_extent_bounds_what_calamine_will_allocate(name, step):
    """Exact when the XML arrives in one piece, never smaller in any pieces (the
    placement rules are calamine's, checked against python-calamine 0.9)."""
    xml, (rows, cols) = EXTENTS[name]
    xml = HEAD + xml + TAIL
    extent = Extent()
    for start in range(0, len(xml), step):
        extent.feed(xml[start : start + step])
    extent.close()
    if step == 1 << 20:
        assert (extent.rows, extent.cols) == (rows, cols)
    else:
        assert extent.rows >= rows and extent.cols >= cols


# -- the package layer -------------------------------------------------------------------------

def test_package_layer_refuses_a_bomb_it_would_only_copy(book):
    """With --budget and --utfall the workbook's sheets are not read; the package layer
    still checks every entry before copying any of them raw."""
    with pytest.raises(WorkbookError, match="filen ser ut som en zip-bomb"):
        graft(honest_bomb(book, sheet_part(book, "Arkiv")), b"", "Halmstad.xlsx")


def test_package_layer_reads_index_parts_through_the_capped_stream(book):
    raw, _, _ = repeated_deflate(b"", bytes(MiB), 64)
    lying = replace_member(book, "xl/workbook.xml", raw=raw, compress_size=len(raw), file_size=2000)
    with pytest.raises(WorkbookError, match=re.escape("arbetsboken är trasig (xl/workbook.xml: innehållet stämmer")):
        graft(lying, b"", "Halmstad.xlsx")
    dtd = replace_content(book, "xl/workbook.xml", b'<?xml version="1.0"?><!DOCTYPE w><workbook/>')
    with pytest.raises(WorkbookError, match=re.escape("xl/workbook.xml innehåller en DTD (<!DOCTYPE>)")):
        graft(dtd, b"", "Halmstad.xlsx")


def test_package_layer_refuses_a_huge_index_part(book, monkeypatch):
    monkeypatch.setattr(limits, "MAX_PARSED_PART", 100)
    with pytest.raises(WorkbookError, match=r"delen (\[Content_Types\]\.xml|_rels/\.rels|xl/workbook\.xml) är "):
        graft(book, b"", "Halmstad.xlsx")
