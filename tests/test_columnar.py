"""Every ledger source gives the same columnar table to the one rule set.

- A CSV export parsed by pyarrow (``CsvTable``) gives the ledger the
  row-by-row csv reader gives (``read_csv_grid`` → ``GridTable``), field for
  field and error for error, on every form the Swedish rules accept; files
  the columnar parser does not take are handed to the row-by-row reader.
- A Parquet export (``ParquetTable``) gives the ledger of the same rows as a
  CSV export, from text, integer, float and decimal columns; positions are
  ``rad N``, the column names being line 1.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from workbook_factory import small_workbook

from toolkit.cli import main
from toolkit.errors import InputError
from toolkit.read.csvfile import read_csv_grid
from toolkit.read.ledger import read_ledger, read_ledger_columns, read_ledger_sheet
from toolkit.read.workbook import Source
from toolkit.read.worksheet import NotCanonical

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

from toolkit.read.csvtable import CsvTable  # noqa: E402


def fields(ledger) -> dict:
    """Everything a ledger holds that the rules and messages use."""
    return {
        "period": ledger.period.tolist(), "amount": ledger.amount.tolist(), "row": ledger.row.tolist(),
        "col": ledger.col.tolist(), "dimensions": list(ledger.dimensions), "labels": dict(ledger.labels),
        "codes": {d: [ledger.codes[d].texts[i] for i in ledger.codes[d].index.tolist()] for d in ledger.dimensions},
        "layout": ledger.layout, "headers": sorted(ledger.headers), "source": ledger.source, "file": ledger.file,
        "notes": [(n.slug, n.where, n.message, n.severity) for n in ledger.notes],
        "where": [ledger.locate(r, c) for r, c in zip(ledger.row.tolist()[:50], ledger.col.tolist()[:50])],
    }


def outcome(read):
    try:
        return fields(read())
    except InputError as exc:
        return ("stop", str(exc), exc.where)


def both(path: Path, year: int | None = 2025, wanted: set[str] | None = None):
    """(columnar, row by row) for the CSV file at ``path``; the columnar one must take the file."""
    fast = outcome(lambda: read_ledger_columns(CsvTable.open(path, path.name), year, wanted))
    slow = outcome(lambda: read_ledger(read_csv_grid(path, path.name), year, wanted))
    return fast, slow


BOM = "\ufeff"
FORMS = {
    "swedish export": BOM + "Period;Konto;Ansvar;Text;Belopp\r\n202501;4010;100;Hyra jan;-1 234,50\r\n"
                            "202502;4010;100;Hyra feb;1 234 567,5\r\n202503;3010;0200;Avgift;12,\r\n",
    "nbsp and narrow spaces, trailing and unicode minus": "Period;Konto;Belopp\n202501;4010;1\u00a0234,50-\n"
                                                          "202502;4010;\u22121\u202f000\n202503;4010;7.25\n",
    "title lines above the header, blank lines, a row of separators": (
        "Huvudbok;;\nUttag 2025-11-03;;\n\nPeriod;Konto;Belopp\n202501;4010;100\n\n;;\n202502;4020;-5,5\n"),
    "separators at the end of every line": "Period;Konto;Belopp;;\n202501;4010;100;;\n202502;4020;200;;\n",
    "quoted values with separators and quotes": ('Period;Konto;Text;Belopp\n202501;"4010";"A;B ""x""";"1 000,00"\n'
                                                 '"202502";4020;"";"-3"\n'),
    "an error value in a column not read, and alone on a row": "Period;Konto;Text;Belopp\n202501;4010;#N/A;5\n"
                                                               ";;#SAKNAS!;\n202502;4010;x;6\n",
    "tab separated": "Period\tKonto\tBelopp\n2025-01\t4010\t1,5\n2025-02\t4020\t2\n",
    "comma separated, quoted decimal commas": 'Period,Konto,Belopp\n202501,4010,"1,50"\n202502,4020,"-2,25"\n',
    "amounts only the one-by-one rules read": "Period;Konto;Belopp\n202501;4010;1.234,50\n202502;4010;(12)\n"
                                              "202503;4010;12 kr\n202504;4010;+7\n202505;4010;1,005\n",
    "År column and bare months": "År;Period;Konto;Belopp\n2024;12;4010;1\n;1;4010;2\n2025;2;4010;3\n",
    "a total row": "Period;Konto;Belopp\n202501;4010;100\n202502;4010;50\nSumma;;150\n",
    "a monthly matrix": "Konto;Ansvar;Jan;Feb;Mar\n4010;100;1 000;;-5\n4020;;2,5;3;\n;;1 002,5;3;-5\n",
    "dimension codes with zeros and spaces": "Period;Konto;Ansvar;Belopp\n202501; 0123 ;0200;1\n202501;123;200;2\n",
    "a date column with the period": "Bokföringsdatum;Period;Konto;Belopp\n2025-01-05;202501;4010;1\n",
    "a bad amount": "Period;Konto;Belopp\n202501;4010;1\n202502;4010;12,3,4\n202503;4010;x\n",
    "a bad period before a bad amount": "Period;Konto;Belopp\n202501;4010;1\n2025-13;4010;y\n",
    "a row without period": "Period;Konto;Belopp\n202501;4010;1\n;4010;2\n202502;4010;3\n",
    "an error value in a cell that is read": "Period;Konto;Belopp\n202501;4010;1\n202502;#REF!;2\n",
    "an amount too large": "Period;Konto;Belopp\n202501;4010;1\n202502;4010;99999999999999999\n",
    "an empty ledger": "Period;Konto;Belopp\n",
    "CRLF, blank lines, a bad amount below them": "Period;Konto;Belopp\r\n202501;4010;1\r\n\r\n\r\n202502;4010;x\r\n",
    "blank lines at the end": "Period;Konto;Belopp\n202501;4010;1\n202502;4010;2\n\n\n",
    "no line break after the last line": "Period;Konto;Belopp\r\n202501;4010;1\r\n202502;4010;2",
    "only blank lines below the header": "Period;Konto;Belopp\n\n\n",
    "text alone in a column not read": "Period;Konto;Text;Belopp\n202501;4010;x;5\n;;bara text;\n202502;4010;y;6\n",
    "a quote inside a value that does not start with one (an inch sign)": (
        'Period;Konto;Text;Belopp\n202501;4010;skärm 24";5\n202502;4010;24" och 27";6\n202503;4010;a"";7\n'),
    "a line over half the field limit (every column parsed and measured)": (
        "Period;Konto;Text;Belopp\n202501;4010;" + "x" * 100_000 + ";5\n" + "202502;4010;y;-1 000,50\n" * 3),
}


@pytest.mark.parametrize("text", FORMS.values(), ids=FORMS.keys())
def test_the_columnar_csv_reader_gives_the_row_by_row_ledger(tmp_path, text):
    path = tmp_path / "export.csv"
    path.write_text(text, encoding="utf-8", newline="")
    fast, slow = both(path)
    assert fast == slow


@pytest.mark.parametrize("text", FORMS.values(), ids=FORMS.keys())
def test_an_amount_column_read_in_halves_reads_as_whole(tmp_path, monkeypatch, text):
    from toolkit.read import arrowcols

    path = tmp_path / "export.csv"
    path.write_text(text, encoding="utf-8", newline="")
    whole = both(path)[0]
    monkeypatch.setattr(arrowcols, "_SPLIT", 2)  # every column of two or more rows in halves, down to one row
    assert both(path)[0] == whole


@pytest.mark.parametrize("encoding", ["cp1252", "utf-16", "utf-16-le", "utf-8"])
def test_every_accepted_encoding_is_read_alike(tmp_path, encoding):
    path = tmp_path / "export.csv"
    path.write_text("Bokföringsperiod;Konto;Text;Belopp\n202501;4010;Hyra för Växjö;-1 234,50\n"
                    "202502;4020;Ränta;3\n", encoding=encoding, newline="")
    fast, slow = both(path)
    assert fast == slow
    assert fast["amount"] == [-123450, 300]


def test_a_byte_that_is_not_utf8_far_below_the_first_lines_is_read_as_the_row_by_row_reader_reads_it(tmp_path):
    # pyarrow checks only the columns it converts: Text is not one of them, and the first lines are UTF-8
    lines = b"Period;Ansvar;Text;Belopp\n" + "202501;Försäljning;Hyra;100\n".encode() * 40
    path = tmp_path / "export.csv"
    path.write_bytes(lines + b"202502;4010;Hyra f\xf6r lokal;5\n")  # an ö as Windows-1252 writes it
    fast, slow = both(path)
    assert fast == slow  # the whole file as Windows-1252, as the row-by-row reader decodes it
    assert fast["codes"]["ansvar"][0] == "FÃ¶rsÃ¤ljning"
    path.write_bytes(b"\xef\xbb\xbf" + lines + b"202502;4010;Hyra f\xf6r lokal;5\n")  # after a BOM: refused
    with pytest.raises(NotCanonical):
        CsvTable.open(path, path.name)
    refused = outcome(lambda: read_ledger_sheet(Source(path, path.name), "export", 2025))
    assert refused == outcome(lambda: read_ledger(read_csv_grid(path, path.name), 2025))
    assert refused[0] == "stop" and "inte UTF-8" in refused[1]


def test_wanted_dimension_columns_are_read_alike(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("Period;Konto;Kundnr;Belopp\n202501;4010;K1;1\n202502;4020;K2;2\n", encoding="utf-8")
    fast, slow = both(path, wanted={"kundnr"})
    assert fast == slow and fast["codes"]["kundnr"] == ["K1", "K2"]


IRREGULAR = {
    "a value over two lines in a title line": '"Huvudbok 2025\nhela året"\nPeriod;Konto;Text;Belopp\n202501;4010;x;5\n',
    "a header over two lines": 'Period;Konto;"Text\nrad";Belopp\n202501;4010;x;5\n',
    "a line with fewer fields": "Period;Konto;Text;Belopp\n202501;4010;x;5\n202502;4010\n",
    "a line with more fields": "Period;Konto;Belopp\n202501;4010;5\n202502;4010;6;7\n",
    "a line ending in a lone CR": "Period;Konto;Belopp\r202501;4010;5\r",
    "a lone CR inside a line of a CRLF file": "Period;Konto;Belopp\r\n202501;4010;5\r\n202502;40\r20;6\r\n",
    "a value over 128 kB below the first lines": ("Period;Konto;Text;Belopp\n" + "202501;4010;x;5\n" * 40
                                                  + "202501;4010;" + "x" * 140_000 + ";5\n"),
    "a quote closed inside a value": 'Period;Konto;Text;Belopp\n202501;4010;"x"y;5\n',
    "a quote never closed": 'Period;Konto;Text;Belopp\n202501;4010;"x;5\n202502;4010;y;6\n',
    "a header the rules refuse": "Period;Konto;Belopp;Belopp\n202501;4010;5;6\n",
}


def handed_to_the_row_by_row_reader(path: Path):
    """The columnar reader refuses the file, and read through its Source it
    gives what the row-by-row reader gives (returned: a ledger's fields or a stop)."""
    with pytest.raises(NotCanonical):
        read_ledger_columns(CsvTable.open(path, path.name), 2025)
    via_source = outcome(lambda: read_ledger_sheet(Source(path, path.name), "export", 2025))
    assert via_source == outcome(lambda: read_ledger(read_csv_grid(path, path.name), 2025))
    return via_source


@pytest.mark.parametrize("text", IRREGULAR.values(), ids=IRREGULAR.keys())
def test_an_irregular_file_goes_to_the_row_by_row_reader(tmp_path, text):
    path = tmp_path / "export.csv"
    path.write_text(text, encoding="utf-8", newline="")
    handed_to_the_row_by_row_reader(path)


def below_the_head(rows: str, newline: str = "\n") -> str:
    """A file whose first 40 rows are plain, then ``rows`` (the head — the
    lines the csv module reads to find the separator and header — has no
    value over several lines)."""
    plain = "".join(f"2025{k % 12 + 1:02d};4010;100;rad {k};{k},50{newline}" for k in range(40))
    return f"Period;Konto;Ansvar;Text;Belopp{newline}" + plain + rows


SPANNING = {
    "a text over two lines (CRLF)": below_the_head('202503;4010;100;"Arvode\r\nnämnd";7,00\r\n'
                                                   "202504;4010;100;x;8\r\n", "\r\n"),
    "a text over three lines with quotes, a separator and an empty line in it": below_the_head(
        '202503;4010;100;"rad ett ""x"";\n\nrad tre";7\n202504;4010;100;x;8\n'),
    "texts over several lines, one after the other": below_the_head(
        '202503;4010;100;"a\nb";1\n202503;4010;100;"c\nd\ne";2\n202504;4010;100;"";3\n'
        '202505;4010;100;"f\ng";4\n'),
    "a code over two lines": below_the_head('202503;4010;"10\n0";x;7\n202504;4010;100;x;8\n'),
    "an amount quoted over two lines": below_the_head('202503;4010;100;x;"7\n"\n202504;4010;100;x;8\n'),
    "a bad amount below a text over two lines": below_the_head('202503;4010;100;"a\nb";7\n202504;4010;100;x;nej\n'),
    "blank lines around a text over two lines": below_the_head('\n202503;4010;100;"a\nb";7\n\n\n202504;4010;100;x;8\n'),
    "the last line over two lines, no line break at the end": below_the_head('202503;4010;100;"a\nb";7'),
    "a value over two lines in the first row": 'Period;Konto;Text;Belopp\n202501;4010;"rad ett\nrad två";5\n'
                                               '202502;4010;x;6\n',
    "a value over the last of the first lines": (
        "Period;Konto;Text;Belopp\n" + "202501;4010;x;5\n" * 29 + '202502;4010;"a\nb\nc\nd";6\n202503;4010;x;nej\n'),
}


@pytest.fixture(params=["one by one", "by mask"])
def quotes_found(request, monkeypatch):
    """Quotes and line breaks found with bytes.find (a file of few) or with a numpy mask (of many)."""
    from toolkit.read import csvtable

    if request.param == "by mask":
        monkeypatch.setattr(csvtable, "_FEW", 0)


@pytest.mark.parametrize("text", SPANNING.values(), ids=SPANNING.keys())
def test_a_value_over_several_lines_is_read_by_the_columnar_reader_on_the_line_it_starts(tmp_path, text,
                                                                                        quotes_found):
    path = tmp_path / "export.csv"
    path.write_text(text, encoding="utf-8", newline="")
    fast, slow = both(path)
    assert fast == slow


def test_a_text_over_two_lines_keeps_the_line_numbers_below_it(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(below_the_head('202503;4010;100;"a\r\nb";7\r\n202504;4010;100;x;nej\r\n', "\r\n"),
                    encoding="utf-8", newline="")
    fast, slow = both(path)
    assert fast == slow and fast[0] == "stop" and fast[2] == "rad 44 (Belopp)"  # 1 header + 40 rows + 2 lines + 1


SPANNING_REFUSED = {
    "a quote never closed": below_the_head('202503;4010;100;"a\nb;7\n202504;4010;100;x;8\n'),
    "a quote that swallows lines of the table": below_the_head(
        '202503;4010;100;"a;7\n202504;4010;100;x";8\n202505;4010;100;x;9\n'),
    "a value over several lines and 128 kB": below_the_head('202503;4010;100;"' + "x\n" * 70_000 + '";7\n'),
    "a quote closed inside a value": below_the_head('202503;4010;100;"a\nb"c;7\n'),
    "a quote opened inside a value": below_the_head('202503;4010;100;a"b\nc";7\n'),
}


@pytest.mark.parametrize("text", SPANNING_REFUSED.values(), ids=SPANNING_REFUSED.keys())
def test_quotes_over_several_lines_that_the_readers_could_read_apart_go_to_the_row_by_row_reader(tmp_path, text,
                                                                                                quotes_found):
    path = tmp_path / "export.csv"
    path.write_text(text, encoding="utf-8", newline="")
    handed_to_the_row_by_row_reader(path)


TEXT = st.lists(st.sampled_from(["a", " ", ";", '"', "\n", "\r\n", "å", "#N/A"]), max_size=8).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(st.tuples(TEXT, TEXT), min_size=1, max_size=8), newline=st.sampled_from(["\n", "\r\n"]))
def test_any_file_the_csv_module_writes_is_read_alike_and_taken_unless_a_value_holds_a_line(tmp_path, texts,
                                                                                          newline, quotes_found):
    """Texts with quotes, separators and line breaks, as csv.writer quotes them,
    in a code column and a text column: the columnar reader gives the
    row-by-row reader's ledger, and takes the file unless a value over several
    lines holds a line's worth of separators."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator=newline)
    for k in range(40):
        writer.writerow([f"2025{k % 12 + 1:02d}", "4010", "100", f"rad {k}", f"{k},50"])
    for k, (code, text) in enumerate(texts):
        writer.writerow([f"2025{k % 12 + 1:02d}", "4010", code or "1", text, f"{k}"])
    path = tmp_path / "export.csv"
    path.write_text("Period;Konto;Ansvar;Text;Belopp" + newline + out.getvalue(), encoding="utf-8", newline="")
    slow = outcome(lambda: read_ledger(read_csv_grid(path, path.name), 2025))
    swallowing = any(("\n" in v or "\r" in v) and v.count(";") >= 4 for pair in texts for v in pair)
    try:
        fast = outcome(lambda: read_ledger_columns(CsvTable.open(path, path.name), 2025))
    except NotCanonical:
        assert swallowing
        return
    assert fast == slow


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.lists(st.sampled_from([b"a", b";", b"\n", b"\r", b"\r\n", b"\xc3\xa5"]), max_size=60).map(b"".join),
       start=st.integers(0, 3), scan=st.sampled_from([1, 2, 3, 7, 64]))
def test_line_breaks_are_counted_and_a_lone_cr_found_across_the_scans_slices(body, start, scan, monkeypatch):
    from toolkit.read import csvtable

    monkeypatch.setattr(csvtable, "_SCAN", scan)  # slices of a few bytes: a CR at every edge of one
    rest = body[start:]
    lone = any(byte == 13 and rest[i + 1:i + 2] != b"\n" for i, byte in enumerate(rest))
    assert csvtable._line_breaks(body, start) == (rest.count(b"\n"), lone)


def test_a_file_of_two_encodings_is_read_as_windows_1252_with_a_warning_by_both_readers(tmp_path):
    """Lines of Windows-1252 and lines of UTF-8 in one file (two exports put
    together): read as Windows-1252, as the file is not UTF-8 throughout, and
    said, with the first line of each, as the UTF-8 letters come out wrong."""
    path = tmp_path / "export.csv"
    path.write_bytes("Period;Konto;Ansvar;Belopp\r\n202501;4010;Förv;5\r\n".encode("cp1252")
                     + "202502;4010;Förv;6\r\n202503;4010;Öst;7\r\n".encode())
    fast, slow = both(path)
    assert fast == slow
    assert fast["codes"]["ansvar"] == ["Förv", "FÃ¶rv", "Ã–st"]
    assert fast["notes"] == [("teckenkodning-blandad", "export.csv: rad 2",
                              "filen blandar två teckenkodningar: rad 2 är Windows-1252 men rad 3 har å, ä eller ö "
                              "skrivna i UTF-8; hela filen läses som Windows-1252, så de bokstäverna blir fel (\"Ã¶\") "
                              "och koder med dem matchar inte budgetens; spara filen i en enda teckenkodning",
                              "varning")]
    for clean_file in ("Förv".encode("cp1252"), "Förv".encode()):  # one encoding: no word of it
        path.write_bytes(b"Period;Konto;Ansvar;Belopp\r\n202501;4010;" + clean_file + b";5\r\n")
        fast, slow = both(path)
        assert fast == slow and fast["notes"] == []


AMOUNT_TEXT = st.one_of(
    st.integers(-10**13, 10**13).map(lambda ore: f"{'-' if ore < 0 else ''}{abs(ore) // 100:,},{abs(ore) % 100:02d}"
                                     .replace(",", " ", f"{abs(ore) // 100:,}".count(","))),
    st.integers(-10**6, 10**6).map(str),
    st.decimals(-10**6, 10**6, places=3).map(lambda d: str(d).replace(".", ",")),
    st.tuples(st.integers(0, 10**12), st.sampled_from(["", ",", ",5", ",05", ".75"]))  # a trailing minus
      .map(lambda t: f"{t[0]}{t[1]}-"),
    st.sampled_from(["", " ", "12-", "-12-", "1 234,50-", "\u22125", "1.234,50", "(3)", "kr", "#N/A", "1e3",
                     "0-", "5,-", "100-", "999999999999,99-", "0,005", ",5", "12,", "+4", "- 3", "1\u00a0000"]),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(amounts=st.lists(AMOUNT_TEXT, min_size=1, max_size=12), codes=st.lists(st.sampled_from(
    ["4010", "0123", " 4010", "A-1", "", "#REF!", "6540.0", "Förv", "€ 1", "–"]), min_size=12, max_size=12),
    encoding=st.sampled_from(["utf-8", "cp1252"]))
def test_random_amounts_and_codes_are_read_alike(tmp_path, amounts, codes, encoding):
    path = tmp_path / "random.csv"
    lines = ["Period;Konto;Belopp"] + [f"2025{k % 12 + 1:02d};{codes[k]};{a}" for k, a in enumerate(amounts)]
    text = "\n".join(lines) + "\n"
    path.write_bytes(text.encode(encoding, errors="replace"))  # (a character Windows-1252 lacks: a ?)
    fast, slow = both(path)
    assert fast == slow


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(st.lists(st.sampled_from(["a", " ", '"', "å", "1"]), max_size=6).map("".join), min_size=1,
                      max_size=8))
def test_quotes_written_as_they_come_are_read_alike_or_handed_on(tmp_path, texts, quotes_found):
    """Texts written without any quoting of their own (a quote may start one,
    stand inside one, or be doubled): the columnar reader gives what the
    row-by-row reader gives, or hands the file to it."""
    path = tmp_path / "export.csv"
    path.write_text(below_the_head("".join(f"202503;4010;100;{t};{k}\n" for k, t in enumerate(texts))),
                    encoding="utf-8", newline="")
    slow = outcome(lambda: read_ledger(read_csv_grid(path, path.name), 2025))
    try:
        fast = outcome(lambda: read_ledger_columns(CsvTable.open(path, path.name), 2025))
    except NotCanonical:
        return
    assert fast == slow


def test_a_windows_1252_file_is_parsed_as_it_is_and_its_columns_read_as_text(tmp_path):
    """Excel's own CSV on a Swedish Windows: Windows-1252, amounts with a
    non-breaking space between thousands, an en dash for a minus, € and
    å ä ö in codes — parsed without turning the file into UTF-8 first, each
    column read turned into text as the row-by-row reader decodes it."""
    rows = "".join(f"2025{k % 12 + 1:02d};Förv {k % 3};€{k % 2};rad {k} – åäö;{k}\u00a0234,50\r\n" for k in range(40))
    text = ("Period;Ansvar;Projekt;Text;Belopp\r\n" + rows + '202503;Öst;€;"två\r\nrader";\u2013 1\u00a0000\r\n'
            "202504;Väst;x;y;–7,5\r\n202505;Väst;x;y;12,5ä\r\n")
    path = tmp_path / "export.csv"
    path.write_bytes(text.encode("cp1252"))
    assert CsvTable.open(path, path.name)._encoding == "cp1252"
    fast, slow = both(path)
    assert fast == slow and fast[0] == "stop" and "12,5ä" in fast[1]
    path.write_bytes(text.rsplit("202505", 1)[0].encode("cp1252"))
    fast, slow = both(path)
    assert fast == slow
    assert fast["amount"][-2:] == [-100000, -750] and fast["amount"][0] == 23450
    assert fast["codes"]["ansvar"][-2:] == ["Öst", "Väst"] and fast["codes"]["projekt"][-2] == "€"
    assert fast["row"][-2:] == [41, 43]


def test_a_ragged_windows_1252_line_is_refused_without_a_word_on_stderr(tmp_path, capfd):
    path = tmp_path / "export.csv"
    path.write_bytes(b"Period;Konto;Text;Belopp\n" + b"202501;4010;R\xe4nta;5\n" * 40 + b"202502;4010;R\xe4nta\n")
    assert handed_to_the_row_by_row_reader(path)[0] == "stop"
    assert capfd.readouterr().err == ""


def test_a_file_of_a_byte_windows_1252_lacks_stops_as_the_row_by_row_reader_stops(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(b"Period;Konto;Belopp\n202501;F\xf6rv;5\n202502;\x81;6\n")
    fast, slow = both(path)
    assert fast == slow and fast[0] == "stop" and "teckenkodningen" in fast[1]


def test_every_form_of_a_minus_is_read_as_the_row_by_row_rules_read_it(tmp_path):
    """A minus first or last, with and without decimals (read on the column's bytes): as ``parse_decimal`` reads it."""
    forms = ["12-", "-12", "0-", "100-", "5,-", "5,1-", "5,12-", "-5,1", "1 234-", "1 234,50-", "999999999999,99-",
             "-999999999999,99", "7.5-", "-7."]
    path = tmp_path / "minus.csv"
    path.write_text("Period;Konto;Belopp\n" + "".join(f"202501;4010;{a}\n" for a in forms), encoding="utf-8")
    fast, slow = both(path)
    assert fast == slow
    assert fast["amount"][:7] == [-1200, -1200, 0, -10000, -500, -510, -512]
    for bad in ("--1", "1-1", "-1-"):  # not an amount: both stop at the same line
        path.write_text(f"Period;Konto;Belopp\n202501;4010;1\n202502;4010;{bad}\n", encoding="utf-8")
        fast, slow = both(path)
        assert fast == slow and fast[0] == "stop"


def test_a_column_of_empty_amounts_is_read_alike(tmp_path):
    """Every Belopp empty: the column's data buffer is empty (found by the random test above)."""
    path = tmp_path / "empty.csv"
    path.write_text("Period;Konto;Belopp\n202501;4010;\n202502;4010;\n", encoding="utf-8")
    fast, slow = both(path)
    assert fast == slow


def test_the_bench_export_is_taken_by_the_columnar_reader(tmp_path):
    """The generated Swedish export (BOM, CRLF, space thousands) is regular: no row-by-row fallback."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    try:
        import generate
    finally:
        sys.path.pop(0)
    path = tmp_path / "ledger.csv"
    generate.write_csv(path, 2000)
    fast, slow = both(path)
    assert fast == slow and len(fast["amount"]) == 2000
    generate.write_csv(path, 2000, quoted=True)  # texts in quotes, one in 20 over two lines
    assert path.read_bytes().count(b"\r\nenligt avtal") == 100
    fast, slow = both(path)
    assert fast == slow and len(fast["amount"]) == 2000 and fast["row"][-1] == 2000 + 100
    generate.write_csv(path, 2000, excel=True)  # Excel's CSV: Windows-1252, non-breaking spaces in amounts
    assert CsvTable.open(path, path.name)._encoding == "cp1252" and b"\xa0" in path.read_bytes()
    fast, slow = both(path)
    assert fast == slow and len(fast["amount"]) == 2000
    text = tmp_path / "ledger.txt"
    generate.write_csv(text, 2000, unicode=True)  # Excel's Unicode text: UTF-16, tab separated
    fast, slow = both(text)
    assert fast == slow and len(fast["amount"]) == 2000


# --- Parquet -------------------------------------------------------------------------------------------


def write_parquet(path: Path, columns: dict[str, pa.Array]) -> Path:
    pq.write_table(pa.table(columns), path)
    return path


def parquet_ledger(path: Path, year: int | None = 2025):
    return read_ledger_sheet(Source(path, path.name), "x", year)


def test_a_parquet_export_gives_the_ledger_of_the_same_csv_export(tmp_path):
    csv = tmp_path / "export.csv"
    csv.write_text("Period;Konto;Ansvar;Text;Belopp\n202501;4010;0100;Hyra;-1 234,50\n202502;3010;;Avgift;12\n"
                   "202503;4010;0100;;0,05\n", encoding="utf-8")
    parquet = write_parquet(tmp_path / "export.parquet", {
        "Period": pa.array([202501, 202502, 202503], pa.int32()),
        "Konto": pa.array(["4010", "3010", "4010"]),
        "Ansvar": pa.array(["0100", None, "0100"]),
        "Text": pa.array(["Hyra", "Avgift", None]),
        "Belopp": pa.array([Decimal("-1234.50"), Decimal("12.00"), Decimal("0.05")], pa.decimal128(18, 2)),
    })
    mine = fields(parquet_ledger(parquet))
    theirs = fields(read_ledger(read_csv_grid(csv, "export.parquet"), 2025))
    for key in ("period", "amount", "row", "col", "codes", "dimensions", "labels", "layout"):
        assert mine[key] == theirs[key], key
    assert mine["where"] == ["rad 2 (Belopp)", "rad 3 (Belopp)", "rad 4 (Belopp)"]


@pytest.mark.parametrize("odd", ["#N/A", "0300"])
def test_parquet_codes_over_several_row_groups_read_as_their_csv_export(tmp_path, odd):
    """Code columns come dictionary encoded, one dictionary per row group: the
    same texts (stripped, blank, an error value) as the CSV export gives."""
    konto = ["4010", " 4010 ", "3010", None, "", "0123", "4010", "3010"] * 3
    ansvar = ["0100", "0100", None, odd, "0200", "0100", " 0200", "0100"] * 3
    csv = tmp_path / "export.csv"
    csv.write_text("Period;Konto;Ansvar;Belopp\n" + "".join(
        f"2025{1 + i % 12:02d};{k or ''};{a or ''};{i}\n" for i, (k, a) in enumerate(zip(konto, ansvar))),
        encoding="utf-8")
    parquet = tmp_path / "export.parquet"
    pq.write_table(pa.table({"Period": pa.array([202501 + i % 12 for i in range(len(konto))], pa.int32()),
                             "Konto": pa.array(konto), "Ansvar": pa.array(ansvar),
                             "Belopp": pa.array(range(len(konto)), pa.int64())}), parquet, row_group_size=5)
    assert pq.ParquetFile(parquet).metadata.num_row_groups == 5
    mine = outcome(lambda: parquet_ledger(parquet))
    theirs = outcome(lambda: read_ledger(read_csv_grid(csv, "export.parquet"), 2025))
    if isinstance(mine, dict):
        mine.pop("source"), theirs.pop("source")  # the file's own name
    assert mine == theirs
    if odd == "#N/A":  # an error value in Ansvar stops as in the CSV export
        assert mine[0] == "stop" and "#N/A" in mine[1]
    else:
        assert mine["codes"]["ansvar"][:8] == ["0100", "0100", "", "0300", "0200", "0100", "0200", "0100"]


@pytest.mark.parametrize("amounts, kind, ore", [
    ([1234, -5, None, 0], pa.int64(), [123400, -500, 0, 0]),  # a row without amount is a row of 0 kr
    ([12.5, -0.1, 1e-3, None], pa.float64(), [1250, -10, 0, 0]),
    ([Decimal("1.005"), Decimal("-2.5"), None, Decimal("3")], pa.decimal128(10, 3), [101, -250, 0, 300]),
    (["1 234,50", "12-", None, ""], pa.string(), [123450, -1200, 0, 0]),
    (["1 234,50", "12-", None, "7,5"], pa.large_string(), [123450, -1200, 0, 750]),  # pandas' string[pyarrow], polars
    (["1\u00a0234,50-", "\u22123", None, "7.25"], pa.large_string(), [-123450, -300, 0, 725]),
])
def test_parquet_amounts_of_every_type_are_exact_ore(tmp_path, amounts, kind, ore):
    n = len(amounts)
    path = write_parquet(tmp_path / "u.parquet", {
        "Period": pa.array([202501] * n, pa.int64()), "Konto": pa.array([4010] * n, pa.int32()),
        "Belopp": pa.array(amounts, kind)})
    ledger = parquet_ledger(path)
    assert ledger.amount.tolist() == ore
    assert {ledger.codes["konto"].texts[i] for i in ledger.codes["konto"].index.tolist()} == {"4010"}


def test_parquet_periods_as_dates_text_and_bare_months(tmp_path):
    path = write_parquet(tmp_path / "u.parquet", {
        "Period": pa.array(["2025-01", "202502", "3"]), "Konto": pa.array(["4010"] * 3),
        "Belopp": pa.array([1.0, 2.0, 3.0])})
    assert parquet_ledger(path).period.tolist() == [202501, 202502, 202503]
    path = write_parquet(tmp_path / "d.parquet", {
        "Datum": pa.array([dt.date(2025, 1, 31), dt.date(2025, 2, 1)]), "Konto": pa.array(["4010"] * 2),
        "Belopp": pa.array([1, 2], pa.int8())})
    ledger = parquet_ledger(path)
    assert ledger.period.tolist() == [202501, 202502] and ledger.amount.tolist() == [100, 200]


def test_parquet_rows_that_are_all_blank_are_skipped_and_a_text_only_row_stops(tmp_path):
    path = write_parquet(tmp_path / "u.parquet", {
        "Period": pa.array([202501, None, None]), "Konto": pa.array(["4010", None, None]),
        "Text": pa.array(["x", None, "bara text"]), "Belopp": pa.array([1.5, None, None])})
    with pytest.raises(InputError) as caught:
        parquet_ledger(path)
    assert (caught.value.where, str(caught.value).split(": ")[-1]) == ("rad 4 (Period)", "raden saknar period")


@pytest.fixture
def cwd(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_a_bad_parquet_amount_stops_naming_its_row(cwd):
    small_workbook(cwd / "T.xlsx")
    write_parquet(cwd / "u.parquet", {"Period": pa.array([202501, 202502]), "Konto": pa.array(["4010", "4010"]),
                                      "Belopp": pa.array(["12", "12,3,4"])})
    before = {p.name: p.read_bytes() for p in cwd.iterdir()}
    result = CliRunner().invoke(main, ["T.xlsx", "--utfall", "u.parquet"])
    assert result.exit_code == 1
    assert result.stderr == 'u.parquet: rad 3 (Belopp): "12,3,4" är inte ett belopp\n'
    assert {p.name: p.read_bytes() for p in cwd.iterdir()} == before


def test_a_file_that_is_no_parquet_stops(cwd):
    small_workbook(cwd / "T.xlsx")
    (cwd / "u.parquet").write_bytes(b"Period;Konto;Belopp\n")
    result = CliRunner().invoke(main, ["T.xlsx", "--utfall", "u.parquet"])
    assert result.exit_code == 1
    assert result.stderr.startswith("u.parquet: filen är inte en Parquet-fil som går att läsa (")
    assert result.stderr.count("\n") == 1


def test_a_parquet_export_reconciles_as_its_csv_export(cwd):
    small_workbook(cwd / "T.xlsx")
    rows = [(202501, "5010", "1 000,50"), (202502, "3010", "-2 000"), (202503, "6110", "12,25")]
    (cwd / "u.csv").write_text("Period;Konto;Belopp\n" + "".join(f"{p};{k};{b}\n" for p, k, b in rows),
                               encoding="utf-8")
    write_parquet(cwd / "u.parquet", {"Period": pa.array([r[0] for r in rows]), "Konto": pa.array([r[1] for r in rows]),
                                      "Belopp": pa.array([Decimal("1000.50"), Decimal("-2000"), Decimal("12.25")],
                                                         pa.decimal128(12, 2))})

    def figures(export: str) -> dict:
        result = CliRunner().invoke(main, ["T.xlsx", "--check", "--json", "--utfall", export])
        assert result.exit_code == 0, result.output
        text = result.stdout.replace(export, "EXPORT")
        return {key: value for key, value in json.loads(text).items() if key != "seconds"}

    assert figures("u.parquet") == figures("u.csv")


def test_grid_tables_take_every_row_once(tmp_path):
    """GridTable (the converter for calamine sheets, row-by-row CSV and SIE) keeps
    rows with content only, each cell once, and every distinct value once."""
    from toolkit.read.grid import CellError, Grid
    from toolkit.read.table import GridTable

    grid = Grid("Utfall", "x.xlsx", [["Period", "Belopp", "Text"], [202501, 1.5, ""], ["", "", CellError("#N/A")],
                                     [202501, 1.5, "x"], [None, "", ""], [202502, "", "y"]])
    columns, rows = GridTable(grid).read([0, 1], [1], 1)
    assert rows.tolist() == [1, 3, 5]
    assert columns[0].rows.tolist() == [1, 3, 5] and columns[0].values == [202501, 202502]
    assert columns[1].rows.tolist() == [1, 3] and columns[1].values == [1.5]
    assert np.array_equal(columns[1].token, [0, 0])
