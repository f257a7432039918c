"""Jämna summor: largest-remainder rounding over a tree of sums
(``engine.rounding``) — every sum equals the sum of its shown parts, every
shown value is its exact value rounded down or up, and the same tree gives
the same numbers."""

from __future__ import annotations

from fractions import Fraction

import pytest
from builders import run
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.engine.rounding import MEASURES, Sum, adjustments, even_sums, round_tree, share, sum_tree
from toolkit.money import round_half_up

# -- rules on small examples ----------------------------------------------------------------------------------------


def test_the_rows_of_the_issue_add_up():
    """316 + 112 + 41 + 6 = 475 shown under a Summa of 476: the row with the largest remainder after
    the one already rounded up (41.447) is shown as 42."""
    exact = [Fraction("315.615"), Fraction("112.18894"), Fraction("41.44717"), Fraction("6.25")]
    assert [round_half_up(x) for x in exact] == [316, 112, 41, 6]
    assert round_half_up(sum(exact)) == 476
    tree = Sum("Summa", sum(exact), tuple((1, Sum(i, x)) for i, x in enumerate(exact)))
    shown = round_tree(tree)
    assert [shown[i] for i in range(4)] == [316, 112, 42, 6]
    assert shown["Summa"] == 476
    assert adjustments(tree, shown)[0].key == 2 and len(adjustments(tree, shown)) == 1


def test_a_part_that_is_subtracted_takes_part_with_its_sign():
    """Net cost: costs 10.6 and 20.6, income 5.4 subtracted: 25.8 → 26."""
    tree = Sum("net", Fraction("25.8"), ((1, Sum("a", Fraction("10.6"))), (1, Sum("b", Fraction("20.6"))),
                                         (-1, Sum("income", Fraction("5.4")))))
    shown = round_tree(tree)
    assert shown["net"] == 26 == shown["a"] + shown["b"] - shown["income"]
    assert shown == {"net": 26, "a": 11, "b": 21, "income": 6}


def test_ties_go_to_the_part_met_first():
    tree = Sum("s", Fraction(1), ((1, Sum("a", Fraction(1, 2))), (1, Sum("b", Fraction(1, 2)))))
    assert round_tree(tree) == {"s": 1, "a": 1, "b": 0}


def test_a_whole_amount_is_never_moved():
    tree = Sum("s", Fraction("12.5"), ((1, Sum("a", Fraction(7))), (1, Sum("b", Fraction("5.5")))))
    assert round_tree(tree) == {"s": 13, "a": 7, "b": 6}


def test_a_total_out_of_reach_of_its_parts_is_an_error():
    with pytest.raises(ValueError):
        share(5, [Fraction(1), Fraction(1)])
    with pytest.raises(ValueError):
        round_tree(Sum("s", Fraction(0), ((1, Sum("a", Fraction(0))), (1, Sum("a", Fraction(0))))))  # a key twice


# -- invariants -----------------------------------------------------------------------------------------------------

amounts = st.fractions(min_value=-10_000, max_value=10_000, max_denominator=1000)


@st.composite
def trees(draw, depth: int = 0, key: tuple = ()) -> Sum:
    """A random tree of sums: a leaf with an exact amount, or parts (some subtracted) and their signed sum."""
    if depth >= 3 or not draw(st.booleans()):
        return Sum(key, draw(amounts))
    n = draw(st.integers(min_value=1, max_value=6))
    parts = tuple((draw(st.sampled_from((1, 1, -1))), draw(trees(depth + 1, (*key, i)))) for i in range(n))
    return Sum(key, sum(sign * part.exact for sign, part in parts), parts)


def nodes(tree: Sum):
    yield tree
    for _, part in tree.parts:
        yield from nodes(part)


@settings(max_examples=300, deadline=None)
@given(trees())
def test_every_sum_adds_up_and_every_value_is_rounded_down_or_up(tree):
    shown = round_tree(tree)
    assert shown[tree.key] == round_half_up(tree.exact)  # the total as it is shown anyway
    for node in nodes(tree):
        value = shown[node.key]
        assert abs(value - node.exact) < 1, node.key  # the exact value rounded down or up
        assert abs(value - round_half_up(node.exact)) <= 1, node.key  # within 1 of its ordinary rounding
        if node.exact.denominator == 1:
            assert value == node.exact, node.key
        if node.parts:
            assert value == sum(sign * shown[part.key] for sign, part in node.parts), node.key


@settings(max_examples=100, deadline=None)
@given(trees())
def test_the_same_tree_gives_the_same_numbers_and_the_adjustments_are_the_moved_values(tree):
    first, again = round_tree(tree), round_tree(tree)
    assert first == again
    moved = {a.key: a for a in adjustments(tree, first)}
    for node in nodes(tree):
        plain = round_half_up(node.exact)
        assert (node.key in moved) == (first[node.key] != plain)
        if node.key in moved:
            assert (moved[node.key].exact, moved[node.key].rounded, moved[node.key].shown) == (
                node.exact, plain, first[node.key])


# -- the report's amounts -------------------------------------------------------------------------------------------

BUDGET = [
    ["Rad", "Överordnad", "Typ", "Budget", "Konto", "Intecknat"],
    ["Intäkter", None, "Intäkt", None, None, None],
    ["Avgifter", "Intäkter", None, 10_400, "3010", None],
    ["Bidrag", "Intäkter", None, 20_400, "3020", None],
    ["Personal", None, "Kostnad", None, None, None],
    ["Löner", "Personal", None, 315_615, "5010", 1_400],
    ["Sociala avgifter", "Personal", None, 112_189, "5410", None],
    ["Återbetalning", "Personal", "Intäkt", 6_250, "3990", None],
    ["Lokaler", None, "Kostnad", 41_447, "6110", 2_600],
]
LEDGER = [["Period", "Konto", "Belopp"], [202503, 3010, -7_255.5], [202504, 3020, -13_612.4],
          [202502, 5010, 210_410.35], [202505, 5410, 74_792.7], [202506, 3990, -4_166.6], [202507, 6110, 27_631.35],
          [202508, 7000, 499.4]]


def test_the_reports_amounts_add_up_as_sammanstallning_adds_them():
    """Totalt = Summa kostnader − Summa intäkter; a heading is the sum of its lines, a line of the
    other type subtracted; the variances (favourable positive) are added throughout."""
    report = run(BUDGET, LEDGER)
    assert report.has_income
    even = even_sums(report, 1000 * 100)
    for measure in MEASURES:
        tree = sum_tree(report, measure, 1000 * 100)
        assert tree.exact == Fraction(getattr(report.total, measure)) / 100_000
        for node in nodes(tree):
            if node.parts:
                assert node.exact == sum(sign * part.exact for sign, part in node.parts), (measure, node.key)
                assert even.get(node.key, measure) == sum(sign * even.get(part.key, measure)
                                                          for sign, part in node.parts), (measure, node.key)
        personal = next(node for node in nodes(tree) if node.key == ("line", ("Personal",)))
        signs = [sign for sign, _ in personal.parts]
        assert signs == ([1, 1, 1] if measure == "variance" else [1, 1, -1])
