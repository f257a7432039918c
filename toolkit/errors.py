"""The few exception classes of the toolkit, and the slugs of the problems
they report.

Every fatal problem is a ``ReconcileError``. Its ``str()`` is the one line the
CLI prints: ``Halmstad.xlsx: Utfall!G17: "12,3,4" är inte ett belopp``.
Messages are Swedish (the economist reads them); the code is English.

Each error also says what went wrong as data: ``slug``, a stable id of the
kind of problem (``belopp-ogiltigt``; the same problem has the same slug
wherever it is found, see ``SLUGS``), and its position — ``file``, and parsed
from ``where``: ``sheet`` and ``cell`` for a workbook cell (``Budget!D7``),
``line`` for a line of a CSV or SIE file (``rad 17 (Belopp)``).
"""

from __future__ import annotations

import errno
import re
from functools import lru_cache
from typing import NamedTuple

#: slug → short Swedish title: every kind of problem that stops a run
SLUGS = {
    # the files given
    "fil-saknas": "Filen finns inte",
    "fil-olasbar": "Filen kan inte läsas",
    "filtyp-okand": "Filtypen stöds inte",
    "filmonster-utan-traffar": "Inga filer matchar mönstret",
    "inte-textfil": "Filen är ingen textfil (CSV)",
    "teckenkodning-ogiltig": "Filens teckenkodning stämmer inte",
    # the workbook package
    "inte-xlsx": "Filen är ingen .xlsx-arbetsbok",
    "arbetsbok-krypterad": "Arbetsboken är lösenordsskyddad",
    "arbetsbok-avkortad": "Arbetsbokens zip-paket är avkortat",
    "arbetsbok-trasig": "Arbetsboken är trasig",
    "arbetsbok-for-stor": "Arbetsboken eller en del av den är för stor",
    "zip-bomb": "Arbetsboken ser ut som en zip-bomb",
    "xml-dtd": "En del av arbetsboken innehåller en DTD",
    "blad-utanfor-rutnatet": "Ett blad sträcker sig utanför Excels rutnät",
    "blad-glest": "Ett blad sträcker sig långt men är nästan tomt",
    "blad-for-stort": "Ett blad har fler celler än reconcile läser",
    "blad-olasbart": "Ett blad kan inte läsas",
    "blad-saknas": "Arbetsboken saknar ett blad",
    "blad-finns-redan": "Ett blad med samma namn som reconciles finns redan",
    "arbetsbok-skyddad": "Arbetsbokens struktur är skyddad",
    # cells and tables
    "cell-felvarde": "En cell som läses innehåller ett felvärde",
    "sammanfogade-celler": "Sammanfogade celler där varje rad behöver sitt värde",
    "rubrikrad-saknas": "Ingen rubrikrad hittades",
    "kolumn-dubbel": "Samma kolumn finns två gånger",
    "kolumn-felstavad": "Okänd kolumn nära ett känt namn",
    "belopp-ogiltigt": "Inte ett belopp",
    "belopp-for-stort": "Ett orimligt stort belopp",
    "belopp-summa-for-stor": "Beloppen är för stora för att summeras exakt",
    # Budget
    "budget-tom": "Budgeten har inga rader",
    "rad-namn-saknas": "Budgetrad utan namn",
    "rad-dubbel": "Två budgetrader med samma namn",
    "summarad-i-budget": "En summarad i budgeten",
    "typ-ogiltig": "Okänd typ (Intäkt, Kostnad eller Investering)",
    "investering-i-trad": "En investering med Överordnad eller rader under sig",
    "overordnad-saknas": "Den överordnade raden finns inte",
    "overordnad-cirkel": "Överordnade rader i en cirkel",
    "monster-ogiltigt": "Inget giltigt mönster",
    "monsterkolumn-saknas": "Ett mönster för en kolumn som huvudboken saknar",
    "monster-tvetydigt": "Två rader matchar samma huvudboksrader lika specifikt",
    # Periodisering
    "nyckel-saknas": "Periodiseringsnyckeln finns inte",
    "nyckel-namn-saknas": "Nyckel utan namn",
    "nyckel-dubbel": "Två nycklar med samma namn",
    "nyckel-inbyggt-namn": "Nyckel med samma namn som en inbyggd",
    "vikt-ogiltig": "Inte en vikt",
    "vikt-negativ": "Negativ vikt",
    "nyckel-nollor": "Nyckel med bara nollor",
    # Budgetändringar
    "andring-datum-saknas": "Budgetändring utan datum",
    "andring-datum-ogiltigt": "Budgetändring med ett datum som inte går att läsa",
    "andring-rad-saknas": "Budgetändring utan budgetrad",
    "andring-rad-okand": "Budgetändring på en rad som inte finns",
    "andring-rad-tvetydig": "Budgetändring på ett radnamn som finns under flera rubriker",
    "andring-pa-rubrik": "Budgetändring på en rubrikrad",
    "andring-belopp-saknas": "Budgetändring utan belopp",
    "andring-typ-ogiltig": "Okänd typ av budgetändring",
    "andring-fran-januari-ogiltig": "Från januari som varken är ja eller nej",
    # Inställningar
    "installning-felstavad": "Okänd inställning nära ett känt namn",
    "installning-dubbel": "Samma inställning två gånger",
    "installning-ogiltig": "Ogiltigt värde för en inställning",
    "period-fel-ar": "Perioden hör inte till året",
    "godkand-varning-okand": "Godkänd varning som inte finns",
    "urval-kolumn-saknas": "Urval för en kolumn som huvudboken saknar",
    # the ledger
    "ar-okant": "Huvudboken är tom och året okänt",
    "ar-ogiltigt": "Inte ett år",
    "period-ogiltig": "Inte en period",
    "period-utan-ar": "En period eller månadskolumn utan år",
    "period-saknas": "Huvudboksrad utan period",
    "summarad-stammer-inte": "En rad utan period som inte är summan av raderna ovan",
    "citattecken-oavslutat": "Ett citattecken som inte stängs",
    "csv-rad-olasbar": "En rad som inte kan läsas som CSV",
    "parquet-olasbar": "En Parquet-fil som inte kan läsas",
    "csv-falt-antal": "En rad med fler eller färre fält än rubrikraden",
    "sie-ogiltig": "Filen är ingen SIE-fil",
    "sie-rad-ogiltig": "En rad som inte är en SIE-rad",
    "sie-klammer-utan-ver": "Klammer { eller } utan #VER framför",
    "sie-ver-oavslutad": "En verifikation utan avslutande }",
    "sie-falt-saknas": "En SIE-post saknar fält",
    "sie-objektlista-ogiltig": "Trasig objektlista",
    "sie-arsnummer-ogiltigt": "Inget årsnummer",
    "sie-datum-saknas": "Transaktion utan datum",
    "sie-utan-resultatrader": "SIE-filen har inga rader för intäkts- eller kostnadskonton",
    # writing
    "arbetsbok-last": "Arbetsboken är öppen i ett annat program",
    "arbetsbok-upptagen": "En annan reconcile-körning uppdaterar arbetsboken",
    "arbetsbok-andrad": "Arbetsboken ändrades under körningen",
    "arbetsbok-skrivskyddad": "Arbetsboken är skrivskyddad",
    "mapp-skrivskyddad": "Mappen går inte att skriva i",
    "mapp-saknas": "Mappen finns inte",
    "mapp-oskrivbar": "Kan inte skriva i mappen",
    "sakerhetskopia-misslyckad": "Säkerhetskopian kunde inte skrivas",
    "loggfil-olasbar": "Loggfilen kan inte öppnas",
    # reconcile init
    "fil-finns-redan": "Filen finns redan",
    "filnamn-ogiltigt": "Filnamnet ska sluta på .xlsx",
    "fil-oskrivbar": "Filen kan inte skrivas",
    # how it is called (the command line's usage errors, the Python API's arguments)
    "utfil-fel-sort": "Resultatet skrivs som en arbetsbok av arbetsbokens sort",
    "flagga-med-mapp": "En flagga som inte kan användas med en mapp",
    "utfil-saknas": "Sammanställningen behöver en utfil",
    "tomt-argument": "Tomt argument i stället för en fil",
    "arbetsbok-saknas": "Ingen arbetsbok angiven",
    # a run stopped by its own rule
    "stoppad-av-strikt": "En varning stoppade körningen (--strict eller Strikt)",
    "utfallsfil-mapp": "Utfallsfil pekar på en mapp",
    "fjolar-saknar-aret": "Fjolårets huvudbok har inga rader för fjolåret",
    "export-som-arbetsbok": "En huvudboksexport angavs som arbetsbok",
    # a consolidation
    "sammanstallning-ar-enhet": "Sammanställningen är också en av enheterna",
    "enheter-saknas": "Inga enheters arbetsböcker hittades",
    "enheter-olika-perioder": "Enheterna har olika år eller bokslutsperiod",
    # reconcile report
    "rapport-utdata-saknas": "Rapporten behöver --docx eller --text",
    "rapportfil-fel-sort": "Avsnittet skrivs som ett Word-dokument (.docx) eller en textfil",
    "mall-fel-sort": "Mallen ska vara ett Word-dokument (.docx eller .dotx)",
    "mall-olasbar": "Mallen kan inte läsas som ett Word-dokument",
    "flagga-kraver-annan": "En flagga som bara används med en annan",
    "flagga-med-konsolidering": "En flagga som inte kan användas med --konsolidering",
    "konsolidering-saknas": "Flera enheter behöver --konsolidering",
    "samma-fil": "Samma fil angiven för två ändamål",
    "avsnitt-ogiltigt": "Inget avsnittsnummer",
    "inte-sammanstallning": "Arbetsboken är ingen sammanställning",
    "enheter-okanda": "Sammanställningen anger inte enheternas arbetsböcker",
    "enhet-saknas": "En enhets arbetsbok som sammanställningen anger finns inte",
    "dokument-last": "Dokumentet är öppet i ett annat program",
    # Prognoshistorik: earlier runs' forecasts, read back
    "prognoshistorik-rubrik": "Prognoshistorikens rubrikrad är ändrad",
    "prognoshistorik-cell": "En rad i prognoshistoriken kan inte läsas",
    "prognoshistorik-dubbel": "Samma rad två gånger i prognoshistoriken",
    "prognoshistorik-text-utanfor": "Text bredvid prognoshistoriken skulle försvinna",
}


class Position(NamedTuple):
    """Where a problem is, as data: ``sheet`` and ``cell`` (a cell ``D7``, a
    range ``D4:D6``, a row ``7:7``) on a workbook sheet, ``line`` (1-based)
    in a CSV or SIE file.  Each is None when ``where`` does not say it."""

    sheet: str | None = None
    cell: str | None = None
    line: int | None = None


_LINE = re.compile(r"^rad (\d+)(?: \(.*\))?$", re.DOTALL)
_REF = re.compile(r"^(?:'((?:[^']|'')+)'|([^'!]+))!(\$?[A-Z]{0,3}\$?\d*(?::\$?[A-Z]{0,3}\$?\d*)?)$")


@lru_cache(maxsize=256)
def parse_where(where: str | None, file: str | None = None) -> Position:
    """The position a ``where`` string names: ``Budget!D7`` → sheet Budget,
    cell D7; ``'Blad 2'!D4:D6`` → sheet Blad 2, cell D4:D6; ``rad 17 (Belopp)``
    → line 17; a sheet's name alone (``Budget``) → that sheet (only the
    workbook contract's sheet names are taken for one, not the file's own
    name as a CSV table is named); anything else (``--period``) → nothing."""
    if not where:
        return Position()
    if (m := _LINE.match(where)) is not None:
        return Position(line=int(m.group(1)))
    if (m := _REF.match(where)) is not None and m.group(3):
        sheet = m.group(1).replace("''", "'") if m.group(1) is not None else m.group(2)
        return Position(sheet=sheet, cell=m.group(3))
    if _is_sheet_name(where) and (file is None or where != file.replace("\\", "/").rsplit("/", 1)[-1]):
        return Position(sheet=where)
    return Position()


def _is_sheet_name(text: str) -> bool:
    from . import contract

    names = [*contract.UNIT_SHEETS, contract.PER_UNIT_SHEET]
    for sheet in (*contract.INPUT_SHEETS, contract.CHANGES_SHEET):
        names += [sheet.name, *sheet.aliases]
    return contract.normalise_header(text) in {contract.normalise_header(name) for name in names}


class ReconcileError(Exception):
    """Base class: a problem that stops the run. ``exit_code`` is the CLI's.

    ``slug`` names the kind of problem (a key of ``SLUGS``); ``line`` may be
    given when the position is a file's line that ``where`` does not name
    (the message says it)."""

    exit_code = 1

    def __init__(self, message: str, *, file: str | None = None, where: str | None = None,
                 slug: str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.file = file
        self.where = where
        self.slug = slug
        self._line = line

    def __str__(self) -> str:
        parts = [p for p in (self.file, self.where) if p]
        return " ".join(": ".join([*parts, self.message]).splitlines())  # one line, whatever a cell held

    def in_file(self, file: str) -> ReconcileError:
        """Attach the file name if it is not set yet; returns self for ``raise … from``."""
        if self.file is None:
            self.file = file
        return self

    @property
    def position(self) -> Position:
        found = parse_where(self.where, self.file)
        return found._replace(line=self._line) if self._line is not None else found

    @property
    def sheet(self) -> str | None:
        return self.position.sheet

    @property
    def cell(self) -> str | None:
        return self.position.cell

    @property
    def line(self) -> int | None:
        return self.position.line

    def as_dict(self) -> dict:
        """The error as data (``--json`` on a stopped run): the one line, the
        slug and the position."""
        sheet, cell, line = self.position
        return {"message": str(self), "slug": self.slug, "file": self.file, "where": self.where,
                "sheet": sheet, "cell": cell, "line": line}


class InputError(ReconcileError):
    """Bad input: a cell, a CSV line, a setting. Nothing is written."""


class WorkbookError(ReconcileError):
    """The workbook package itself cannot be read or safely extended
    (not a zip, encrypted, protected structure, foreign sheet in the way …)."""


class LockedError(ReconcileError):
    """The workbook is open in Excel/LibreOffice or cannot be replaced."""

    exit_code = 3


class ChangedError(LockedError):
    """The workbook changed on disk while the run read and computed it (saved in
    Excel meanwhile): nothing is replaced, and the run starts over from the new
    file (``job.retrying``)."""


class ReadOnlyError(LockedError):
    """The workbook or its folder is read-only. Not retried with ``--wait``:
    only a person can lift it."""


class UsageError(ReconcileError, ValueError):
    """The way the toolkit was called: an option that cannot be used so (the
    command line turns it into its usage line, exit 2; from Python it is a
    ``ValueError`` too)."""

    exit_code = 2


_OS_REASONS = {
    errno.ENOENT: "finns inte",
    errno.ENOTDIR: "en del av sökvägen är ingen mapp",
    errno.EISDIR: "är en mapp",
    errno.EACCES: "behörighet saknas",
    errno.EPERM: "behörighet saknas",
    errno.EROFS: "filsystemet är skrivskyddat",
    errno.ENOSPC: "disken är full",
    errno.EBUSY: "används av ett annat program",
    errno.ENAMETOOLONG: "namnet är för långt",
    errno.EMFILE: "för många öppna filer",
    errno.EEXIST: "finns redan",
}


def os_reason(exc: OSError) -> str:
    """What an OSError means, in Swedish (the system's own text is English):
    'finns inte', 'behörighet saknas', 'disken är full' …"""
    reason = _OS_REASONS.get(exc.errno)
    if reason is None and getattr(exc, "winerror", None) in (32, 33):  # sharing or lock violation
        reason = "används av ett annat program"
    if reason is None:
        reason = f"systemfel {exc.errno}" if exc.errno else "systemfel"
    return reason
