"""Utfall — the ledger export: one row per transaction (Period, codes, Text,
Belopp), or a monthly matrix (codes, then one column per month). The sheet
may be called Ledger; a CSV or SIE export has the same columns."""

from __future__ import annotations

from .months import MONTH_HEADERS, MONTH_NAMES
from .names import Column, Sheet, normalise_header

#: the mapping dimensions (code columns the Budget's patterns match) with their other names,
#: in the order used for specificity
DIMENSION_NAMES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Konto", ("account", "kontonummer")),
    ("Ansvar", ("cost centre", "cost center", "responsibility", "ansvarsenhet", "kostnadsställe", "resultatenhet")),
    ("Verksamhet", ("function", "operation")),
    ("Aktivitet", ("activity",)),
    ("Projekt", ("project",)),
    ("Objekt", ("object",)),
    ("Motpart", ("counterparty",)),
)
#: the mapping dimensions' keys: konto, ansvar, verksamhet, aktivitet, projekt, objekt, motpart
DIMENSIONS = tuple(normalise_header(name) for name, _aliases in DIMENSION_NAMES)

PERIOD = Column(
    "Period", ("månad", "bokföringsperiod", "datum", "bokföringsdatum", "date", "month"), "code", 10,
    "Klistra in exporten från ekonomisystemet från rad 2. Period: 202508, 2025-08 eller ett datum.", required=True)
#: the names of Period that name a date column: a ledger with a period column too reads the period
DATE_NAMES = ("datum", "bokföringsdatum", "date")
YEAR = Column("År", ("year", "räkenskapsår"), "code", 8,
              "Räkenskapsåret, när Period bara är en månad 1–12 (valfritt).", template=False)
ACCOUNT = Column(DIMENSION_NAMES[0][0], DIMENSION_NAMES[0][1], "code", 9,
                 "Konto (Kommun-Bas: 3 intäkter, 4 köp, 5 personal, 6–7 övriga kostnader).")
TEXT = Column("Text", ("description", "beskrivning", "verifikationstext", "transaktionstext"), "text", 44,
              "Verifikationstext (valfritt).")
AMOUNT = Column("Belopp", ("amount", "belopp kr", "belopp (kr)"), "amount", 14,
                "Belopp i kr, debet positivt: kostnader positiva, intäkter negativa (som i exporten).", required=True)

LEDGER_SHEET = Sheet("Utfall", ("Ledger",), (
    PERIOD,
    YEAR,
    ACCOUNT,
    *(Column(name, aliases, "code", 11, f"Kod för {name.lower()} från ekonomisystemet (valfritt).")
      for name, aliases in DIMENSION_NAMES[1:]),
    TEXT,
    AMOUNT,
))

#: the columns of the monthly-matrix layout, one per month, in place of Period and Belopp
MATRIX_MONTHS = tuple(
    Column(header, (), "amount", 13, f"Belopp i kr för {name}, kostnader positiva och intäkter negativa. "
           "Lämna tomt för månader som inte är bokade än.", month=m)
    for m, (header, name) in enumerate(zip(MONTH_HEADERS, MONTH_NAMES), 1)
)


#: an SIE file read for investment projects (Typ Investering) also gives its balance accounts' #TRANS, marked
#: "balans" in this column; the engine keeps those rows only where an investment's patterns claim them
ACCOUNT_KIND = "Kontotyp"
BALANCE_ACCOUNT = "balans"
