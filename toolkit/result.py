"""What a run did: the ``Result`` of a unit's refresh or of a consolidation
(one type for both), its summary line and its one JSON form — what the
command line prints, a folder run collects and the Python API returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

from .findings import Finding, count_text
from .money import format_amount

if TYPE_CHECKING:
    from .engine.figures import Figures
    from .engine.results import Report


@dataclass(frozen=True)
class Result:
    path: Path  # the workbook run on; for a consolidation, its output
    report: Report
    written: Path | None  # None: checked only (--check)
    sheets: tuple[str, ...] = field(default_factory=tuple)
    changed: bool = True  # False: the workbook already held these sheets, and was left alone

    @property
    def status(self) -> str:
        """'written', 'unchanged' or 'checked'."""
        if self.written is None:
            return "checked"
        return "written" if self.changed else "unchanged"

    def period_text(self) -> str:
        r = self.report
        return f"{r.period_label} {r.year}" if r.period else f"{r.year}, inget utfall ännu"

    def summary_line(self) -> str:
        """'Halmstad.xlsx: jan–aug 2025 · utfall 748 tkr · avvikelse -18 tkr · prognos 1 323 tkr · 3 blad skrivna'."""
        r = self.report
        parts = figure_parts(r)
        if self.written is None:
            parts.append("kontroll, inget skrivet")
        elif not self.changed:
            where = f" i {self.written}" if self.written != self.path else ""
            parts.append(f"bladen{where} var redan aktuella, inget skrevs")
        else:
            n = len(self.sheets)
            text = f"{n} blad skrivna" if n != 1 else "1 blad skrivet"
            if self.written != self.path:
                text += f" till {self.written}"
            parts.append(text)
        return f"{self.path}: " + " · ".join(parts) + warnings_note(r.warnings)

    def as_dict(self) -> dict:
        """The run as JSON (``--json``, a folder run's records, the API): amounts in kr."""
        r = self.report
        head: dict = {"path": str(self.path), "status": self.status}
        if r.is_consolidation:
            head |= {"name": r.unit, "year": r.year, "period": r.period, "period_label": r.period_label,
                     "totals_kr": totals_kr(r.total),
                     "units": [{"name": u.name, "path": u.file, "totals_kr": totals_kr(u.report.total)}
                               for u in r.units]}
        else:
            tie = r.tieout
            head |= {"written": str(self.written) if self.written else None, "unit": r.unit, "year": r.year,
                     "period": r.period, "period_label": r.period_label, "method": r.method,
                     "totals_kr": totals_kr(r.total),
                     "tieout_kr": {
                         "rows_read": tie.rows_read, "rows_in_period": tie.rows_in_period,
                         "ledger_in_period": kr(tie.sum_in_period), "lines": kr(tie.sum_lines),
                         "unbudgeted": kr(tie.sum_unbudgeted), "difference": kr(tie.difference),
                         # the investment projects' rows (Typ Investering), apart from the lines
                         **({"investments": kr(tie.sum_investments)} if r.investments else {}),
                     }}
        return head | {"warnings": len(r.warnings), "findings": [f.as_dict() for f in r.findings],
                       "sheets": list(self.sheets)}


def figure_parts(report: Report) -> list[str]:
    """The summary line's figures: ['2 enheter', 'jan–aug 2025', 'utfall 748 tkr', 'avvikelse -18 tkr',
    'prognos 1 323 tkr'] (the number of units only for a consolidation)."""
    unit = report.show_in
    parts = []
    if report.is_consolidation:
        n = len(report.units)
        parts.append(f"{n} enheter" if n != 1 else "1 enhet")
    period = f"{report.period_label} {report.year}" if report.period else f"{report.year}, inget utfall ännu"
    return parts + [
        period,
        f"utfall {format_amount(report.total.actual, unit)}",
        f"avvikelse {format_amount(report.total.variance, unit, signed=True)}",
        f"prognos {format_amount(report.total.forecast, unit)}",
    ]


def kr(value: Fraction | int) -> float:
    """öre → kr, rounded to the öre, as JSON shows amounts."""
    return round(float(Fraction(value) / 100), 2)


def totals_kr(t: Figures) -> dict[str, float]:
    return {"budget": kr(t.budget), "periodised_budget": kr(t.phased), "actual": kr(t.actual),
            "variance": kr(t.variance), "forecast": kr(t.forecast), "forecast_variance": kr(t.forecast_variance),
            "committed": kr(t.committed)}


def warnings_note(found: list[Finding]) -> str:
    """The summary line's ending when a run has warnings: ' · 2 varningar (se Avstämning)'."""
    return f" · {count_text(len(found))} (se Avstämning)" if found else ""
