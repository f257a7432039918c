"""``reconcile FILE --budget B.xlsx --utfall U.xlsx`` over the shared corpus of
real-world .xlsx/.xlsm packages.

Every corpus file is copied to a folder of its own and extended by the command
line with a small budget and ledger built here.  A file is

* **extended**: exit 0 and the one summary line; every original part is still
  there (``calcChain.xml`` aside) and every part but the index parts is copied
  raw; the index parts only gained entries: the original sheets with their ids
  and rIds, defined names with their localSheetId, relationships, content types,
  style entries and shared strings are where they were (``check_graft``); the
  sheets read back through openpyxl (cached values), python-calamine and
  LibreOffice (recalculated) with the figures of the same command on a blank
  workbook; an .xlsm keeps its VBA project, its macro content type and its name;
  a second run leaves the file byte-identical; nothing else appears in the
  folder but an optional backup ``NAME.bak`` holding the original bytes;
* **refused**: exit 1 with one line that says why and what to do
  (``…: <reason>; <what to do>``), the file byte-identical, nothing else written.
  A workbook whose structure is protected must be refused;
* **unreadable**: extended, but neither openpyxl nor calamine can read the
  original either, so only LibreOffice checks the figures;
* **failed**: anything else.

When the toolkit cannot open a workbook, it takes the settings from the
budget file and notes it on Avstämning: that finding (and its legend line) is
expected there, and the unit is the budget file's.  The summary test prints the
counts and the refused files; failed must be 0.
"""

from __future__ import annotations

import datetime as dt
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import libreoffice
import package_helpers
import pytest
import xlsxwriter
from click.testing import CliRunner
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string
from package_helpers import (
    CORPUS_XLSX,
    check_drawings,
    check_graft,
    contents,
    index_parts,
    make_rendered,
    manifest_features,
    raw_entries,
    read_calamine,
    read_openpyxl,
    sheet_names,
)
from workbook_factory import write_workbook
from written import SHEETS, WRITTEN

from toolkit.cli import main
from toolkit.contract import MONTHLY_SHEET
from toolkit.engine.text import genitive
from toolkit.package import toolkit_sheet_names, write_sheets

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not CORPUS_XLSX.is_dir(), reason="corpus folder ../shared/corpus/xlsx missing"),
]

FILES = sorted(p.name for p in CORPUS_XLSX.iterdir()) if CORPUS_XLSX.is_dir() else []
SOFFICE = pytest.mark.skipif(not libreoffice.available(), reason="soffice not installed")

# -- the inputs: a small budget (with settings, used when the workbook itself is unreadable) and ledger --

MONTHS = ["Jan", "Feb", "Mar", "Apr", "Maj", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dec"]
BUDGET_UNIT = "Budgetfilens enhet"
SETTINGS = [["Inställning", "Värde"], ["Enhet", BUDGET_UNIT], ["År", 2025], ["Period", 5]]
BUDGET = [
    ["Rad", "Överordnad", "Typ", "Budget", "Konto", "Ansvar", "Periodisering", "Intecknat", "Kommentar"],
    ["Verksamhet", None, None, None, None, "110", None, None, None],
    ["Personal", "Verksamhet", "Kostnad", 480000, "50*", None, None, None, "Två tjänster"],
    ["Lokaler", "Verksamhet", "Kostnad", 120000, "5010-5099", None, "Höst", 15000, None],
    ["Utveckling", "Verksamhet", "Kostnad", 90000, "6540", None, "Höst", None, None],
    ["Intäkter", None, "Intäkt", 200000, "3*", None, None, None, None],
    ["Avgifter", "Intäkter", None, 150000, "3010", None, None, None, None],
]
KEYS = [["Nyckel", *MONTHS], ["Höst", 1, 1, 1, 1, 1, 1, 0, 0, 2, 2, 2, 1]]
LEDGER = [
    ["Period", "Konto", "Ansvar", "Text", "Belopp"],
    [202501, 5011, 110, "Lön", 40000.25],
    [202502, 5011, 110, "Lön", 40000.25],
    [202503, 5020, 110, "Hyra", 30000],
    [202503, 6540, 110, "Konsult", 12345.67],
    [202504, 3010, 110, "Avgift", -50000],
    [202504, 3990, 110, "Övrigt", -1234.5],
    [202505, 7000, 110, "Okänt konto", 999.99],
    [202412, 5011, 110, "Fjolåret", 777],
]
UNREADABLE_SLUG = "arbetsbok-olasbar"  # the Avstämning finding when the toolkit cannot open the workbook itself
OWN_SETTINGS_SLUG = "ej-installningar"  # the workbook has a "Settings" sheet of its own, not read as settings

# -- sheets as rows --------------------------------------------------------------------

Rows = list  # list of tuples, trailing empty cells and rows dropped


def _trim(rows: list[list]) -> Rows:
    out = []
    for row in rows:
        row = list(row)
        while row and row[-1] in (None, ""):
            row.pop()
        out.append(tuple(None if v == "" else v for v in row))
    while out and not out[-1]:
        out.pop()
    return out


def cells_to_rows(cells: dict[str, object]) -> Rows:
    grid: list[list] = []
    for ref, value in cells.items():
        col, row = coordinate_from_string(ref)
        c = column_index_from_string(col) - 1
        while len(grid) < row:
            grid.append([])
        line = grid[row - 1]
        line.extend([None] * (c + 1 - len(line)))
        line[c] = value
    return _trim(grid)


def normalise(rows: Rows, unit: str) -> tuple[Rows, Rows]:
    """The rows with the unit's name (and its genitive) replaced by ENHET — in the titles, the text on
    Analys and the Summa row of Resultaträkning — less the rows of the unreadable-workbook finding, and
    those rows."""
    kept, finding = [], []
    for row in rows:
        if row and row[0] in (UNREADABLE_SLUG, OWN_SETTINGS_SLUG):
            finding.append(row)
            continue
        kept.append(tuple(v.replace(genitive(unit), "ENHET").replace(unit, "ENHET") if isinstance(v, str) else v
                          for v in row))
    return kept, finding


def _same(expected, found, tolerance: float = 0.0) -> bool:
    if isinstance(expected, (int, float)) and not isinstance(expected, bool):
        if isinstance(found, str):  # LibreOffice's CSV: 12.5, 91.6670833333333%
            try:
                found = float(found[:-1]) / 100 if found.endswith("%") else float(found)
            except ValueError:
                return False
        if not isinstance(found, (int, float)) or isinstance(found, bool):
            return False
        return abs(found - expected) <= 1e-9 + 1e-9 * abs(expected) + tolerance
    if isinstance(expected, dt.datetime) and expected.time() == dt.time():  # a date cell (Prognoshistorik's Körd)
        day = expected.date()  # python-calamine reads a date, LibreOffice's CSV has it as text
        return found in (expected, day) or isinstance(found, str) and found.strip() == day.isoformat()
    return found == expected


def first_difference(expected: Rows, found: Rows, tolerance: float = 0.0) -> str | None:
    for r in range(max(len(expected), len(found))):
        want = expected[r] if r < len(expected) else ()
        got = found[r] if r < len(found) else ()
        for c in range(max(len(want), len(got))):
            w = want[c] if c < len(want) else None
            g = got[c] if c < len(got) else None
            if not _same(w, g, tolerance):
                return f"row {r + 1} col {c + 1}: expected {w!r}, found {g!r}"
    return None


def _quiet(reader, *args):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return reader(*args)


def workbook_opens(path: Path) -> bool:
    """Whether the toolkit opens the workbook itself (its package, sheets and
    relationships): it reads the workbook's own settings then, and takes them
    from the budget file when it cannot."""
    from toolkit.errors import WorkbookError
    from toolkit.read.workbook import Source

    try:
        Source(path, path.name)
    except WorkbookError:
        return False
    return True


# -- one run over the corpus -------------------------------------------------------------

@dataclass
class Outcome:
    status: str  # extended | refused | unreadable | failed
    detail: str = ""
    path: Path | None = None  # the extended workbook
    unit: str = ""  # the unit name its sheets carry
    unreadable_original: dict[str, str] = field(default_factory=dict)  # reader -> why it cannot read the original


class CorpusRun:
    def __init__(self, base: Path):
        self.base = base
        inputs = base / "inputs"
        inputs.mkdir()
        self.budget = write_workbook(inputs / "B.xlsx", {"Inställningar": SETTINGS, "Budget": BUDGET,
                                                         "Periodisering": KEYS})
        self.ledger = write_workbook(inputs / "U.xlsx", {"Utfall": LEDGER})
        self.outcomes: dict[str, Outcome] = {}
        self.lo: dict[str, tuple[str, str]] | None = None
        self.lo_stats = None
        self.reference_path, self.line, self.expected = self._reference()

    def cli(self, path: Path):
        return CliRunner().invoke(main, [str(path), "--budget", str(self.budget), "--utfall", str(self.ledger)])

    def _reference(self) -> tuple[Path, str, dict[str, Rows]]:
        """The same command on a blank workbook: the summary line and the sheets
        every corpus file must get (unit name normalised), checked against the ledger."""
        folder = self.base / "reference"
        folder.mkdir()
        path = folder / "Referens.xlsx"
        book = xlsxwriter.Workbook(str(path))
        book.add_worksheet("Blad1")
        book.close()
        result = self.cli(path)
        assert result.exit_code == 0, result.output
        data = path.read_bytes()
        found = _quiet(read_openpyxl, data, SHEETS)
        expected = {}
        for sheet in SHEETS:
            rows, finding = normalise(cells_to_rows(found[sheet]), path.stem)
            assert not finding and rows[0][0].startswith("ENHET — "), rows[:1]
            expected[sheet] = rows
        calamine = _quiet(read_calamine, data, SHEETS)
        for sheet in SHEETS:
            assert first_difference(expected[sheet], normalise(cells_to_rows(calamine[sheet]), path.stem)[0]) is None
        # the reference itself against an independent sum of the ledger: Jan–May 2025
        in_period = [r for r in LEDGER[1:] if 202501 <= r[0] <= 202505]
        total_kr = sum(round(r[4] * 100) for r in in_period) / 100
        tie = {r[0]: r for r in expected["Avstämning"] if r}
        assert tie["Σ huvudbok i perioden"][1] == pytest.approx(total_kr, abs=1e-9)
        assert tie["Differens (ska vara 0,00)"][1] == 0
        assert tie["Rader i perioden"][1] == len(in_period)
        summary = {r[0]: r for r in expected["Sammanställning"] if r}
        header = [" ".join(str(name).split()) for name in summary["Rad"]]  # a heading's line breaks as spaces
        totalt = dict(zip(header, summary["Totalt"]))
        assert totalt["Utfall jan–maj"] == pytest.approx(total_kr / 1000, abs=1e-9)
        assert totalt["Budget 2025 i tkr"] == pytest.approx(690 - 200)
        assert result.stdout.startswith(f"{path}: jan–maj 2025 · utfall 72 tkr · ")
        assert "varning" not in result.stdout  # a normal month: every corpus file's line is this one
        return path, result.stdout, expected

    # -- one file --------------------------------------------------------------------------

    def outcome(self, name: str) -> Outcome:
        if name not in self.outcomes:
            try:
                self.outcomes[name] = self._run(name)
            except AssertionError as exc:  # the message, without pytest's introspection of the assert
                self.outcomes[name] = Outcome("failed", str(exc).split("\nassert ")[0][:600])
            except Exception as exc:  # noqa: BLE001 - reported as a failure
                self.outcomes[name] = Outcome("failed", f"{type(exc).__name__}: {exc}"[:600])
        return self.outcomes[name]

    def _run(self, name: str) -> Outcome:
        original = (CORPUS_XLSX / name).read_bytes()
        folder = self.base / "files" / f"{FILES.index(name):03d}"
        folder.mkdir(parents=True)
        path = folder / name
        path.write_bytes(original)
        result = self.cli(path)
        if result.exit_code != 0:
            return self._refused(path, original, result)
        assert not structure_locked(original), "a workbook with a protected structure was extended"
        assert result.stdout == self.line.replace(str(self.reference_path), str(path)), \
            f"summary line: {result.stdout!r} {result.stderr!r}"
        assert result.stderr == "", result.stderr
        self._only_file_and_backup(path, original)
        out = path.read_bytes()
        check_graft(original, out, SHEETS)
        check_drawings(original, out, MONTHLY_SHEET)  # the charts: a chain of their own, nobody else's parts
        if path.suffix.lower() == ".xlsm":
            check_macros_kept(original, out)
        readable = workbook_opens(CORPUS_XLSX / name)
        unit = path.stem if readable else BUDGET_UNIT
        unreadable = {}
        for lib, reader in (("openpyxl", read_openpyxl), ("calamine", read_calamine)):
            try:
                found = _quiet(reader, out, SHEETS)
            except Exception as exc:  # noqa: BLE001 - any failure of the third-party reader
                try:
                    _quiet(reader, original, sheet_names(original)[:1])
                except Exception as why:  # noqa: BLE001
                    unreadable[lib] = f"{type(why).__name__}: {why}"[:160]
                    continue
                raise AssertionError(f"{lib} opens the original but not the result: {exc!r}") from exc
            problem = self.sheets_problem({s: cells_to_rows(found[s]) for s in SHEETS}, unit, not readable, path)
            assert problem is None, f"{lib}: {problem}"
        again = self.cli(path)
        unchanged = result.stdout.replace(WRITTEN, "bladen var redan aktuella, inget skrevs")
        assert again.exit_code == 0 and again.stdout == unchanged, f"second run: {again.output!r}"
        assert path.read_bytes() == out, "second run is not byte-identical"
        self._only_file_and_backup(path, original)
        status = "unreadable" if len(unreadable) == 2 else "extended"
        return Outcome(status, "; ".join(f"{k}: {v}" for k, v in unreadable.items()), path, unit, unreadable)

    def sheets_problem(self, found: dict[str, Rows], unit: str, with_finding: bool, path: Path,
                       tolerance: float = 0.0) -> str | None:
        """How the sheets read differ from the reference (None: they don't). When
        the toolkit cannot open the workbook itself, Avstämning carries the finding
        ``arbetsbok-olasbar`` (and its legend line) and the unit is the budget file's."""
        for sheet in SHEETS:
            if sheet not in found:
                return f"no sheet {sheet}"
            rows, finding = normalise(found[sheet], unit)
            own_settings = [row for row in finding if row[0] == OWN_SETTINGS_SLUG]
            if own_settings:
                has_settings = any(n.lower() == "settings" for n in sheet_names(path.read_bytes()))
                if not has_settings or len(own_settings) != 2:
                    return f"Avstämning: unexpected {OWN_SETTINGS_SLUG} finding {own_settings}"
                finding = [row for row in finding if row[0] != OWN_SETTINGS_SLUG]
            difference = first_difference(self.expected[sheet], rows, tolerance)
            if difference:
                return f"{sheet}: {difference}"
            if sheet != "Avstämning" or not with_finding:
                if finding:
                    return f"{sheet}: unexpected finding {finding}"
                continue
            if len(finding) != 2 or finding[0][1] != str(path) or self.budget.name not in (finding[0][2] or ""):
                return f"Avstämning: expected the {UNREADABLE_SLUG} finding and its legend, found {finding}"
        return None

    def _refused(self, path: Path, original: bytes, result) -> Outcome:
        lines = result.stderr.splitlines()
        line = lines[0] if lines else ""
        reason = next((line[len(p):] for p in (f"{path}: ", f"{path.name}: ") if line.startswith(p)), line)
        why, _, what = reason.partition("; ")
        shown = f"exit {result.exit_code}: {result.output.strip() or repr(result.exception)}"[:400]
        assert result.exit_code == 1 and result.stdout == "" and len(lines) == 1, f"not one line on stderr: {shown}"
        assert reason != line, f"the message does not start with the file: {shown}"
        assert "oväntat fel" not in reason and "Traceback" not in result.output, f"unexpected error: {shown}"
        assert why.strip() and what.strip(), f"refused without saying why and what to do (…; …): {shown}"
        assert path.read_bytes() == original, "a refused file was changed"
        if structure_locked(original):
            assert "skydd" in why, f"a protected structure refused for another reason: {shown}"
        assert sorted(p.name for p in path.parent.iterdir()) == [path.name], "a refused run left files behind"
        return Outcome("refused", reason)

    @staticmethod
    def _only_file_and_backup(path: Path, original: bytes) -> None:
        backups = {path.name + ".bak", path.stem + ".bak"}
        names = {p.name for p in path.parent.iterdir()}
        assert path.name in names and names <= {path.name} | backups, f"stray files: {sorted(names)}"
        for backup in names & backups:
            assert (path.parent / backup).read_bytes() == original, f"{backup} is not the original"

    # -- LibreOffice -------------------------------------------------------------------------

    def libreoffice(self) -> dict[str, tuple[str, str]]:
        """name -> (status, detail) for every extended file, converted to CSV in a few
        soffice processes. Status: 'checked'; 'checked, precision as displayed' (the
        workbook is set to calculate with displayed values, so LibreOffice, like Excel,
        rounds every formula result to its number format: texts equal, numbers within
        PRECISION_AS_DISPLAYED); 'cannot open the original' (LibreOffice fails on the
        original file too); 'failed'."""
        if self.lo is not None:
            return self.lo
        done = {name: self.outcome(name) for name in FILES}
        extended = {name: o for name, o in done.items() if o.status in ("extended", "unreadable")}
        converted, self.lo_stats = libreoffice.convert_many([o.path for o in extended.values()],
                                                            self.base / "lo")
        self.lo, retry = {}, []
        for name, o in extended.items():
            seen = converted[o.path]
            if seen.status != "converted":
                retry.append(name)
                continue
            rows = {sheet: _trim(seen.sheets[sheet]) for sheet in SHEETS if sheet in seen.sheets}
            rounded = precision_as_displayed(CORPUS_XLSX / name)
            problem = self.sheets_problem(rows, o.unit, o.unit == BUDGET_UNIT, o.path,
                                          PRECISION_AS_DISPLAYED if rounded else 0.0)
            ok = "checked, precision as displayed" if rounded else "checked"
            self.lo[name] = ("failed", problem) if problem else (ok, "")
        if retry:
            originals, stats = libreoffice.convert_many([CORPUS_XLSX / n for n in retry], self.base / "lo-originals")
            self.lo_stats.processes += stats.processes
            self.lo_stats.seconds += stats.seconds
            for name in retry:
                seen, before = converted[extended[name].path], originals[CORPUS_XLSX / name]
                if before.status == "converted":
                    self.lo[name] = ("failed", f"LibreOffice opens the original but not the result: "
                                               f"{seen.status} {seen.detail}")
                else:
                    self.lo[name] = ("cannot open the original", f"{before.status}: {before.detail}")
        return self.lo


# absolute tolerance when the workbook calculates with displayed values: every formula result is rounded to
# its format (whole tkr, öre, whole percent) and a sum of rounded terms drifts by up to half a unit per term —
# Månadsuppföljning's running sums add up to twelve rounded months
PRECISION_AS_DISPLAYED = 6.0


def precision_as_displayed(path: Path) -> bool:
    """Whether the workbook calculates with displayed values (``calcPr fullPrecision="0"``)."""
    import re

    data = path.read_bytes()
    calc = re.search(rb"<(?:\w+:)?calcPr\b[^>]*>", contents(data)[index_parts(data)["workbook"]])
    return bool(calc and re.search(rb'fullPrecision="(?:0|false)"', calc.group(0)))


def structure_locked(data: bytes) -> bool:
    """Whether the workbook's structure is protected (``workbookProtection lockStructure="1"``)."""
    from defusedxml import ElementTree

    root = ElementTree.fromstring(contents(data)[index_parts(data)["workbook"]])
    return any(el.tag.rsplit("}", 1)[-1] == "workbookProtection" and el.get("lockStructure", "").strip().lower()
               in ("1", "true", "on") for el in root)


def check_macros_kept(original: bytes, out: bytes) -> None:
    """An .xlsm keeps its VBA project (raw bytes) and its macro-enabled main content type."""
    from defusedxml import ElementTree

    def workbook_type(data: bytes) -> str:
        part = "/" + index_parts(data)["workbook"]
        root = ElementTree.fromstring(contents(data)["[Content_Types].xml"])
        return next(el.get("ContentType") for el in root if (el.get("PartName") or "").lower() == part.lower())

    before, after = raw_entries(original), raw_entries(out)
    for name in before:
        if name.lower().endswith("vbaproject.bin"):
            assert after.get(name) == before[name], f"{name} not kept byte-identical"
    assert workbook_type(out) == workbook_type(original), "the workbook's (macro-enabled) content type changed"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> CorpusRun:
    return CorpusRun(tmp_path_factory.mktemp("corpus"))


@pytest.mark.parametrize("name", FILES)
def test_corpus_file(corpus, name):
    outcome = corpus.outcome(name)
    if outcome.status == "failed":
        pytest.fail(outcome.detail)
    if outcome.status == "refused":
        pytest.skip(f"refused: {outcome.detail}")
    if outcome.status == "unreadable":
        pytest.skip(f"original unreadable by openpyxl and calamine ({outcome.detail})")


@pytest.mark.libreoffice
@SOFFICE
def test_corpus_in_libreoffice(corpus, capsys):
    """LibreOffice opens every extended file and, recalculating, sees the reference
    figures; a file it cannot open in its original form either is only counted."""
    results = corpus.libreoffice()
    counts: dict[str, int] = {}
    for status, _ in results.values():
        counts[status] = counts.get(status, 0) + 1
    stats = corpus.lo_stats
    lines = [f"libreoffice: {len(results)} extended files in {stats.processes} soffice processes, "
             f"{stats.seconds:.0f} s: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))]
    lines += [f"  {status}: {name}{': ' + detail if detail else ''}" for name, (status, detail) in results.items()
              if status != "checked"]
    with capsys.disabled():
        print("\n" + "\n".join(lines))
    assert counts.get("failed", 0) == 0, [f"{n}: {d}" for n, (s, d) in results.items() if s == "failed"]
    assert sum(n for status, n in counts.items() if status.startswith("checked")) >= len(results) - 4


def _corpus_file(corpus: CorpusRun, feature: str) -> str:
    for name, feats in sorted(manifest_features().items()):
        if feature in feats and name in FILES and corpus.outcome(name).status == "extended":
            return name
    pytest.skip(f"no extended corpus file with {feature}")


def test_corpus_write_sheets_file_roundtrip(corpus, tmp_path):
    """The package layer on its own: write_sheets with a rendered workbook of other
    XlsxWriter features (merged cells, print titles, header/footer) into a real .xlsm."""
    source = CORPUS_XLSX / _corpus_file(corpus, "vba")
    path = tmp_path / source.name
    path.write_bytes(source.read_bytes())
    rendered = package_helpers.SHEETS
    assert write_sheets(path, make_rendered()).names == list(rendered)
    assert path.suffix == ".xlsm"
    assert toolkit_sheet_names(path) == list(rendered)
    first = path.read_bytes()
    check_graft(source.read_bytes(), first, rendered)
    write_sheets(path, make_rendered())
    assert path.read_bytes() == first
    assert sorted(p.name for p in tmp_path.iterdir()) == [source.name]


@pytest.mark.libreoffice
@SOFFICE
def test_marker_survives_libreoffice_save(corpus, tmp_path):
    """A workbook the toolkit extended, saved by LibreOffice: the next run finds its
    sheets by the marker and replaces them in place."""
    extended = corpus.outcome(_corpus_file(corpus, "image")).path
    saved_dir = tmp_path / "saved"
    import subprocess

    subprocess.run(["soffice", f"-env:UserInstallation={libreoffice.profile(tmp_path)}", "--headless",
                    "--convert-to", "xlsx", "--outdir", str(saved_dir), str(extended)],
                   check=True, capture_output=True, timeout=180)
    saved = saved_dir / (extended.stem + ".xlsx")
    assert toolkit_sheet_names(saved) == list(SHEETS)
    names = sheet_names(saved.read_bytes())
    result = corpus.cli(saved)
    assert result.exit_code == 0, result.output
    assert toolkit_sheet_names(saved) == list(SHEETS)
    assert sheet_names(saved.read_bytes()) == names
    found = _quiet(read_openpyxl, saved.read_bytes(), SHEETS)
    assert corpus.sheets_problem({s: cells_to_rows(found[s]) for s in SHEETS}, saved.stem, False, saved) is None


def test_corpus_summary(corpus, capsys):
    results = {name: corpus.outcome(name) for name in FILES}
    counts = dict.fromkeys(("extended", "refused", "unreadable", "failed"), 0)
    for outcome in results.values():
        counts[outcome.status] += 1
    lines = [f"corpus: {len(FILES)} files through `reconcile FILE --budget B.xlsx --utfall U.xlsx`: "
             + ", ".join(f"{k} {v}" for k, v in counts.items())]
    for lib in ("openpyxl", "calamine"):
        partly = [name for name, o in results.items() if o.status == "extended" and lib in o.unreadable_original]
        lines.append(f"  extended, but {lib} cannot read the original either (figures checked by the other "
                     f"readers): {len(partly)}" + "".join(f"\n    {name}: {results[name].unreadable_original[lib]}"
                                                      for name in partly))
    if corpus.lo is not None:
        lo_counts: dict[str, int] = {}
        for status, _ in corpus.lo.values():
            lo_counts[status] = lo_counts.get(status, 0) + 1
        lines.append(f"  LibreOffice ({corpus.lo_stats.seconds:.0f} s, {corpus.lo_stats.processes} processes): "
                     + ", ".join(f"{k} {v}" for k, v in sorted(lo_counts.items())))
    else:
        lines.append("  LibreOffice: not run")
    lines.append(f"refused ({counts['refused']}; name: reason):")
    lines += [f"  {name}: {o.detail}" for name, o in results.items() if o.status == "refused"]
    for status in ("unreadable", "failed"):
        if counts[status]:
            lines.append(f"{status} ({counts[status]}):")
            lines += [f"  {name}: {o.detail}" for name, o in results.items() if o.status == status]
    with capsys.disabled():
        print("\n" + "\n".join(lines))
    features = manifest_features()
    extended_with = {"chart": 0, "image": 0, "vba": 0}
    for name, feats in features.items():
        if name in results:
            for feat in feats & set(extended_with):
                extended_with[feat] += results[name].status == "extended"
    assert all(extended_with.values()), extended_with
    assert counts["failed"] == 0, [f"{n}: {o.detail}" for n, o in results.items() if o.status == "failed"]
    assert counts["extended"] >= len(FILES) - 4
