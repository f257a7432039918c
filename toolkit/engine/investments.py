"""Investment projects: Budget lines of Typ Investering, followed up apart
from the operating result.

An investment project has an approved total over several years (``Total
budget``), the utfall of its earlier years (``Tidigare utfall``) and this
year's budget (``Budget``, revised by its Budgetändringar like any line).
Its ledger rows (on balance-sheet accounts, class 1, debit positive) are the
rows its patterns match; they are claimed before the operating lines are
mapped, so they never reach a line, Ej budgeterat, Totalt or the result
statement, and are tied out on Avstämning as ``Investeringar``.

The figures (öre):
- Tidigare utfall = the line's Tidigare utfall; where blank, Σ the project's rows of earlier years
  in the ledger (an export that holds them).
- Utfall i år = Σ the project's rows in months 1..P; Ack utfall = Tidigare utfall + Utfall i år.
- Prognos i år = the line's own Prognos, else Budget i år.
- Prognos total = Tidigare utfall + Prognos i år + the later years' budget, which is
  Total budget − Tidigare utfall − Budget i år when positive (else 0).
- Avvikelse total = Total budget − Prognos total (positive = under the approved total);
  blank when the project has no Total budget.

An investment line stands alone: it has no Överordnad, and no line names it
as its Överordnad.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from ..contract import normalise_header
from ..contract.ledger import ACCOUNT_KIND, BALANCE_ACCOUNT
from ..errors import InputError
from .mapping import UNBUDGETED, assign
from .model import COST, INVESTMENT, BudgetLine, Ledger

#: Investeringar as a refresh leaves it when an earlier run wrote it and the Budget sheet has no project now
NO_PROJECTS = ("Bladet uppdateras inte längre: bladet Budget har inga rader med Typ Investering, så "
               "projekten som stod här har tagits bort. Ta bort bladet om det inte behövs.")
#: a consolidation's Investeringar when an earlier consolidation wrote it and no unit has a project now
NO_UNIT_PROJECTS = ("Bladet uppdateras inte längre: ingen av enheterna har rader med Typ Investering på bladet "
                    "Budget, så projekten som stod här har tagits bort. Ta bort bladet om det inte behövs.")


@dataclass(frozen=True)
class Project:
    label: str
    where: str
    total_budget: int | None  # öre, the approved total of all years; None when not given
    prior: int  # öre, Tidigare utfall
    actual: int  # öre, Utfall i år (months 1..P)
    original_budget: int  # öre, this year's budget as on the Budget sheet
    budget: int  # öre, this year's budget with its counted changes
    own_forecast: int | None  # öre, the line's Prognos
    comment: str = ""
    rows: int = 0  # ledger rows

    @property
    def accumulated(self) -> int:
        return self.prior + self.actual

    @property
    def forecast(self) -> int:
        """Prognos i år: the economist's figure, else this year's budget."""
        return self.budget if self.own_forecast is None else self.own_forecast

    @property
    def later_years(self) -> int:
        """The approved total not yet budgeted: Total budget − Tidigare − Budget i år, when positive."""
        if self.total_budget is None:
            return 0
        return max(self.total_budget - self.prior - self.budget, 0)

    @property
    def forecast_total(self) -> int:
        return self.prior + self.forecast + self.later_years

    @property
    def deviation_total(self) -> int | None:
        return None if self.total_budget is None else self.total_budget - self.forecast_total

    @property
    def unspent(self) -> int:
        """This year's budget not spent (the next year's ombudgetering), when positive."""
        return max(self.budget - self.actual, 0)


def split(lines: list[BudgetLine], file: str) -> tuple[list[BudgetLine], list[BudgetLine]]:
    """(the operating lines, the investment lines as cost lines for the tree);
    an investment line with an Överordnad, or under which a line stands, stops."""
    investments = [line for line in lines if line.type == INVESTMENT]
    if not investments:
        return lines, []
    names = {normalise_header(line.label): line for line in investments}
    for line in investments:
        if line.parent:
            raise InputError(f"\"{line.label}\" är en investering (Typ {INVESTMENT}) och följs upp för sig; lämna "
                             "Överordnad tom", file=file, where=line.cells.get("överordnad", line.where),
                             slug="investering-i-trad")
    for line in lines:
        parent = names.get(normalise_header(line.parent or ""))
        if parent is not None:
            raise InputError(f"\"{parent.label}\" är en investering (Typ {INVESTMENT}) och kan inte ha rader under "
                             "sig; ge varje projekt en egen rad med Typ Investering",
                             file=file, where=line.cells.get("överordnad", line.where), slug="investering-i-trad")
    operating = [line for line in lines if line.type != INVESTMENT]
    return operating, [replace(line, type=COST) for line in investments]


def project(node, actual: int, rows: int, changes, earlier: int = 0) -> Project:
    """The project of a tree node (``tree.Node`` of an investment line) with
    its ledger sum, its Budgetändringar (``changes.Change``) and the sum of its
    rows of earlier years in the ledger (``earlier``: its Tidigare utfall when
    the Budget sheet leaves that blank)."""
    line = node.line
    prior = earlier if line.prior_actual is None else line.prior_actual
    return Project(node.label, node.where, line.total_budget, prior, actual, node.budget,
                   node.budget + sum(change.amount for change in changes if change.counted), line.forecast,
                   line.comment or "", rows)


def without_other_balance_rows(ledger: Ledger, projects: list, file: str) -> Ledger:
    """The ledger without the balance-account rows (an SIE file read for
    investments marks them in ``Kontotyp``) that no project claims — as the
    SIE reader leaves balance accounts out without investments — and without
    the marking column."""
    kind = normalise_header(ACCOUNT_KIND)
    codes = ledger.codes.get(kind)
    if codes is None:
        return ledger
    marked = np.array([text == BALANCE_ACCOUNT for text in codes.texts], dtype=bool)
    balance = marked[codes.index] if len(codes.texts) else np.zeros(len(ledger), dtype=bool)
    keep = ~balance
    if projects and balance.any():
        rows = np.flatnonzero(balance)
        keep[rows[assign(ledger.take(rows), projects, file) != UNBUDGETED]] = True
    out = ledger.take(keep)
    return replace(out, codes={k: v for k, v in out.codes.items() if k != kind},
                   dimensions=[d for d in out.dimensions if d != kind],
                   labels={k: v for k, v in out.labels.items() if k != kind},
                   rows_read=ledger.rows_read - int((~keep).sum()), headers=out.headers - {kind})
