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
    "dubbla-rader": "Samma huvudboksrader i två exportfiler (en månad exporterad två gånger?)",
    "konsolidering-del": "En rad som bara vissa enheter har",
    "konsolidering-ofordelat": "En rad med underrader hos vissa enheter; de andras belopp står som Ofördelat",
    "konsolidering-typ": "En rad som är intäkt hos vissa enheter och kostnad hos andra",
    "summarad": "En summarad sist i huvudboken lästes inte som en huvudboksrad",
    "inga-rader-for-aret": "Huvudboken har inga rader för året",
    "period-efter-utfall": "Bokslutsperioden ligger efter sista månaden med huvudboksrader",
    "tomma-manader": "Månader utan huvudboksrader",
    "storleksordning": "Budget och utfall skiljer sig ungefär 1 000 gånger (kr och tkr förväxlade?)",
    "omvant-tecken": "Huvudbokens tecken ser omvända ut",
    "negativ-kostnadsbudget": "Kostnadsrad med negativ budget men kostnader i utfallet",
    "monster-avgransare": "Mönster med mellanslag eller annan avgränsare som inte matchar något",
}


@dataclass(frozen=True)
class Finding:
    slug: str
    where: str
    message: str
    severity: str = "varning"  # "varning" | "info"

    def as_dict(self) -> dict[str, str]:
        return {"slug": self.slug, "severity": self.severity, "where": self.where, "message": self.message}
