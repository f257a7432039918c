"""``reconcile init NEXT.xlsx --fran THIS.xlsx``: next year's workbook from
this year's.

THIS is read and reconciled as ``reconcile THIS --check`` would (its closing
period as usual: run it on the closed year).  NEXT is a fresh template
(``template``) holding:

- Inställningar: the settings typed in THIS, with År = this year + 1 and Period cleared;
- Budget: every line as typed — Rad, Överordnad, Typ, the pattern columns, Periodisering,
  Uppdrag — with the operating lines' Budget as typed this year (the original budget, a
  starting point to be replaced by next year's decided budget); Prognos, Intecknat and
  Kommentar are left blank (they were this year's);
- investment projects (Typ Investering): Total budget as typed, Tidigare utfall = this
  year's Tidigare utfall + this year's utfall, Budget blank (next year's share is the
  council's decision) — and their unspent budget, Budget i år − Utfall i år when positive,
  proposed as an ``Ombudgetering`` row on Budgetändringar dated 1 January of the new year,
  Beslut empty, to be filled in when the council decides;
- Periodisering: THIS's own keys; Utfall and the rest of Budgetändringar empty.

Amounts are written in THIS's unit (``Belopp i``).
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

from .contract import BUDGET_SHEET, CHANGES_SHEET, DIMENSIONS, INVESTMENT, SETTINGS
from .contract.changes import CARRY_OVER
from .contract.settings import PERIOD, URVAL, URVAL_HELP, YEAR
from .engine.results import Report
from .errors import InputError
from .read.inputs import Inputs

#: the Kommentar of a proposed ombudgetering row
CARRIED_COMMENT = "Ej förbrukad investeringsbudget {year} (förslag; fyll i Beslut när nämnden beslutat)"


def _amount(ore: int, scale: int) -> int | float:
    value = Decimal(ore) / (100 * scale)
    return int(value) if value == value.to_integral_value() else float(value)


def _setting_value(value) -> object:
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, tuple):
        return ", ".join(value)
    return value


def plan(inputs: Inputs, report: Report, year: int | None = None) -> dict:
    """What NEXT holds: settings, budget rows, extra pattern columns, keys, changes.
    ``year``: NEXT's year (default: THIS's year + 1)."""
    settings = inputs.settings
    scale = 1000 if settings.amounts_in == "tkr" else 1
    year = year or report.year + 1
    values = {s.name: _setting_value(getattr(settings, s.key)) for s in SETTINGS
              if s.template and s.key in settings.where and s not in (YEAR, PERIOD)}
    values[YEAR.name] = year
    names = {c.key: c.name for c in BUDGET_SHEET.columns}
    change = {c.key: c.name for c in CHANGES_SHEET.columns}
    extra: dict[str, str] = {}  # a pattern column of another ledger column: its header as the ledger names it
    projects = {p.label: p for p in report.investments}
    rows = []
    changes = []
    for line in inputs.lines:
        row = {names["rad"]: line.label, names["överordnad"]: line.parent, names["typ"]: line.type,
               names["periodisering"]: line.key, names["uppdrag"]: line.assignment}
        for column, pattern in line.patterns.items():
            if column in DIMENSIONS:
                row[names[column]] = pattern
            else:
                extra.setdefault(column, inputs.ledger.labels.get(column, column))
                row[extra[column]] = pattern
        project = projects.get(line.label) if line.type == INVESTMENT else None
        if project is not None:
            if line.total_budget is not None:
                row[names["total budget"]] = _amount(line.total_budget, scale)
            row[names["tidigare utfall"]] = _amount(project.accumulated, scale)
            if project.unspent:
                changes.append({change["datum"]: dt.datetime(year, 1, 1), change["rad"]: line.label,
                                change["belopp"]: _amount(project.unspent, scale), change["typ"]: CARRY_OVER,
                                change["kommentar"]: CARRIED_COMMENT.format(year=report.year)})
        elif line.budget is not None:
            row[names["budget"]] = _amount(line.budget, scale)
        rows.append(row)
    keys = {key.name: [float(w) for w in key.weights] for key in inputs.keys}
    # Urval <kolumn>: the unit's rows of a shared export, next year as this
    urval = [(f"{URVAL} {c.label}", c.pattern.text, URVAL_HELP) for c in settings.urval.conditions] \
        if settings.urval is not None else []
    return {"year": year, "settings": values, "rows": rows, "extra": extra, "keys": keys, "changes": changes,
            "urval": urval}


def write_next_year(path, source, year: int | None = None) -> tuple[int, int]:
    """Write NEXT (``path``) from THIS (``source``); never overwrites a file.
    Returns (next year, the number of ombudgetering rows proposed)."""
    from .job import reconcile_inputs
    from .read.inputs import read_inputs
    from .template import (
        add_budget_sheet,
        add_changes_sheet,
        add_keys_sheet,
        add_ledger_sheet,
        add_lists_sheet,
        add_settings_sheet,
        new_workbook,
        write_new,
    )

    path, source = Path(path), Path(source)
    if path.exists():
        raise InputError("filen finns redan; välj ett annat namn", file=str(path), slug="fil-finns-redan")
    if path.suffix.lower() != ".xlsx":
        raise InputError("filnamnet ska sluta på .xlsx", file=str(path), slug="filnamn-ogiltigt")
    if not source.exists():
        raise InputError("filen finns inte; ange årets arbetsbok, den som nästa års mall görs från",
                         file=str(source), slug="fil-saknas")
    if source.is_dir():
        raise InputError("är en mapp; ange årets arbetsbok (.xlsx)", file=str(source), slug="fil-saknas")
    inputs = read_inputs(source, notes=False)
    contents = plan(inputs, reconcile_inputs(inputs), year)
    buffer = io.BytesIO()
    workbook, formats = new_workbook(buffer, title=f"Budgetuppföljning {contents['year']}",
                                     comments=f"Skapad med reconcile init --fran {source.name}")
    add_settings_sheet(workbook, formats, contents["settings"], contents["urval"])
    sheet = add_budget_sheet(workbook, formats,
                             [{k: v for k, v in row.items() if k not in contents["extra"].values()}
                              for row in contents["rows"]])
    first = sum(1 for c in BUDGET_SHEET.columns if c.template)
    for k, header in enumerate(contents["extra"].values()):  # pattern columns of other ledger columns
        sheet.write_string(0, first + k, header, formats.header)
        sheet.set_column(first + k, first + k, 13, formats.code)
        for r, row in enumerate(contents["rows"], start=1):
            if row.get(header):
                sheet.write_string(r, first + k, row[header])
    add_ledger_sheet(workbook, formats)
    add_keys_sheet(workbook, formats, contents["keys"])
    add_changes_sheet(workbook, formats, contents["changes"])
    add_lists_sheet(workbook, contents["keys"])
    workbook.close()
    write_new(path, buffer.getvalue())
    return contents["year"], len(contents["changes"])

