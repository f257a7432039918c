"""Budget — one row per line of the report: its label and parent, its type,
the annual budget, one pattern column per ledger column it maps, its key,
its group in the result statement, and the economist's own forecast,
commitments and comment."""

from __future__ import annotations

from .ledger import DIMENSION_NAMES
from .names import Column, Sheet, Word


def _pattern_help(name: str) -> str:
    return (
        f"Vilka {name.lower()}-värden i Utfall som hör till raden: 6540, en lista 4010, 4020, "
        "ett intervall 4000-4999 eller ett prefix 40*. Tomt = samma som överordnad rad "
        "(på översta nivån: alla)."
    )


BUDGET_SHEET = Sheet("Budget", (), (
    Column("Rad", ("line", "label", "benämning"), "text", 30,
           "Radens namn, unikt på bladet. Visas i rapporterna.", required=True),
    Column("Överordnad", ("parent", "överordnad rad"), "text", 26,
           "Namnet på raden som den här raden ingår i. Tomt = översta nivån."),
    Column("Typ", ("type",), "text", 10, "Intäkt, Kostnad eller Investering. Tomt = samma som överordnad rad."),
    Column("Budget", ("annual budget", "budget helår", "årsbudget"), "budget", 13,
           "Årsbudget, positiv för både intäkter och kostnader (kr eller tkr enligt Inställningar). "
           "Är budgeten större än underradernas summa läggs resten på en rad Ofördelat.", required=True),
    # a pattern for the ledger column of the same name (any other ledger column may have one too)
    *(Column(name, aliases, "code", 13, _pattern_help(name)) for name, aliases in DIMENSION_NAMES),
    Column("Periodisering", ("periodiseringsnyckel",), "text", 15,
           "Periodiseringsnyckel: Linjär, Kalenderdagar, Arbetsdagar, Fjolårsprofil (radens utfall per månad "
           "i fjol) eller en egen nyckel från bladet Periodisering. Tomt = överordnad rads nyckel (annars Linjär).",
           also=("nyckel",)),
    Column("Uppdrag", ("assignment",), "text", 18,
           "Uppdrag i resultaträkningen, t.ex. Politik. Tomt = överordnad rads uppdrag."),
    Column("Prognos", ("forecast", "prognos helår"), "budget", 13,
           "Egen helårsprognos för raden (valfritt). Går före prognosmetoden i Inställningar."),
    Column("Intecknat", ("committed", "commitment"), "budget", 13,
           "Belopp som är utlovat men ännu inte bokat (valfritt)."),
    Column("Kommentar", ("comment", "kommentarer"), "text", 50,
           "Fri text som följer med till rapporten (valfritt)."),
    # an investment project's (Typ Investering) approved total over all its years, and its earlier years' utfall
    Column("Total budget", ("totalbudget", "total budget investering", "approved total"), "budget", 13,
           "Investeringar: projektets hela beslutade budget, alla år (valfritt)."),
    Column("Tidigare utfall", ("utfall tidigare år", "prior actual", "prior years"), "budget", 13,
           "Investeringar: projektets utfall under tidigare år (valfritt)."),
))

#: Typ: a line is income or cost — or an investment project, followed up apart from the operating result
INCOME = "Intäkt"
COST = "Kostnad"
INVESTMENT = "Investering"
LINE_TYPES = (
    Word(INCOME, ("intäkter", "income", "revenue")),
    Word(COST, ("kostnader", "cost", "costs", "expense")),
    Word(INVESTMENT, ("investeringar", "investment", "capex")),
)
