"""Findings: problems that do not stop the run. They are data, shown on the
Avstämning sheet and in ``--json``; each has a stable slug and a position.

Two severities: a *varning* means "this figure is probably wrong" — it is
counted on the summary line, listed first on Avstämning, and stops the run
under ``--strict``; *info* is everything expected (rows of another year, a
total row left out, Ofördelat …).  A unit whose workbook really is so can
silence a warning by its slug on Inställningar (``Godkända varningar``): it
is then shown as info, saying so.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

WARNING = "varning"
INFO = "info"

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
    "forklaring-utan-omrade": "Egen text på Analys utan område; den står kvar under tabellen",
    "forklaring-flyttad": "Förklaringen på Analys flyttades till ett nytt område (bytt namn?)",
    "dubbla-rader": "Samma huvudboksrader i två exportfiler (en månad exporterad två gånger?)",
    "konsolidering-del": "En rad som bara vissa enheter har",
    "konsolidering-ofordelat": "En rad med underrader hos vissa enheter; de andras belopp står som Ofördelat",
    "konsolidering-typ": "En rad som är intäkt hos vissa enheter och kostnad hos andra",
    "konsolidering-fjolar": "Bara vissa enheter har fjolårets utfall; sammanställningen visar inget Fjolår",
    "teckenkodning-blandad": "Exportfil med rader i två teckenkodningar (Windows-1252 och UTF-8); å, ä och ö blir fel",
    "summarad": "En summarad sist i huvudboken lästes inte som en huvudboksrad",
    "arets-resultat": "8999 Årets resultat, bokslutsposten, lästes inte som utfall",
    "sie-kontotyp": "Konto med okänd #KTYP i SIE-filen; läst efter BAS-klass",
    "sie-balanskonto": "Konto i klass 3–8 som SIE-filen anger som balanskonto; lästes inte som utfall",
    "sie-psaldo": "Oklart om SIE-filens #PSALDO-rad utan objekt är kontots summa eller en del av den",
    "sie-summor": "SIE-filens #TRANS eller #PSALDO för året stämmer inte med dess #RES",
    "inga-rader-for-aret": "Huvudboken har inga rader för året",
    "period-efter-utfall": "Bokslutsperioden ligger efter sista månaden med huvudboksrader",
    "tomma-manader": "Månader utan huvudboksrader",
    "storleksordning": "Budget och utfall skiljer sig ungefär 1 000 gånger (kr och tkr förväxlade?)",
    "omvant-tecken": "Huvudbokens tecken ser omvända ut",
    "negativ-kostnadsbudget": "Kostnadsrad med negativ budget men kostnader i utfallet",
    "typ-mot-konto": "Typ Intäkt eller Kostnad som inte stämmer med radens konton och utfall",
    "monster-avgransare": "Mönster med mellanslag eller annan avgränsare som inte matchar något",
    "omfordelning-obalans": "Omfördelningarna på Budgetändringar summerar inte till 0",
    "andring-efter-perioden": "Budgetändring daterad efter bokslutsperioden (ingår inte i budgeten än)",
    "forklaring-saknas": "Väsentlig avvikelse utan förklaring (Väsentlighet på Inställningar)",
    "transaktioner-for-manga": "Bladet Transaktioner skrevs inte: fler huvudboksrader än gränsen",
    "fjolar": "Fjolårets rader i huvudboken: visas som Fjolår, ingår inte i årets siffror",
    "fjolar-dubbelt": "Fjolåret finns både i huvudboken och i fjolårsfilen; fjolårsfilen används",
    "fjolar-ofullstandigt": "Fjolårets huvudbok saknar månader i början eller slutet av året",
    "fjolarsprofil-linjar": "Fjolårsprofil utan användbart fjolår för raden; Linjär används",
    "urval-tomt": "Urvalet på Inställningar matchar ingen av huvudbokens rader för året",
}


@dataclass(frozen=True)
class Finding:
    slug: str
    where: str
    message: str
    severity: str = "varning"  # "varning" | "info"

    @property
    def is_warning(self) -> bool:
        return self.severity == WARNING

    def as_dict(self) -> dict[str, str]:
        return {"slug": self.slug, "severity": self.severity, "where": self.where, "message": self.message}


def warnings(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.is_warning]


def count_text(n: int) -> str:
    """'1 varning', '3 varningar'."""
    return f"{n} varning" if n == 1 else f"{n} varningar"


def accept(findings: Iterable[Finding], accepted: Iterable[str], where: str) -> list[Finding]:
    """The warnings whose slug the unit has accepted (``Godkända varningar`` at
    ``where``) become info, saying so; everything else as it was."""
    slugs = {s.strip().casefold() for s in accepted}
    out = []
    for f in findings:
        if f.is_warning and f.slug.casefold() in slugs:
            f = replace(f, severity=INFO, message=f"{f.message} (godkänd varning, {where})")
        out.append(f)
    return out
