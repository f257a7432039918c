"""Sammanställning, ready to paste into the report: rows aligned alike, an
empty narrow column before Kommentar, Intecknat and Kvar att disponera only
where something is committed on cost rows, headings that say the year and
the unit and never run together, Summa intäkter / Summa kostnader / Resultat
for a unit with income, the opening sentence inside the print area, the
report layout (Layout = rapport), the first column's heading, and Jämna
summor — with the economist's Kommentar carried under every layout."""

from __future__ import annotations

import re
import shutil
import subprocess
from fractions import Fraction
from pathlib import Path

import libreoffice
import openpyxl
import pytest
from click.testing import CliRunner
from examples import copy_example
from report_workbook import report_workbook

from toolkit.cli import main
from toolkit.money import round_half_up
from toolkit.render.summary import wrapped_lines

SHEET = "Sammanställning"
FIGURES = ["Budget", "Utfall", "Utfall %", "Avvikelse (periodiserad)", "Prognos", "Avvikelse budget–prognos"]


def refresh(path: Path, *more: object) -> str:
    result = CliRunner().invoke(main, [str(path), "--no-backup", *map(str, more)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def consolidate(out: Path, *units: Path) -> None:
    result = CliRunner().invoke(main, ["consolidate", *map(str, units), "--output", str(out), "--no-backup"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output


class Table:
    """Sammanställning as written: its heading row, its columns by heading (line breaks read as spaces),
    and its rows from the first below the headings to Totalt (and Resultat below it) — empty rows included."""

    def __init__(self, path: Path):
        self.ws = openpyxl.load_workbook(path)[SHEET]
        self.values = openpyxl.load_workbook(path, data_only=True)[SHEET]
        ws = self.ws
        self.header = next(r for r in range(1, 30) if "Kommentar" in [ws.cell(r, c).value
                                                                       for c in range(1, ws.max_column + 1)])
        self.headings = [ws.cell(self.header, c).value for c in range(1, ws.max_column + 1)]
        self.comment = self.headings.index("Kommentar") + 1
        self.col = {" ".join(h.split()): c for c, h in enumerate(self.headings, start=1) if h}
        self.rows: list[int] = []
        r = self.header + 1
        while r <= ws.max_row:
            label = ws.cell(r, 1).value
            if label is None and ws.cell(r + 1, 1).value is None:
                break
            self.rows.append(r)
            if label == "Totalt" and ws.cell(r + 1, 1).value != "Resultat" or label == "Resultat" and \
                    ws.cell(r - 1, 1).value == "Totalt":
                break
            r += 1
        self.last = self.rows[-1]

    def labels(self) -> list[str | None]:
        return [self.ws.cell(r, 1).value for r in self.rows]

    def row(self, label: str, nth: int = 0) -> int:
        return [r for r in self.rows if self.ws.cell(r, 1).value == label][nth]

    def column(self, heading: str) -> int:
        """The column whose heading starts so ("Budget" → "Budget 2025 i tkr")."""
        return next(c for name, c in self.col.items() if name == heading or name.startswith(heading + " "))

    def value(self, label: str, heading: str, nth: int = 0):
        return self.values.cell(self.row(label, nth), self.column(heading)).value


@pytest.fixture
def halmstad(tmp_path) -> Path:
    path = copy_example("Halmstad.xlsx", tmp_path)
    refresh(path)
    return path


@pytest.fixture
def navet(tmp_path) -> Path:
    path = copy_example("Navet.xlsx", tmp_path)
    refresh(path)
    return path


def written(tmp_path: Path, name: str = "Rapport.xlsx", **settings) -> Path:
    path = report_workbook(tmp_path / name, **settings)
    refresh(path)
    return path


REPORT = {"Layout": "rapport", "Rubrik första kolumnen": "Kontoklass"}


# -- alignment and the gap before Kommentar ---------------------------------------------------------------------


@pytest.mark.parametrize("settings", [{}, REPORT], ids=["träd", "rapport"])
def test_every_cell_of_a_row_is_aligned_to_the_top(tmp_path, settings):
    """Labels, figures and the Kommentar start on the same line, however tall the row is; the
    headings stand on the bottom of theirs."""
    t = Table(written(tmp_path, **settings))
    tall = 0
    for r in t.rows:
        cells = [t.ws.cell(r, c) for c in range(1, t.comment + 1)]
        aligned = {c.alignment.vertical for c in cells if c.value is not None or c.has_style}
        assert aligned <= {"top"}, (r, aligned)
        if t.ws.cell(r, t.comment).value:
            assert t.ws.cell(r, t.comment).alignment.wrap_text, r
            if len(t.ws.cell(r, t.comment).value) > 70:  # a comment of two lines or more: the row holds them
                tall += 1
                assert t.ws.row_dimensions[r].height >= 30, r
    assert tall >= 1
    # the headings on the bottom of theirs (Excel's default, which the file leaves unsaid)
    assert {t.ws.cell(t.header, c).alignment.vertical for c in range(1, t.comment + 1)} <= {None, "bottom"}


def test_a_comment_is_given_the_lines_it_wraps_to():
    assert wrapped_lines("Kort.", 50) == 1
    assert wrapped_lines(" ".join(["ord"] * 13), 50) == 1  # 51 characters: within 55 a line
    assert wrapped_lines(" ".join(["ord"] * 15), 50) == 2  # 59
    assert wrapped_lines("Första stycket.\nAndra stycket.", 50) == 2
    assert wrapped_lines("x" * 120, 50) == 3  # a word longer than a line is broken


def test_an_empty_narrow_column_stands_before_kommentar(halmstad):
    t = Table(halmstad)
    gap = t.comment - 1
    assert t.headings[gap - 1] == ""
    assert t.ws.column_dimensions[openpyxl.utils.get_column_letter(gap)].width <= 3
    assert all(t.ws.cell(r, gap).value is None for r in t.rows)
    assert t.ws.cell(t.header, gap).border.bottom.style is None  # the headings' rule stops: a visible gap
    assert t.ws.cell(t.header, t.comment).border.bottom.style == "thin"


def test_text_typed_in_the_gap_is_kept(halmstad):
    t = Table(halmstad)
    r = t.row("Övrigt")
    book = openpyxl.load_workbook(halmstad)
    book[SHEET].cell(r, t.comment - 1, "i mellanrummet")
    book.save(halmstad)
    refresh(halmstad)
    t = Table(halmstad)
    kept = [(t.ws.cell(r, 1).value, t.ws.cell(r, t.comment).value) for r in range(t.last + 1, t.ws.max_row + 1)]
    ref = f"{openpyxl.utils.get_column_letter(t.comment - 1)}{r}"
    assert (f"Utanför tabellen ({ref})", "i mellanrummet") in kept


# -- Intecknat and Kvar att disponera ---------------------------------------------------------------------------


def committed_cells(t: Table, label: str, nth: int = 0) -> tuple:
    return t.value(label, "Intecknat", nth), t.value(label, "Kvar att disponera", nth)


def test_intecknat_and_kvar_only_where_something_is_committed_on_cost_rows(tmp_path, halmstad):
    t = Table(written(tmp_path))
    assert committed_cells(t, "Folkhälsa unga") == (40, pytest.approx(90 - 71.7855 - 40))
    assert committed_cells(t, "Mötesplats seniorer") == (25, pytest.approx(60 - 43.0265 - 25))
    summa = committed_cells(t, "Summa Övriga driftkostnader")
    assert summa[0] == 65 and summa[1] == pytest.approx(t.value("Summa Övriga driftkostnader", "Budget")
                                                        - t.value("Summa Övriga driftkostnader", "Utfall") - 65)
    assert committed_cells(t, "Summa kostnader")[0] == 65
    for label in ("Digital delaktighet", "Ofördelat", "Arvoden förtroendevalda", "Summa Personalkostnader",
                  "Bidrag", "Övriga intäkter", "Summa Intäkter", "Summa intäkter", "Totalt", "Resultat"):
        assert committed_cells(t, label) == (None, None), label  # nothing committed, income, or net
    # a unit of costs only: its Totalt shows what is committed and what is left
    h = Table(halmstad)
    assert committed_cells(h, "Totalt")[0] == 65
    assert committed_cells(h, "Summa Arvoden och ersättningar") == (None, None)


def test_a_consolidation_shows_no_kvar_on_income_rows(tmp_path):
    units = tmp_path / "enheter"
    units.mkdir()
    report_workbook(units / "A.xlsx")
    copy_example("Halmstad.xlsx", units)
    out = tmp_path / "Förbund.xlsx"
    consolidate(out, units)
    t = Table(out)
    for label in ("Bidrag", "Övriga intäkter", "Summa Intäkter", "Summa intäkter", "Totalt", "Resultat"):
        assert committed_cells(t, label) == (None, None), label
    assert [committed_cells(t, "Folkhälsa unga", n)[0] for n in (0, 1)] == [40, 40]  # A's line and Halmstad's


# -- the headings -----------------------------------------------------------------------------------------------


def test_headings_say_the_year_and_the_unit_and_never_run_together(halmstad):
    t = Table(halmstad)
    assert t.headings == ["Rad", "Budget 2025\ni tkr", "Utfall\njan–aug", "Utfall %", "Avvikelse\n(periodiserad)",
                          "Prognos\n2025", "Avvikelse\nbudget–prognos", "Intecknat", "Kvar att\ndisponera", "",
                          "Kommentar"]
    lines = max(h.count("\n") + 1 for h in t.headings)
    assert t.ws.row_dimensions[t.header].height >= 15 * lines  # every line of every heading shows
    for c, heading in enumerate(t.headings[1:t.comment - 2], start=2):
        cell = t.ws.cell(t.header, c)
        assert cell.alignment.horizontal == "right" and cell.alignment.wrap_text, heading
        width = t.ws.column_dimensions[openpyxl.utils.get_column_letter(c)].width
        # each line fits its column with room to spare: two right-aligned headings never touch, and the
        # lines break only where the heading breaks them
        assert width >= max(len(line) for line in heading.split("\n")) + 3, heading
    assert len(set(t.headings)) == len(t.headings)


def test_the_unit_shown_is_in_the_heading(tmp_path):
    t = Table(written(tmp_path, **{"Visa i": "kr"}))
    assert t.headings[1] == "Budget 2025\ni kr"


# -- income: Summa intäkter, Summa kostnader, Resultat ----------------------------------------------------------


def test_a_unit_with_income_adds_up_to_its_resultat(navet):
    t = Table(navet)
    assert t.labels()[-6:] == ["Övriga kostnader", "Ej budgeterat", "Summa intäkter", "Summa kostnader", "Totalt",
                               "Resultat"]
    for heading in ("Budget", "Utfall", "Prognos"):
        incomes, costs = t.value("Summa intäkter", heading), t.value("Summa kostnader", heading)
        assert incomes == pytest.approx(t.value("Summa Intäkter", heading))
        assert costs == pytest.approx(sum(t.value(label, heading) for label in (
            "Personalkostnader", "Lokalkostnader", "Övriga kostnader", "Ej budgeterat")))
        assert t.value("Totalt", heading) == pytest.approx(costs - incomes)  # net cost, as the summary line
        assert t.value("Resultat", heading) == pytest.approx(incomes - costs)
    # favourable positive on every row: the variances add up
    variance = "Avvikelse (periodiserad)"
    assert t.value("Resultat", variance) == pytest.approx(t.value("Totalt", variance)) == pytest.approx(
        t.value("Summa intäkter", variance) + t.value("Summa kostnader", variance))
    r = t.row("Resultat")
    assert t.ws.cell(r, t.column("Budget")).value == f"=B{t.row('Summa intäkter')}-B{t.row('Summa kostnader')}"


def test_a_unit_of_costs_only_ends_with_totalt(halmstad):
    labels = Table(halmstad).labels()
    assert labels[-2:] == ["Ej budgeterat", "Totalt"]
    assert not {"Summa intäkter", "Summa kostnader", "Resultat"} & set(labels)


# -- the opening sentence ---------------------------------------------------------------------------------------


def print_area(path: Path, ws) -> tuple[int, int]:
    """(last row, last column) of the sheet's print area."""
    area = openpyxl.load_workbook(path)[SHEET].print_area
    last = re.search(r"\$([A-Z]+)\$(\d+)$", area if isinstance(area, str) else area[0])
    return int(last[2]), openpyxl.utils.column_index_from_string(last[1])


@pytest.mark.parametrize("settings", [{}, REPORT], ids=["träd", "rapport"])
def test_the_opening_sentence_is_inside_the_print_area(tmp_path, settings):
    path = written(tmp_path, **settings)
    t = Table(path)
    r = t.last + 2
    sentence = t.ws.cell(r, 1).value
    # the unit as a whole in the same words as Analys' first row and the report's first paragraph
    assert sentence == ("Lokal nämnd Exempel har totalt sett en ekonomi i balans. Lokal nämnd Exempels utfall för "
                        "perioden januari–augusti är 668 tkr med en positiv budgetavvikelse om 187 tkr. Prognosen för "
                        "helåret är utfall enligt budget.")
    analysis = openpyxl.load_workbook(path)["Analys"]
    first = next(r for r in range(1, 20) if analysis.cell(r, 1).value == "Totalt")
    assert sentence == analysis.cell(first, 2).value
    last_row, last_col = print_area(path, t.ws)
    assert last_row >= r and last_col >= t.comment
    merged = next(m for m in t.ws.merged_cells.ranges if m.min_row == r)
    assert (merged.min_col, merged.max_col) == (1, t.comment - 2)  # across the figures, wrapped
    assert t.ws.cell(r, 1).alignment.wrap_text


# -- the report layout ------------------------------------------------------------------------------------------


def test_the_report_layout_is_an_overview_then_a_breakdown_per_class(tmp_path):
    t = Table(written(tmp_path, **REPORT))
    assert t.headings[0] == "Kontoklass"
    rows = [(t.ws.cell(r, 1).value, int(t.ws.cell(r, 1).alignment.indent or 0)) for r in t.rows]
    assert rows == [
        ("Intäkter", 0), ("Personalkostnader", 0), ("Övriga driftkostnader", 0),
        ("Summa intäkter", 0), ("Summa kostnader", 0), ("Resultat", 0), (None, 0),
        ("Intäkter, fördelning:", 0), ("Bidrag", 1), ("Övriga intäkter", 1), ("Summa Intäkter", 0), (None, 0),
        ("Personalkostnader, fördelning:", 0), ("Arvoden förtroendevalda", 1), ("Sociala avgifter", 1),
        ("Förlorad arbetsinkomst", 1), ("Reseersättningar", 1), ("Summa Personalkostnader", 0), (None, 0),
        ("Övriga driftkostnader, fördelning:", 0), ("Politisk verksamhet", 1),
        ("Utvecklingsmedel 450\u00a0tkr", 1), ("Insatser för jämlik hälsa 150\u00a0tkr", 2),
        ("Folkhälsa unga", 3), ("Mötesplats seniorer", 3), ("Digital delaktighet", 2), ("Ofördelat", 2),
        ("Summa Övriga driftkostnader", 0), (None, 0), ("Totalt", 0)]
    for heading in ("Budget", "Utfall", "Avvikelse (periodiserad)", "Prognos"):
        for label in ("Intäkter", "Personalkostnader", "Övriga driftkostnader"):
            assert t.value(label, heading) == pytest.approx(t.value(f"Summa {label}", heading)), (label, heading)
        block = ["Politisk verksamhet", "Folkhälsa unga", "Mötesplats seniorer", "Digital delaktighet", "Ofördelat"]
        assert t.value("Summa Övriga driftkostnader", heading) == pytest.approx(
            sum(t.value(label, heading) for label in block)), heading
        sign = 1 if heading.startswith("Avvikelse") else -1  # a variance is favourable positive on every row
        assert t.value("Totalt", heading) == pytest.approx(
            t.value("Summa kostnader", heading) + sign * t.value("Summa intäkter", heading))
    for label in ("Utvecklingsmedel 450\u00a0tkr", "Insatser för jämlik hälsa 150\u00a0tkr"):
        assert all(t.ws.cell(t.row(label), c).value is None for c in range(2, t.comment - 1)), label


def test_the_report_layout_of_a_unit_of_costs_only(halmstad):
    book = openpyxl.load_workbook(halmstad)
    book["Inställningar"].append(["Layout", "rapport"])
    book.save(halmstad)
    refresh(halmstad)
    t = Table(halmstad)
    labels = t.labels()
    assert labels[:7] == ["Arvoden och ersättningar", "Utvecklingsmedel", "Kurs och konferens", "Övrigt",
                          "Ej budgeterat", "Summa", None]
    assert labels[-2:] == [None, "Totalt"]
    assert "Resultat" not in labels
    for heading in ("Budget", "Utfall", "Prognos", "Intecknat"):
        assert t.value("Summa", heading) == pytest.approx(t.value("Totalt", heading))


def test_a_bad_layout_stops_the_run(tmp_path):
    path = report_workbook(tmp_path / "R.xlsx", Layout="tabell")
    before = path.read_bytes()
    result = CliRunner().invoke(main, [str(path)])
    assert (result.exit_code, result.stderr) == (1, f'{path}: Inställningar!B5: "tabell" är inte träd eller rapport\n')
    assert path.read_bytes() == before
    path = report_workbook(tmp_path / "J.xlsx", **{"Jämna summor": "kanske"})
    result = CliRunner().invoke(main, [str(path)])
    assert (result.exit_code, result.stderr) == (1, f'{path}: Inställningar!B5: "kanske" är inte ja eller nej\n')


# -- the Kommentar carried under every layout -------------------------------------------------------------------

TYPED = {  # label on the tree's sheet → (label on the report's sheet, text)
    "Folkhälsa unga": ("Folkhälsa unga", "Två nya grupper i höst"),
    "Ofördelat": ("Ofördelat", "Beslut i september"),
    "Insatser för jämlik hälsa": ("Insatser för jämlik hälsa 150\u00a0tkr", "Insatserna följs upp i oktober"),
    "Summa Övriga driftkostnader": ("Summa Övriga driftkostnader", "Inom ramen"),
    "Summa kostnader": ("Summa kostnader", "Kostnaderna följer budget"),
    "Resultat": ("Resultat", "Nämndens resultat"),
    "Bidrag": ("Bidrag", "Regionens bidrag"),
}


def type_comments(path: Path, report: bool) -> None:
    t = Table(path)
    book = openpyxl.load_workbook(path)
    for tree_label, (report_label, text) in TYPED.items():
        book[SHEET].cell(t.row(report_label if report else tree_label), t.comment, text)
    book.save(path)


def typed_comments(path: Path, report: bool) -> dict[str, str]:
    t = Table(path)
    return {tree: t.ws.cell(t.row(label if report else tree), t.comment).value
            for tree, (label, _) in TYPED.items()}


EXPECTED = {tree: text for tree, (_, text) in TYPED.items()}


@pytest.mark.parametrize("layout", ["träd", "rapport"])
@pytest.mark.parametrize("even", ["nej", "ja"])
def test_typed_comments_are_carried_across_refreshes(tmp_path, layout, even):
    path = written(tmp_path, Layout=layout, **{"Jämna summor": even, "Rubrik första kolumnen": "Kontoklass"})
    type_comments(path, layout == "rapport")
    refresh(path)
    assert typed_comments(path, layout == "rapport") == EXPECTED
    text = "\n".join(str(v) for row in openpyxl.load_workbook(path)["Avstämning"].iter_rows(values_only=True)
                     for v in row if v)
    assert "kommentar-utan-rad" not in text
    once = path.read_bytes()
    refresh(path)
    assert path.read_bytes() == once  # nothing new: nothing changes


def test_comments_follow_their_lines_when_the_layout_changes(tmp_path):
    path = written(tmp_path)
    type_comments(path, report=False)
    refresh(path)
    book = openpyxl.load_workbook(path)
    book["Inställningar"].append(["Layout", "rapport"])
    book.save(path)
    refresh(path)
    assert typed_comments(path, report=True) == EXPECTED


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="soffice not installed")
def test_comments_in_the_report_layout_survive_a_libreoffice_save(tmp_path):
    """The sub-headings' lines are found by their indents, which LibreOffice keeps."""
    path = written(tmp_path, **REPORT)
    type_comments(path, report=True)
    out = tmp_path / "saved"
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", "xlsx", "--outdir", str(out), str(path)], check=True, capture_output=True,
                   timeout=180)
    saved = out / path.name
    refresh(saved)
    assert typed_comments(saved, report=True) == EXPECTED


# -- Jämna summor -----------------------------------------------------------------------------------------------

SUM = re.compile(r"^=([+-]?[A-Z]+\d+)((?:[+-][A-Z]+\d+)*)$")


def formula_value(t: Table, formula: str) -> float | None:
    """The value of a sum of cells (=B5+B6-B7) from the cells' stored values; None for any other formula."""
    m = SUM.match(formula)
    if not m:
        return None
    total = 0.0
    for sign, ref in re.findall(r"([+-]?)([A-Z]+\d+)", formula[1:]):
        value = t.values[ref].value or 0
        total += -value if sign == "-" else value
    return total


AMOUNTS = ["Budget", "Utfall", "Avvikelse (periodiserad)", "Prognos", "Intecknat"]


@pytest.mark.parametrize("settings", [{}, REPORT], ids=["träd", "rapport"])
def test_even_sums_add_up_and_stay_within_one_of_the_exact_amounts(tmp_path, settings):
    exact = Table(written(tmp_path, "Exakt.xlsx", **settings))
    path = written(tmp_path, **settings, **{"Jämna summor": "ja"})
    t = Table(path)
    assert t.labels() == exact.labels()
    sums = 0
    for r in t.rows:
        for heading in AMOUNTS:
            c = t.column(heading)
            shown, formula = t.values.cell(r, c).value, t.ws.cell(r, c).value
            if shown is None:
                continue
            assert shown == int(shown), (r, heading)  # whole amounts
            assert abs(shown - exact.values.cell(r, c).value) < 1, (r, heading)
            if isinstance(formula, str) and (value := formula_value(t, formula)) is not None:
                assert value == shown, (r, heading, formula)  # every Summa is the sum of the rows it shows
                sums += "+" in formula or "-" in formula[1:]
    assert sums >= 20
    # the rows of the issue: the rounded personnel lines did not add up; now they do
    personnel = ["Arvoden förtroendevalda", "Sociala avgifter", "Förlorad arbetsinkomst", "Reseersättningar"]
    assert [round_half_up(Fraction(repr(exact.value(label, "Utfall")))) for label in personnel] == [316, 112, 41, 6]
    assert round_half_up(Fraction(repr(exact.value("Summa Personalkostnader", "Utfall")))) == 476
    assert [t.value(label, "Utfall") for label in personnel] == [316, 112, 42, 6]
    assert t.value("Summa Personalkostnader", "Utfall") == 476


def test_even_sums_list_each_adjustment_on_avstamning(tmp_path):
    exact = Table(written(tmp_path, "Exakt.xlsx"))
    path = written(tmp_path, **{"Jämna summor": "ja"})
    t = Table(path)
    moved = set()
    for r in t.rows:
        label = t.ws.cell(r, 1).value
        for heading in AMOUNTS:
            c = t.column(heading)
            shown = t.values.cell(r, c).value
            if shown is not None and shown != round_half_up(Fraction(repr(exact.values.cell(r, c).value))):
                moved.add((label, heading, shown))
    assert moved
    rows = list(openpyxl.load_workbook(path, data_only=True)["Avstämning"].iter_rows(values_only=True))
    start = next(i for i, row in enumerate(rows) if row[0] == "Jämna summor på Sammanställning")
    assert rows[start + 2][:5] == ("Rad", "Kolumn", "Exakt belopp (kr)", "Avrundat (tkr)", "Visat (tkr)")
    listed = set()
    for row in rows[start + 3:]:
        if row[0] is None:
            break
        path_label, heading, exact_kr, rounded, shown = row[:5]
        label = path_label.split(" › ")[-1]
        if label not in t.labels() or t.value(label, "Budget") is None:  # a heading's figures: on its Summa row
            label = f"Summa {label}"
        assert round_half_up(Fraction(repr(exact_kr)) / 1000) == rounded != shown
        assert t.value(label, heading) == shown, (label, heading)
        listed.add((label, heading, shown))
    assert listed == moved


def test_without_even_sums_the_amounts_are_exact(tmp_path):
    t = Table(written(tmp_path))
    assert t.value("Arvoden förtroendevalda", "Utfall") == pytest.approx(315.615)
    assert "Jämna summor på Sammanställning" not in [
        row[0] for row in openpyxl.load_workbook(tmp_path / "Rapport.xlsx")["Avstämning"].iter_rows(values_only=True)]


@pytest.mark.libreoffice
@pytest.mark.skipif(not libreoffice.available(), reason="LibreOffice (soffice) is not installed")
@pytest.mark.parametrize("settings", [{"Jämna summor": "ja"}, {**REPORT, "Jämna summor": "ja"}, REPORT],
                         ids=["träd-jämna", "rapport-jämna", "rapport"])
def test_libreoffice_recalculates_the_stored_values(tmp_path, settings):
    path = written(tmp_path, **settings)
    lo = libreoffice.sheets_as_csv(path, tmp_path)[SHEET]
    t = Table(path)
    compared = 0
    for r in t.rows:
        for c in range(2, t.comment):
            value = t.values.cell(r, c).value
            if isinstance(value, (int, float)):
                seen = lo[r - 1][c - 1]
                seen = float(seen[:-1]) / 100 if seen.endswith("%") else float(seen)
                assert seen == pytest.approx(value, rel=1e-9, abs=1e-9), (r, c)
                compared += 1
    assert compared > 100


# -- the economist's formulas when Kommentar moves -----------------------------------------------------------


def test_an_own_formula_keeps_pointing_at_the_same_figures_when_kommentar_moves(tmp_path):
    from report_workbook import BUDGET, LEDGER
    from workbook_factory import write_workbook

    settings = [["Inställning", "Värde"], ["Enhet", "Lokal nämnd Exempel"], ["År", 2025], ["Period", 8]]
    path = write_workbook(tmp_path / "Egen.xlsx", {"Inställningar": settings, "Budget": BUDGET, "Utfall": LEDGER})
    refresh(path)
    t = Table(path)
    row, budget, actual = t.row("Sociala avgifter"), t.col["Budget 2025 i tkr"], t.col["Utfall jan–aug"]
    b, u = openpyxl.utils.get_column_letter(budget), openpyxl.utils.get_column_letter(actual)
    own, ratio = t.comment + 1, t.comment + 2  # two columns of the economist's after Kommentar
    mine = openpyxl.utils.get_column_letter(own)
    book = openpyxl.load_workbook(path)
    book[SHEET].cell(t.header, own, "Andel")
    book[SHEET].cell(t.header, ratio, "Dubbel andel")
    book[SHEET].cell(row, own, f"={u}{row}/{b}{row}")
    book[SHEET].cell(row, ratio, f"=2*{mine}{row}")
    book.save(path)
    # the commitments go: Intecknat and Kvar att disponera go, Kommentar and the own columns move two left
    no_commitments = [[*line[:7], None, *line[8:]] if i else line for i, line in enumerate(BUDGET)]
    write_workbook(tmp_path / "Budget.xlsx", {"Budget": no_commitments})
    result = CliRunner().invoke(main, [str(path), "--budget", str(tmp_path / "Budget.xlsx"), "--no-backup"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    moved = Table(path)
    assert moved.comment == t.comment - 2 and "Intecknat" not in moved.col
    r = moved.row("Sociala avgifter")
    assert moved.ws.cell(r, moved.comment + 1).value == f"={u}{r}/{b}{r}"  # still Utfall / Budget of its own row
    assert moved.ws.cell(r, moved.comment + 2).value == f"=2*{openpyxl.utils.get_column_letter(moved.comment + 1)}{r}"
