"""The consolidation's rules on tiny inline units (engine only): lines merged by
label path, lines in some units only, a line that is a leaf in one unit and a
heading in another, income in one and cost in another; and, for any units,
every consolidated figure is the sum of the units' to the öre."""

from __future__ import annotations

from fractions import Fraction

from builders import node, run
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.engine.consolidation import Unit, consolidate
from toolkit.engine.figures import combine

BUDGET = ["Rad", "Överordnad", "Typ", "Budget", "Konto"]
LEDGER = ["Period", "Konto", "Belopp"]


def unit(name: str, budget: list[list], ledger: list[list]) -> Unit:
    return Unit(name, f"{name}.xlsx", run([BUDGET, *budget], [LEDGER, *ledger]))


A = unit("A", [["Intäkter", None, "Intäkt", None, None], ["Avgifter", "Intäkter", None, 1200, "3010"],
               ["Personal", None, "Kostnad", None, None], ["Löner", "Personal", None, 5000, "50*"],
               ["Lokaler", None, "Kostnad", 1000, "7*"]],
         [[202503, "3010", -700], [202504, "5011", "3000,55"], [202505, "7010", 600], [202506, "6000", "9,99"]])
B = unit("B", [["intäkter", None, "Intäkt", None, None], ["Bidrag", "intäkter", None, 500, "302*"],
               ["Personal", None, "Kostnad", 800, "5*"]],
         [[202503, "3021", -200], [202504, "5011", "400,10"]])


def figures(report, label):
    return node(report, label).figures


def test_lines_are_merged_by_label_path_and_sum_to_the_ore():
    r = consolidate([A, B], "Förbund")
    assert [n.path for n in r.nodes()] == [
        "Intäkter", "Intäkter › Avgifter", "Intäkter › Bidrag", "Personal", "Personal › Löner",
        "Personal › Ofördelat", "Lokaler"]
    assert figures(r, "Intäkter").actual == 90_000  # 700 + 200 kr income, in öre
    assert figures(r, "Personal › Löner").actual == 300_055
    assert figures(r, "Personal › Ofördelat").actual == 40_010  # B's Personal, a line without lines under it
    assert r.unbudgeted.actual == 999
    for attr in ("budget", "phased", "actual", "forecast", "committed"):
        assert getattr(r.total, attr) == getattr(A.report.total, attr) + getattr(B.report.total, attr)
    assert [u.total.actual for u in r.units] == [A.report.total.actual, B.report.total.actual]


def test_per_unit_figures_and_blanks_for_lines_a_unit_does_not_have():
    r = consolidate([A, B], "Förbund")
    avgifter, bidrag = node(r, "Avgifter").units, node(r, "Bidrag").units
    assert avgifter[0].actual == 70_000 and avgifter[1] is None
    assert bidrag[0] is None and bidrag[1].actual == 20_000
    personal = node(r, "Personal").units
    assert personal[0] == A.report.roots[1].figures and personal[1] == B.report.roots[1].figures
    assert node(r, "Lokaler").units[1] is None
    assert r.units[0].unbudgeted.actual == 999 and r.units[1].unbudgeted is None


def own_findings(report):
    """The consolidation's own findings (each unit's come along, named by the unit)."""
    return [f for f in report.findings if f.slug.startswith("konsolidering")]


def test_findings_name_partial_lines_and_the_moved_leaf():
    r = consolidate([A, B], "Förbund")
    found = {(f.slug, f.where) for f in own_findings(r)}
    assert ("konsolidering-ofordelat", "Personal") in found
    assert ("konsolidering-del", "Lokaler") in found
    assert ("konsolidering-del", "Intäkter › Avgifter") in found
    assert not any(f.slug == "konsolidering-typ" for f in own_findings(r))
    # each unit's own findings come along, named by the unit
    assert any(f.where.startswith("A: ") and f.slug == "ej-budgeterat" for f in r.findings)


def test_a_line_that_is_income_in_one_unit_and_cost_in_another():
    cost = unit("K", [["Övrigt", None, "Kostnad", 100, "6*"]], [[202503, "6010", 30]])
    income = unit("I", [["Övrigt", None, "Intäkt", 50, "3*"]], [[202503, "3010", -20]])
    c = consolidate([cost, income], "F")
    f = figures(c, "Övrigt")
    assert not f.income  # the first unit's type
    assert f.actual == 3000 - 2000 and f.budget == 10_000 - 5_000
    assert [f.slug for f in own_findings(c) if f.slug == "konsolidering-typ"] == ["konsolidering-typ"]
    assert c.total.actual == cost.report.total.actual + income.report.total.actual


def test_resultatrakning_groups_are_added_by_name_with_ej_budgeterat_last():
    r = consolidate([A, B], "Förbund")
    names = [name for name, _ in r.assignments]
    assert names == ["Intäkter", "Personal", "Lokaler", "Ej budgeterat"]
    total = combine([f for _, f in r.assignments], income=True)
    assert total.actual == -r.total.actual


LABELS = ["Intäkter", "Personal", "Lokaler", "Projekt", "Övrigt"]
CHILDREN = ["Löner", "Arvoden", "Hyra", "El", "Avgifter"]


@st.composite
def random_unit(draw, name: str) -> Unit:
    budget, ledger, used, taken = [], [], set(), set()
    for top in draw(st.lists(st.sampled_from(LABELS), min_size=1, max_size=4, unique=True)):
        kind = "Intäkt" if draw(st.booleans()) else "Kostnad"
        children = [c for c in draw(st.lists(st.sampled_from(CHILDREN), max_size=3, unique=True)) if c not in taken]
        taken.update(children)  # a label is unique within a unit
        lines = [(top, None)] + [(child, top) for child in children]
        for label, parent in lines:
            leaf = parent is not None or not children
            account = f"{len(used) + 4000}"
            used.add(account)
            budget.append([label, parent, kind if parent is None else None,
                           draw(st.integers(0, 10**6)) if leaf else None, account if leaf else None])
            if leaf:
                for amount in draw(st.lists(st.integers(-10**7, 10**7), max_size=3)):
                    ledger.append([202500 + draw(st.integers(1, 12)), account, f"{amount / 100:.2f}".replace(".", ",")])
    if draw(st.booleans()):
        ledger.append([202502, "9999", "12,34"])  # unbudgeted
    return unit(name, budget, ledger)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 2**30), min_size=1, max_size=4).flatmap(
    lambda seeds: st.tuples(*[random_unit(f"U{i}") for i in range(len(seeds))])))
def test_every_consolidated_figure_is_the_sum_of_the_units(units):
    r = consolidate(list(units), "F")
    for attr in ("budget", "phased", "actual", "forecast", "committed"):
        assert getattr(r.total, attr) == sum((getattr(u.report.total, attr) for u in units), Fraction(0))
        for u, t in enumerate(part.total for part in r.units):  # each unit's column adds up to its own Totalt
            assert getattr(t, attr) == getattr(units[u].report.total, attr)
    for n in r.nodes():  # every row is the sum of the units' figures on it, in the row's sign
        present = [f for f in n.units if f is not None]
        assert combine(present, n.income) == n.figures
        if n.children:
            assert combine([child.figures for child in n.children], n.income) == n.figures
