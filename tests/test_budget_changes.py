"""Budgetändringar: the revised budget (original + changes dated up to the
closing period), each change periodised from its month, the budget bridge,
the omfördelning balance, and every figure on the revised budget — on tiny
inline tables; the sheet read back from a written workbook."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import openpyxl
import pytest
from builders import node, run, slugs
from hypothesis import given, settings
from hypothesis import strategies as st
from workbook_factory import write_workbook

from toolkit.engine import monthly
from toolkit.engine.changes import phased_share, spread
from toolkit.engine.shown import summary_table
from toolkit.job import Job

HEADER = ["Datum", "Rad", "Belopp", "Typ", "Beslut", "Från januari", "Kommentar"]
BUDGET = [
    ["Rad", "Överordnad", "Budget", "Konto", "Periodisering", "Uppdrag", "Intecknat"],
    ["Drift", None, None, None, None, "Verksamhet", None],
    ["Lokaler", "Drift", 120_000, "61*", None, None, None],
    ["Personal", "Drift", 240_000, "5*", None, None, 10_000],
    ["Utveckling", None, 100_000, "4*", "Höst", "Utveckling", None],
    ["Avgifter", None, 60_000, "3*", None, "Avgifter", None],
]
KEYS = [["Nyckel", "Jan", "Feb", "Mar", "Apr", "Maj", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dec"],
        ["Höst", 1, 1, 1, 1, 1, 1, 0, 0, 2, 2, 2, 1]]
LEDGER = [["Period", "Konto", "Belopp"], [202503, 6110, 10_000], [202506, 5010, 20_000], [202507, 4010, 5_000],
          [202505, 3010, -30_000]]


def changes(*rows) -> list[list]:
    return [HEADER, *[list(r) + [None] * (len(HEADER) - len(r)) for r in rows]]


def unit(*rows, period: int = 8, method: str = "budget", budget=BUDGET):
    return run(budget, LEDGER, KEYS, period=period, method=method, changes=changes(*rows) if rows else None)


def line_area(report, label: str) -> monthly.Series:
    """The periodised budget month by month of a top-level line (its Månadsuppföljning area)."""
    return next(a.series for a in report.monthly if a.kind == monthly.LINE and a.name == label)


# -- the revised budget and its periodisation -----------------------------------------------------------------------

def test_a_june_change_moves_the_periodised_budget_only_from_june_on():
    before = unit()
    after = unit(["2025-06-10", "Avgifter", 70_000, "Tilläggsanslag"])
    old, new = line_area(before, "Avgifter").phased, line_area(after, "Avgifter").phased
    assert new[:5] == old[:5]  # January–May as before
    assert all(n - o == Fraction(70_000_00, 7) for n, o in zip(new[5:], old[5:]))  # Linjär: 1/7 of it a month
    assert sum(new) == 130_000_00  # the months add up to the revised budget, exactly
    f = node(after, "Avgifter").figures
    assert (f.original, f.changes, f.budget) == (60_000_00, 70_000_00, 130_000_00)
    assert f.phased == Fraction(60_000_00 * 8, 12) + Fraction(70_000_00 * 3, 7)  # June, July, August of June–December
    assert f.phased == sum(new[:8])


def test_a_change_follows_the_lines_key_renormalised_from_its_month():
    report = unit(["2025-08-20", "Utveckling", 60_000, "Ombudgetering"])
    f = node(report, "Utveckling").figures
    # Höst (13 in all, 6 of it Jan–Aug) from August: Aug 0, Sep–Dec 2, 2, 2, 1 → nothing of the change in the period
    assert f.phased == Fraction(100_000_00 * 6, 13)
    assert line_area(report, "Utveckling").phased[8] == Fraction(100_000_00 * 2, 13) + Fraction(60_000_00 * 2, 7)


def test_from_january_spreads_the_change_like_the_original_budget():
    report = unit(["2025-06-10", "Lokaler", 24_000, "Tilläggsanslag", "RS 1", "ja"])
    line = node(report, "Lokaler")
    assert line.figures.phased == line.figures.budget * Fraction(8, 12) == 96_000_00
    assert line.phased_by_key  # the sheet's variance may show the key: =B*8/12-C
    timed = node(unit(["2025-06-10", "Lokaler", 24_000, "Tilläggsanslag"]), "Lokaler")
    assert not timed.phased_by_key


def test_a_change_after_the_closing_period_is_listed_but_not_counted():
    report = unit(["2025-09-01", "Lokaler", 50_000, "Tilläggsanslag", "RS 9"], period=8)
    f = node(report, "Lokaler").figures
    assert (f.budget, f.changes) == (120_000_00, 0)
    [change] = report.changes
    assert not change.counted and change.path == ("Drift", "Lokaler")
    assert not report.has_changes  # Sammanställning keeps its columns
    [note] = [x for x in report.findings if x.slug == "andring-efter-perioden"]
    assert note.severity == "info" and note.where == "Budgetändringar!B2"
    assert note.message == ('ändringen av "Drift › Lokaler" (+50 000,00 kr, 2025-09-01) är daterad efter '
                            "bokslutsperioden (augusti 2025) och ingår inte i budgeten än")
    later = unit(["2025-09-01", "Lokaler", 50_000, "Tilläggsanslag"], period=9)  # counted once September closes
    assert node(later, "Lokaler").figures.budget == 170_000_00


def test_a_change_dated_last_year_counts_from_january():
    report = unit(["2024-12-15", "Lokaler", 12_000, "Ombudgetering"])
    f = node(report, "Lokaler").figures
    assert (f.budget, f.phased) == (132_000_00, 88_000_00)


# -- every figure on the revised budget ------------------------------------------------------------------------------

@pytest.mark.parametrize("method", ["budget", "rest", "trend"])
def test_the_revised_budget_drives_every_figure(method):
    report = unit(["2025-03-01", "Personal", 36_000, "Tilläggsanslag"], method=method)
    f = node(report, "Personal").figures
    budget, phased, actual = Fraction(276_000_00), Fraction(240_000_00 * 8, 12) + Fraction(36_000_00 * 6, 10), 20_000_00
    assert (f.budget, f.phased, f.actual) == (budget, phased, actual)
    assert f.variance == phased - actual
    assert f.actual_share == actual / budget
    assert f.available == budget - actual - 10_000_00
    expected = {"budget": budget, "rest": actual + budget - phased, "trend": actual / Fraction(8, 12)}[method]
    assert f.forecast == expected
    assert f.forecast_variance == budget - expected
    # up the tree, Resultaträkning's groups, Totalt and the months
    assert node(report, "Drift").figures.budget == 120_000_00 + budget
    assert dict(report.assignments)["Verksamhet"].budget == -(120_000_00 + budget)  # result sign: costs −
    assert report.total.budget == 120_000_00 + budget + 100_000_00 - 60_000_00
    assert report.total.changes == 36_000_00
    total = next(a.series for a in report.monthly if a.kind == monthly.TOTAL)
    assert total.budget == report.total.budget
    assert sum(total.phased[:8]) == report.total.phased


def test_sammanstallning_shows_original_changes_and_budget_only_with_changes():
    plain = summary_table(unit())
    assert all(r.figures is None or r.figures.original is None for r in plain.rows)
    table = summary_table(unit(["2025-03-01", "Personal", 36_000, "Tilläggsanslag"],
                               ["2025-03-01", "Lokaler", -6_000, "Omfördelning"],
                               ["2025-03-01", "Personal", 6_000, "Omfördelning"]))
    shown = {r.row.key: r.figures for r in table.rows if r.figures is not None}
    personal = shown[("Drift", "Personal")]
    assert (personal.original, personal.changes, personal.budget) == (Fraction(240), Fraction(42), Fraction(282))
    for figures in shown.values():
        assert figures.original + figures.changes == figures.budget


def test_an_income_line_typed_in_the_ledgers_sign_takes_its_changes_the_same_way():
    budget = [row[:] for row in BUDGET]
    budget[5] = ["Avgifter", None, -60_000, "3*", None, "Avgifter", None]
    report = unit(["2025-01-10", "Avgifter", -12_000, "Tilläggsanslag"], budget=budget)
    f = node(report, "Avgifter").figures
    assert (f.original, f.budget) == (60_000_00, 72_000_00)


# -- the bridge and the omfördelning balance ------------------------------------------------------------------------

def test_the_bridge_adds_up_to_the_ore():
    report = unit(["2025-02-03", "Lokaler", 1_234.57, "Tilläggsanslag", "RS 1"],
                  ["2025-04-30", "Lokaler", -333.33, "Omfördelning", "LN 2"],
                  ["2025-04-30", "Personal", 333.33, "Omfördelning", "LN 2"],
                  ["2025-07-01", "Utveckling", 0.01, "Annan", "", "ja"])
    assert "omfordelning-obalans" not in slugs(report)
    for leaf in report.leaves():
        counted = sum(c.amount for c in leaf.changes if c.counted)
        assert leaf.figures.original + counted == leaf.figures.budget
    assert node(report, "Lokaler").figures.budget == 120_000_00 + 1_234_57 - 333_33
    assert report.total.changes == 1_234_57 + 1


def test_an_omfordelning_that_does_not_add_up_to_zero_is_a_warning():
    report = unit(["2025-04-30", "Lokaler", -5_000, "Omfördelning", "LN 2"],
                  ["2025-04-30", "Personal", 4_000, "Omfördelning", "LN 2"])
    [warning] = [f for f in report.findings if f.slug == "omfordelning-obalans"]
    assert warning.severity == "varning" and warning.where == "Budgetändringar"
    assert warning.message == (
        "omfördelningarna på Budgetändringar (2 rader) summerar till -1 000,00 kr, inte 0; en omfördelning flyttar "
        "budget mellan rader, så det som läggs på en rad ska dras från en annan — saknas en rad, eller är det ett "
        "tilläggsanslag?")
    balanced = unit(["2025-04-30", "Lokaler", -5_000, "Omfördelning"], ["2025-04-30", "Personal", 5_000, "Omfördelning"],
                    ["2025-04-30", "Personal", 9_000, "Tilläggsanslag"])
    assert not balanced.warnings


def test_a_line_is_named_by_its_label_or_its_path():
    budget = BUDGET + [["Reserv", None, 50_000, None, None, None, None],
                       ["Ofördelad reserv", "Drift", None, None, None, None, None]]
    budget[1] = ["Drift", None, 400_000, None, None, "Verksamhet", None]  # 40 000 over its lines: Ofördelat
    report = run(budget, LEDGER, KEYS, changes=changes(["2025-02-01", "Drift › Ofördelat", -10_000, "Omfördelning"],
                                                       ["2025-02-01", "reserv", 10_000, "Omfördelning"]))
    assert node(report, "Drift › Ofördelat").figures.budget == 30_000_00
    assert node(report, "Reserv").figures.budget == 60_000_00


def test_a_label_under_two_headings_needs_its_path():
    budget = BUDGET[:2] + [["Lokaler", "Drift", 120_000, "61*", None, None, None],
                           ["Personal", "Drift", 240_000, "5*", None, None, None],
                           ["Utveckling", None, 100_000, "4*", None, None, None],
                           ["Projekt A", "Utveckling", 60_000, "40*", None, None, None]]
    budget[1] = ["Drift", None, 400_000, None, None, None, None]
    budget[4] = ["Utveckling", None, 100_000, "4*", None, None, None]
    from toolkit.errors import InputError
    with pytest.raises(InputError) as caught:
        run(budget, LEDGER, KEYS, changes=changes(["2025-02-01", "Ofördelat", 5_000, "Annan"]))
    assert (caught.value.where, caught.value.slug) == ("Budgetändringar!B2", "andring-rad-tvetydig")
    assert caught.value.message == ('det finns flera rader som heter "Ofördelat" ("Drift › Ofördelat" och '
                                    '"Utveckling › Ofördelat"); skriv raden med sökväg, t.ex. "Drift › Ofördelat"')


# -- the periodisation of a change, exactly (invariants) -------------------------------------------------------------

weights = st.lists(st.integers(0, 9), min_size=12, max_size=12).filter(lambda w: sum(w) > 0)


@settings(max_examples=200, deadline=None)
@given(weights, st.integers(1, 12), st.integers(0, 12))
def test_a_changes_months_add_up_to_it_and_none_falls_before_its_month(w, start, period):
    from decimal import Decimal

    key = tuple(Decimal(x) for x in w)
    months = spread(key, start)
    assert sum(months) == 1 and all(m >= 0 for m in months)
    assert all(m == 0 for m in months[:start - 1])
    assert phased_share(key, start, period) == sum(months[:period])


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 12), st.integers(-500_000, 500_000), st.booleans()), min_size=1, max_size=5),
       st.integers(1, 12))
def test_the_months_of_the_revised_budget_add_up_to_it_exactly(rows, period):
    report = unit(*[[f"2025-{m:02d}-15", "Utveckling", ore / 100, "Annan", "", "ja" if january else None]
                    for m, ore, january in rows], period=period)
    f = node(report, "Utveckling").figures
    series = line_area(report, "Utveckling")
    assert f.budget == 100_000_00 + sum(ore for m, ore, _ in rows if m <= period)
    assert sum(series.phased) == f.budget
    assert sum(series.phased[:period]) == f.phased


# -- the sheet read from a workbook, and Sammanställning and Avstämning written ------------------------------------

SETTINGS = [["Inställning", "Värde"], ["Enhet", "Testnämnd"], ["År", 2025], ["Period", 8]]


def workbook(tmp_path, rows, name="T.xlsx"):
    return write_workbook(tmp_path / name, {"Inställningar": SETTINGS, "Budget": BUDGET, "Utfall": LEDGER,
                                            "Periodisering": KEYS, "Budgetändringar": changes(*rows)})


def test_dates_as_cells_and_as_text_and_amounts_in_tkr(tmp_path):
    settings_tkr = SETTINGS + [["Belopp i", "tkr"]]
    budget = [BUDGET[0]] + [r[:2] + [r[2] / 1000 if r[2] else None] + r[3:] for r in BUDGET[1:]]
    path = write_workbook(tmp_path / "T.xlsx", {
        "Inställningar": settings_tkr, "Budget": budget, "Utfall": LEDGER, "Periodisering": KEYS,
        "Budgetändringar": changes([dt.date(2025, 3, 1), "Lokaler", 12.5, "Tilläggsanslag"],
                                   ["202504", "Personal", "1,5", "annan"], ["2025-05", "Lokaler", -0.5, "tillaggsanslag"])})
    report = Job(path, backup=None).reconcile()
    assert [c.date for c in report.changes] == [dt.date(2025, 3, 1), dt.date(2025, 4, 1), dt.date(2025, 5, 1)]
    assert node(report, "Lokaler").figures.changes == 12_000_00
    assert node(report, "Personal").figures.changes == 1_500_00


def test_written_sheets_show_the_columns_and_the_bridge(tmp_path):
    path = workbook(tmp_path, [[dt.date(2025, 3, 1), "Personal", 36_000, "Tilläggsanslag", "RS 2025/1", None, "Lön"],
                               [dt.date(2025, 4, 2), "Lokaler", -6_000, "Omfördelning", "LN 4"],
                               [dt.date(2025, 4, 2), "Personal", 6_000, "Omfördelning", "LN 4", "ja"],
                               [dt.date(2025, 11, 5), "Lokaler", 1_000, "Annan", "LN 9"]])
    Job(path, backup=None).run()
    book = openpyxl.load_workbook(path)
    values = openpyxl.load_workbook(path, data_only=True)
    ws, wv = book["Sammanställning"], values["Sammanställning"]
    assert [c.value for c in ws[4]][:4] == ["Rad", "Ursprunglig\nbudget 2025", "Ändringar", "Budget 2025\ni tkr"]
    rows = {r[0].value: r for r in ws.iter_rows(min_row=5) if isinstance(r[0].value, str)}
    personal = rows["Personal"]
    assert (personal[1].value, personal[2].value) == (240, 42)
    assert personal[3].value == f"=B{personal[0].row}+C{personal[0].row}"
    assert wv.cell(personal[0].row, 4).value == 282
    assert not str(personal[6].value).startswith("=")  # a change after January: the variance is a value
    assert str(rows["Summa Drift"][1].value).startswith("=B")
    tie = list(values["Avstämning"].iter_rows(values_only=True))
    start = next(i for i, r in enumerate(tie) if r[0] == "Budgetändringar — från ursprunglig budget till budget")
    assert tie[start + 2][:7] == ("Budgetrad", "Datum", "Typ", "Belopp", "Beslut", "Från januari", "Kommentar")
    bridge = [r[:7] for r in tie[start + 3:start + 11]]
    assert bridge == [
        ("Drift › Lokaler", None, "Ursprunglig budget", 120_000, None, None, None),
        (None, "2025-04-02", "Omfördelning", -6_000, "LN 4", None, None),
        (None, None, "Budget", 114_000, None, None, None),
        ("Drift › Personal", None, "Ursprunglig budget", 240_000, None, None, None),
        (None, "2025-03-01", "Tilläggsanslag", 36_000, "RS 2025/1", None, "Lön"),
        (None, "2025-04-02", "Omfördelning", 6_000, "LN 4", "ja", None),
        (None, None, "Budget", 282_000, None, None, None),
        (None, None, None, None, None, None, None),
    ]
    later = tie[start + 11]
    assert later[0] == ("Ändringar daterade efter bokslutsperioden (ingår inte i budgeten än), bokslutsperiod "
                        "augusti 2025")
    assert tie[start + 12][:5] == ("Drift › Lokaler", "2025-11-05", "Annan", 1_000, "LN 9")
    assert tie[start + 14][0] == "Σ omfördelningar (ska vara 0,00)" and tie[start + 14][3] == 0


def test_notes_typed_on_sammanstallning_are_kept_when_the_columns_come(tmp_path):
    plain = write_workbook(tmp_path / "T.xlsx", {"Inställningar": SETTINGS, "Budget": BUDGET, "Utfall": LEDGER,
                                                 "Periodisering": KEYS})
    Job(plain, backup=None).run()
    book = openpyxl.load_workbook(plain)
    ws = book["Sammanställning"]
    comment = next(c.column for c in ws[4] if c.value == "Kommentar")
    row = next(r[0].row for r in ws.iter_rows(min_row=5) if r[0].value == "Lokaler")
    ws.cell(row, comment, "Hyran höjd i mars")
    book.create_sheet("Budgetändringar")
    for r in changes(["2025-03-01", "Lokaler", 6_000, "Tilläggsanslag"]):
        book["Budgetändringar"].append(r)
    book.save(plain)
    Job(plain, backup=None).run()
    ws = openpyxl.load_workbook(plain)["Sammanställning"]
    comment = next(c.column for c in ws[4] if c.value == "Kommentar")
    row = next(r[0].row for r in ws.iter_rows(min_row=5) if r[0].value == "Lokaler")
    assert ws.cell(4, 2).value.startswith("Ursprunglig")
    assert ws.cell(row, comment).value == "Hyran höjd i mars"


def test_the_template_has_the_sheet_with_its_drop_downs_and_a_filled_one_runs(tmp_path):
    from toolkit.contract import CHANGE_TYPES, CHANGES_SHEET
    from toolkit.template import write_template

    path = tmp_path / "Ny.xlsx"
    write_template(path, 2025)
    book = openpyxl.load_workbook(path)
    ws = book[CHANGES_SHEET.name]
    assert [c.value for c in ws[1]] == HEADER
    lists = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in ws.data_validations.dataValidation}
    assert lists["D2"] == '"' + ",".join(word.name for word in CHANGE_TYPES) + '"'
    assert lists["F2"] == '"ja,nej"'
    assert lists["B2"] == "Budget!$A$2:$A$1000"
    for name, table in (("Budget", BUDGET), ("Utfall", LEDGER), ("Periodisering", KEYS)):
        headers = [c.value for c in book[name][1]]
        for row in table[1:]:
            book[name].append([dict(zip(table[0], row)).get(header) for header in headers])
    ws.append([dt.datetime(2025, 4, 1), "Lokaler", 6_000, "Tilläggsanslag", "RS 2025/3", "nej", "Hyra"])
    book.save(path)
    report = Job(path, backup=None).reconcile()
    assert node(report, "Lokaler").figures.budget == 126_000_00
    assert report.tieout.sum_in_period == 5_000_00  # the ledger read as typed (10 000 + 20 000 + 5 000 − 30 000)


def test_every_alias_of_the_sheet_and_its_columns_reads_the_same():
    from builders import grid

    from toolkit.contract import CHANGES_SHEET
    from toolkit.engine.model import Settings
    from toolkit.job import reconcile_inputs
    from toolkit.read.inputs import Sheets, assemble

    row = [dt.date(2025, 3, 1), "Lokaler", 6_000, "Tilläggsanslag", "RS 1", "ja", "Hyra"]
    names = [c.name for c in CHANGES_SHEET.columns]
    variants = [(sheet, names) for sheet in CHANGES_SHEET.aliases]
    variants += [(CHANGES_SHEET.name, names[:i] + [header] + names[i + 1:])
                 for i, column in enumerate(CHANGES_SHEET.columns) for header in column.aliases]
    expected = None
    for sheet, headers in variants:
        book = Sheets([grid("Budget", BUDGET), grid("Utfall", LEDGER), grid("Periodisering", KEYS),
                       grid(sheet, [headers, row])], "T.xlsx")
        [change] = reconcile_inputs(assemble(Settings("T", 2025, 8), book, [book])).changes
        seen = (change.date, change.path, change.amount, change.type, change.decision, change.source.from_january,
                change.comment)
        expected = expected or seen
        assert seen == expected, (sheet, headers)
    assert expected == (dt.date(2025, 3, 1), ("Drift", "Lokaler"), 6_000_00, "Tilläggsanslag", "RS 1", True, "Hyra")
