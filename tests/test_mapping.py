"""Which budget line each ledger row belongs to."""

from __future__ import annotations

import pytest
from builders import node, run, slugs

from toolkit.errors import InputError

BUDGET = ["Rad", "Överordnad", "Typ", "Budget", "Konto", "Ansvar", "Projekt", "Uppdrag", "Periodisering"]
LEDGER = ["Period", "Konto", "Ansvar", "Projekt", "Belopp"]


def line(label, konto=None, ansvar=None, projekt=None, *, parent=None, typ=None, budget=1000, uppdrag=None,
         key=None):
    return [label, parent, typ, budget, konto, ansvar, projekt, uppdrag, key]


def winner(lines, konto="4010", ansvar="100", projekt="", amount=100) -> str:
    """The label of the line that gets one ledger row."""
    report = run([BUDGET, *lines], [LEDGER, [202501, konto, ansvar, projekt, amount]])
    got = [n.label for n in report.leaves() if n.ledger_rows]
    assert report.tieout.difference == 0
    if not got:
        return "Ej budgeterat"
    assert len(got) == 1
    return got[0]


@pytest.mark.parametrize("narrow, wide", [
    ("4010", "4010, 4020"),
    ("4010, 4020", "4000-4099"),
    ("4000-4099", "40*"),
    ("4000-4099", "4000-4999"),
    ("401*", "40*"),
    ("40*", "*"),
    ("4010, 4020", "4010, 4020, 4030"),
    ("40*", "40*, 41*"),
])
def test_narrower_konto_wins_in_either_order(narrow, wide):
    assert winner([line("Smal", narrow), line("Bred", wide)]) == "Smal"
    assert winner([line("Bred", wide), line("Smal", narrow)]) == "Smal"


def test_more_patterns_beat_fewer():
    lines = [line("Konto", "4010"), line("Konto och ansvar", "4*", "*")]
    assert winner(lines) == "Konto och ansvar"


def test_konto_decides_before_ansvar():
    lines = [line("Smalt ansvar", "40*", "100"), line("Smalt konto", "4010", "1*")]
    assert winner(lines) == "Smalt konto"
    lines = [line("Smalt ansvar", "4010", "100"), line("Brett ansvar", "4010", "1*")]
    assert winner(lines) == "Smalt ansvar"


def test_a_pattern_beats_no_pattern_in_an_earlier_column():
    # both have two patterns; Ansvar comes before Projekt in the order
    lines = [line("Projekt", "4010", None, "P1"), line("Ansvar", "4010", "1*")]
    assert winner(lines, projekt="P1") == "Ansvar"


def test_every_pattern_must_match():
    lines = [line("A", "4010", "200")]
    assert winner(lines, ansvar="100") == "Ej budgeterat"
    assert winner(lines, ansvar="200") == "A"


def test_a_true_tie_is_an_error_naming_both_lines_and_an_example_row():
    budget = [BUDGET, line("Första", "40*"), line("Andra", "4*", None, None), line("Tredje", "41*")]
    ledger = [LEDGER, [202501, "5010", "100", "", 7], [202502, "4110", "100", "", 5]]
    report = run(budget, ledger)  # 4* is wider than 41*: no tie
    assert node(report, "Tredje").ledger_sum == 500
    budget = [BUDGET, line("Första", "40*"), line("Andra", "41*, 40*"), line("Tredje", "41*")]
    report = run(budget, ledger)  # "41*, 40*" is wider than "41*" (fewer prefixes is narrower)
    assert node(report, "Tredje").ledger_sum == 500
    budget = [BUDGET, line("Första", "41*"), line("Andra", "4*"), line("Tredje", "41*")]
    with pytest.raises(InputError) as info:
        run(budget, ledger)
    message = str(info.value)
    assert "Första" in message and "Tredje" in message
    assert "Budget!A2" in message and "Budget!A4" in message
    assert "Utfall!E3" in message and "Konto 4110" in message  # the example row, where it is
    assert message.startswith("test.xlsx: ")


def test_equal_lines_that_never_meet_are_fine():
    lines = [line("A", "4010"), line("B", "4020")]
    assert winner(lines, konto="4020") == "B"


def test_a_tie_below_a_more_specific_line_is_no_error():
    lines = [line("A", "40*"), line("B", "40*"), line("Exakt", "4010")]
    assert winner(lines) == "Exakt"
    with pytest.raises(InputError, match='"A".*"B"'):
        winner(lines, konto="4020")


def test_unmatched_rows_are_ej_budgeterat_never_dropped():
    budget = [BUDGET, line("A", "4010")]
    ledger = [LEDGER, [202501, "4010", "100", "", 100], [202502, "5010", "100", "", 250],
              [202503, "5010", "100", "", 50.25], [202503, "3010", "200", "", -80]]
    report = run(budget, ledger)
    assert report.unbudgeted.actual == 30025 - 8000
    assert report.tieout.sum_in_period == 10000 + 30025 - 8000
    assert report.tieout.sum_lines == 10000
    assert report.tieout.difference == 0
    items = {(i.codes["konto"], i.codes["ansvar"]): (i.rows, i.amount, i.example) for i in report.tieout.unbudgeted}
    assert items == {("5010", "100"): (2, 30025, "Utfall!E3"), ("3010", "200"): (1, -8000, "Utfall!E5")}
    assert "ej-budgeterat" in slugs(report)
    # Ej budgeterat counts in Totalt (net cost) and in the result statement
    assert report.total.actual == 10000 + 30025 - 8000
    assert dict(report.assignments)["Ej budgeterat"].actual == -(30025 - 8000)


def test_no_unbudgeted_row_means_no_unbudgeted_figures():
    report = run([BUDGET, line("A", "*")], [LEDGER, [202501, "4010", "100", "", 100]])
    assert report.unbudgeted is None
    assert "ej-budgeterat" not in slugs(report)


def test_a_leaf_without_a_pattern_of_its_own_gets_nothing():
    budget = [BUDGET, line("Verksamhet", None, "100", budget=None), line("Projekt P1", None, None, "P1",
                                                                        parent="Verksamhet"),
              line("Reserv", parent="Verksamhet")]
    ledger = [LEDGER, [202501, "4010", "100", "P1", 100], [202501, "4010", "100", "P2", 40]]
    report = run(budget, ledger)
    assert node(report, "Reserv").ledger_rows == 0
    assert node(report, "Projekt P1").ledger_sum == 10000
    assert report.unbudgeted.actual == 4000  # P2: the parent's pattern alone claims nothing
    assert "rad-utan-monster" in slugs(report)
    # a top-level line with no pattern at all gets nothing either
    report = run([BUDGET, line("Allt")], [LEDGER, [202501, "4010", "100", "", 100]])
    assert node(report, "Allt").ledger_rows == 0
    assert report.unbudgeted.actual == 10000


def test_children_inherit_the_parents_patterns_of_other_columns():
    budget = [BUDGET, line("Nämnd", None, "100", budget=None),
              line("Projekt P1", None, None, "P1", parent="Nämnd"),
              line("Konto 4010", "4010", None, None, parent="Nämnd")]
    ledger = [LEDGER,
              [202501, "4010", "100", "P1", 1],  # both children match: 2 patterns each; Konto first wins
              [202501, "5010", "100", "P1", 2],
              [202501, "5010", "200", "P1", 4],  # another Ansvar: not the parent's
              [202501, "4010", "100", "", 8],
              [202501, "4010", "200", "", 16]]
    report = run(budget, ledger)
    assert node(report, "Konto 4010").ledger_sum == 900
    assert node(report, "Projekt P1").ledger_sum == 200
    assert report.unbudgeted.actual == 2000


def test_a_childs_own_pattern_replaces_the_parents_in_that_column():
    budget = [BUDGET, line("Nämnd", "4*", "100", budget=None), line("Resor", "7*", parent="Nämnd")]
    ledger = [LEDGER, [202501, "7010", "100", "", 1], [202501, "7010", "200", "", 2]]
    report = run(budget, ledger)
    assert node(report, "Resor").ledger_sum == 100
    assert report.unbudgeted.actual == 200


def test_children_inherit_type_key_and_assignment():
    budget = [BUDGET, line("Intäkter", None, "100", typ="Intäkt", budget=None, uppdrag="Politik",
                           key="Kalenderdagar"),
              line("Avgifter", "3010", parent="Intäkter"),
              line("Bidrag", "3020", parent="Intäkter", uppdrag="Bidrag", key="Linjär")]
    report = run(budget, [LEDGER, [202501, "3010", "100", "", -50]])
    fees, grants = node(report, "Avgifter"), node(report, "Bidrag")
    assert fees.income and grants.income
    assert fees.assignment == "Politik" and grants.assignment == "Bidrag"
    assert fees.key.name == "Kalenderdagar" and grants.key.name == "Linjär"
    assert fees.figures.actual == 5000  # income shown positive


def test_codes_compare_as_text():
    budget = [BUDGET, line("Noll", "0123"), line("Utan noll", "123"), line("Flyttal", 6540.0)]
    ledger = [LEDGER, [202501, "0123", "", "", 1], [202501, 123, "", "", 2], [202501, 6540.0, "", "", 4],
              [202501, "6540", "", "", 8]]
    report = run(budget, ledger)
    assert node(report, "Noll").ledger_sum == 100
    assert node(report, "Utan noll").ledger_sum == 200
    assert node(report, "Flyttal").ledger_sum == 1200


def test_a_pattern_for_a_column_the_ledger_lacks_is_an_error_at_the_cell():
    budget = [["Rad", "Budget", "Konto", "Ansvar"], ["A", 100, "4010", "100"]]
    with pytest.raises(InputError) as info:
        run(budget, [["Period", "Konto", "Belopp"], [202501, "4010", 1]])
    assert info.value.where == "Budget!D2"
    assert "Ansvar" in str(info.value)


def test_a_bad_pattern_is_an_error_at_the_cell():
    with pytest.raises(InputError) as info:
        run([BUDGET, line("A", "4999-4000")], [LEDGER, [202501, "4010", "", "", 1]])
    assert info.value.where == "Budget!E2"
    assert "baklänges" in info.value.message


def test_the_generated_remainder_gets_the_parents_unclaimed_rows():
    budget = [BUDGET, line("Utveckling", "4*", budget=1000),
              line("Folkhälsa", None, None, "P1", parent="Utveckling", budget=600)]
    ledger = [LEDGER, [202501, "4010", "", "P1", 10], [202501, "4020", "", "P2", 20],
              [202501, "5010", "", "P2", 40]]
    report = run(budget, ledger)
    assert node(report, "Folkhälsa").ledger_sum == 1000
    rest = node(report, "Utveckling › Ofördelat")
    assert rest.generated and rest.ledger_sum == 2000 and rest.figures.budget == 40000
    assert report.unbudgeted.actual == 4000


def test_a_tie_with_the_generated_remainder_names_its_parent():
    budget = [BUDGET, line("Utveckling", "4*", budget=1000), line("Allt 4", "4*", parent="Utveckling", budget=100)]
    with pytest.raises(InputError) as info:
        run(budget, [LEDGER, [202501, "4010", "", "", 1]])
    assert '"Allt 4" (Budget!A3) och "Utveckling › Ofördelat" (Budget!A2)' in info.value.message
