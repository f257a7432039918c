"""Findings: problems that do not stop the run. They are data, shown on the
Avstämning sheet and in ``--json``; each has a stable slug and a position."""

from __future__ import annotations

from dataclasses import dataclass

#: slug → short Swedish title (used as a legend on Avstämning)
SLUGS = {
    "ej-budgeterat": "Huvudboksrader som ingen budgetrad täcker",
    "utanfor-perioden": "Huvudboksrader utanför året eller efter bokslutsperioden",
    "overfordelat": "Underraderna är större än den överordnade radens budget",
    "prognos-pa-overordnad": "Prognos eller intecknat på en överordnad rad",
    "trend-utan-andel": "Trendprognos utan periodiserad andel",
    "rad-utan-monster": "Budgetrad utan mönster får inga huvudboksrader",
    "okand-installning": "Okänd inställning",
    "ej-installningar": "Ett blad Settings som inte är en inställningstabell lästes inte",
    "tom-rad-i-budget": "Budgetrad utan namn",
    "okand-kolumn": "Kolumn som inte används",
    "negativ-intaktsbudget": "Intäktsrad med negativ budget, läst som intäkt",
    "arbetsbok-olasbar": "Arbetsboken kunde inte läsas; inställningarna togs från budgetfilen",
    "kommentar-utan-rad": "Egen text på Sammanställning utan rad; den står kvar under tabellen",
    "kommentar-behallen": "Kommentaren på Sammanställning behölls framför Budgets kommentar",
    "dubbla-rader": "Samma huvudboksrader i två exportfiler",
    "konsolidering-del": "En rad som bara vissa enheter har",
    "konsolidering-ofordelat": "En rad med underrader hos vissa enheter; de andras belopp står som Ofördelat",
    "konsolidering-typ": "En rad som är intäkt hos vissa enheter och kostnad hos andra",
    "summarad": "En summarad sist i huvudboken lästes inte som en huvudboksrad",
    "arets-resultat": "8999 Årets resultat, bokslutsposten, lästes inte som utfall",
    "sie-kontotyp": "Konto med okänd #KTYP i SIE-filen; läst efter BAS-klass",
    "sie-balanskonto": "Konto i klass 3–8 som SIE-filen anger som balanskonto; lästes inte som utfall",
    "sie-psaldo": "Oklart om SIE-filens #PSALDO-rad utan objekt är kontots summa eller en del av den",
    "sie-summor": "SIE-filens #TRANS eller #PSALDO för året stämmer inte med dess #RES",
}


@dataclass(frozen=True)
class Finding:
    slug: str
    where: str
    message: str
    severity: str = "varning"  # "varning" | "info"

    def as_dict(self) -> dict[str, str]:
        return {"slug": self.slug, "severity": self.severity, "where": self.where, "message": self.message}
