"""The SIE 4 export read with numpy (``read.sie_scan``) against the line reader
(``sie.read_sie_grid`` + ``read_ledger``): the same ledger — periods, öre,
codes, the dimensions' columns, each row's position (``rad N (Belopp)``),
the findings — on the real exports of ../shared/sie and on random files
written in the many ways programs write #TRANS; where the numpy reader
declines a file (an error anywhere, #PSALDO only, odd line ends) the run
reads it through the line reader and stops with its one line."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit.errors import InputError
from toolkit.read.ledger import read_ledger, read_ledger_columns, read_ledger_sheet
from toolkit.read.sie_scan import SieColumns
from toolkit.read.workbook import Source
from toolkit.read.worksheet import NotCanonical

ROOT = Path(__file__).resolve().parents[1]
SIE = next((p / "shared" / "sie" for p in (ROOT.parent, ROOT.parent.parent)
            if (p / "shared" / "sie" / "MANIFEST.tsv").is_file()), None)
needs_corpus = pytest.mark.skipif(SIE is None, reason="../shared/sie is not beside the checkout")
_names = itertools.count()


def facts(ledger) -> dict:
    return {"period": ledger.period.tolist(), "amount": ledger.amount.tolist(), "row": ledger.row.tolist(),
            "col": ledger.col.tolist(), "dimensions": ledger.dimensions, "labels": ledger.labels,
            "codes": {name: [codes.texts[i] for i in codes.index.tolist()] for name, codes in ledger.codes.items()},
            "source": ledger.source, "file": ledger.file, "rows_read": ledger.rows_read, "layout": ledger.layout,
            "headers": sorted(ledger.headers),
            "notes": [(n.slug, n.where, n.message, n.severity) for n in ledger.notes],
            "where": [ledger.locate(r, c) for r, c in zip(ledger.row.tolist(), ledger.col.tolist())]}


def line_reader(path: Path):
    """The ledger (or the stop) of the line reader."""
    try:
        return facts(read_ledger(Source(path, path.name).grid(path.stem), 2025))
    except InputError as exc:
        return ("stop", str(exc), exc.where)


def run(path: Path):
    """What a run reads: the numpy reader, the line reader where it declines."""
    try:
        return facts(read_ledger_sheet(Source(path, path.name), path.stem, 2025))
    except InputError as exc:
        return ("stop", str(exc), exc.where)


def columns(path: Path) -> dict:
    """The numpy reader alone (NotCanonical where it declines)."""
    return facts(read_ledger_columns(SieColumns(path, path.name), 2025))


def sie_files() -> list[Path]:
    return sorted(p for p in SIE.iterdir() if p.suffix.lower() in (".se", ".si", ".sie")) if SIE else []


@needs_corpus
@pytest.mark.parametrize("path", sie_files(), ids=lambda p: p.name)
def test_the_real_exports_read_the_same(path):
    expected = line_reader(path)
    assert run(path) == expected
    if b"#TRANS" in path.read_bytes():  # SIE 4: every one of them is read with numpy
        assert columns(path) == expected
    else:  # period balances only: the line reader's
        with pytest.raises(NotCanonical):
            columns(path)


# ------------------------------------------------------------------------------------------------
# files written in the many ways programs write them

HEAD = ["#FLAGGA 0", "#FORMAT PC8", "#SIETYP 4", '#PROGRAM "Test" 1.0', "#RAR 0 20250101 20251231",
        '#DIM 1 "Ansvar"', '#DIM 6 "Projekt"', '#UNDERDIM 21 "Enhet" 1', '#DIM 20 "Verksamhet"']
ACCOUNTS = ["3010", "4010", "5011", "6110", "8999", "1930", "2440", "7010", '"5012"', "40101", "K5011"]
OBJECTS = ["{}", "{ }", '{1 "410"}', '{1 "410" 6 "P1"}', '{21 "4101"}', "{1 420}", '{6 "P 2"}', '{1 "41}0"}',
           '{1 "x\\"y"}', '{20 "Öst"}']
BAD_OBJECTS = ['{1 "410"', '1 "410"}', "{1}"]
AMOUNTS = ["100.00", "-250.50", "12", "0.5", "1234567.89", "-0.01", "007.10"]
BAD_AMOUNTS = ["1.234", "1,50", "abc", "99999999999999.00", "+5", ".5", "5.", "--1", "1e3"]
DATES = ["", "20250115", '"20250203"', '""', "20251231", "20240601", "{}", "20250115\xa0", '"x"']
BAD_DATES = ["2025-01-15", "0", "2025011", "202501150", '"2025011"', "123456789012345678901234"]
TAILS = ["", ' "Text"', ' "Lön åäö" 1.00', " \t", ' "a \\" b"', ' "{x}"']


@st.composite
def trans_line(draw, messy: bool) -> str:
    def pick(good, bad):
        return draw(st.sampled_from(good + bad)) if messy else draw(st.sampled_from(good))

    sep = draw(st.sampled_from([" ", " ", "  ", "\t"]))
    label = draw(st.sampled_from(["#TRANS", "#TRANS", "#TRANS", "#trans", "#Trans"]))
    indent = draw(st.sampled_from(["", "   ", "\t", "  \t", "\xa0"]))
    parts = [label, draw(st.sampled_from(ACCOUNTS)), pick(OBJECTS, BAD_OBJECTS), pick(AMOUNTS, BAD_AMOUNTS)]
    date = pick(DATES, BAD_DATES)
    return indent + sep.join(parts) + (sep + date if date else "") + draw(st.sampled_from(TAILS))


@st.composite
def sie_file(draw) -> bytes:
    messy = not draw(st.integers(0, 3))  # a quarter of the files may have errors
    lines = list(HEAD)
    if draw(st.booleans()):
        lines.append("#KTYP 7010 T")
    if draw(st.booleans()):
        lines.append("#KTYP 6110 X")
    if draw(st.booleans()):
        lines.append("#RES 0 3010 -100.00")
    for v in range(draw(st.integers(1, 6))):
        date = draw(st.sampled_from(["20250110", "20250220", "20241215"] + (["", "2025-03-01"] if messy else [])))
        lines.append(f'#VER A {v + 1} {date} "Ver {v}"' if date else f"#VER A {v + 1}")
        if not messy or draw(st.integers(0, 20)):  # rarely no {
            lines.append(draw(st.sampled_from(["{", "{", " {", "{ "])))
        lines += draw(st.lists(trans_line(messy), min_size=0, max_size=5))
        if not messy or draw(st.integers(0, 30)):  # rarely not closed
            lines.append("}")
        if messy and not draw(st.integers(0, 30)):
            lines.append(draw(st.sampled_from(["{", "}", "} x", "#VER B 1 20250101"])))
    end = draw(st.sampled_from(["\r\n", "\n"]))
    text = end.join(lines) + draw(st.sampled_from([end, "", end + end]))
    encoding = draw(st.sampled_from(["cp437", "utf-8"]))
    return text.encode(encoding, "replace")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(sie_file())
def test_random_files_read_the_same(tmp_path, data):
    path = tmp_path / f"e{next(_names)}.se"
    path.write_bytes(data)
    assert run(path) == line_reader(path)


def test_the_common_forms_are_read_with_numpy(tmp_path):
    """Quoted and unquoted dates, tabs, CR LF, lower case, objects with spaces, texts after the date: no line reader."""
    lines = [*HEAD, '#VER A 1 20250110 "x"', "{", '   #TRANS 3010 {1 "410" 6 "P1"} -100.00 20250115 "Avgift"',
             '\t#trans\t4010\t{}\t50.5\t""\t"Text"', '   #TRANS 5011 {21 "4101"} 12 "20250203"',
             "   #TRANS 8999 {} 37.50", "   #TRANS 1930 {} 1.234", "}"]
    path = tmp_path / "e.se"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp437"))
    got = columns(path)
    assert got == line_reader(path)
    assert got["period"] == [202501, 202501, 202502]
    assert got["amount"] == [-10000, 5050, 1200]
    assert got["where"] == ["rad 12 (Belopp)", "rad 13 (Belopp)", "rad 14 (Belopp)"]
    assert got["codes"]["ansvar"] == ["410", "", "4101"]  # 21 is a sub-dimension of 1
    assert [n[0] for n in got["notes"]] == ["arets-resultat"]


@pytest.mark.parametrize("bad", [False, True])
def test_a_file_scanned_in_many_pieces_reads_as_in_one(tmp_path, monkeypatch, bad):
    """Pieces are scanned two at a time: each keeps its lines' numbers, and the first bad line is the one named."""
    from toolkit.read import sie_scan

    lines = [*HEAD]
    for v in range(60):
        lines += [f'#VER A {v + 1} 2025{1 + v % 12:02d}10 "Ver {v}"', "{"]
        lines += [f'   #TRANS {acc} {{1 "4{v % 7}0"}} {v * 10 + k}.{k:02d}' for k, acc in enumerate(["3010", "4010",
                                                                                                      "5011"])]
        lines.append("}")
    if bad:
        lines[len(lines) * 2 // 3] = "   #TRANS 3010 {} 12,50"
        lines[len(lines) - 5] = "   #TRANS 3010 {} x"
    path = tmp_path / "e.se"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp437"))
    whole = run(path)
    monkeypatch.setattr(sie_scan, "CHUNK", 256)
    assert len(path.read_bytes()) > 30 * 256
    pieces = run(path)
    assert pieces == whole == line_reader(path)
    if bad:
        assert pieces[0] == "stop" and pieces[2] == f"rad {len(lines) * 2 // 3 + 1} (Belopp)"
    else:
        assert len(pieces["amount"]) == 180


@pytest.mark.parametrize("line, message", [
    ("   #TRANS 3010 {} 12,50 20250115", '"12,50" är inte ett belopp'),
    ("   #TRANS 3010 {} 100 0", "transaktionen saknar datum (ÅÅÅÅMMDD) och verifikationen har inget"),
    ('   #TRANS 3010 {1 "410" 100 20250115', 'objektlistan "{1 "410" 100 20250115" saknar avslutande }'),
])
def test_a_bad_line_stops_with_the_line_readers_message(tmp_path, line, message):
    lines = [*HEAD, '#VER A 1 20250110 "x"', "{", "   #TRANS 4010 {} 5.00", line, "}"]
    path = tmp_path / "e.se"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp437"))
    with pytest.raises(NotCanonical):
        columns(path)
    outcome = run(path)
    assert outcome == line_reader(path)
    assert outcome[0] == "stop" and message in outcome[1]


@settings(max_examples=200, deadline=None)
@given(pieces=st.lists(st.tuples(st.sampled_from([b"", b"1 42020", b'1 "42020" 6 "P1"', b"6 P1", b"20 420",
                                                  b'1 "42020" 6 "P1" 20 "420" 7 "a long object list"']),
                                 st.binary(max_size=3)), min_size=1, max_size=30))
def test_object_lists_are_told_apart_by_their_bytes_to_the_file_s_last_byte(pieces):
    """Each row's object list (a slice of the file) gets the index of its
    distinct bytes, in the order first seen — the last slice may end at the
    file's last byte (no room for an eight-byte read after it)."""
    import numpy as np

    from toolkit.read.sie_scan import _lists

    data, start, length = b"", [], []
    for text, gap in pieces:
        data += gap
        start.append(len(data))
        length.append(len(text))
        data += text
    index, distinct = _lists(data, np.array(start, dtype=np.int64), np.array(length, dtype=np.int64))
    rows = [data[s:s + n] for s, n in zip(start, length)]
    assert [distinct[i] for i in index.tolist()] == rows
    assert sorted(distinct) == sorted(set(rows))


def test_two_object_lists_of_one_hash_are_told_apart_by_their_bytes():
    """Two 16-byte lists made to share the 64-bit hash: the bytes are
    compared, and the scanner hands the file to the line reader."""
    import numpy as np

    from toolkit.read.sie_scan import _lists

    prime, full = 1099511628211, (1 << 64) - 1

    def mix(w: int) -> int:
        return w ^ (w >> 29)

    def unmix(y: int) -> int:
        return y ^ (y >> 29) ^ (y >> 58)

    w0, w1 = int.from_bytes(b'1 "4202', "little"), int.from_bytes(b'0" 6 "P1', "little")
    v0, v1 = unmix((mix(w0) + 1) & full), unmix((mix(w1) - prime) & full)
    assert (mix(v0) * prime + mix(v1)) & full == (mix(w0) * prime + mix(w1)) & full
    one, other = w0.to_bytes(8, "little") + w1.to_bytes(8, "little"), v0.to_bytes(8, "little") + v1.to_bytes(8, "little")
    data = one + b"\n" + other + b"\n" + one + b"\n"
    with pytest.raises(NotCanonical, match="one hash"):
        _lists(data, np.array([0, 17, 34], dtype=np.int64), np.array([16, 16, 16], dtype=np.int64))
    index, distinct = _lists(data, np.array([0, 34], dtype=np.int64), np.array([16, 16], dtype=np.int64))
    assert index.tolist() == [0, 0] and distinct == [one]
