"""Warnings — findings that say a figure is probably wrong — on the summary
line, in --json, first on Avstämning, counted by a folder run; --strict and
the setting Strikt stop on them; Godkända varningar silences a slug."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from workbook_factory import SETTINGS, small_workbook
from written import CONSOLIDATION_WRITTEN, WRITTEN

from toolkit.cli import main
from toolkit.findings import INFO, WARNING, Finding, accept, count_text, warnings

# Verksamhet's own budget (100 000) is less than its lines' (300 000): over-allocated, a warning at Budget!D2
OVER_ALLOCATED = [
    ["Rad", "Överordnad", "Typ", "Budget", "Konto", "Periodisering", "Intecknat"],
    ["Verksamhet", None, None, 100000, None, None, None],
    ["Arvoden", "Verksamhet", None, 60000, "5011", None, None],
    ["Utveckling", "Verksamhet", None, 240000, "4*", "Höst", 10000],
    ["Avgifter", None, "Intäkt", 120000, "3010", None, None],
]
FIGURES = "jan–aug 2025 · utfall 48 tkr · avvikelse +23 tkr · prognos 181 tkr"
WARNING_TEXT = ('raderna under "Verksamhet" har 300 000,00 kr i budget, mer än radens egen budget 100 000,00 kr; '
                "summan av raderna under används")


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def cwd(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(runner, *args):
    return runner.invoke(main, [str(a) for a in args], catch_exceptions=False)


def settings(*rows: list) -> list[list]:
    return [row[:] for row in SETTINGS] + [list(r) for r in rows]


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_a_normal_month_has_no_warning(runner, cwd):
    small_workbook(cwd / "T.xlsx")
    result = run(runner, "T.xlsx", "--json", "--check")
    data = json.loads(result.stdout)
    assert data["warnings"] == 0
    assert {f["severity"] for f in data["findings"]} == {"info"}
    assert run(runner, "T.xlsx").stdout == f"T.xlsx: {FIGURES} · {WRITTEN}\n"


def test_a_warning_ends_the_summary_line_and_is_listed_in_json(runner, cwd):
    small_workbook(cwd / "T.xlsx", Budget=OVER_ALLOCATED)
    result = run(runner, "T.xlsx")
    assert result.exit_code == 0
    assert result.stdout == f"T.xlsx: {FIGURES} · {WRITTEN} · 1 varning (se Avstämning)\n"
    data = json.loads(run(runner, "T.xlsx", "--json", "--check").stdout)
    assert data["warnings"] == 1
    warned = [f for f in data["findings"] if f["severity"] == "varning"]
    assert warned == [{"slug": "overfordelat", "severity": "varning", "where": "Budget!D2", "message": WARNING_TEXT}]


def test_avstamning_shows_the_warnings_first_in_a_block_of_their_own(runner, cwd):
    small_workbook(cwd / "T.xlsx", Budget=OVER_ALLOCATED)
    assert run(runner, "T.xlsx").exit_code == 0
    book = openpyxl.load_workbook(cwd / "T.xlsx", read_only=True)
    rows = [r[:3] for r in book["Avstämning"].iter_rows(values_only=True)]
    book.close()
    assert rows[3][0] == "1 varning — siffror som troligen är fel; kontrollera dem innan rapporten används"
    assert rows[4] == ("Typ", "Var", "Meddelande")
    assert rows[5] == ("overfordelat", "Budget!D2", WARNING_TEXT)
    assert rows[7][0] == "Huvudbok"
    # the info findings are listed further down, without the warning again
    start = rows.index(("Typ", "Var", "Meddelande"), 6)
    listed = [r[0] for r in rows[start + 1:] if r[0] not in (None, "Förklaring")]
    assert "ej-budgeterat" in listed and listed.count("overfordelat") == 1  # once: in the legend


def test_no_warning_block_on_a_normal_month(runner, cwd):
    small_workbook(cwd / "T.xlsx")
    run(runner, "T.xlsx")
    book = openpyxl.load_workbook(cwd / "T.xlsx", read_only=True)
    rows = [r[:1] for r in book["Avstämning"].iter_rows(values_only=True)]
    book.close()
    assert rows[3] == ("Huvudbok",)


def test_strict_stops_on_a_warning_and_writes_nothing(runner, cwd):
    small_workbook(cwd / "T.xlsx", Budget=OVER_ALLOCATED)
    before = files(cwd)
    result = run(runner, "T.xlsx", "--strict")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == f"T.xlsx: Budget!D2: {WARNING_TEXT} — stoppad av --strict; inget skrevs\n"
    assert files(cwd) == before  # no sheets, no .bak


def test_strict_with_check_exits_1_too(runner, cwd):
    small_workbook(cwd / "T.xlsx", Budget=OVER_ALLOCATED)
    result = run(runner, "T.xlsx", "--strict", "--check")
    assert result.exit_code == 1
    assert result.stderr.endswith("— stoppad av --strict; inget skrevs\n")


def test_strict_on_a_normal_month_writes(runner, cwd):
    small_workbook(cwd / "T.xlsx")
    result = run(runner, "T.xlsx", "--strict")
    assert result.exit_code == 0
    assert result.stdout == f"T.xlsx: {FIGURES} · {WRITTEN}\n"


def test_the_setting_strikt_stops_like_the_option(runner, cwd):
    small_workbook(cwd / "T.xlsx", Budget=OVER_ALLOCATED, Inställningar=settings(["Strikt", "ja"]))
    before = files(cwd)
    result = run(runner, "T.xlsx")
    assert result.exit_code == 1
    assert result.stderr == (f"T.xlsx: Budget!D2: {WARNING_TEXT} — stoppad av Strikt på Inställningar!B5; "
                             "inget skrevs\n")
    assert files(cwd) == before


def test_reconcile_report_stops_under_strikt_and_strict_as_the_run_does(runner, cwd):
    small_workbook(cwd / "T.xlsx", Budget=OVER_ALLOCATED, Inställningar=settings(["Strikt", "ja"]))
    before = files(cwd)
    result = run(runner, "report", "T.xlsx", "--docx", "E.docx")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (f"T.xlsx: Budget!D2: {WARNING_TEXT} — stoppad av Strikt på Inställningar!B5; "
                             "inget skrevs\n")
    assert files(cwd) == before
    small_workbook(cwd / "U.xlsx", Budget=OVER_ALLOCATED)
    result = run(runner, "report", "U.xlsx", "--text", "-", "--strict")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == f"U.xlsx: Budget!D2: {WARNING_TEXT} — stoppad av --strict; inget skrevs\n"
    # an accepted warning does not stop it
    small_workbook(cwd / "V.xlsx", Budget=OVER_ALLOCATED, Inställningar=settings(
        ["Strikt", "ja"], ["Godkända varningar", "overfordelat"]))
    result = run(runner, "report", "V.xlsx", "--docx", "V.docx", "--strict")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == f"V.xlsx: {FIGURES} · V.docx skriven\n"


def test_strikt_nej_and_a_bad_value(runner, cwd):
    small_workbook(cwd / "T.xlsx", Budget=OVER_ALLOCATED, Inställningar=settings(["Strikt", "Nej"]))
    assert run(runner, "T.xlsx").exit_code == 0
    small_workbook(cwd / "U.xlsx", Inställningar=settings(["Strikt", "kanske"]))
    result = run(runner, "U.xlsx")
    assert result.exit_code == 1
    assert result.stderr == 'U.xlsx: Inställningar!B5: "kanske" är inte ja eller nej\n'


def test_an_accepted_warning_is_info_and_says_so(runner, cwd):
    small_workbook(cwd / "T.xlsx", Budget=OVER_ALLOCATED,
                   Inställningar=settings(["Godkända varningar", "overfordelat"]))
    result = run(runner, "T.xlsx", "--strict")
    assert result.exit_code == 0
    assert result.stdout == f"T.xlsx: {FIGURES} · {WRITTEN}\n"
    data = json.loads(run(runner, "T.xlsx", "--json", "--check").stdout)
    assert data["warnings"] == 0
    accepted = [f for f in data["findings"] if f["slug"] == "overfordelat"]
    assert accepted == [{"slug": "overfordelat", "severity": "info", "where": "Budget!D2",
                         "message": f"{WARNING_TEXT} (godkänd varning, Inställningar!B5)"}]


def test_accepting_an_unknown_slug_stops_the_run(runner, cwd):
    small_workbook(cwd / "T.xlsx", Inställningar=settings(["Godkända varningar", "overfordelat, negativ-bugdet"]))
    before = files(cwd)
    result = run(runner, "T.xlsx")
    assert result.exit_code == 1
    assert result.stderr == ('T.xlsx: Inställningar!B5: "negativ-bugdet" är ingen varning som kan godkännas (ange '
                             "varningens typ som den står på Avstämning, t.ex. negativ-kostnadsbudget)\n")
    assert files(cwd) == before


def test_a_folder_counts_the_workbooks_with_warnings(runner, cwd):
    folder = cwd / "nämnder"
    folder.mkdir()
    small_workbook(folder / "A.xlsx")
    small_workbook(folder / "B.xlsx", Budget=OVER_ALLOCATED)
    small_workbook(folder / "C.xlsx", Budget=OVER_ALLOCATED)
    result = run(runner, "nämnder", "--jobs", "1")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        f"nämnder/A.xlsx: {FIGURES} · {WRITTEN}",
        f"nämnder/B.xlsx: {FIGURES} · {WRITTEN} · 1 varning (se Avstämning)",
        f"nämnder/C.xlsx: {FIGURES} · {WRITTEN} · 1 varning (se Avstämning)",
        "nämnder: 3 arbetsböcker · 3 skrivna · 2 med varningar",
    ]
    doc = json.loads(run(runner, "nämnder", "--json", "--check").stdout)
    assert doc["counts"]["with_warnings"] == 2 and doc["counts"]["checked"] == 3
    assert [w["warnings"] for w in doc["workbooks"]] == [0, 1, 1]


def test_a_folder_run_with_strict_stops_only_the_workbooks_with_warnings(runner, cwd):
    folder = cwd / "nämnder"
    folder.mkdir()
    small_workbook(folder / "A.xlsx")
    small_workbook(folder / "B.xlsx", Budget=OVER_ALLOCATED)
    before = (folder / "B.xlsx").read_bytes()
    result = run(runner, "nämnder", "--jobs", "1", "--strict")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [f"nämnder/A.xlsx: {FIGURES} · {WRITTEN}",
                                          "nämnder: 2 arbetsböcker · 1 skriven, 1 med fel"]
    assert result.stderr == f"nämnder/B.xlsx: Budget!D2: {WARNING_TEXT} — stoppad av --strict; inget skrevs\n"
    assert (folder / "B.xlsx").read_bytes() == before


def test_a_consolidation_carries_the_units_warnings(runner, cwd):
    small_workbook(cwd / "A.xlsx")
    small_workbook(cwd / "B.xlsx", Budget=OVER_ALLOCATED, Inställningar=settings()[:1] + [["Enhet", "Bnämnd"],
                                                                                        ["År", 2025], ["Period", 8]])
    result = run(runner, "consolidate", "A.xlsx", "B.xlsx", "--output", "F.xlsx")
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith(f" · {CONSOLIDATION_WRITTEN} · 1 varning (se Avstämning)\n")
    data = json.loads(run(runner, "consolidate", "A.xlsx", "B.xlsx", "--output", "F.xlsx", "--json",
                          "--check").stdout)
    assert data["warnings"] == 1
    assert [f["where"] for f in data["findings"] if f["severity"] == "varning"] == ["Bnämnd: Budget!D2"]
    before = (cwd / "F.xlsx").read_bytes()
    stopped = run(runner, "consolidate", "A.xlsx", "B.xlsx", "--output", "F.xlsx", "--strict")
    assert stopped.exit_code == 1
    assert stopped.stderr == f"F.xlsx: Bnämnd: Budget!D2: {WARNING_TEXT} — stoppad av --strict; inget skrevs\n"
    assert (cwd / "F.xlsx").read_bytes() == before


def test_accept_and_count_rules():
    found = [Finding("overfordelat", "Budget!D2", "x", WARNING), Finding("ej-budgeterat", "Utfall", "y", INFO),
             Finding("dubbla-rader", "b.csv", "z", WARNING)]
    assert [f.slug for f in warnings(found)] == ["overfordelat", "dubbla-rader"]
    accepted = accept(found, ["OVERFORDELAT", " DUBBLA-RADER "], "Inst!B9")
    assert [f.severity for f in accepted] == [INFO, INFO, INFO]
    assert accepted[0].message == "x (godkänd varning, Inst!B9)"
    assert accepted[1] == found[1]  # info stays as it was
    assert (count_text(1), count_text(2)) == ("1 varning", "2 varningar")



def test_the_sheets_say_so_under_their_titles(runner, cwd):
    small_workbook(cwd / "T.xlsx", Budget=OVER_ALLOCATED)
    small_workbook(cwd / "N.xlsx")
    run(runner, "T.xlsx")
    run(runner, "N.xlsx")
    note = "OBS: 1 varning — kontrollera Avstämning innan tabellen används"
    for path, expected in ((cwd / "T.xlsx", note), (cwd / "N.xlsx", None)):
        book = openpyxl.load_workbook(path)
        try:
            for name, text in (("Sammanställning", "Belopp i tkr"),
                               ("Resultaträkning", "Belopp i tkr · resultat: intäkter +, kostnader − · per uppdrag: "
                                                   "nettokostnad · avvikelse +: bättre än budget")):
                cell = book[name]["A2"]
                assert cell.value == (f"{text} · {expected}" if expected else text)
                assert (cell.font.color is not None and cell.font.color.rgb == "FFC00000") == bool(expected)
        finally:
            book.close()

