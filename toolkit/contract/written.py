"""The sheets reconcile writes into the workbook: replaced on every run,
everything else in the workbook is the economist's."""

from __future__ import annotations

SUMMARY_SHEET = "Sammanställning"
RESULT_SHEET = "Resultaträkning"
TIEOUT_SHEET = "Avstämning"
PER_UNIT_SHEET = "Per enhet"  # a consolidation's figures unit by unit
ANALYSIS_SHEET = "Analys"  # the report's text per area, and the economist's own explanation beside it
MONTHLY_SHEET = "Månadsuppföljning"  # the year month by month, with charts
TRANSACTIONS_SHEET = "Transaktioner"  # the period's ledger rows with their lines (Inställningar: Transaktioner = ja)
HISTORY_SHEET = "Prognoshistorik"  # every month's forecast as recorded, and the forecasts' accuracy
INVESTMENTS_SHEET = "Investeringar"  # the investment projects (Typ Investering); only when there are any

#: Sammanställning's first heading and the Kommentar column's: the economist types from the latter on
SUMMARY_FIRST_HEADING = "Rad"
SUMMARY_COMMENT_HEADING = "Kommentar"

#: Analys's headings: the area, the generated text, and the economist's explanation (typed from there on)
ANALYSIS_FIRST_HEADING = "Område"
ANALYSIS_TEXT_HEADING = "Genererad text"
ANALYSIS_EXPLANATION_HEADING = "Förklaring"
#: the heading of the explanations kept under Analys's table when their area is gone
ANALYSIS_KEPT_HEADING = "Text vars område inte finns längre (flytta eller ta bort den)"

#: Prognoshistorik's table: its headings, in order (read back on every run: the rows are data), and the words
#: of its Nivå column — a line, a Summa row (a heading's, Summa intäkter/kostnader), an Uppdrag, the Totalt
HISTORY_HEADINGS = ("Period", "Rad", "Nivå", "Budget", "Utfall (ack.)", "Prognos", "Metod", "Körd")
HISTORY_LINE, HISTORY_SUM, HISTORY_ASSIGNMENT, HISTORY_TOTAL = "rad", "summa", "uppdrag", "totalt"
HISTORY_LEVELS = (HISTORY_LINE, HISTORY_SUM, HISTORY_ASSIGNMENT, HISTORY_TOTAL)

#: a unit's sheets, in the order written (a refresh of an older workbook appends the sheets it lacks)
UNIT_SHEETS = (SUMMARY_SHEET, ANALYSIS_SHEET, RESULT_SHEET, TIEOUT_SHEET, MONTHLY_SHEET, HISTORY_SHEET)
#: a consolidation's sheets, in the order written
CONSOLIDATION_SHEETS = (SUMMARY_SHEET, ANALYSIS_SHEET, RESULT_SHEET, PER_UNIT_SHEET, TIEOUT_SHEET, MONTHLY_SHEET,
                        HISTORY_SHEET)
