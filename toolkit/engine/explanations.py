"""The economist's explanations on Analys, carried from one refresh to the next.

Beside each area's generated text (``engine.text``) the economist types the
explanation the figures cannot give ("Överskottet beror på …"), and sometimes
columns of their own to the right of it.  A refresh rewrites the sheet, so
these cells are read back first (``read.explanations``) and matched to this
refresh's areas by the area's label path — ``("Totalt",)``, ``("Politik",)``,
``("Lokal nämnd Halmstad", "Totalt")`` — exactly as Kommentar is on
Sammanställning (``engine.notes``):

- the same area: the text stays with it, whatever the figures (a budget line
  renamed, added or removed inside an Uppdrag leaves the area as it is);
- an area renamed — its Uppdrag renamed on the Budget sheet, or a top-level
  line without Uppdrag renamed: when exactly one area of a kind (an Uppdrag, a
  unit of a consolidation) has gone from the table and exactly one has
  appeared in this refresh, the gone one's text moves to the new one, and
  Avstämning says so (``forklaring-flyttad``) — a rename is the likely reading,
  and the text stays in sight either way;
- otherwise the text of a gone area, and text typed outside the table, is
  written under the table below "Text vars område inte finns längre" and
  listed on Avstämning (``forklaring-utan-omrade``) on every refresh, until the
  economist moves or deletes it, or its area comes back (then it returns).

Nothing typed is dropped.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from ..contract.written import ANALYSIS_SHEET
from ..findings import Finding
from ..layout import PATH_SEPARATOR
from .model import NoteRow, Notes, RowKey
from .notes import kept_below
from .results import Explanations, Report
from .text import areas


def attach(previous: tuple[Notes, tuple[RowKey, ...]] | None,
           keys: list[RowKey]) -> tuple[dict[RowKey, NoteRow], list[NoteRow], list[Finding]]:
    """Match the previous explanations (``previous``: the typed cells and the
    areas the previous table showed) to this refresh's areas (``keys``, in
    order).  Returns the rows per area, the rows without an area (kept under
    the table) and the findings."""
    if not previous:
        return {}, [], []
    notes, before = previous
    wanted = set(keys)
    matched: dict[RowKey, NoteRow] = {}
    findings: list[Finding] = []
    left: list[NoteRow] = []
    for row in notes.rows:
        if row.key in wanted and row.key not in matched:
            matched[row.key] = row
        else:
            left.append(row)
    renamed = _renamed(before, keys)
    orphans: list[NoteRow] = []
    for row in left:
        new = renamed.get(row.key)
        if new is not None and new not in matched:
            matched[new] = row
            findings.append(Finding(
                "forklaring-flyttad", f"{ANALYSIS_SHEET}: {_path(new)}",
                f'förklaringen till "{_path(row.key)}" står nu vid "{_path(new)}": området finns inte längre och '
                f'"{_path(new)}" är nytt — har det bytt namn? Flytta texten om den hör till ett annat område',
                severity="info"))
            continue
        orphans.append(row)
        findings += kept_below(row, "forklaring-utan-omrade", ANALYSIS_SHEET, "området")
    return matched, orphans, findings


def _renamed(before: tuple[RowKey, ...], keys: list[RowKey]) -> dict[RowKey, RowKey]:
    """Gone area → new area, for each kind (the key's length: an Uppdrag, a
    consolidation's unit) where exactly one area went and exactly one came."""
    had, has = set(before), set(keys)
    gone = [k for k in before if k not in has]
    came = [k for k in keys if k not in had]
    gone_kinds, came_kinds = Counter(len(k) for k in gone), Counter(len(k) for k in came)
    return {old: new for old in gone for new in came
            if len(old) == len(new) and gone_kinds[len(old)] == 1 and came_kinds[len(new)] == 1}


def _path(key: RowKey) -> str:
    return PATH_SEPARATOR.join(key)


def carry(report: Report, previous: tuple[Notes, tuple[RowKey, ...]] | None) -> Report:
    """``report`` with the economist's explanations of the previous Analys
    matched to its areas (``previous``: as ``read.explanations`` reads them)."""
    if not previous:
        return report
    notes = previous[0]
    matched, orphans, findings = attach(previous, [area.key for area in areas(report)])
    explanations = Explanations(matched, tuple(orphans), dict(notes.headers), dict(notes.widths))
    return replace(report, explanations=explanations, findings=(*report.findings, *findings))
