"""The sheets reconcile writes into the workbook: replaced on every run,
everything else in the workbook is the economist's."""

from __future__ import annotations

SUMMARY_SHEET = "Sammanställning"
RESULT_SHEET = "Resultaträkning"
TIEOUT_SHEET = "Avstämning"
PER_UNIT_SHEET = "Per enhet"  # a consolidation's figures unit by unit
MONTHLY_SHEET = "Månadsuppföljning"  # the year month by month, with charts

#: Sammanställning's first heading and the Kommentar column's: the economist types from the latter on
SUMMARY_FIRST_HEADING = "Rad"
SUMMARY_COMMENT_HEADING = "Kommentar"

#: a unit's sheets, in the order written (a sheet added later goes last: where a refresh appends it)
UNIT_SHEETS = (SUMMARY_SHEET, RESULT_SHEET, TIEOUT_SHEET, MONTHLY_SHEET)
#: a consolidation's sheets, in the order written
CONSOLIDATION_SHEETS = (SUMMARY_SHEET, RESULT_SHEET, PER_UNIT_SHEET, TIEOUT_SHEET, MONTHLY_SHEET)
