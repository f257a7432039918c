"""Ledger exports given with --utfall: Swedish CSV files (separator, decimal comma,
thousands spaces, cp1252 or UTF-8, title lines), several files or a pattern,
the same rows in two files, a total row at the bottom, a wrong encoding and a
malformed line — each compared with the ledger on the workbook's own Utfall
sheet, or named by its file and line with nothing written."""

from __future__ import annotations

import csv
import functools
import io
import json
import re
import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from examples import copy_example, example
from test_sie import figures
from workbook_factory import BUDGET, KEYS, LEDGER, SETTINGS, write_workbook
from written import WRITTEN

from toolkit.cli import main
from toolkit.money import format_kr

ROOT = Path(__file__).resolve().parents[1]
TITLES = ("Huvudbok – Lokal nämnd Halmstad", "Utdrag 2025-09-01 08:15, alla perioder")


@functools.lru_cache(maxsize=1)
def sheet_rows() -> tuple[tuple, ...]:
    """Halmstad's Utfall sheet as it is in the example workbook: the header, then the ledger rows."""
    book = openpyxl.load_workbook(example("Halmstad.xlsx"), read_only=True)
    try:
        rows = tuple(tuple(row) for row in book["Utfall"].iter_rows(values_only=True) if any(v is not None for v in row))
    finally:
        book.close()
    assert rows[0] == ("Period", "Konto", "Ansvar", "Verksamhet", "Aktivitet", "Projekt", "Motpart", "Text", "Belopp")
    return rows


def ledger(*periods: int) -> list[tuple]:
    """The sheet's ledger rows (of ``periods`` when given), without the header."""
    return [row for row in sheet_rows()[1:] if not periods or row[0] in periods]


def kr(rows: list[tuple]) -> Decimal:
    return sum((Decimal(str(row[-1])) for row in rows), Decimal(0))


def swedish(amount: object, i: int) -> str:
    """An amount as a Swedish export writes it: decimal comma; on odd rows a space
    between thousands and a trailing minus, on even rows a non-breaking space and
    a leading minus."""
    value = Decimal(str(amount)).quantize(Decimal("0.01"))
    whole, cents = f"{abs(value):.2f}".split(".")
    text = f"{int(whole):,}".replace(",", " " if i % 2 else "\u00a0") + "," + cents
    if value >= 0:
        return text
    return text + "-" if i % 2 else "-" + text


def export(rows: list[tuple], *, sep: str = ";", titles: tuple[str, ...] = (), total: str | None = None,
           total_text: str = "", newline: str = "\r\n", flip: bool = False) -> str:
    """The ledger ``rows`` as CSV text: optional title lines, the header, one line
    per row (an amount given as text is written as it is; ``flip`` swaps the odd
    and even rows' amount style), optionally a total row (no period) at the bottom."""
    out = io.StringIO()
    for title in titles:
        out.write(title + newline)
    writer = csv.writer(out, delimiter=sep, lineterminator=newline)
    header = sheet_rows()[0]
    writer.writerow(header)
    for i, row in enumerate(rows):
        amount = row[-1] if isinstance(row[-1], str) else swedish(row[-1], i + flip)
        writer.writerow(["" if v is None else str(v) for v in row[:-1]] + [amount])
    if total is not None:
        writer.writerow([""] * (len(header) - 2) + [total_text, total])
    return out.getvalue()


def line_of(text: str, needle: str) -> int:
    """The 1-based line of the first line holding ``needle``."""
    return next(n for n, line in enumerate(text.splitlines(), start=1) if needle in line)


@pytest.fixture
def book(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    copy_example("Halmstad.xlsx", tmp_path)
    return tmp_path / "Halmstad.xlsx"


def report(*args: str) -> dict:
    result = CliRunner().invoke(main, ["Halmstad.xlsx", "--check", "--json", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def fails(book: Path, *args: str) -> str:
    """Run (writing) with ``args``; it must fail with exit 1 and leave the workbook
    as it was, with no backup and no temporary file. Returns stderr."""
    before = book.read_bytes()
    listing = sorted(p.name for p in book.parent.iterdir())
    result = CliRunner().invoke(main, ["Halmstad.xlsx", *args], catch_exceptions=False)
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert book.read_bytes() == before
    assert sorted(p.name for p in book.parent.iterdir()) == listing  # no .bak, no .tmp
    return result.stderr


# --- (a) one Swedish CSV export gives the figures of the sheet --------------------------------------------------


@pytest.mark.parametrize(("encoding", "sep", "titles", "newline", "flip"), [
    ("cp1252", ";", TITLES, "\r\n", False),
    ("cp1252", ";", (), "\r\n", True),
    ("utf-8-sig", ";", (), "\n", False),
    ("utf-8-sig", ";", TITLES, "\r\n", True),
    ("utf-8", ";", TITLES, "\n", False),
    ("cp1252", "\t", TITLES, "\r\n", True),
    ("utf-8-sig", "\t", (), "\n", False),
    ("utf-16", ";", TITLES, "\r\n", False),  # with its BOM
    ("utf-16-le", ";", TITLES, "\r\n", True),  # without
    ("utf-16-be", "\t", (), "\r\n", False),
], ids=["cp1252", "cp1252-no-titles", "utf8-bom", "utf8-bom-titles", "utf8", "cp1252-tab", "utf8-bom-tab", "utf16-bom",
        "utf16le", "utf16be-tab"])
def test_a_csv_export_gives_the_figures_of_the_sheet(book, encoding, sep, titles, newline, flip):
    text = export(ledger(), sep=sep, titles=titles, newline=newline, flip=flip)
    assert "\u00a0" in text and re.search(r"\d \d{3},\d\d", text)  # both kinds of thousands separator
    minus = rf"{re.escape(sep)}-\d" if flip else r"\d,\d\d-\r?$"  # the one negative amount: leading or trailing minus
    assert re.search(minus, text, re.M)
    data = text.encode(encoding)
    assert data.startswith(b"\xef\xbb\xbf") == (encoding == "utf-8-sig")
    Path("huvudbok.csv").write_bytes(data)
    sheet = report()
    exported = report("--utfall", "huvudbok.csv")
    assert exported["totals_kr"] == sheet["totals_kr"]
    assert exported["tieout_kr"] == sheet["tieout_kr"]
    assert exported["tieout_kr"]["rows_read"] == len(ledger())
    assert [(f["slug"], f["message"]) for f in exported["findings"]] == [(f["slug"], f["message"]) for f in sheet["findings"]]
    assert {f["where"] for f in exported["findings"]} == {"huvudbok.csv"}
    assert figures("--utfall", "huvudbok.csv") == figures()


def test_the_written_sheets_are_those_of_the_sheets_own_ledger(book, tmp_path):
    """Written (not only checked) from a cp1252 export: the same summary line as from the sheet."""
    shutil.copy(book, tmp_path / "Kopia.xlsx")
    Path("huvudbok.csv").write_bytes(export(ledger(), titles=TITLES).encode("cp1252"))
    runner = CliRunner()
    from_sheet = runner.invoke(main, ["Kopia.xlsx"], catch_exceptions=False)
    from_csv = runner.invoke(main, ["Halmstad.xlsx", "--utfall", "huvudbok.csv"], catch_exceptions=False)
    assert from_csv.exit_code == from_sheet.exit_code == 0
    assert from_csv.stdout == ("Halmstad.xlsx: jan–aug 2025 · utfall 748 tkr · avvikelse -18 tkr · prognos 1 323 tkr · "
                               f"{WRITTEN}\n")
    assert from_sheet.stdout == from_csv.stdout.replace("Halmstad.xlsx", "Kopia.xlsx")


def test_codes_with_swedish_letters_in_a_cp1252_file_are_read_as_written(tmp_path, monkeypatch):
    """å, ä, ö (and the en dash, which Latin-1 lacks) in codes and headers of a
    Windows-1252 file: the rows match the budget line that names them, and the
    unbudgeted codes are shown as written on Avstämning."""
    monkeypatch.chdir(tmp_path)
    write_workbook(tmp_path / "Kod.xlsx", {
        "Inställningar": [["Inställning", "Värde"], ["Enhet", "Kodtest"], ["År", 2025]],
        "Budget": [["Rad", "Typ", "Budget", "Konto", "Ansvar", "Projekt"],
                   ["Mötesplats", None, 60000, "4*", "Förvaltning", "Mötesplats äldre"]]})
    text = ("Period;Konto;Kostnadsställe;Projekt;Objekt;Text;Belopp\r\n"
            "202503;4610;Förvaltning;Mötesplats äldre;;Fika för äldre;1 000,00\r\n"
            "202504;4610;Förvaltning;Återbruk;;Återbruk;250,50\r\n"
            "202505;4610;Sjöbo;Mötesplats äldre;Kök – renovering;Hyra;2\u00a0000,00\r\n")
    data = text.encode("cp1252")
    assert b"\xf6" in data and b"\x96" in data  # ö and – as single cp1252 bytes
    Path("kod.csv").write_bytes(data)
    result = CliRunner().invoke(main, ["Kod.xlsx", "--utfall", "kod.csv", "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["tieout_kr"] == {"rows_read": 3, "rows_in_period": 3, "ledger_in_period": 3250.5, "lines": 1000.0,
                                "unbudgeted": 2250.5, "difference": 0.0}
    sheet = openpyxl.load_workbook(tmp_path / "Kod.xlsx")["Avstämning"]
    rows = [tuple(v for v in row if v is not None) for row in sheet.iter_rows(values_only=True)]
    assert ("Konto", "Kostnadsställe", "Projekt", "Objekt", "Σ huvudbok", "Antal rader", "Exempel") in rows
    assert ("4610", "Förvaltning", "Återbruk", "", 250.5, 1, "rad 3 (Belopp)") in rows
    assert ("4610", "Sjöbo", "Mötesplats äldre", "Kök – renovering", 2000, 1, "rad 4 (Belopp)") in rows
    assert not any("Ã" in str(v) or "\x96" in str(v) for row in rows for v in row)


# --- (b) several files: a pattern, or --utfall repeated ---------------------------------------------------------


def monthly_exports(directory: Path) -> dict[int, Path]:
    """The sheet's ledger as one cp1252 export per month: exports/2024-12.csv … exports/2025-09.csv."""
    directory.mkdir(exist_ok=True)
    files = {}
    for period in sorted({row[0] for row in ledger()}):
        path = directory / f"{period // 100}-{period % 100:02d}.csv"
        path.write_bytes(export(ledger(period), titles=TITLES[:1]).encode("cp1252"))
        files[period] = path
    return files


def test_monthly_files_by_pattern_or_repeated_give_the_figures_of_one_file(book):
    files = monthly_exports(Path("exports"))
    assert len(files) == 10
    this_year = [row for row in ledger() if row[0] // 100 == 2025]
    Path("2025.csv").write_bytes(export(this_year).encode("cp1252"))
    one = report("--utfall", "2025.csv")
    by_pattern = report("--utfall", "exports/2025-*.csv")
    repeated = report(*[arg for period, path in files.items() if period // 100 == 2025
                        for arg in ("--utfall", str(path))])
    for several in (by_pattern, repeated):
        assert several["totals_kr"] == one["totals_kr"]
        assert several["tieout_kr"] == one["tieout_kr"]
        assert [f["slug"] for f in several["findings"]] == [f["slug"] for f in one["findings"]]
        assert "dubbla-rader" not in {f["slug"] for f in several["findings"]}
    assert one["tieout_kr"]["rows_read"] == len(this_year)
    # every month, by two patterns: the figures of the sheet
    assert figures("--utfall", "exports/2024-*.csv", "--utfall", "exports/2025-*.csv") == figures()
    assert figures("--utfall", "exports/*.csv") == figures()


def test_a_file_named_twice_is_read_once(book):
    Path("huvudbok.csv").write_bytes(export(ledger()).encode("cp1252"))
    twice = report("--utfall", "huvudbok.csv", "--utfall", "./huvudbok.csv", "--utfall", "huvud*.csv")
    assert twice["tieout_kr"] == report("--utfall", "huvudbok.csv")["tieout_kr"]
    assert "dubbla-rader" not in {f["slug"] for f in twice["findings"]}


def test_a_pattern_that_matches_nothing_is_named(book):
    monthly_exports(Path("exports"))
    assert fails(book, "--utfall", "exports/2026-*.csv") == "exports/2026-*.csv: inga filer matchar mönstret\n"
    assert fails(book, "--utfall", "exports/2025-*.csv", "--utfall", "saknas/*.csv") == \
        "saknas/*.csv: inga filer matchar mönstret\n"


def test_a_missing_export_is_named(book):
    assert fails(book, "--utfall", "saknas.csv") == "saknas.csv: filen finns inte\n"


# --- (c) the same rows in two files ----------------------------------------------------------------------------


def test_the_same_month_exported_twice_is_a_finding_and_counted(book):
    august = ledger(202508)
    Path("aug.csv").write_bytes(export(august).encode("cp1252"))
    Path("aug-igen.csv").write_bytes(export(august).encode("utf-8-sig"))  # another export of the same rows
    out = report("--utfall", "aug.csv", "--utfall", "aug-igen.csv")
    n, total = len(august), kr(august)
    assert {"slug": "dubbla-rader", "severity": "varning", "where": "aug-igen.csv",
            "message": f"augusti 2025 finns i både aug.csv och aug-igen.csv: {n} rader i aug-igen.csv finns också i "
                       f"aug.csv (samma period, belopp och koder; {format_kr(int(total * 100))} kr) — samma månad "
                       "exporterad två gånger? Raderna räknas båda gångerna; läs in varje månad från en fil"} \
        in out["findings"]
    assert [f["slug"] for f in out["findings"]].count("dubbla-rader") == 1
    assert out["tieout_kr"]["rows_read"] == 2 * n
    assert out["totals_kr"]["actual"] == float(2 * total)  # the rows are counted, both times
    once = report("--utfall", "aug.csv")
    assert out["totals_kr"]["budget"] == once["totals_kr"]["budget"]
    assert "dubbla-rader" not in {f["slug"] for f in once["findings"]}


def test_overlapping_exports_name_both_files_and_the_shared_month(book):
    Path("jul-aug.csv").write_bytes(export(ledger(202507, 202508)).encode("cp1252"))
    Path("aug-sep.csv").write_bytes(export(ledger(202508, 202509)).encode("cp1252"))
    out = report("--utfall", "jul-aug.csv", "--utfall", "aug-sep.csv")
    found = [f for f in out["findings"] if f["slug"] == "dubbla-rader"]
    assert len(found) == 1
    assert found[0]["where"] == "aug-sep.csv"
    assert found[0]["severity"] == "varning"
    assert found[0]["message"].startswith(f"augusti 2025 finns i både jul-aug.csv och aug-sep.csv: "
                                          f"{len(ledger(202508))} rader i aug-sep.csv finns också i jul-aug.csv "
                                          "(samma period, belopp och koder; ")
    assert out["totals_kr"]["actual"] == float(kr(ledger(202507)) + 2 * kr(ledger(202508)))  # September is after P
    assert out["tieout_kr"]["rows_read"] == len(ledger(202507, 202508)) + len(ledger(202508, 202509))


# --- (d) a total row at the bottom -----------------------------------------------------------------------------


@pytest.mark.parametrize(("titles", "total_text"), [((), ""), (TITLES, "Summa")], ids=["bare", "titles-summa-text"])
def test_a_total_row_is_left_out_with_a_note(book, titles, total_text):
    total = kr(ledger())
    text = export(ledger(), titles=titles, total=swedish(total, 1), total_text=total_text)
    Path("huvudbok.csv").write_bytes(text.encode("cp1252"))
    Path("utan.csv").write_bytes(export(ledger(), titles=titles).encode("cp1252"))
    with_total = report("--utfall", "huvudbok.csv")
    without = report("--utfall", "utan.csv")
    assert with_total["totals_kr"] == without["totals_kr"] == report()["totals_kr"]
    assert with_total["tieout_kr"] == without["tieout_kr"]
    assert with_total["tieout_kr"]["rows_read"] == len(ledger())
    line = len(titles) + 1 + len(ledger()) + 1
    note = {"slug": "summarad", "severity": "info", "where": f"huvudbok.csv: rad {line} (Belopp)",
            "message": f"sista raden saknar period och är summan av raderna ovan ({format_kr(int(total * 100))} kr); "
                       "den lästes som en summarad, inte som en huvudboksrad"}
    assert note in with_total["findings"]
    assert [f for f in with_total["findings"] if f != note] == \
        [{**f, "where": "huvudbok.csv"} for f in without["findings"]]


def test_a_total_row_followed_by_empty_lines_is_still_the_last_row(book):
    total = kr(ledger())
    text = export(ledger(), total=swedish(total, 0)) + ";;;;;;;;\r\n\r\n"
    Path("huvudbok.csv").write_bytes(text.encode("cp1252"))
    out = report("--utfall", "huvudbok.csv")
    assert out["totals_kr"] == report()["totals_kr"]
    assert "summarad" in {f["slug"] for f in out["findings"]}


def test_a_total_row_that_does_not_add_up_is_named_by_its_line(book):
    total = kr(ledger())
    text = export(ledger(), titles=TITLES, total=swedish(total + 1, 1))
    Path("huvudbok.csv").write_bytes(text.encode("cp1252"))
    line = len(TITLES) + 1 + len(ledger()) + 1
    assert len(text.splitlines()) == line
    assert fails(book, "--utfall", "huvudbok.csv") == (
        f"huvudbok.csv: rad {line} (Period): raden saknar period; som summarad stämmer den inte med raderna ovan "
        f"({format_kr(int((total + 1) * 100))} kr mot {format_kr(int(total * 100))} kr)\n")


def test_a_row_without_period_above_the_last_is_an_error(book):
    rows = ledger()
    text = export(rows[:10]) + ";;;;;;;Delsumma;" + swedish(kr(rows[:10]), 1) + "\r\n" + \
        export(rows[10:]).split("\r\n", 1)[1]
    Path("huvudbok.csv").write_bytes(text.encode("cp1252"))
    assert fails(book, "--utfall", "huvudbok.csv") == \
        "huvudbok.csv: rad 12 (Period): raden saknar period (är det en summarad? ta bort den)\n"


# --- (e) a wrong encoding ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("byte", [0x81, 0x8D, 0x8F, 0x90, 0x9D], ids=lambda b: f"0x{b:02X}")
def test_bytes_neither_utf8_nor_cp1252_are_one_message_and_nothing_is_written(book, byte):
    data = export(ledger()[:20], titles=TITLES).encode("cp1252")
    at = data.index(b"Arvode") + 3
    data = data[:at] + bytes([byte]) + data[at:]  # one byte undefined in Windows-1252 (and invalid in UTF-8)
    Path("huvudbok.csv").write_bytes(data)
    assert fails(book, "--utfall", "huvudbok.csv") == \
        f"huvudbok.csv: teckenkodningen känns inte igen (varken UTF-8 eller Windows-1252; byte {at})\n"


def test_a_bom_that_lies_is_one_message_and_nothing_is_written(book):
    data = export(ledger()[:20], titles=TITLES).encode("cp1252")  # saved as cp1252 behind a UTF-8 BOM
    first = 3 + next(i for i, byte in enumerate(data) if byte >= 0x80)  # the title's en dash
    assert fails_with(book, b"\xef\xbb\xbf" + data) == \
        f"huvudbok.csv: filen börjar som UTF-8 (BOM) men är inte UTF-8 (byte {first})\n"


def test_a_workbook_saved_as_csv_is_no_text_file(book):
    """Binary bytes (here a .xlsx package renamed .csv) are refused, not read as cp1252 gibberish."""
    assert fails_with(book, example("Navet.xlsx").read_bytes()) == \
        "huvudbok.csv: filen innehåller NUL-tecken och är ingen textfil (CSV)\n"


def fails_with(book: Path, data: bytes) -> str:
    Path("huvudbok.csv").write_bytes(data)
    return fails(book, "--utfall", "huvudbok.csv")


def test_a_csv_without_a_header_names_the_file_once(book):
    Path("u.csv").write_text("Datum;Summa\n2025-08-01;100\n", encoding="utf-8")
    assert fails(book, "--utfall", "u.csv").count("u.csv") == 1


# --- (f) one malformed line ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("column", "bad", "message"), [
    ("Belopp", "12,3,4", '"12,3,4" är inte ett belopp'),
    ("Period", "augusti", '"augusti" är inte en period (t.ex. 202508 eller 2025-08)'),
])
def test_a_malformed_line_is_named_and_nothing_is_written(book, column, bad, message):
    rows = [list(row) for row in ledger()]
    k = 137
    rows[k][0 if column == "Period" else -1] = bad
    text = export([tuple(r) for r in rows], titles=TITLES)
    line = next(n for n, text_line in enumerate(text.splitlines(), start=1)
                if text_line.startswith(bad + ";") or text_line.endswith(";" + bad))
    assert line == len(TITLES) + 1 + k + 1
    Path("huvudbok.csv").write_bytes(text.encode("cp1252"))
    assert fails(book, "--utfall", "huvudbok.csv") == f"huvudbok.csv: rad {line} ({column}): {message}\n"


def test_a_malformed_line_in_one_of_several_files_names_that_file(book):
    monthly_exports(Path("exports"))
    path = Path("exports", "2025-03.csv")
    lines = path.read_bytes().decode("cp1252").split("\r\n")
    lines[4] = lines[4].rsplit(";", 1)[0] + ";12,3,4"
    path.write_bytes("\r\n".join(lines).encode("cp1252"))
    assert fails(book, "--utfall", "exports/*.csv") == f'{path}: rad 5 (Belopp): "12,3,4" är inte ett belopp\n'


def test_a_quoted_text_over_two_lines_does_not_shift_the_line_numbers(book):
    rows = [list(row) for row in ledger()[:8]]
    rows[0][7] = "Arvode\r\nnämnd"  # csv.writer quotes it; the record spans lines 2–3
    rows[5][-1] = "12,3,4"
    text = export([tuple(r) for r in rows])
    assert '"Arvode\r\nnämnd"' in text
    assert line_of(text, "12,3,4") == 8
    Path("huvudbok.csv").write_bytes(text.encode("cp1252"))
    assert fails(book, "--utfall", "huvudbok.csv") == 'huvudbok.csv: rad 8 (Belopp): "12,3,4" är inte ett belopp\n'


# --- a total row labelled in the Period column; the Utfallsfil setting -----------------------------------------


def test_a_total_row_labelled_summa_in_the_period_column(book):
    total = kr(ledger())
    text = export(ledger()) + "Summa;;;;;;;;" + swedish(total, 1) + "\r\n"
    Path("huvudbok.csv").write_bytes(text.encode("cp1252"))
    out = report("--utfall", "huvudbok.csv")
    assert out["totals_kr"] == report()["totals_kr"]
    assert [f["where"] for f in out["findings"] if f["slug"] == "summarad"] == \
        [f"huvudbok.csv: rad {len(ledger()) + 2} (Belopp)"]
    # higher up, a Summa row is no ledger row either: the run stops at it
    rows = ledger()
    text = export(rows[:3]) + "Summa;;;;;;;;" + swedish(kr(rows[:3]), 1) + "\r\n" + export(rows[3:]).split("\r\n", 1)[1]
    Path("huvudbok.csv").write_bytes(text.encode("cp1252"))
    assert fails(book, "--utfall", "huvudbok.csv") == \
        "huvudbok.csv: rad 5 (Period): raden saknar period (är det en summarad? ta bort den)\n"


def settings_workbook(path: Path, utfallsfil: str) -> Path:
    """A small unit whose Inställningar name its ledger export (no Utfall sheet of its own)."""
    return write_workbook(path, {"Inställningar": SETTINGS + [["Utfallsfil", utfallsfil]], "Budget": BUDGET,
                                 "Periodisering": KEYS})


def test_utfallsfil_names_the_exports_relative_to_the_workbook(tmp_path, monkeypatch):
    unit = tmp_path / "enhet"
    (unit / "exporter").mkdir(parents=True)
    settings_workbook(unit / "Enhet.xlsx", "exporter/2025-*.csv")
    header, *rows = LEDGER
    for month in sorted({row[0] % 100 for row in rows}):
        lines = [";".join(header)] + [";".join([str(r[0]), str(r[1]), r[2], str(r[3]).replace(".", ",")])
                                      for r in rows if r[0] % 100 == month]
        (unit / "exporter" / f"2025-{month:02d}.csv").write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    sheet = write_workbook(tmp_path / "Ark.xlsx", {"Inställningar": [["Inställning", "Värde"], ["Enhet", "Testnämnd"],
                                                                     ["År", 2025], ["Period", 8]],
                                                   "Budget": BUDGET, "Utfall": LEDGER, "Periodisering": KEYS})
    monkeypatch.chdir(tmp_path)  # the pattern is relative to the workbook, not to where reconcile runs
    by_setting = CliRunner().invoke(main, [str(unit / "Enhet.xlsx"), "--check", "--json"], catch_exceptions=False)
    on_sheet = CliRunner().invoke(main, [str(sheet), "--check", "--json"], catch_exceptions=False)
    assert by_setting.exit_code == on_sheet.exit_code == 0, by_setting.output
    a, b = json.loads(by_setting.stdout), json.loads(on_sheet.stdout)
    assert a["totals_kr"] == b["totals_kr"] and a["tieout_kr"] == b["tieout_kr"]
    # --utfall wins over the setting
    only_march = CliRunner().invoke(main, [str(unit / "Enhet.xlsx"), "--check", "--json", "--utfall",
                                           str(unit / "exporter" / "2025-03.csv")], catch_exceptions=False)
    assert json.loads(only_march.stdout)["tieout_kr"]["rows_read"] == 1


@pytest.mark.parametrize(("setting", "message"), [
    ("exporter/2025-*.csv", 'inga filer matchar "exporter/2025-*.csv"'),
    ("exporter/2025-08.csv", 'filen "exporter/2025-08.csv" finns inte'),
    ("2025-08.csv; exporter/2025-08.csv", 'filen "exporter/2025-08.csv" finns inte'),
    ("exporter", '"exporter" är en mapp; ange filerna i den, t.ex. "exporter/*.csv"'),
])
def test_utfallsfil_that_names_no_file_names_the_workbook_and_the_setting_cell(tmp_path, setting, message):
    """The pattern or file as typed on Inställningar (relative to the workbook), after the workbook and cell."""
    path = settings_workbook(tmp_path / "Enhet.xlsx", setting)
    (tmp_path / "exporter").mkdir()
    (tmp_path / "2025-08.csv").write_text("Period;Konto;Belopp\n202508;5011;100\n", encoding="utf-8")
    before = path.read_bytes()
    result = CliRunner().invoke(main, [str(path)], catch_exceptions=False)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == f"{path}: Inställningar!B5: Utfallsfil: {message}\n"
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2025-08.csv", "Enhet.xlsx", "exporter"]


