"""Budgetändringar — the changes decided during the year (optional sheet):
one row per decision and budget line. The Budget sheet's amount stays the
original budget (ursprunglig budget); the revised budget of a line is the
original plus its changes dated up to the closing period.

The sheet's columns are found by their own names (not the Budget or Utfall
sheets': ``Datum`` here is the decision's date, not a ledger period)."""

from __future__ import annotations

from .names import Column, Sheet, Word

CHANGES_SHEET = Sheet("Budgetändringar", ("Budget changes", "Budgetandringar"), (
    Column("Datum", ("date", "beslutsdatum", "decision date"), "date", 12,
           "Beslutets datum, t.ex. 2025-06-15. Ändringen gäller från den månaden (se Från januari).", required=True),
    Column("Rad", ("line", "budgetrad", "label"), "text", 30,
           "Budgetraden som ändras, som den heter i kolumnen Rad på bladet Budget (eller med sökväg, "
           "Utvecklingsmedel › Ofördelat). Inte en rubrikrad.", required=True),
    Column("Belopp", ("amount", "ändring", "change"), "budget", 13,
           "Ändringen, + ökar radens budget och − minskar den (kr eller tkr som på bladet Budget).", required=True),
    Column("Typ", ("type", "ändringstyp"), "text", 16,
           "Tilläggsanslag, Omfördelning (ska summera till 0), Ombudgetering eller Annan.", required=True),
    Column("Beslut", ("decision", "diarienummer", "dnr", "beslutsnummer"), "code", 16,
           "Beslutet, t.ex. ett diarienummer (valfritt)."),
    Column("Från januari", ("from january", "hela året", "retroaktiv"), "text", 12,
           "ja = ändringen gäller hela året (periodiseras från januari); tomt eller nej = från beslutets månad."),
    Column("Kommentar", ("comment", "kommentarer"), "text", 40, "Fri text (valfritt)."),
))

#: Typ of a change
SUPPLEMENTARY = "Tilläggsanslag"
REALLOCATION = "Omfördelning"  # moved between lines: the sheet's Omfördelning rows add up to 0
CARRY_OVER = "Ombudgetering"  # last year's unspent funds carried over
OTHER = "Annan"
CHANGE_TYPES = (
    Word(SUPPLEMENTARY, ("tillaggsanslag", "tilläggsbudget", "supplementary")),
    Word(REALLOCATION, ("omfordelning", "reallocation")),
    Word(CARRY_OVER, ("carry-over", "carry over", "carryover")),
    Word(OTHER, ("annat", "other", "övrigt")),
)


def path_parts(text: str) -> list[str]:
    """A Rad as the labels it names: a label path typed as reconcile shows one
    (``Utvecklingsmedel › Ofördelat``, also with ``>``) is split, anything else
    is one label."""
    for separator in ("›", ">"):
        if separator in text:
            return [part.strip() for part in text.split(separator)]
    return [text.strip()]
