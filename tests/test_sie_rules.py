"""SIE read as an accountant reads it: braces that must close, a file cut off,
an unknown #KTYP, 8999 Årets resultat, the two #PSALDO styles, the file's own
#RES as a check, dimensions by number and #UNDERDIM, UTF-8 under #FORMAT PC8 —
each on a tiny file written here."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from examples import example
from test_sie import figures, halmstad_ledger, sie4

from toolkit.cli import main
from toolkit.read.exports import read_ledgers
from toolkit.read.sie import read_sie_grid
from toolkit.read.workbook import Source

ROOT = Path(__file__).resolve().parents[1]
HEAD = ["#FLAGGA 0", "#FORMAT PC8", "#SIETYP 4", '#PROGRAM "Test" 1', "#RAR 0 20250101 20251231"]


@pytest.fixture
def book(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copy(example("Halmstad.xlsx"), tmp_path / "Halmstad.xlsx")
    return tmp_path / "Halmstad.xlsx"


def write(path: Path, lines: list[str], encoding: str = "cp437") -> Path:
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def ver(n: int, day: str, *trans: str) -> list[str]:
    return [f'#VER A {n} {day} "Verifikation {n}"', "{", *(f"   #TRANS {t}" for t in trans), "}"]


def rows(grid) -> list[list]:
    return [r for r in grid.rows[1:] if r]


def ledger_of(path: Path):
    return read_ledgers([Source(path, path.name)], None)


def sums(ledger) -> dict[tuple[int, str], int]:
    konto = ledger.codes["konto"]
    out: dict[tuple[int, str], int] = {}
    for i in range(len(ledger)):
        key = (int(ledger.period[i]), konto.texts[konto.index[i]])
        out[key] = out.get(key, 0) + int(ledger.amount[i])
    return out


def stops(book: Path, lines: list[str]) -> str:
    """The run's one line on stderr; it stopped with exit 1 and wrote nothing."""
    write(Path("export.se"), lines)
    before = book.read_bytes()
    result = CliRunner().invoke(main, ["Halmstad.xlsx", "--utfall", "export.se"])
    assert result.exit_code == 1, result.output
    assert book.read_bytes() == before
    assert sorted(p.name for p in book.parent.iterdir()) == ["Halmstad.xlsx", "export.se"]  # no .bak
    assert result.stderr.count("\n") == 1
    return result.stderr


# ---- braces and a file cut off ----

def test_a_verification_whose_brace_never_closes_stops_at_its_line(book):
    lines = HEAD + ver(1, "20250115", "5011 {} 100.00", "2440 {} -100.00") \
        + ['#VER A 2 20250116 "Två"', "{", "   #TRANS 5011 {} 50.00", "   #TRANS 2440 {} -50.00"] \
        + ver(3, "20250117", "5011 {} 25.00", "2440 {} -25.00")
    assert stops(book, lines) == "export.se: rad 11: #VER A 2 saknar avslutande } (nästa #VER börjar på rad 15)\n"


def test_a_file_cut_off_inside_its_last_verification_stops(book):
    lines = HEAD + ver(1, "20250115", "5011 {} 100.00", "2440 {} -100.00") \
        + ['#VER B 7 20250116 "Sista"', "{", "   #TRANS 5011 {} 50.00", "   #TRANS 24"]
    assert stops(book, lines) == ("export.se: rad 11: #VER B 7 saknar avslutande }: filen tar slut inne i "
                                  "verifikationen — är den avkortad? Exportera den igen\n")


def test_a_file_cut_off_on_its_last_ver_line_stops(book):
    lines = HEAD + ver(1, "20250115", "5011 {} 100.00", "2440 {} -100.00") + ['#VER A 2 2025']
    assert stops(book, lines).startswith("export.se: rad 11: #VER A 2 saknar avslutande }: filen tar slut")


def test_an_object_list_without_its_closing_brace_stops(book):
    lines = HEAD + ver(1, "20250115", '5011 {1 "110010" 6 "9101" 100.00 20250115 "Arvode"', "2440 {} -100.00")
    assert stops(book, lines) == ('export.se: rad 8: objektlistan "{1 "110010" 6 "9101" 100.00 20250115 "Ar …" '
                                  "saknar avslutande }\n")


def test_a_transaction_without_its_object_list_stops(book):
    lines = HEAD + ver(1, "20250115", '5011 100.00 20250115 "Arvode"', "2440 {} -100.00")
    assert stops(book, lines) == 'export.se: rad 8: objektlistan saknas ("100.00" står där { … } ska stå)\n'


def test_a_brace_without_its_verification_stops(book):
    lines = HEAD + ver(1, "20250115", "5011 {} 100.00", "2440 {} -100.00") + ["{", "   #TRANS 5011 {} 5.00", "}"]
    assert stops(book, lines) == "export.se: rad 11: { utan #VER framför\n"
    lines = HEAD + ver(1, "20250115", "5011 {} 100.00", "2440 {} -100.00") + ["}"]
    assert stops(book, lines) == "export.se: rad 11: } utan #VER och { framför\n"


def test_a_verification_whose_opening_brace_is_missing_is_read_to_its_closing_brace(tmp_path):
    """e-conomic writes one verification with an empty line for its {: its
    transactions are still the verification's."""
    path = write(tmp_path / "e.se", HEAD + ver(1, "20250115", "5011 {} 100.00", "2440 {} -100.00")
                 + ['#VER A 2 20250806 ""', "", "#TRANS 8910 {} 3000", "#TRANS 1630 {} -3000", "}"])
    assert sums(ledger_of(path)) == {(202501, "5011"): 10000, (202508, "8910"): 300000}


def test_a_text_whose_quote_never_closes_ends_with_its_line(tmp_path):
    """SoftOne cuts long transaction texts, closing quote and all."""
    path = write(tmp_path / "e.se", HEAD + ver(1, "20250127", '3010 {1 "654321"} -900.00 20250127 "260    aaaa',
                                               "1510 {} 900.00"))
    assert rows(read_sie_grid(path, "e.se")) == [["202501", "3010", "654321", Decimal("-900.00")]]


def test_a_line_error_names_the_line_itself(book):
    """Row n of an SIE grid is line n: an amount too large is named on its own line."""
    lines = HEAD + ver(1, "20250115", "5011 {} 100000000000000000.00", "2440 {} -1.00")
    assert stops(book, lines) == ('export.se: rad 8 (Belopp): "100000000000000000.00" är ett orimligt stort belopp '
                                  "(10 000 miljarder kr eller mer)\n")


# ---- account types ----

def test_an_unknown_account_type_is_read_by_bas_class_with_a_warning(tmp_path):
    path = write(tmp_path / "e.se", HEAD + ["#KTYP 7010 X", "#KTYP 1930 Q", "#KTYP 2440 S", "#KTYP 7090 K"]
                 + ver(1, "20250125", "7010 {} 1000.00", "7090 {} 10.00", "1930 {} -1010.00")
                 + ver(2, "20250225", "7010 {} 500.00", "2440 {} -500.00"))
    ledger = ledger_of(path)
    assert sums(ledger) == {(202501, "7010"): 100000, (202501, "7090"): 1000, (202502, "7010"): 50000}
    [note] = ledger.notes
    assert (note.slug, note.severity, note.where) == ("sie-kontotyp", "varning", "e.se: rad 6")
    assert note.message == ('#KTYP med okänd kontotyp (SIE känner T, S, K och I) för 1930 "Q" (balanskonto), '
                            '7010 "X" (resultatkonto): kontona lästes efter BAS-klass (3–8 resultatkonto, annars '
                            "balanskonto), 3 rader")


def test_an_unknown_type_of_an_account_without_rows_says_nothing(tmp_path):
    """SoftOne types its account DIFF with no type at all; nothing is booked on it."""
    path = write(tmp_path / "e.se", HEAD + ['#KONTO DIFF "DIFF"', "#KTYP DIFF"]
                 + ver(1, "20250125", "7010 {} 1000.00", "1930 {} -1000.00"))
    assert ledger_of(path).notes == []


def test_a_result_class_account_typed_as_a_balance_account_is_no_utfall_and_named(tmp_path):
    """SoftOne XE types 3740 Öresutjämning T: the file says it is a balance account."""
    path = write(tmp_path / "e.se", HEAD + ["#KTYP 3740 T", "#KTYP 3010 I"]
                 + ver(1, "20250125", "3010 {} -100.00", "3740 {} 0.40", "1510 {} 99.60"))
    ledger = ledger_of(path)
    assert sums(ledger) == {(202501, "3010"): -10000}
    [note] = ledger.notes
    assert (note.slug, note.severity, note.where) == ("sie-balanskonto", "info", "e.se: rad 6")
    assert note.message == ("konton i klass 3–8 som filen anger som balanskonton (#KTYP T eller S) lästes inte som "
                            "utfall: 3740 (1 rad)")


# ---- 8999 Årets resultat ----

@pytest.mark.parametrize("typed", ["", "#KTYP 8999 I", "#KTYP 8999 K", "#KTYP 8999 T"])
def test_the_closing_entry_of_the_year_is_left_out_and_named(tmp_path, typed):
    path = write(tmp_path / "e.se", HEAD + ([typed] if typed else [])
                 + ver(1, "20251215", "3010 {} -1000.00", "1930 {} 1000.00")
                 + ver(2, "20251231", "8990 {} 5.00", "1930 {} -5.00")
                 + ver(3, "20251231", "8999 {} 995.00", "2099 {} -995.00"))
    ledger = ledger_of(path)
    assert sums(ledger) == {(202512, "3010"): -100000, (202512, "8990"): 500}  # only 8999 is Årets resultat in BAS
    [note] = ledger.notes
    assert (note.slug, note.severity) == ("arets-resultat", "info")
    assert note.where == f"e.se: rad {18 + bool(typed)}"
    assert note.message == ("8999 Årets resultat lästes inte: bokslutsposten som bokar årets resultat är inget utfall "
                            "(1 rad, 995,00 kr)")


def test_the_closing_entry_reaches_avstamning_and_the_run_has_no_warning(book):
    rows_ = halmstad_ledger()
    text = sie4(rows_).rstrip("\r\n").split("\r\n") + ver(9999, "20251231", "8999 {} 12345.67", "2099 {} -12345.67")
    write(Path("export.se"), text)
    out = json.loads(CliRunner().invoke(main, ["Halmstad.xlsx", "--check", "--json", "--utfall", "export.se"]).stdout)
    [closing] = [f for f in out["findings"] if f["slug"] == "arets-resultat"]
    assert closing["severity"] == "info" and closing["message"].endswith("(1 rad, 12 345,67 kr)")
    assert not [f for f in out["findings"] if f["slug"].startswith("sie-")]
    assert figures("--utfall", "export.se")["totals"] == figures()["totals"]


# ---- #PSALDO styles ----

SIE3 = ["#FLAGGA 0", "#FORMAT PC8", "#SIETYP 3", "#RAR 0 20250101 20251231", '#DIM 1 "Ansvar"', '#DIM 6 "Projekt"']


def test_period_balances_written_per_object_combination_are_parts(tmp_path):
    """Avendo: the line without objects holds only what was booked without
    objects; an account booked only on objects has no such line.  Their #RES
    is the sum of all lines."""
    path = write(tmp_path / "s.se", SIE3 + [
        "#RES 0 4010 1000.00", "#RES 0 3041 -700.00",
        "#PSALDO 0 202501 4010 {} 100.00", '#PSALDO 0 202501 4010 {1 "A"} 600.00',
        '#PSALDO 0 202501 4010 {1 "A" 6 "P"} 300.00',
        '#PSALDO 0 202501 3041 {1 "A"} -400.00', '#PSALDO 0 202501 3041 {1 "B"} -300.00'])
    grid = read_sie_grid(path, "s.se")
    assert rows(grid) == [["202501", "4010", "", "", Decimal("100.00")],
                          ["202501", "4010", "A", "", Decimal("600.00")],
                          ["202501", "4010", "A", "P", Decimal("300.00")],
                          ["202501", "3041", "A", "", Decimal("-400.00")],
                          ["202501", "3041", "B", "", Decimal("-300.00")]]
    assert grid.notes == []


def test_the_partition_style_is_seen_without_res(tmp_path):
    """No line without objects equals its parts, and some accounts have parts only: parts."""
    path = write(tmp_path / "s.se", SIE3 + [
        "#PSALDO 0 202501 4010 {} 100.00", '#PSALDO 0 202501 4010 {1 "A"} 600.00',
        '#PSALDO 0 202501 3041 {1 "A"} -400.00'])
    grid = read_sie_grid(path, "s.se")
    assert sum(r[-1] for r in rows(grid)) == Decimal("300.00")
    assert grid.notes == []


def test_the_total_style_is_seen_without_res(tmp_path):
    """A line without objects that equals its parts: the total, its parts a breakdown."""
    path = write(tmp_path / "s.se", SIE3 + [
        "#PSALDO 0 202501 4010 {} 1000.00", '#PSALDO 0 202501 4010 {1 "A"} 600.00',
        '#PSALDO 0 202501 4010 {1 "B"} 400.00',
        "#PSALDO 0 202502 4010 {} 500.00", '#PSALDO 0 202502 4010 {1 "A"} 200.00'])
    grid = read_sie_grid(path, "s.se")
    assert rows(grid) == [["202501", "4010", "A", Decimal("600.00")], ["202501", "4010", "B", Decimal("400.00")],
                          ["202502", "4010", "", Decimal("300.00")], ["202502", "4010", "A", Decimal("200.00")]]
    assert grid.notes == []


def test_res_settles_the_style_the_structure_leaves_open(tmp_path):
    """Only partial breakdowns, no account without its line: by structure the
    lines are parts, but #RES says the line without objects is the total."""
    lines = SIE3 + ["#PSALDO 0 202501 4010 {} 1000.00", '#PSALDO 0 202501 4010 {1 "A"} 600.00']
    grid = read_sie_grid(write(tmp_path / "s.se", lines + ["#RES 0 4010 1000.00"]), "s.se")
    assert sum(r[-1] for r in rows(grid)) == Decimal("1000.00") and grid.notes == []
    grid = read_sie_grid(write(tmp_path / "s.se", lines + ["#RES 0 4010 1600.00"]), "s.se")
    assert sum(r[-1] for r in rows(grid)) == Decimal("1600.00") and grid.notes == []


@pytest.mark.parametrize("extra, read_as", [
    ([], "som del (1 600,00 kr), som summa blir det 1 000,00 kr"),  # neither signature
    (["#PSALDO 0 202501 5010 {} 50.00", '#PSALDO 0 202501 5010 {1 "A"} 50.00', '#PSALDO 0 202501 3041 {1 "A"} -5.00'],
     "som summa (1 045,00 kr), som del blir det 1 695,00 kr"),  # both signatures
])
def test_an_unclear_style_is_read_and_warned(tmp_path, extra, read_as):
    path = write(tmp_path / "s.se", SIE3 + ["#PSALDO 0 202501 4010 {} 1000.00",
                                            '#PSALDO 0 202501 4010 {1 "A"} 600.00', *extra])
    [note] = read_sie_grid(path, "s.se").notes
    assert (note.slug, note.severity, note.where) == ("sie-psaldo", "varning", "s.se: rad 7")
    assert note.message == ("#PSALDO: oklart om raden utan objekt ({}) är kontots summa eller bara delen utan objekt; "
                            f"lästes {read_as} — jämför med huvudboken")


# ---- the file's own totals ----

def test_transactions_that_add_up_to_the_files_result_say_nothing(tmp_path):
    path = write(tmp_path / "e.se", HEAD + ["#RAR -1 20240101 20241231", "#RES 0 5011 150.00", "#RES 0 3010 -80.00",
                                            "#RES -1 5011 999.00", "#RES 0 1930 5.00"]
                 + ver(1, "20250115", "5011 {} 100.00", "3010 {} -80.00", "1930 {} -20.00")
                 + ver(2, "20250215", "5011 {} 50.00", "1930 {} -50.00")
                 + ver(3, "20241231", "5011 {} 7.00", "1930 {} -7.00"))  # last year's: not in #RES 0
    assert ledger_of(path).notes == []


def test_a_partial_export_is_warned_with_the_accounts_and_the_difference(tmp_path):
    path = write(tmp_path / "e.se", HEAD + ["#RES 0 5011 150.00", "#RES 0 3010 -80.00", "#RES 0 6110 12.50"]
                 + ver(1, "20250115", "5011 {} 100.00", "3010 {} -80.00", "1930 {} -20.00")
                 + ver(2, "20250215", "5460 {} 3.00", "1930 {} -3.00"))
    [note] = ledger_of(path).notes
    assert (note.slug, note.severity, note.where) == ("sie-summor", "varning", "e.se: rad 6")
    assert note.message == ("#TRANS för året stämmer inte med filens #RES för 3 konton: 5011 (100,00 kr mot 150,00 kr), "
                            "5460 (3,00 kr mot 0,00 kr), 6110 (0,00 kr mot 12,50 kr); skillnad -59,50 kr — en "
                            "ofullständig export? Utfallet är läst från #TRANS")


def test_corrections_are_left_out_of_the_comparison_as_of_the_ledger(tmp_path):
    """#BTRANS (removed) and #RTRANS (added, written again as #TRANS) are no rows;
    the file's #RES agrees with the #TRANS alone."""
    path = write(tmp_path / "e.se", HEAD + ["#RES 0 5011 60.00"] + [
        '#VER A 1 20250115 "Rättad"', "{", "   #TRANS 5011 {} 100.00", "   #BTRANS 5011 {} 100.00",
        "   #TRANS 5011 {} -40.00", "   #RTRANS 5011 {} -40.00", "   #TRANS 1930 {} -60.00", "}"])
    ledger = ledger_of(path)
    assert sums(ledger) == {(202501, "5011"): 6000} and ledger.notes == []


def test_transactions_are_compared_with_the_years_period_balances_when_the_file_has_no_result(tmp_path):
    lines = HEAD + ["#PSALDO 0 202501 5011 {} 100.00", "#PSALDO -1 202401 5011 {} 75.00"] \
        + ver(1, "20250115", "5011 {} 100.00", "1930 {} -100.00")
    assert ledger_of(write(tmp_path / "e.se", lines)).notes == []
    [note] = ledger_of(write(tmp_path / "e.se", lines + ver(2, "20250215", "5011 {} 1.00", "1930 {} -1.00"))).notes
    assert note.message.startswith("#TRANS för året stämmer inte med filens #PSALDO för 1 konto: "
                                   "5011 (101,00 kr mot 100,00 kr); skillnad 1,00 kr")


def test_period_balances_are_compared_with_the_files_result(tmp_path):
    path = write(tmp_path / "s.se", SIE3 + ["#RES 0 4010 1000.00", "#PSALDO 0 202501 4010 {} 400.00",
                                            "#PSALDO 0 202502 4010 {} 500.00", "#PSALDO -1 202412 4010 {} 7.00"])
    [note] = read_sie_grid(path, "s.se").notes
    assert (note.slug, note.where) == ("sie-summor", "s.se: rad 7")
    assert note.message == ("#PSALDO för året stämmer inte med filens #RES för 1 konto: 4010 (900,00 kr mot "
                            "1 000,00 kr); skillnad -100,00 kr — en ofullständig export? Utfallet är läst från #PSALDO")


# ---- dimensions ----

def test_dimensions_are_named_by_number_when_the_file_names_them_otherwise(book):
    """#DIM 1 "Avdelning" is Ansvar and #DIM 6 "Uppdragsnr" Projekt: the budget's
    patterns catch the same rows as from the sheet."""
    text = sie4(halmstad_ledger()).replace('#DIM 1 "Kostnadsställe"', '#DIM 1 "Avdelning"') \
        .replace('#DIM 6 "Projekt"', '#DIM 6 "Uppdragsnr"')
    Path("export.se").write_bytes(text.encode("cp437"))
    assert read_sie_grid(Path("export.se"), "export.se").rows[0] == [
        "Period", "Konto", "Ansvar", "Avdelning", "Projekt", "Uppdragsnr", "Verksamhet", "Aktivitet", "Motpart",
        "Belopp"]
    assert figures("--utfall", "export.se") == figures()


def test_a_dimension_keeps_its_name_when_ours_is_taken(tmp_path):
    path = write(tmp_path / "e.se", HEAD + ['#DIM 1 "Avdelning"', '#DIM 30 "Ansvar"']
                 + ver(1, "20250115", '5011 {1 "A" 30 "X"} 100.00', "1930 {} -100.00"))
    assert read_sie_grid(path, "e.se").rows[0] == ["Period", "Konto", "Avdelning", "Ansvar", "Belopp"]


def test_a_sub_dimensions_objects_count_under_its_parent(tmp_path):
    """#UNDERDIM 61 "Kubernetesdrift" 6: object 0036 of dimension 61 is a project."""
    path = write(tmp_path / "e.se", HEAD + ["#DIM 1 Resultatenhet", "#DIM 6 Projekt",
                                            '#UNDERDIM 61 "Kubernetesdrift" 6']
                 + ver(1, "20250115", '3041 {1 "Nord" 61 "0036"} -33000.00', '3041 {1 "Nord" 6 "0001"} -100.00',
                       '3041 {6 "0002" 61 "0036"} -1.00', "1510 {} 33101.00"))
    grid = read_sie_grid(path, "e.se")
    assert grid.rows[0] == ["Period", "Konto", "Resultatenhet", "Projekt", "Kubernetesdrift", "Belopp"]
    assert rows(grid) == [["202501", "3041", "Nord", "0036", "0036", Decimal("-33000.00")],
                          ["202501", "3041", "Nord", "0001", "", Decimal("-100.00")],
                          ["202501", "3041", "", "0002", "0036", Decimal("-1.00")]]


# ---- encoding ----

def test_utf8_under_format_pc8_is_read_as_utf8(tmp_path):
    path = write(tmp_path / "e.se", HEAD + ['#DIM 1 "Kostnadsställe"', '#DIM 7 "Anställningsnummer"']
                 + ver(1, "20250115", '5011 {1 "Förvaltning" 7 "12"} 100.00', "1930 {} -100.00"), encoding="utf-8")
    grid = read_sie_grid(path, "e.se")
    assert grid.rows[0] == ["Period", "Konto", "Kostnadsställe", "Anställningsnummer", "Belopp"]
    assert rows(grid)[0][2] == "Förvaltning"


def test_pc8_stays_cp437_when_its_bytes_are_no_utf8(tmp_path):
    path = write(tmp_path / "e.se", HEAD + ['#DIM 1 "Kostnadsställe"']
                 + ver(1, "20250115", '5011 {1 "Förvaltning"} 100.00', "1930 {} -100.00"))
    assert rows(read_sie_grid(path, "e.se"))[0][2] == "Förvaltning"


@pytest.mark.parametrize("line, message", [
    ("#PSALDO x 202508 6110 {} 100.00", '"x" i #PSALDO är inget årsnummer (0 för i år, -1 för året före …)'),
    ("#RES 0 6110", "#RES behöver årsnummer, konto och belopp"),
    ("#RES nu 6110 100.00", '"nu" i #RES är inget årsnummer (0 för i år, -1 för året före …)'),
    ('#DIM x "Avdelning"', "#DIM behöver ett dimensionsnummer och ett namn"),
    ('#UNDERDIM 21 "Team"', "#UNDERDIM behöver ett dimensionsnummer, ett namn och den överordnade dimensionens nummer"),
    ("#RAR 0 2025 20251231", "#RAR behöver årsnummer, första och sista dag (ÅÅÅÅMMDD)"),
])
def test_a_malformed_line_we_read_stops_the_run(book, line, message):
    """#PSALDO, #RES, #DIM, #UNDERDIM and #RAR decide what is read and how: a malformed one is not skipped."""
    rar = [] if line.startswith("#RAR") else [HEAD[4]]  # the line is line 5, after the head's first four
    lines = [*HEAD[:4], line, *rar, '#VER A 1 20250115 ""', "{", "#TRANS 6110 {} 100.00", "#TRANS 2440 {} -100.00", "}"]
    export = write(book.parent / "e.se", lines)
    before = book.read_bytes()
    result = CliRunner().invoke(main, [str(book), "--utfall", str(export)])
    assert result.exit_code == 1
    assert result.stderr == f"{export}: rad 5: {message}\n"
    assert book.read_bytes() == before
