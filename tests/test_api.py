"""The public Python API (``toolkit.load``, ``toolkit.refresh``,
``toolkit.consolidate``): the figures are the written sheet's, exact in kr,
and the commands' records and errors are the command line's."""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from examples import copy_example
from workbook_factory import write_workbook

import toolkit
from toolkit.api import COLUMNS, KINDS
from toolkit.cli import main
from toolkit.contract.written import UNIT_SHEETS
from toolkit.layout import HEADER_ROW, summary_keys

ROOT = Path(__file__).resolve().parents[1]

#: The README's "Python API" example, run as it stands by ``test_the_readme_example_runs``.
def readme_example() -> str:
    """The first Python block of the README's "Python API" section, as it stands there."""
    text = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## Python API"):]
    return section[section.index("```python\n") + len("```python\n"):section.index("```\n", section.index("```python"))]


def cli(*args: object) -> object:
    return CliRunner().invoke(main, [str(a) for a in args])


def without_seconds(record: dict) -> dict:
    out = {k: v for k, v in record.items() if k != "seconds"}
    if "workbooks" in out:
        out["workbooks"] = [without_seconds(w) for w in out["workbooks"]]
    return out


# -- import ------------------------------------------------------------------------------------------


def test_importing_toolkit_loads_no_heavy_library():
    code = ("import sys, toolkit; heavy = ('numpy', 'pandas', 'xlsxwriter', 'openpyxl', 'python_calamine', 'click'); "
            "print(sorted(m for m in heavy if m in sys.modules)); "
            "print(sorted(m for m in sys.modules if m.startswith('toolkit.')))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    heavy, own = out.splitlines()
    assert heavy == "[]"
    assert own == "['toolkit.api', 'toolkit.errors', 'toolkit.findings']"


def test_toolkit_consolidate_is_the_function_also_once_the_orchestration_is_imported():
    from toolkit.consolidation import Consolidate  # the command's orchestration, a module of its own name

    assert callable(toolkit.consolidate) and toolkit.consolidate.__module__ == "toolkit.api"
    assert sys.modules["toolkit.consolidation"].Consolidate is Consolidate


# -- load: the figures of Sammanställning ---------------------------------------------------------


def sheet_rows(path: Path) -> tuple[list[str], list[tuple]]:
    """Sammanställning's headings (a line break read as a space) and its table rows, as stored (read-only):
    the columns with a heading, from the first line to the row before the first empty one."""
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    rows = list(book["Sammanställning"].iter_rows(values_only=True))
    book.close()
    columns = [(c, " ".join(h.split())) for c, h in enumerate(rows[HEADER_ROW]) if h and h.strip()]
    body = []
    for row in rows[HEADER_ROW + 1:]:
        if row[0] is None:
            break
        body.append(tuple(row[c] if c < len(row) else None for c, _ in columns))
    return [h for _, h in columns], body


def field_of(heading: str) -> str:
    if heading == "Utfall %":
        return "actual_share"
    return next(field for prefix, field in (
        ("Rad", "label"), ("Budget", "budget"), ("Utfall", "actual"), ("Avvikelse (periodiserad)", "variance"),
        ("Prognos", "forecast"), ("Avvikelse budget–prognos", "forecast_variance"), ("Intecknat", "committed"),
        ("Kvar att disponera", "available"), ("Kommentar", "comment")) if heading.startswith(prefix))


@pytest.mark.parametrize("name, period", [("Halmstad.xlsx", None), ("Halmstad.xlsx", "2025-06"),
                                          ("Navet.xlsx", None)])
def test_load_gives_the_figures_the_written_sheet_shows(tmp_path, name, period):
    path = copy_example(name, tmp_path)
    toolkit.refresh(path, period=period, backup=False)
    follow_up = toolkit.load(path, period=period)
    headings, body = sheet_rows(path)
    assert len(body) == len(follow_up.lines)
    scale = Decimal(1000 if follow_up.show_in == "tkr" else 1)
    fields = [field_of(h) for h in headings]
    assert {"budget", "actual", "actual_share", "variance", "forecast", "forecast_variance", "comment"} <= set(fields)
    for row, line in zip(body, follow_up.lines):
        for field, shown in zip(fields, row):
            value = getattr(line, field)
            if field == "label":
                assert shown == value
            elif field == "comment":
                assert (shown or "") == value, line.label
            elif shown is None and field in ("committed", "available"):
                # the sheet leaves them blank without a commitment and on income rows; the API has the figures
                assert line.committed in (0, None) or line.income or line.kind in ("totalt", "resultat"), line.label
            elif value is None:  # a heading's row, a budget of 0's Utfall %
                assert shown is None, (line.label, field)
            elif field == "actual_share":
                assert abs(Decimal(repr(shown)) - value) <= Decimal("0.00005"), (line.label, field)
            else:  # the sheet stores the exact figure; the API rounds it to the öre
                assert isinstance(value, Decimal) and value.as_tuple().exponent == -2
                assert abs(Decimal(repr(shown)) * scale - value) <= Decimal("0.0051"), (line.label, field, shown)


def test_the_rows_follow_the_sheets_layout_rapport(tmp_path):
    sys.path.insert(0, str(Path(__file__).parent))
    from report_workbook import report_workbook

    path = report_workbook(tmp_path / "Rapport.xlsx", Layout="rapport")
    toolkit.refresh(path, backup=False)
    follow_up = toolkit.load(path)
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    shown = [row[0] for row in book["Sammanställning"].iter_rows(min_row=HEADER_ROW + 2, values_only=True)]
    book.close()
    labels = [label for label in shown[:shown.index("Totalt") + 1] if label is not None]  # no gap rows
    assert len(labels) == len(follow_up.lines)
    for label, line in zip(labels, follow_up.lines):  # a sub-heading shows its amount after its label
        assert label == line.label or (line.kind == "rubrik" and label.startswith(line.label + " ")), (label, line)
    kinds = [line.kind for line in follow_up.lines]
    assert kinds[:3] == ["kontoklass"] * 3 and kinds.count("fördelning") == 3
    staff = [line for line in follow_up.lines if line.label == "Personalkostnader"]
    assert [line.kind for line in staff] == ["kontoklass"] and staff[0].budget == Decimal("712000.00")
    assert follow_up.line("Summa Personalkostnader").budget == staff[0].budget


def test_the_rows_are_the_sheets_rows_in_its_order(tmp_path):
    from toolkit.job import Job

    path = copy_example("Halmstad.xlsx", tmp_path)
    report = Job(path).reconcile()
    follow_up = toolkit.load(path)
    assert [line.path for line in follow_up.lines] == summary_keys(report.roots, report.unbudgeted is not None)
    assert {line.kind for line in follow_up.lines} <= set(KINDS)
    kinds = [line.kind for line in follow_up.lines]
    assert kinds[-1] == "totalt" and kinds.count("rubrik") == kinds.count("summa") > 0
    assert follow_up.tieout.difference == Decimal("0.00")
    tie = report.tieout
    assert follow_up.tieout.ledger_in_period == Decimal(tie.sum_in_period) / 100
    assert follow_up.tieout.lines + follow_up.tieout.unbudgeted == follow_up.tieout.ledger_in_period
    assert sum(item.amount for item in follow_up.tieout.unbudgeted_items) == follow_up.tieout.unbudgeted
    assert [f.slug for f in follow_up.findings] == [f.slug for f in report.findings]
    assert follow_up.warnings == report.warnings


def test_a_comment_typed_on_sammanstallning_is_the_lines_comment(tmp_path):
    path = copy_example("Halmstad.xlsx", tmp_path)
    toolkit.refresh(path, backup=False)
    book = openpyxl.load_workbook(path)
    sheet = book["Sammanställning"]
    column = [c.value for c in sheet[HEADER_ROW + 1]].index("Kommentar") + 1
    row = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == "Sociala avgifter")
    sheet.cell(row, column, "Följer arvodena.")
    book.save(path)
    line = toolkit.load(path).line("Sociala avgifter")
    assert line.comment == "Följer arvodena."
    assert toolkit.load(path).line("Arvoden förtroendevalda").comment.startswith("Fasta arvoden")  # Budget's


# -- exact money, on an inline workbook ------------------------------------------------------------------

SETTINGS = [["Inställning", "Värde"], ["Enhet", "Exakt"], ["År", 2025], ["Period", 1], ["Visa i", "kr"]]
BUDGET = [
    ["Rad", "Överordnad", "Typ", "Budget", "Konto", "Periodisering", "Prognos"],
    ["Verksamhet", None, "Kostnad", 2000, "4*", None, None],
    ["Material", "Verksamhet", None, 1000, "4010", None, 1200],
    ["Avgifter", None, "Intäkt", "1,01", "3010", "Halv", None],
]
KEYS = [["Nyckel", "Jan", "Feb", "Mar", "Apr", "Maj", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dec"],
        ["Halv", 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]]
LEDGER = [["Period", "Konto", "Belopp"], [202501, 3010, "-0,10"], [202501, 3010, "-0,20"], [202501, 4010, 99.99],
          [202501, 6110, "0,07"]]


def test_money_is_exact_decimal_kr_and_a_fraction_of_an_ore_is_rounded_half_away_from_zero(tmp_path):
    path = write_workbook(tmp_path / "Exakt.xlsx", {"Inställningar": SETTINGS, "Budget": BUDGET, "Periodisering": KEYS,
                                                     "Utfall": LEDGER})
    follow_up = toolkit.load(path)
    assert [(line.kind, line.label) for line in follow_up.lines] == [
        ("rubrik", "Verksamhet"), ("rad", "Material"), ("ofördelat", "Ofördelat"), ("summa", "Summa Verksamhet"),
        ("rad", "Avgifter"), ("ej budgeterat", "Ej budgeterat"), ("summa intäkter", "Summa intäkter"),
        ("summa kostnader", "Summa kostnader"), ("totalt", "Totalt"), ("resultat", "Resultat")]
    incomes, costs = follow_up.line("Summa intäkter"), follow_up.line("Summa kostnader")
    assert incomes.income and incomes.actual == Decimal("0.30")
    assert not costs.income and costs.actual == Decimal("99.99") + Decimal("0.07")  # Ej budgeterat is a cost
    result = follow_up.line("Resultat")
    assert result.income and result.actual == Decimal("0.30") - Decimal("100.06")  # income − costs
    fees = follow_up.line("Avgifter")
    assert fees.income and fees.actual == Decimal("0.30")  # 0.10 + 0.20, not 0.30000000000000004
    assert fees.budget == Decimal("1.01")
    assert fees.periodised_budget == Decimal("0.51")  # 50.5 öre: half away from zero (not to even, 0.50)
    assert fees.variance == Decimal("-0.21")  # income: 30 − 50.5 = −20.5 öre, rounded from the exact value
    assert fees.actual_share == Decimal("0.2970")  # 0.30 / 1.01
    assert (fees.forecast, fees.forecast_variance, fees.method) == (Decimal("1.01"), Decimal("0.00"), "budget")
    material = follow_up.line("Verksamhet", "Material")
    assert (material.forecast, material.forecast_variance, material.method) == (
        Decimal("1200.00"), Decimal("-200.00"), "egen")  # cost: budget − prognos
    assert material.periodised_budget == Decimal("83.33") and material.actual == Decimal("99.99")
    assert material.available == Decimal("900.01") and material.committed == Decimal("0.00")
    assert material.where == "Budget!A3" and material.depth == 1
    heading = follow_up.lines[0]
    assert (heading.budget, heading.actual, heading.method) == (None, None, None)
    unallocated = follow_up.line("Ofördelat")
    assert unallocated.budget == Decimal("1000.00") and unallocated.path == ("Verksamhet", "Ofördelat")
    total_of = follow_up.line("Summa Verksamhet")
    assert total_of.path == ("Summa Verksamhet",) and total_of.budget == Decimal("2000.00")
    unbudgeted = follow_up.line("Ej budgeterat")
    assert (unbudgeted.actual, unbudgeted.forecast, unbudgeted.method, unbudgeted.comment) == (
        Decimal("0.07"), Decimal("0.07"), "utfall", "Se bladet Avstämning")
    total = follow_up.total
    assert not total.income  # net cost: costs − income
    assert total.actual == Decimal("99.99") + Decimal("0.07") - Decimal("0.30")
    assert total.variance == Decimal("66.40")  # 6 640.1666… öre, rounded from the exact sum …
    leaves = [line for line in follow_up.lines if line.kind in ("rad", "ofördelat", "ej budgeterat")]
    assert sum(line.variance for line in leaves) == Decimal("66.39")  # … not the sum of the rounded rows
    assert follow_up.tieout.ledger_in_period == Decimal("99.76")
    assert all(isinstance(getattr(line, f), Decimal) for line in follow_up.lines if line.kind != "rubrik"
               for f in ("budget", "periodised_budget", "actual", "variance", "forecast", "forecast_variance",
                         "committed", "available"))


def test_load_takes_the_options_of_the_command(tmp_path):
    path = write_workbook(tmp_path / "Exakt.xlsx", {"Inställningar": SETTINGS, "Budget": BUDGET, "Periodisering": KEYS,
                                                     "Utfall": [["Period", "Konto", "Belopp"]]})
    (tmp_path / "jan.csv").write_text("Period;Konto;Belopp\n202501;4010;99,99\n202502;4010;0,01\n", encoding="utf-8")
    (tmp_path / "feb.csv").write_text("Period;Konto;Belopp\n202502;3010;-0,50\n", encoding="utf-8")
    follow_up = toolkit.load(path, period=2, utfall=[tmp_path / "jan.csv", str(tmp_path / "feb.csv")])
    assert (follow_up.period, follow_up.period_label) == (2, "jan–feb")
    assert follow_up.line("Material").actual == Decimal("100.00") and follow_up.line("Avgifter").actual == Decimal("0.50")
    record = toolkit.refresh(path, period="2025-02", utfall=str(tmp_path / "*.csv"), dry_run=True)
    assert record["status"] == "checked" and record["totals_kr"]["actual"] == float(follow_up.total.actual)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Exakt.xlsx", "feb.csv", "jan.csv"]


def test_to_frame_has_one_row_per_line_and_keeps_the_decimals(tmp_path):
    path = write_workbook(tmp_path / "Exakt.xlsx", {"Inställningar": SETTINGS, "Budget": BUDGET, "Periodisering": KEYS,
                                                     "Utfall": LEDGER})
    follow_up = toolkit.load(path)
    frame = follow_up.to_frame()
    assert list(frame.columns) == list(COLUMNS)
    assert len(frame) == len(follow_up.lines)
    assert str(frame["depth"].dtype) == "int64" and str(frame["income"].dtype) == "bool"
    for column in ("budget", "periodised_budget", "actual", "actual_share", "variance", "forecast",
                   "forecast_variance", "committed", "available", "kind", "label", "path", "method", "comment"):
        assert frame[column].dtype == object, column
    assert frame.loc[4, "periodised_budget"] == Decimal("0.51") and frame.loc[4, "path"] == ("Avgifter",)
    assert frame.loc[0, "budget"] is None  # the heading's row
    assert list(frame["label"]) == [line.label for line in follow_up.lines]
    assert frame.loc[frame["kind"] == "rad", "actual"].sum() == Decimal("100.29")


# -- refresh and consolidate: the command line's records ---------------------------------------------------


def twins(tmp_path: Path, *names: str) -> tuple[Path, Path]:
    """Two folders holding the same examples: one for the API, one for the command line."""
    folders = tmp_path / "api", tmp_path / "cli"
    for folder in folders:
        folder.mkdir()
        for name in names:
            copy_example(name, folder)
    return folders


@pytest.mark.parametrize("options", [[], ["--check"], ["--period", "2025-06", "--no-backup"], ["--output", "Ut.xlsx"]])
def test_refresh_returns_what_reconcile_json_prints(tmp_path, monkeypatch, options):
    ours, theirs = twins(tmp_path, "Halmstad.xlsx")
    keywords = {"--check": {"dry_run": True}, "--period": {"period": "2025-06", "backup": False},
                "--output": {"output": "Ut.xlsx"}}.get(options[0] if options else "", {})
    monkeypatch.chdir(ours)
    record = toolkit.refresh("Halmstad.xlsx", **keywords)
    monkeypatch.chdir(theirs)
    result = cli("Halmstad.xlsx", *options, "--json")
    assert result.exit_code == 0
    printed = json.loads(result.stdout)
    assert isinstance(record["seconds"], float) and isinstance(printed["seconds"], float)
    assert without_seconds(record) == without_seconds(printed)
    assert sorted(p.name for p in ours.iterdir()) == sorted(p.name for p in theirs.iterdir())
    for written in ours.iterdir():
        assert written.read_bytes() == (theirs / written.name).read_bytes(), written.name


def test_refresh_of_a_folder_returns_the_folders_record(tmp_path, monkeypatch):
    ours, theirs = twins(tmp_path, "Halmstad.xlsx", "Navet.xlsx")
    monkeypatch.chdir(tmp_path)
    record = toolkit.refresh("api", dry_run=True, jobs=1)
    printed = json.loads(cli("cli", "--check", "--json", "--jobs", "1").stdout)
    assert [w["path"] for w in record["workbooks"]] == [str(Path("api") / n) for n in ("Halmstad.xlsx", "Navet.xlsx")]
    for record_ in (record, printed):
        record_.pop("folder")
        for workbook in record_["workbooks"]:
            workbook["path"] = Path(workbook["path"]).name
    assert without_seconds(record) == without_seconds(printed)


def test_consolidate_returns_what_reconcile_consolidate_json_prints(tmp_path, monkeypatch):
    ours, theirs = twins(tmp_path, "Halmstad.xlsx", "Navet.xlsx")
    monkeypatch.chdir(ours)
    record = toolkit.consolidate(["Halmstad.xlsx", "Navet.xlsx"], output="Förbund.xlsx", period="2025-06",
                                 name="Förbundet")
    again = toolkit.consolidate(["Halmstad.xlsx", "Navet.xlsx"], output="Förbund.xlsx", period="2025-06",
                                name="Förbundet", dry_run=True)
    monkeypatch.chdir(theirs)
    printed = json.loads(cli("consolidate", "Halmstad.xlsx", "Navet.xlsx", "--output", "Förbund.xlsx", "--period",
                             "2025-06", "--name", "Förbundet", "--json").stdout)
    printed_again = json.loads(cli("consolidate", "Halmstad.xlsx", "Navet.xlsx", "--output", "Förbund.xlsx",
                                   "--period", "2025-06", "--name", "Förbundet", "--json", "--check").stdout)
    assert record["status"] == "written" and again["status"] == "checked"
    assert without_seconds(record) == without_seconds(printed)
    assert without_seconds(again) == without_seconds(printed_again)
    assert (ours / "Förbund.xlsx").read_bytes() == (theirs / "Förbund.xlsx").read_bytes()


# -- errors: the command line's -------------------------------------------------------------------------------


def stopped(call) -> toolkit.ReconcileError:
    with pytest.raises(toolkit.ReconcileError) as caught:
        call()
    return caught.value


def test_an_input_error_is_the_exception_the_command_line_prints(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    budget = [row[:] for row in BUDGET]
    budget[2][3] = "12,3,4"
    write_workbook(tmp_path / "Fel.xlsx", {"Inställningar": SETTINGS, "Budget": budget, "Periodisering": KEYS,
                                           "Utfall": LEDGER})
    before = (tmp_path / "Fel.xlsx").read_bytes()
    for call in (lambda: toolkit.load("Fel.xlsx"), lambda: toolkit.refresh("Fel.xlsx")):
        error = stopped(call)
        assert type(error) is toolkit.InputError
        assert (error.slug, error.file, error.sheet, error.cell, error.line) == (
            "belopp-ogiltigt", "Fel.xlsx", "Budget", "D3", None)
        result = cli("Fel.xlsx")
        assert (result.exit_code, result.stderr) == (error.exit_code, f"{error}\n")
        assert json.loads(cli("Fel.xlsx", "--json").stdout) == {"path": "Fel.xlsx", "status": "error",
                                                                 **error.as_dict()}
    assert (tmp_path / "Fel.xlsx").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Fel.xlsx"]


def test_strict_stops_as_the_command_line_stops(tmp_path, monkeypatch):
    copy_example("Halmstad.xlsx", tmp_path)
    monkeypatch.chdir(tmp_path)
    before = (tmp_path / "Halmstad.xlsx").read_bytes()
    error = stopped(lambda: toolkit.refresh("Halmstad.xlsx", period="2025-11", strict=True))
    assert type(error) is toolkit.InputError
    result = cli("Halmstad.xlsx", "--period", "2025-11", "--strict")
    assert (result.exit_code, result.stderr) == (1, f"{error}\n")
    assert toolkit.load("Halmstad.xlsx", period="2025-11").warnings  # load reports it and does not stop
    assert (tmp_path / "Halmstad.xlsx").read_bytes() == before and len(list(tmp_path.iterdir())) == 1


def test_a_locked_workbook_is_a_locked_error(tmp_path, monkeypatch):
    copy_example("Halmstad.xlsx", tmp_path)
    (tmp_path / "~$Halmstad.xlsx").write_bytes(b"owner")
    monkeypatch.chdir(tmp_path)
    error = stopped(lambda: toolkit.refresh("Halmstad.xlsx"))
    assert type(error) is toolkit.LockedError and error.slug == "arbetsbok-last" and error.exit_code == 3
    result = cli("Halmstad.xlsx")
    assert (result.exit_code, result.stderr) == (3, f"{error}\n")


@pytest.mark.parametrize("call, args", [
    (lambda: toolkit.refresh("Halmstad.xlsx", output="Ut.csv"), ["Halmstad.xlsx", "--output", "Ut.csv"]),
    (lambda: toolkit.refresh("Halmstad.xlsx", output="Ut.xlsm"), ["Halmstad.xlsx", "--output", "Ut.xlsm"]),
    (lambda: toolkit.refresh("enheter", budget="Budget.xlsx"), ["enheter", "--budget", "Budget.xlsx"]),
    (lambda: toolkit.refresh(""), [""]),
    (lambda: toolkit.consolidate(["Halmstad.xlsx"], output=None), ["consolidate", "Halmstad.xlsx"]),
    (lambda: toolkit.consolidate(["Halmstad.xlsx"], output="Ny.xlsm"),
     ["consolidate", "Halmstad.xlsx", "--output", "Ny.xlsm"]),
])
def test_a_wrong_argument_is_a_usage_error_worded_as_the_command_line_words_it(tmp_path, monkeypatch, call, args):
    copy_example("Halmstad.xlsx", tmp_path)
    (tmp_path / "enheter").mkdir()
    (tmp_path / "Budget.xlsx").write_bytes(b"")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ValueError) as caught:
        call()
    error = caught.value
    assert isinstance(error, toolkit.UsageError) and error.exit_code == 2 and error.slug
    result = cli(*args)
    assert (result.exit_code, result.stderr) == (2, f"{error}\n")


def test_the_readme_example_runs(tmp_path, monkeypatch):
    copy_example("Halmstad.xlsx", tmp_path)
    monkeypatch.chdir(tmp_path)
    expected = toolkit.load("Halmstad.xlsx", period="2025-08")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(readme_example(), "README.md", "exec"), {})  # noqa: S102 - the README's own example
    printed = out.getvalue().splitlines()
    assert printed[0] == f"{expected.unit} {expected.period_label} {expected.year}"
    assert f"Totalt avvikelse: {expected.total.variance} kr" in printed
    assert f"written {list(UNIT_SHEETS)}" in printed  # every sheet a unit's refresh writes
    assert printed[-2:] == ["Hylte.xlsx: filen finns inte", "fil-saknas Hylte.xlsx"]
    assert os.path.exists("Halmstad.xlsx.bak")
