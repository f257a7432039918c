"""Periodisering — the economist's own keys: a name, then twelve weights
Jan … Dec. The built-in keys need no row (their weights depend on the year)."""

from __future__ import annotations

from .months import MONTH_HEADERS, MONTH_NAMES
from .names import Column, Sheet, Word

#: the built-in periodisation keys (used without a row on Periodisering)
LINEAR = "Linjär"
CALENDAR_DAYS = "Kalenderdagar"
WORKING_DAYS = "Arbetsdagar"
LAST_YEAR_PROFILE = "Fjolårsprofil"  # each line's own monthly utfall of last year (engine/last_year.py)
BUILT_IN_KEYS = (Word(LINEAR, ("linjar",)), Word(CALENDAR_DAYS), Word(WORKING_DAYS),
                 Word(LAST_YEAR_PROFILE, ("fjolarsprofil",)))
BUILT_IN = tuple(key.name for key in BUILT_IN_KEYS)

KEYS_SHEET = Sheet("Periodisering", (), (
    Column("Nyckel", ("key", "namn", "name"), "text", 18,
           "Namn på en egen periodiseringsnyckel. Linjär, Kalenderdagar, Arbetsdagar och Fjolårsprofil finns redan "
           "och ska inte skrivas här.", required=True),
    *(Column(header, (), "weight", 7, f"Vikt för {name}: ett tal ≥ 0. Vikterna räknas om till andelar av året.",
             required=True, month=m)
      for m, (header, name) in enumerate(zip(MONTH_HEADERS, MONTH_NAMES), 1)),
))

#: the template's hidden helper sheet behind Budget's Periodisering drop-down (the built-ins, then the keys)
LISTS_SHEET = Sheet("Listor")
