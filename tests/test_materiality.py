"""Väsentlighet: the rule at, below and above both thresholds, which rows it
looks at, what counts as an explanation, and the settings that state it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from builders import FILE, grid

from toolkit.engine.materiality import SLUG, flag
from toolkit.engine.model import NoteCell, NoteRow, Notes, Settings
from toolkit.errors import InputError
from toolkit.job import reconcile_inputs
from toolkit.read.inputs import Sheets, assemble
from toolkit.read.settings import read_settings

BUDGET = ["Rad", "Överordnad", "Typ", "Budget", "Konto", "Prognos", "Kommentar", "Uppdrag"]
LEDGER = ["Period", "Konto", "Belopp"]


def run(budget_rows, ledger_rows, *, amount=None, percent=None, notes=None, accepted=(), period=6):
    """Reconcile inline tables (closing period June) and flag them with the rule
    ``amount`` (tkr) / ``percent``."""
    book = Sheets([grid("Budget", [BUDGET, *budget_rows]), grid("Utfall", [LEDGER, *ledger_rows])], FILE)
    settings = Settings("Test", 2025, period, "kr", "tkr", "budget",
                        materiality_amount=None if amount is None else int(Decimal(amount) * 100_000),
                        materiality_percent=None if percent is None else Decimal(percent), accepted=accepted)
    inputs = assemble(settings, book, [book])
    report = reconcile_inputs(inputs.__class__(**{**inputs.__dict__, "notes": notes}))
    return flag(report, settings)


def cost(label, budget, *, forecast=None, comment=None, parent=None, account="5010", assignment=None):
    return [label, parent, "Kostnad", budget, account, forecast, comment, assignment]


def flagged(report) -> dict[str, tuple[str, ...]]:
    return {f.path: f.reasons for f in report.materiality.flags}


def warned(report) -> list[str]:
    return [f.where for f in report.findings if f.slug == SLUG]


# a cost line of 120 000 kr, linear: periodiserad budget jan–jun 60 000 kr

@pytest.mark.parametrize("actual, expected", [
    (10_000, True),  # variance 50 000,00 kr = the threshold: reached
    (10_000.01, False),  # 49 999,99 kr: below
    (9_999.99, True),  # 50 000,01 kr: above
    (110_000, True),  # an unfavourable variance of -50 000 kr counts by its size
    (109_999.99, False),
])
def test_the_amount_rule_is_reached_at_the_amount(actual, expected):
    report = run([cost("Löner", 120_000)], [[202506, "5010", actual]], amount=50)
    assert ("Löner" in flagged(report)) is expected
    if expected:
        assert flagged(report)["Löner"] == ("avvikelse ≥ 50 tkr",)
        assert warned(report) == ["Sammanställning: Löner"]
    else:
        assert warned(report) == []


@pytest.mark.parametrize("actual, expected", [
    (54_000, True),  # 6 000 of 60 000 = 10 %: reached
    (54_000.01, False),  # 9,99998 %: below
    (53_999.99, True),  # above
    (66_000, True),  # -10 %
])
def test_the_percent_rule_is_reached_at_the_share_of_the_periodised_budget(actual, expected):
    report = run([cost("Löner", 120_000)], [[202506, "5010", actual]], percent=10)
    assert ("Löner" in flagged(report)) is expected
    if expected:
        assert flagged(report)["Löner"] == ("avvikelse ≥ 10 % av periodiserad budget",)


@pytest.mark.parametrize("forecast, amount, percent, reasons", [
    (170_000, 50, None, ("prognosavvikelse ≥ 50 tkr",)),  # budget − prognos = -50 000: reached
    (169_999.99, 50, None, ()),  # below
    (170_000.01, 50, None, ("prognosavvikelse ≥ 50 tkr",)),  # above
    (70_000, 50, None, ("prognosavvikelse ≥ 50 tkr",)),  # +50 000
    (132_000, None, 10, ("prognosavvikelse ≥ 10 % av budget",)),  # 12 000 of 120 000 = 10 %: reached
    (131_999.99, None, 10, ()),  # below
    (108_000, None, 10, ("prognosavvikelse ≥ 10 % av budget",)),  # -10 %
    (169_999.99, 50, 10, ("prognosavvikelse ≥ 10 % av budget",)),  # either rule flags
    (170_000, 50, 10, ("prognosavvikelse ≥ 50 tkr", "prognosavvikelse ≥ 10 % av budget")),
])
def test_the_forecast_variance_against_the_annual_budget(forecast, amount, percent, reasons):
    # utfall on the periodised budget: only the forecast can be material
    report = run([cost("Löner", 120_000, forecast=forecast)], [[202506, "5010", 60_000]], amount=amount,
                 percent=percent)
    assert flagged(report).get("Löner", ()) == reasons


def test_with_a_zero_budget_only_the_amount_rule_applies():
    rows = [cost("Övrigt", 0), cost("Resor", 0, account="5800")]
    report = run(rows, [[202506, "5010", 100], [202506, "5800", 50_000]], amount=50, percent=10)
    # (the forecast by the method budget is the budget, 0: no forecast variance)
    assert flagged(report) == {"Resor": ("avvikelse ≥ 50 tkr",)}
    report = run(rows, [[202506, "5010", 100], [202506, "5800", 50_000]], percent=10)
    assert flagged(report) == {}


def test_headings_and_ej_budgeterat_are_looked_at_and_the_closing_rows_are_not():
    rows = [["Personal", None, "Kostnad", None, None, None, None, None],
            cost("Löner", 120_000, parent="Personal"), cost("Utbildning", 12_000, parent="Personal", account="5610")]
    ledger = [[202506, "5010", 10_000], [202506, "5610", 6_000], [202506, "6110", 60_000]]
    report = run(rows, ledger, amount=50)
    assert flagged(report) == {"Personal › Löner": ("avvikelse ≥ 50 tkr",),
                               "Personal": ("avvikelse ≥ 50 tkr",),
                               "Ej budgeterat": ("avvikelse ≥ 50 tkr", "prognosavvikelse ≥ 50 tkr")}
    assert [f.kind for f in report.materiality.flags] == ["rubrik", "rad", "ej budgeterat"]
    # Totalt (variance 50 000 − 60 000) is never flagged, whatever it is
    assert ("Totalt",) not in {f.key for f in report.materiality.flags}
    messages = [f.message for f in report.findings if f.slug == SLUG]
    assert messages == [
        'rubriken "Personal" har en väsentlig avvikelse (avvikelse ≥ 50 tkr; Väsentlighet 50 tkr) men ingen '
        "förklaring: skriv en Kommentar på Sammanställning eller en Förklaring för Personal på Analys",
        'raden "Personal › Löner" har en väsentlig avvikelse (avvikelse ≥ 50 tkr; Väsentlighet 50 tkr) men ingen '
        "förklaring: skriv en Kommentar på Sammanställning eller en Förklaring för Personal på Analys",
        'raden "Ej budgeterat" har en väsentlig avvikelse (avvikelse ≥ 50 tkr; prognosavvikelse ≥ 50 tkr; '
        "Väsentlighet 50 tkr) men ingen förklaring: skriv en Kommentar på Sammanställning eller en Förklaring "
        "för Ej budgeterat på Analys"]
    assert {f.severity for f in report.findings if f.slug == SLUG} == {"varning"}


def typed(key, text, offset=0) -> NoteRow:
    return NoteRow(key, [NoteCell(offset, text, None, "J5")])


def test_a_kommentar_typed_on_the_line_or_on_budget_explains_it():
    rows = [["Personal", None, "Kostnad", None, None, None, None, None],
            cost("Löner", 120_000, parent="Personal"), cost("Resor", 120_000, parent="Personal", account="5800")]
    ledger = [[202506, "5010", 10_000], [202506, "5800", 10_000]]
    bare = run(rows, ledger, amount=50)
    assert sorted(warned(bare)) == ["Sammanställning: Personal", "Sammanställning: Personal › Löner",
                                    "Sammanställning: Personal › Resor"]
    notes = Notes(rows=[typed(("Personal", "Löner"), "Vakanser under våren")])
    report = run(rows, ledger, amount=50, notes=notes)
    assert sorted(warned(report)) == ["Sammanställning: Personal", "Sammanställning: Personal › Resor"]
    by_path = {f.path: f.explained for f in report.materiality.flags}
    assert by_path["Personal › Löner"] == "Kommentar"
    # a column of the economist's own beside an empty Kommentar is no explanation
    other = run(rows, ledger, amount=50, notes=Notes(rows=[typed(("Personal", "Löner"), "x", offset=1)]))
    assert len(warned(other)) == 3
    # the Budget sheet's Kommentar is what Sammanställning shows: it explains
    rows[2][6] = "Färre resor"
    both = run(rows, ledger, amount=50, notes=notes)
    assert warned(both) == []  # and the heading: every material line under it is explained
    assert {f.path: f.explained for f in both.materiality.flags}["Personal"] == "Kommentar på raderna under"


def test_a_heading_is_explained_by_a_kommentar_on_its_summa_row():
    rows = [["Personal", None, "Kostnad", None, None, None, None, None], cost("Löner", 120_000, parent="Personal")]
    ledger = [[202506, "5010", 10_000]]
    notes = Notes(rows=[typed(("Summa Personal",), "Vakanser")])
    report = run(rows, ledger, amount=50, notes=notes)
    assert {f.path: f.explained for f in report.materiality.flags} == {"Personal": "Kommentar",
                                                                        "Personal › Löner": ""}


def test_the_areas_forklaring_on_analys_explains_its_lines():
    from toolkit.engine.explanations import carry

    rows = [cost("Löner", 120_000, assignment="Politik"), cost("Resor", 120_000, account="5800")]
    ledger = [[202506, "5010", 10_000], [202506, "5800", 10_000]]
    report = run(rows, ledger, amount=50)
    assert sorted(warned(report)) == ["Sammanställning: Löner", "Sammanställning: Resor"]
    book = Sheets([grid("Budget", [BUDGET, *rows]), grid("Utfall", [LEDGER, *ledger])], FILE)
    settings = Settings("Test", 2025, 6, materiality_amount=5_000_000)
    previous = (Notes(rows=[typed(("Politik",), "Överskottet beror på vakanser")]), (("Politik",),))
    explained = flag(carry(reconcile_inputs(assemble(settings, book, [book])), previous), settings)
    assert warned(explained) == ["Sammanställning: Resor"]
    assert {f.path: f.explained for f in explained.materiality.flags}["Löner"] == "Förklaring (Politik)"


def test_a_unit_without_the_settings_gets_no_flags_and_no_finding():
    report = run([cost("Löner", 120_000)], [[202506, "5010", 0]])
    assert report.materiality is None
    assert warned(report) == []


def test_an_accepted_warning_is_info():
    report = run([cost("Löner", 120_000)], [[202506, "5010", 10_000]], amount=50, accepted=("forklaring-saknas",))
    found = [f for f in report.findings if f.slug == SLUG]
    assert [f.severity for f in found] == ["info"]
    assert found[0].message.endswith("(godkänd varning, Inställningar)")


# --- the settings -------------------------------------------------------------------------------------------------

def settings(*rows):
    return read_settings(grid("Inställningar", [["Inställning", "Värde"], *rows]), "x")[0]


@pytest.mark.parametrize("value, ore", [(50, 5_000_000), ("50", 5_000_000), ("12,5", 1_250_000), (12.5, 1_250_000),
                                        ("50 tkr", 5_000_000), ("1 500", 150_000_000)])
def test_vasentlighet_belopp_is_read_in_tkr(value, ore):
    assert settings(["Väsentlighet belopp", value]).materiality_amount == ore


@pytest.mark.parametrize("value, percent", [(10, Decimal(10)), ("10 %", Decimal(10)), ("10%", Decimal(10)),
                                            (0.1, Decimal("10.0")), ("0,5 %", Decimal("0.5")), ("2,5", Decimal("2.5"))])
def test_vasentlighet_procent_is_read_as_percent(value, percent):
    assert settings(["Väsentlighet procent", value]).materiality_percent == percent


@pytest.mark.parametrize("name, value, message", [
    ("Väsentlighet belopp", "mycket", '"mycket" är inte ett belopp i tkr större än 0 (t.ex. 50)'),
    ("Väsentlighet belopp", -50, '"-50" är inte ett belopp i tkr större än 0 (t.ex. 50)'),
    ("Väsentlighet belopp", 0, '"0" är inte ett belopp i tkr större än 0 (t.ex. 50)'),
    ("Väsentlighet procent", "tio", '"tio" är inte en procentsats större än 0 (t.ex. 10 eller 10 %)'),
    ("Väsentlighet procent", "-10 %", '"-10 %" är inte en procentsats större än 0 (t.ex. 10 eller 10 %)'),
])
def test_a_bad_value_stops_naming_the_cell(name, value, message):
    with pytest.raises(InputError) as caught:
        settings(["Enhet", "x"], [name, value])
    assert caught.value.message == message
    assert caught.value.where == "Inställningar!B3"
    assert caught.value.slug == "installning-ogiltig"


# --- on the sheets ------------------------------------------------------------------------------------------------

def test_the_sheets_mark_and_list_the_material_lines(tmp_path):
    import openpyxl
    from click.testing import CliRunner
    from workbook_factory import SETTINGS, small_workbook

    from toolkit.cli import main

    path = small_workbook(tmp_path / "V.xlsx", Inställningar=[*SETTINGS, ["Väsentlighet belopp", 5],
                                                               ["Väsentlighet procent", "25 %"]])
    result = CliRunner().invoke(main, [str(path), "--no-backup"])
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(path)
    summary = [list(r) for r in book["Sammanställning"].iter_rows(values_only=True)]
    assert summary[1][0].startswith("Belopp i tkr · ! = väsentlig avvikelse (Väsentlighet 5 tkr eller 25 %), se "
                                    "Avstämning")
    heading = summary[3]
    mark = heading.index("Kommentar") - 1
    assert heading[mark] == "!"
    marked = {row[0] for row in summary[4:] if row[0] and row[mark] == "!"}
    tie = [list(r) for r in book["Avstämning"].iter_rows(values_only=True)]
    start = next(i for i, r in enumerate(tie) if r[0] == "Väsentliga avvikelser (Väsentlighet 5 tkr eller 25 %)")
    assert tie[start + 2][:7] == ["Rad", "Avvikelse\n(periodiserad)", "Periodiserad\nbudget",
                                  "Avvikelse\nbudget–prognos", "Budget", "Förklaring", "Gräns som nåddes"]
    listed = []
    for row in tie[start + 3:]:
        if not row[0]:
            break
        listed.append(row[0])
        assert row[5] == "saknas"  # nothing is typed in this workbook
    assert listed and set(listed) == marked
    warned_lines = [r[1] for r in tie if r[0] == "forklaring-saknas" and r[1]]
    assert warned_lines == [f"Sammanställning: {label}" for label in listed]
    from toolkit.findings import count_text

    assert result.output.strip().endswith(f"· {count_text(len(listed))} (se Avstämning)")


def test_the_examples_have_no_rule_and_get_no_flag():
    from examples import example

    from toolkit.job import Job

    for name in ("Halmstad.xlsx", "Navet.xlsx"):
        report = Job(example(name)).reconcile()
        assert report.materiality is None
        assert "forklaring-saknas" not in {f.slug for f in report.findings}
