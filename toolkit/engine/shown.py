"""What Sammanställning shows: its rows (``layout.plan``) with the label and
the figures each row displays, in the unit shown (tkr or kr).

One function for every place the table appears — the sheet (``render.summary``,
which adds its formulas), the Word report and its plain text — so they show
the same rows with the same figures:

- without Jämna summor a figure is exact (a ``Fraction`` of the unit shown):
  the sheet stores it at full precision and displays it rounded half away
  from zero, as the report prints it (``money.round_half_up``);
- with Jämna summor the amounts are the whole numbers of
  ``rounding.even_sums``, and Utfall %, Avvikelse budget–prognos and Kvar att
  disponera are computed from those shown amounts, as the sheet's formulas do;
- Resultat is Totalt seen from the income side (its amounts with the other
  sign, the same variances);
- Intecknat and Kvar att disponera stand only on a row of costs with a
  commitment under it (``committed`` None: the cells are blank).

Pure: a ``Report`` in, records out.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from fractions import Fraction

from ..layout import Row, group_label, plan
from ..money import round_half_up
from .figures import Figures
from .results import Line, Report
from .rounding import COSTS, INCOMES, TOTAL, UNBUDGETED, EvenSums, even_sums, line_key

RESULT = ("result",)  # Resultat's amounts: Totalt's with the other sign
NBSP = "\u00a0"


def scale_of(unit: str) -> int:
    """öre per unit shown: 100 000 for tkr, 100 for kr."""
    return 100_000 if unit == "tkr" else 100


@dataclass(frozen=True)
class Shown:
    """One row's figures as Sammanställning shows them, in the unit shown."""

    income: bool  # the row's sign: amounts positive in it
    budget: Fraction
    actual: Fraction
    share: Fraction | None  # Utfall %: utfall ÷ budget; None (blank) when the budget is 0
    variance: Fraction  # Avvikelse (periodiserad), favourable positive
    forecast: Fraction
    forecast_variance: Fraction  # Avvikelse budget–prognos, favourable positive
    committed: Fraction | None  # Intecknat; None: blank (no commitment under the row, or an income row)
    available: Fraction | None  # Kvar att disponera; None with Intecknat
    original: Fraction | None = None  # Ursprunglig budget, when the budget includes changes (else None)
    changes: Fraction | None = None  # Ändringar: the changes counted in Budget
    last_year: Fraction | None = None  # Fjolår: last year's utfall, months 1..P; None: the run has no last year


@dataclass(frozen=True)
class ShownRow:
    """A row of the table: its place in the layout (``row``: kind, key, depth,
    line), the label the sheet shows (a report's sub-heading carries its
    amount) and its figures (None for a row of label only: a heading, a
    "…, fördelning:" row, a sub-heading, an empty row)."""

    row: Row
    label: str
    figures: Shown | None

    @property
    def kind(self) -> str:
        return self.row.kind


@dataclass(frozen=True)
class Table:
    rows: tuple[ShownRow, ...]
    committed: bool  # Intecknat and Kvar att disponera are columns of the table (a line has a commitment)
    even: EvenSums | None  # Jämna summor: the whole amounts shown, and what was moved


def has_committed(report: Report) -> bool:
    """Does Sammanställning show the Intecknat and Kvar att disponera columns?"""
    return any(n.figures.committed for n in report.leaves())


def summary_table(report: Report) -> Table:
    """Sammanställning's rows, in the order and layout Inställningar asks for, with what each shows."""
    unit = report.show_in
    scale = scale_of(unit)
    committed = has_committed(report)
    even = even_sums(report, scale) if report.presentation.even_sums else None

    def amount(f: Figures, measure: str, row_key: Hashable) -> Fraction:
        if even is None:
            return Fraction(getattr(f, measure)) / scale
        if row_key == RESULT:
            return Fraction(even.get(TOTAL, measure) * (1 if measure == "variance" else -1))
        return Fraction(even.get(row_key, measure))

    def shown(f: Figures, row_key: Hashable, with_committed: bool) -> Shown:
        budget, actual = amount(f, "budget", row_key), amount(f, "actual", row_key)
        forecast = amount(f, "forecast", row_key)
        if f.actual_share is None:
            share = None
        elif even is not None and budget:
            share = actual / budget
        else:
            share = f.actual_share
        if even is not None:
            forecast_variance = forecast - budget if f.income else budget - forecast
        else:
            forecast_variance = Fraction(f.forecast_variance) / scale
        held = available = None
        if committed and with_committed:
            held = amount(f, "committed", row_key)
            available = budget - actual - held if even is not None else Fraction(f.available) / scale
        original = changed = None
        if report.has_changes:
            original, changed = amount(f, "original", row_key), amount(f, "changes", row_key)
        last_year = amount(f, "last_year", row_key) if report.last_year is not None else None
        return Shown(f.income, budget, actual, share, amount(f, "variance", row_key), forecast, forecast_variance,
                     held, available, original=original, changes=changed, last_year=last_year)

    def shows_committed(line: Line) -> bool:
        if not committed or line.income:
            return False
        leaves = line.leaves()
        return all(not leaf.income for leaf in leaves) and any(leaf.figures.committed for leaf in leaves)

    cost_leaves = [leaf for root in report.roots if not root.income for leaf in root.leaves()]
    costs_committed = committed and all(not leaf.income for leaf in cost_leaves) and \
        any(leaf.figures.committed for leaf in cost_leaves)

    rows: list[ShownRow] = []
    for row in plan(report.roots, report.presentation.layout, unbudgeted=report.unbudgeted is not None,
                    income=report.has_income, result=report.is_consolidation):
        kind, line = row.kind, row.line
        figures: Shown | None = None
        label = row.label
        if kind == "group":
            whole = even.get(line_key(line), "budget") if even is not None \
                else round_half_up(Fraction(line.figures.budget) / scale)
            label = group_label(row.label, f"{whole:,}".replace(",", NBSP) + f"{NBSP}{unit}")
        elif kind in ("line", "class", "sum"):
            figures = shown(line.figures, line_key(line), shows_committed(line))
        elif kind == "unbudgeted":
            figures = shown(report.unbudgeted, UNBUDGETED, False)
        elif kind == "incomes":
            figures = shown(report.incomes, INCOMES, False)
        elif kind == "costs":
            figures = shown(report.costs, COSTS, costs_committed)
        elif kind in ("total", "overview"):
            figures = shown(report.total, TOTAL, not report.has_income and costs_committed)
        elif kind == "result":
            figures = shown(report.total.as_sign(True), RESULT, False)
        rows.append(ShownRow(row, label, figures))
    return Table(tuple(rows), committed, even)
