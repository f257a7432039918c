"""A ledger export beyond memory (``read.stream``): read in batches and
aggregated per period and codes, it gives the figures, the tie-out and the
first error of the same file read whole.  The thresholds are lowered so that
small files take the aggregated way, in batches of a few lines."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit import api
from toolkit.errors import InputError
from toolkit.read import stream
from toolkit.read.ledger import read_ledger_sheet
from toolkit.read.workbook import Source

pytest.importorskip("pyarrow.parquet")

ROOT = Path(__file__).resolve().parents[1]


def generate():
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        return importlib.import_module("generate")
    finally:
        sys.path.remove(str(ROOT / "bench"))


WAYS: list[str] = []  # how the reads went: "aggregated" (read in batches: a result or an error) or "whole" (handed back)


@pytest.fixture
def aggregated(monkeypatch):
    """Call with True to aggregate every export, in batches of ``chunk`` bytes / ``batch`` rows."""
    read_large = stream.read_large

    def spy(*args, **kwargs):
        try:
            ledger = read_large(*args, **kwargs)
        except stream.NotCanonical:
            WAYS.append("whole")
            raise
        except InputError:
            WAYS.append("aggregated")
            raise
        WAYS.append("aggregated")
        return ledger

    monkeypatch.setattr(stream, "read_large", spy)
    WAYS.clear()

    def switch(on: bool, chunk: int = 4096, batch: int = 997) -> None:
        monkeypatch.setattr(stream, "AGGREGATE_BYTES", 0 if on else 1 << 60)
        monkeypatch.setattr(stream, "AGGREGATE_ROWS", 0 if on else 1 << 60)
        monkeypatch.setattr(stream, "CHUNK_BYTES", chunk)
        monkeypatch.setattr(stream, "BATCH_ROWS", batch)

    return switch


def both(aggregated, read):
    """read() the ordinary way and aggregated: (whole, aggregated), each a result or the error's text."""
    out = []
    for on in (False, True):
        aggregated(on)
        try:
            out.append(read())
        except InputError as exc:
            out.append(f"{exc.file}: {exc.where}: {exc}")
    return out


@pytest.mark.parametrize("form", ["csv", "parquet"])
def test_the_bench_ledger_aggregated_gives_the_figures_and_tie_out_of_every_row(tmp_path, aggregated, form):
    budget, export = generate().ensure_form(12_000, form, tmp_path)
    whole, grouped = both(aggregated, lambda: api.load(budget, utfall=export))
    assert grouped.tieout == whole.tieout
    assert grouped.tieout.rows_read == 12_000
    assert grouped.lines == whole.lines
    assert grouped.findings == whole.findings
    ledger = read_ledger_sheet(Source(export), "Utfall", 2025)  # still aggregated (the fixture's last switch)
    assert ledger.count is not None and len(ledger) < 12_000 and ledger.rows() == ledger.rows_read == 12_000


def write(path: Path, lines: list[str]) -> Path:
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8-sig"))
    return path


def rows(n: int, bad: dict[int, str] | None = None) -> list[str]:
    """A header and n rows (line k + 2 is row k); ``bad``: row k's line instead."""
    out = ["Period;Konto;Ansvar;Text;Belopp"]
    for k in range(n):
        out.append((bad or {}).get(k, f"2025{k % 12 + 1:02d};{4010 + k % 7};{100 + k % 3};rad {k};{k % 50},{k % 100:02d}"))
    return out


def ledger_of(path: Path):
    ledger = read_ledger_sheet(Source(path), "Utfall", 2025)
    key = np.column_stack([ledger.period, *(ledger.codes[d].index for d in ledger.dimensions)])
    texts = {d: ledger.codes[d].texts for d in ledger.dimensions}
    sums: dict = {}
    for k, i in enumerate(key.tolist()):
        name = (i[0], *(texts[d][c] for d, c in zip(ledger.dimensions, i[1:])))
        total, count, first = sums.get(name, (0, 0, None))
        sums[name] = (total + int(ledger.amount[k]), count + int(ledger.weights()[k]), first or ledger.where(k))
    return sums, ledger.rows_read, [note.message for note in ledger.notes]


def test_a_large_file_of_few_rows_keeps_every_row(tmp_path, aggregated, monkeypatch):
    lines = rows(3000)
    total = sum(k % 50 * 100 + k % 100 for k in range(2999))
    lines[-1] = f"Summa;;;;{total // 100},{total % 100:02d}"
    path = write(tmp_path / "export.csv", lines)
    aggregated(False)
    whole = read_ledger_sheet(Source(path), "Utfall", 2025)
    aggregated(True)
    monkeypatch.setattr(stream, "AGGREGATE_ROWS", 3000)  # read in batches, but not more rows than may be held
    batched = read_ledger_sheet(Source(path), "Utfall", 2025)
    assert WAYS == ["aggregated"] and batched.count is None and len(batched) == len(whole) == 2999
    for name in ("period", "amount", "row", "col"):
        assert (getattr(batched, name) == getattr(whole, name)).all()
    for d in whole.dimensions:
        assert batched.codes[d].values() == whole.codes[d].values()
    assert batched.notes == whole.notes and batched.rows_read == whole.rows_read


def test_groups_carry_the_exact_sum_the_rows_and_the_first_rows_position(tmp_path, aggregated):
    path = write(tmp_path / "export.csv", rows(3000))
    whole, grouped = both(aggregated, lambda: ledger_of(path))
    assert grouped == whole
    assert sum(count for _, count, _ in grouped[0].values()) == 3000
    assert WAYS == ["aggregated"]


@pytest.mark.parametrize("bad", [
    {2500: "202505;4010;100;x;12,5o"},  # an amount in a later batch
    {1800: "202513;4010;100;x;1,00", 2400: "202505;4010;100;x;nej"},  # the first in line order wins
    {1999: ";4010;100;x;5,00"},  # a row without period that ends a batch is no total row
    {2999: "Summa;;;;12,00"},  # a last row that is not the sum of every row above it
])
def test_the_first_bad_row_in_the_file_is_named_as_when_read_whole(tmp_path, aggregated, bad):
    path = write(tmp_path / "export.csv", rows(3000, bad))
    whole, grouped = both(aggregated, lambda: ledger_of(path))
    assert isinstance(whole, str) and grouped == whole
    assert f"rad {min(bad) + 2} (" in grouped  # the header is line 1: row k is line k + 2
    assert WAYS == ["aggregated"]


def test_a_total_row_is_the_sum_of_every_batch_above_it(tmp_path, aggregated):
    lines = rows(2999)
    total = sum(k % 50 * 100 + k % 100 for k in range(2999))
    lines.append(f"Summa;;;;{total // 100},{total % 100:02d}")
    path = write(tmp_path / "export.csv", lines)
    whole, grouped = both(aggregated, lambda: ledger_of(path))
    assert grouped == whole
    assert grouped[1] == 2999 and any("summan av raderna ovan" in m for m in grouped[2])
    assert WAYS == ["aggregated"]


def test_blank_lines_keep_every_rows_line_number(tmp_path, aggregated):
    lines = rows(3000, {2500: "202505;4010;100;x;nej"})
    lines.insert(300, "")
    lines.insert(1700, "")
    path = write(tmp_path / "export.csv", lines)
    whole, grouped = both(aggregated, lambda: ledger_of(path))
    assert grouped == whole and "rad 2504 (Belopp)" in grouped
    assert WAYS == ["aggregated"]


def test_a_file_the_batches_do_not_take_is_read_whole(tmp_path, aggregated):
    lines = rows(500, {300: '202503;4010;100;"x"y;7,00'})  # a quote closed inside a value
    path = write(tmp_path / "export.csv", lines)
    whole, grouped = both(aggregated, lambda: ledger_of(path))
    assert grouped == whole
    assert WAYS == ["whole"] and grouped[1] == 500


def test_values_over_several_lines_are_read_in_batches_that_end_between_records(tmp_path, aggregated):
    """Texts typed with Alt+Enter, some across the end of a 4 kB batch: each
    record whole in one batch, on the line it starts on, as read whole."""
    texts = {k: f'2025{k % 12 + 1:02d};{4010 + k % 7};{100 + k % 3};"rad {k}\r\n""forts."";\r\nslut";{k},00'
             for k in range(40, 3000, 37)}
    texts[2900] = "202505;4010;100;x;nej"  # an error below them: its line counts every line above
    path = write(tmp_path / "export.csv", rows(3000, texts))
    whole, grouped = both(aggregated, lambda: ledger_of(path))
    line = 2902 + 2 * sum(1 for k in texts if k < 2900)  # two more lines for each text above it
    assert grouped == whole and f"rad {line} (Belopp)" in grouped and line == 3058
    assert WAYS == ["aggregated"]
    del texts[2900]
    path = write(tmp_path / "export.csv", rows(3000, texts))
    whole, grouped = both(aggregated, lambda: ledger_of(path))
    assert grouped == whole and grouped[1] == 3000
    assert WAYS == ["aggregated", "aggregated"]


def record_ends(block: bytes) -> list[int]:
    """The byte after each line break that ends a record, read one byte at a
    time as the csv module reads a file: a quote where a value starts opens
    it, a doubled quote inside it is text, the next quote closes it; a quote
    inside a value that does not start with one is text."""
    ends, inside, start_of_value, i = [], False, True, 0
    while i < len(block):
        byte = block[i]
        if inside:
            if byte == 34 and block[i + 1:i + 2] == b'"':
                i += 1
            elif byte == 34:
                inside = False
        elif byte == 34 and start_of_value:
            inside = True
        elif byte == 10:
            ends.append(i + 1)
        start_of_value = not inside and byte in (10, 59)
        i += 1
    return ends


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from([b"a", b'"', b"\n", b";"]), max_size=40).map(b"".join),
       st.sampled_from([4096, 0]))
def test_a_batch_ends_after_the_last_line_break_outside_quotes(block, few):
    from toolkit.read import csvtable

    ends = record_ends(block)
    if few == 0 and block.count(b'"') > 0:  # many quotes: read by their count (a quote in the text makes it odd)
        ends = [i + 1 for i, byte in enumerate(block) if byte == 10 and block.count(b'"', 0, i) % 2 == 0]
    old = csvtable._FEW
    csvtable._FEW = few
    try:
        assert stream._record_end(block) == (ends[-1] if ends else 0)
    finally:
        csvtable._FEW = old


def test_a_quote_never_closed_hands_the_file_to_the_whole_read_at_once():
    """A quote never closed makes every line break after it look quoted: the
    batch's end is looked for no further back than a value may be long (else
    each batch would be glued to the rest of the file and scanned again)."""
    lines = b"".join(b"202501;4010;100;rad;5\r\n" for _ in range(20_000))
    with pytest.raises(stream.NotCanonical):
        stream._record_end(b'202501;4010;100;"sk\xc3\xa4rm 24;5\r\n' + lines)
    inch = b'202501;4010;100;sk\xc3\xa4rm 24";5\r\n' + lines  # a quote in the text: the lines end records
    assert stream._record_end(inch) == len(inch)
    quoted = b'202501;4010;100;"sk\xc3\xa4rm\r\n24";5\r\n' + lines  # a text over two lines
    assert stream._record_end(quoted) == len(quoted)
    assert stream._record_end(quoted + b'202501;4010;100;"a\r\nb') == len(quoted)  # a value the next batch ends


def test_a_large_file_with_an_inch_sign_in_a_text_is_read_in_batches(tmp_path, aggregated):
    path = write(tmp_path / "export.csv", rows(3000, {k: f'2025{k % 12 + 1:02d};4010;100;skärm {k}";7,00'
                                                      for k in range(5, 3000, 300)}))
    whole, grouped = both(aggregated, lambda: ledger_of(path))
    assert grouped == whole and grouped[1] == 3000
    assert WAYS == ["aggregated"]


def test_empty_lines_at_the_end_leave_the_batch_above_them_the_last(tmp_path, aggregated):
    """A batch of only empty lines is no batch: the row above them is the file's last row (a total row?)."""
    path = tmp_path / "export.csv"
    path.write_bytes(b"Period;Konto;Belopp\r\n202501;4010;1\r\n;4010;x\r\n\r\n\r\n")
    aggregated(False)
    try:
        whole = ledger_of(path)
    except InputError as exc:
        whole = f"{exc.file}: {exc.where}: {exc}"
    aggregated(True, chunk=8)
    try:
        grouped = ledger_of(path)
    except InputError as exc:
        grouped = f"{exc.file}: {exc.where}: {exc}"
    assert grouped == whole and "rad 3 (Belopp)" in grouped


def test_a_windows_1252_file_with_swedish_letters_after_the_first_batch(tmp_path, aggregated):
    lines = rows(1500, {1200: "202503;4010;100;Leverantör Åhléns;7,00"})
    path = tmp_path / "export.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    whole, grouped = both(aggregated, lambda: ledger_of(path))
    assert grouped == whole and grouped[1] == 1500
    assert WAYS == ["aggregated"]


def test_a_windows_1252_file_with_letters_in_its_codes_in_every_batch(tmp_path, aggregated):
    """Windows-1252 from the first lines on (Excel's CSV): each batch parsed as
    it is, its codes (Förv, Öst) and amounts (a non-breaking space between
    thousands, an en dash for a minus) read as the whole file reads them."""
    bad = {k: f"2025{k % 12 + 1:02d};4010;{'Förv' if k % 2 else 'Öst'};rad {k};{'–' if k % 3 else ''}{k}\u00a0000,50"
           for k in range(0, 3000, 7)}
    path = tmp_path / "export.csv"
    path.write_bytes(("\r\n".join(rows(3000, bad)) + "\r\n").encode("cp1252"))
    whole, grouped = both(aggregated, lambda: ledger_of(path))
    assert grouped == whole and grouped[1] == 3000
    assert any(name[2] == "Förv" for name in grouped[0]) and WAYS == ["aggregated"]


def test_a_parquet_export_in_batches_names_the_bad_row(tmp_path, aggregated):
    import pyarrow as pa
    import pyarrow.parquet as pq

    n = 5000
    belopp = [f"{k % 90},{k % 100:02d}" for k in range(n)]
    belopp[4321] = "tusen"
    table = pa.table({"Period": [202501 + k % 9 for k in range(n)], "Konto": [str(4010 + k % 5) for k in range(n)],
                      "Belopp": belopp})
    path = tmp_path / "export.parquet"
    pq.write_table(table, path, row_group_size=1000)
    whole, grouped = both(aggregated, lambda: ledger_of(path))
    assert grouped == whole and "rad 4323 (Belopp)" in grouped  # the names are line 1: row index 4321 is rad 4323
    assert WAYS[-1] == "aggregated"


def test_a_large_file_of_two_encodings_is_aggregated_with_the_warning_of_the_whole_read(tmp_path, aggregated):
    """Windows-1252 lines, then (in a later batch) lines of UTF-8: read in
    batches as Windows-1252, with the same warning as the file read whole."""
    lines = rows(3000)
    head = ("\r\n".join(lines[:2000]) + "\r\n").replace("rad 5;", "ört 5;").encode("cp1252")
    tail = ("\r\n".join(line.replace("rad", "öre") for line in lines[2000:]) + "\r\n").encode("utf-8")
    path = tmp_path / "export.csv"
    path.write_bytes(head + tail)
    whole, grouped = both(aggregated, lambda: ledger_of(path))
    assert grouped == whole and WAYS == ["aggregated"]
    assert [m for m in whole[2] if "teckenkodningar" in m] == [
        "filen blandar två teckenkodningar: rad 7 är Windows-1252 men rad 2001 har å, ä eller ö skrivna i UTF-8; "
        "hela filen läses som Windows-1252, så de bokstäverna blir fel (\"Ã¶\") och koder med dem matchar inte "
        "budgetens; spara filen i en enda teckenkodning"]


@pytest.mark.parametrize("tail", ["ascii", "utf-8 letters"])
def test_a_large_ascii_file_turning_windows_1252_in_a_later_batch(tmp_path, aggregated, tail):
    """ASCII lines, then a batch of Windows-1252 (and maybe UTF-8 letters
    after it): the batches read it as the whole read does, warning and all."""
    lines = rows(3000)
    head = ("\r\n".join(lines[:2500]) + "\r\n").encode("ascii")
    middle = ("\r\n".join(line.replace("rad", "röd") for line in lines[2500:2800]) + "\r\n").encode("cp1252")
    end = ("\r\n".join(line.replace("rad", "öde" if tail != "ascii" else "rad") for line in lines[2800:])
           + "\r\n").encode("utf-8")
    path = tmp_path / "export.csv"
    path.write_bytes(head + middle + end)
    whole, grouped = both(aggregated, lambda: ledger_of(path))
    assert grouped == whole and WAYS == ["aggregated"]
    said = [m for m in whole[2] if "teckenkodningar" in m]
    assert said == ([] if tail == "ascii" else [
        "filen blandar två teckenkodningar: rad 2501 är Windows-1252 men rad 2801 har å, ä eller ö skrivna i UTF-8; "
        "hela filen läses som Windows-1252, så de bokstäverna blir fel (\"Ã¶\") och koder med dem matchar inte "
        "budgetens; spara filen i en enda teckenkodning"])


def test_a_large_file_that_the_batches_do_not_take_is_read_whole_by_pyarrow(tmp_path, aggregated, monkeypatch):
    """A file of UTF-8 letters, then a Windows-1252 line (the head tells the
    encoding, a later batch breaks it): read whole, by the columnar reader,
    as Windows-1252 with the warning, not row by row."""
    from toolkit.read import csvfile

    lines = rows(3000)
    path = tmp_path / "export.csv"
    path.write_bytes(("\r\n".join(line.replace("rad", "röd") for line in lines[:2900]) + "\r\n").encode("utf-8")
                     + ("\r\n".join(lines[2900:]).replace("rad 2950", "råd 2950") + "\r\n").encode("cp1252"))
    monkeypatch.setattr(csvfile, "read_csv_grid", lambda *a: pytest.fail("read row by row"))
    monkeypatch.setattr(stream, "_HEAD_BYTES", 4096)  # the head: UTF-8 only
    aggregated(True)
    sums, read, notes = ledger_of(path)
    assert WAYS == ["whole"] and read == 3000
    assert [m.split(";")[0] for m in notes if "teckenkodningar" in m] == [
        "filen blandar två teckenkodningar: rad 2952 är Windows-1252 men rad 2 har å, ä eller ö skrivna i UTF-8"]


def test_a_large_file_of_neither_encoding_stops_as_the_whole_read_does(tmp_path, aggregated):
    """A byte that Windows-1252 does not define (0x81) in the first megabyte:
    the one-line stop of the whole read, not a decoding error from the batches."""
    lines = rows(3000)
    path = tmp_path / "export.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").replace("rad 7;", "r\x81d 7;").encode("latin-1"))
    whole, grouped = both(aggregated, lambda: ledger_of(path))
    assert grouped == whole and "teckenkodningen känns inte igen" in whole
