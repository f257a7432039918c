"""Finding a table's header row and its columns by name (with aliases).

Headers may sit on any of the first 10 rows (exports put title rows above
them); names match case-insensitively, Swedish or English.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import InputError
from .grid import Grid, cell_text, normalise_header

HEADER_SEARCH_ROWS = 10

#: canonical column → accepted header names (normalised)
ALIASES: dict[str, tuple[str, ...]] = {
    # Budget
    "rad": ("rad", "line", "label", "benämning"),
    "överordnad": ("överordnad", "parent", "överordnad rad"),
    "typ": ("typ", "type"),
    "budget": ("budget", "annual budget", "budget helår", "årsbudget"),
    "periodisering": ("periodisering", "periodiseringsnyckel"),
    "uppdrag": ("uppdrag", "assignment"),
    "prognos": ("prognos", "forecast", "prognos helår"),
    "intecknat": ("intecknat", "committed", "commitment"),
    "kommentar": ("kommentar", "comment", "kommentarer"),
    # Ledger and mapping dimensions
    "period": ("period", "månad", "bokföringsperiod", "datum", "bokföringsdatum", "date", "month"),
    "år": ("år", "year", "räkenskapsår"),
    "konto": ("konto", "account", "kontonummer"),
    "ansvar": ("ansvar", "cost centre", "cost center", "responsibility", "ansvarsenhet", "kostnadsställe",
               "resultatenhet"),
    "verksamhet": ("verksamhet", "function", "operation"),
    "aktivitet": ("aktivitet", "activity"),
    "projekt": ("projekt", "project"),
    "objekt": ("objekt", "object"),
    "motpart": ("motpart", "counterparty"),
    "text": ("text", "description", "beskrivning", "verifikationstext", "transaktionstext"),
    "belopp": ("belopp", "amount", "belopp kr", "belopp (kr)"),
    # Keys
    "nyckel": ("nyckel", "key", "namn", "name"),
    # Settings
    "inställning": ("inställning", "setting"),
    "värde": ("värde", "value"),
}

#: the mapping dimensions known by name, in the order used for specificity
DIMENSIONS = ("konto", "ansvar", "verksamhet", "aktivitet", "projekt", "objekt", "motpart")

_LOOKUP = {alias: canon for canon, names in ALIASES.items() for alias in names}


def canonical(header: object) -> str:
    """'Account' → 'konto'; an unknown header → its normalised text."""
    norm = normalise_header(header)
    return _LOOKUP.get(norm, norm)


@dataclass
class HeaderRow:
    row: int
    columns: dict[str, int]  # canonical name → column index
    labels: dict[int, str]  # column index → header text as written

    def get(self, name: str) -> int | None:
        return self.columns.get(name)


def find_header(grid: Grid, required: tuple[str, ...], *, what: str, accept=None) -> HeaderRow:
    """The first of the first 10 rows holding every ``required`` column
    (or for which ``accept(columns)`` is true)."""
    limit = min(HEADER_SEARCH_ROWS, len(grid.rows))
    for r in range(limit):
        columns: dict[str, int] = {}
        labels: dict[int, str] = {}
        for c, value in enumerate(grid.rows[r]):
            text = cell_text(value)  # 202501.0 → '202501', a date → '2025-01-01'
            if text == "":
                continue
            name = canonical(text)
            labels[c] = text
            columns.setdefault(name, c)
        ok = accept(columns) if accept else all(name in columns for name in required)
        if ok:
            grid.headers = labels
            return HeaderRow(r, columns, labels)
    names = ", ".join(ALIASES[n][0].capitalize() for n in required)
    raise InputError(
        f"hittar ingen rubrikrad för {what} (kolumnerna {names}) på de första {HEADER_SEARCH_ROWS} raderna; "
        "skriv rubrikerna ovanför tabellen och kör igen",
        file=grid.file,
        where=None if grid.is_csv else grid.name,  # a CSV file is its own table
    )
