"""``reconcile report``: the section Ekonomi as a Word document and as plain text.

The document is read back with python-docx and held against the workbook's own
sheets after a refresh, read with openpyxl: every table's headings, labels,
indents, bold rows and figures as the sheet displays them (tkr rounded half away
from zero, whole percent); the sentences against the figures and against Analys;
the economist's explanation from Analys; a template's first pages and styles;
the plain text; a consolidation, whole and per unit; the usage errors; the same
bytes from the same inputs; the workbook never touched."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import time
import zipfile
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import docx
import openpyxl
import pytest
from click.testing import CliRunner
from docx.shared import Cm
from examples import copy_example
from report_workbook import report_workbook

from toolkit.cli import main
from toolkit.money import round_half_up
from toolkit.render.docx_report import INDENT_CM

NBSP = "\u00a0"
EXPLAINED = "Överskottet beror på lägre utfall för sociala avgifter; sammanträdena i juni blev färre."
SECOND_LINE = "Resten av året följer planen."
WHOLE = "Nämnden följer sin plan."
CHART_CAPTION = "Ackumulerat utfall, periodiserad budget och prognos 2025 (tkr)"


def cli(*args, ok: bool = True):
    result = CliRunner().invoke(main, [str(a) for a in args], prog_name="reconcile", catch_exceptions=False)
    if ok:
        assert result.exit_code == 0, result.output
    return result


def refreshed(path: Path, *more) -> Path:
    cli(path, "--no-backup", *more)
    return path


# -- reading the document ---------------------------------------------------------------------------------------


def content(path: Path) -> list:
    """The body in order: ("h", level, text) for a heading, ("p", text, paragraph), ("t", table)."""
    out = []
    for item in docx.Document(str(path)).iter_inner_content():
        if isinstance(item, docx.table.Table):
            out.append(("t", item))
        elif (item.style.name or "").startswith("Heading "):
            out.append(("h", int(item.style.name.split()[-1]), item.text))
        elif item.text:
            out.append(("p", item.text, item))
    return out


def table_after(found: list, heading: str, nth: int = 0):
    """The first table after the ``nth`` heading ``heading``."""
    starts = [i for i, item in enumerate(found) if item[0] == "h" and item[2] == heading]
    return next(item[1] for item in found[starts[nth]:] if item[0] == "t")


def cells(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def label_depth(table, r: int) -> int:
    indent = table.rows[r].cells[0].paragraphs[0].paragraph_format.left_indent
    return round((indent or 0) / Cm(INDENT_CM))


def row_bold(table, r: int) -> bool:
    runs = table.rows[r].cells[0].paragraphs[0].runs
    return bool(runs) and all(run.bold for run in runs)


# -- reading the sheets -----------------------------------------------------------------------------------------


def shown(value, heading: str) -> str:
    """A cell as the sheet displays it: '#,##0' in a Swedish locale (a no-break space between thousands),
    '0 %' as whole percent; a blank cell as ''."""
    if value is None or value == "":
        return ""
    exact = Fraction(Decimal(repr(value)))
    if heading == "Utfall %":
        return f"{round_half_up(exact * 100)}{NBSP}%"
    return f"{round_half_up(exact):,}".replace(",", NBSP)


class Summary:
    """Sammanställning as written: headings up to the gap before Kommentar, then every row down to Totalt
    (and Resultat), each as the sheet displays it, with its indent and boldness."""

    def __init__(self, path: Path):
        ws = openpyxl.load_workbook(path, data_only=True)["Sammanställning"]
        header = next(r for r in range(1, 30) if "Kommentar" in [c.value for c in ws[r]])
        heads = []
        for c in range(1, ws.max_column + 1):
            value = ws.cell(header, c).value
            if not value:
                break
            heads.append(value)
        self.headings = heads
        labels = [ws.cell(r, 1).value for r in range(header + 1, ws.max_row + 1)]
        last = header + max(i for i, label in enumerate(labels, start=1) if label in ("Totalt", "Resultat"))
        self.rows, self.depths, self.bold = [], [], []
        for r in range(header + 1, last + 1):
            label = ws.cell(r, 1)
            self.rows.append([label.value or ""] + [shown(ws.cell(r, c).value, heads[c - 1])
                                                    for c in range(2, len(heads) + 1)])
            self.depths.append(int(label.alignment.indent or 0))
            self.bold.append(bool(label.font.b))


def statement_tables(path: Path) -> dict[str, list[list[str]]]:
    """Resultaträkning's three tables by their heading: the headings row and the rows below it, as displayed."""
    ws = openpyxl.load_workbook(path, data_only=True)["Resultaträkning"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=3)]
    out = {}
    i = 0
    while i < len(rows):
        first = rows[i][0]
        if isinstance(first, str) and all(v is None for v in rows[i][1:]) and i + 1 < len(rows) and rows[i + 1][1]:
            heads = [v for v in rows[i + 1] if v is not None]
            table = [heads]
            j = i + 2
            while j < len(rows) and rows[j][0] is not None:
                table.append([rows[j][0]] + [shown(v, "") for v in rows[j][1:len(heads)]])
                j += 1
            out[first] = table
            i = j
        else:
            i += 1
    return out


def analysis_texts(path: Path) -> dict[str, str]:
    ws = openpyxl.load_workbook(path, data_only=True)["Analys"]
    return {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(5, ws.max_row + 1) if ws.cell(r, 2).value}


def type_explanations(path: Path, texts: dict[str, str]) -> None:
    """What the economist types in Analys' Förklaring (openpyxl stands in for Excel's save)."""
    wb = openpyxl.load_workbook(path)
    ws = wb["Analys"]
    rows = {ws.cell(r, 1).value: r for r in range(1, ws.max_row + 1)}
    for area, text in texts.items():
        ws.cell(rows[area], 3, text)
    wb.save(path)


# -- the workbooks ----------------------------------------------------------------------------------------------


def halmstad(folder: Path) -> Path:
    return refreshed(copy_example("Halmstad.xlsx", folder))


def navet(folder: Path) -> Path:
    return refreshed(copy_example("Navet.xlsx", folder))


def report_layout(folder: Path) -> Path:
    """The report layout with Jämna summor, income lines, a sub-heading and commitments."""
    return refreshed(report_workbook(folder / "Rapport.xlsx", Layout="rapport", **{"Jämna summor": "ja",
                                                                                   "Rubrik första kolumnen":
                                                                                       "Kontoklass"}))


WORKBOOKS = {"halmstad": halmstad, "navet": navet, "rapport": report_layout}


@pytest.fixture(params=list(WORKBOOKS))
def workbook(request, tmp_path) -> Path:
    return WORKBOOKS[request.param](tmp_path)


def written(path: Path, tmp_path: Path, *more) -> tuple[Path, list]:
    out = tmp_path / "Ekonomi.docx"
    cli("report", path, "--docx", out, *more)
    return out, content(out)


# -- the tables against the sheets ------------------------------------------------------------------------------


def test_the_result_table_is_sammanstallning_as_the_sheet_shows_it(workbook, tmp_path):
    _, found = written(workbook, tmp_path)
    sheet = Summary(workbook)
    table = table_after(found, "Ekonomiskt resultat per ansvarsområde")
    got = cells(table)
    assert got[0] == sheet.headings  # the sheet's headings, their line breaks included
    assert got[1:] == sheet.rows
    assert [label_depth(table, r) for r in range(1, len(got))] == sheet.depths
    assert [row_bold(table, r) for r in range(1, len(got))] == sheet.bold


def test_jamna_summor_the_shown_rows_add_up_to_their_summa(tmp_path):
    path = report_layout(tmp_path)
    _, found = written(path, tmp_path)
    rows = cells(table_after(found, "Ekonomiskt resultat per ansvarsområde"))
    labels = [r[0] for r in rows]
    start = labels.index("Personalkostnader, fördelning:")
    end = labels.index("Summa Personalkostnader")
    budget = [int(r[1].replace(NBSP, "")) for r in rows[start + 1:end]]
    actual = [int(r[2].replace(NBSP, "")) for r in rows[start + 1:end]]
    assert sum(budget) == int(rows[end][1].replace(NBSP, "")) and sum(actual) == int(rows[end][2].replace(NBSP, ""))
    assert any(label.startswith("Insatser för jämlik hälsa ") and label.endswith(f"{NBSP}tkr") for label in labels)


def test_the_result_statement_tables_are_resultatrakningens(workbook, tmp_path):
    _, found = written(workbook, tmp_path)
    sheet = statement_tables(workbook)
    assert len(sheet) == 3
    for heading, rows in sheet.items():
        table = table_after(found, heading)
        assert cells(table) == rows, heading
    per_uppdrag = table_after(found, next(h for h in sheet if h.startswith("Resultaträkning per uppdrag")))
    summa = cells(per_uppdrag)[-1][0]
    assert summa.startswith("Summa ") and summa.endswith(" verksamhet") and row_bold(per_uppdrag, -1)


def test_headings_tables_and_paragraphs_stand_in_the_reports_order(tmp_path):
    path = halmstad(tmp_path)
    _, found = written(path, tmp_path)
    headings = [(item[1], item[2]) for item in found if item[0] == "h"]
    assert headings == [(1, "Ekonomi"), (2, "Ekonomiskt resultat per ansvarsområde"),
                        (2, "Ackumulerad budgetavvikelse jan–aug 2025"),
                        (3, "Resultaträkning per uppdrag jan–aug 2025"), (2, "Prognos för helåret 2025")]
    kinds = [item[0] for item in found]
    # under 4.2's table: Månadsuppföljning's chart (a picture: a paragraph without text) and its caption
    assert kinds == ["h", "h", "t", "p", "p", "p", "p", "h", "t", "p", "h", "t", "h", "t"]
    assert found[9][1] == CHART_CAPTION


def test_numbered_from_the_section_given(tmp_path):
    path = halmstad(tmp_path)
    _, found = written(path, tmp_path, "--avsnitt", "4")
    assert [item[2] for item in found if item[0] == "h"] == [
        "4 Ekonomi", "4.1 Ekonomiskt resultat per ansvarsområde", "4.2 Ackumulerad budgetavvikelse jan–aug 2025",
        "4.2.1 Resultaträkning per uppdrag jan–aug 2025", "4.3 Prognos för helåret 2025"]


def test_a_tables_look_figures_right_header_repeated_rows_whole_rules_on_summa_and_totalt(tmp_path):
    path = halmstad(tmp_path)
    out, found = written(path, tmp_path)
    table = table_after(found, "Ekonomiskt resultat per ansvarsområde")
    xml = table._tbl.xml
    header = table.rows[0]._tr
    assert header.trPr is not None and header.trPr.xpath("./w:tblHeader")  # repeated on every page
    assert all(row._tr.trPr.xpath("./w:cantSplit") for row in table.rows)
    alignments = {c: table.rows[2].cells[c].paragraphs[0].alignment for c in range(len(table.columns))}
    assert alignments[0] in (None, 0) and all(a == 2 for c, a in alignments.items() if c)  # 2: right
    labels = [row.cells[0].text for row in table.rows]
    totalt = table.rows[labels.index("Totalt")].cells[1]._tc.xml
    summa = table.rows[labels.index("Summa Utvecklingsmedel")].cells[1]._tc.xml
    assert '<w:top w:val="double"' in totalt and '<w:top w:val="single"' in summa
    assert 'w:tblBorders' in xml and 'w:val="nil"' in xml  # no grid: the rules are the cells' own
    assert table.style is not None and table.style.name in ("Light Shading", "Table Grid")


def test_the_tables_fill_the_text_width_and_no_figure_or_heading_word_is_broken(workbook, tmp_path):
    from docx.shared import Pt

    from toolkit.render.docx_report import _words, measure

    out, found = written(workbook, tmp_path)
    section = docx.Document(str(out)).sections[-1]
    text_width = section.page_width - section.left_margin - section.right_margin
    for table in (item[1] for item in found if item[0] == "t"):
        widths = [int(w) for w in table._tbl.xpath("./w:tblGrid/w:gridCol/@w:w")]  # twentieths of a point
        assert abs(sum(widths) * 635 - text_width) < 635 * len(widths)
        size = Pt(table.rows[1].cells[1].paragraphs[0].runs[0].font.size.pt)
        assert size.pt >= 7
        for c in range(1, len(widths)):
            texts = [row.cells[c].text for row in table.rows]
            widest = max(measure(w, size, 0.9) for text in texts for w in _words(text))
            assert widths[c] * 635 >= widest, (table.rows[0].cells[c].text, c)


# -- the text -------------------------------------------------------------------------------------------------


def number(text: str) -> int:
    return int(text.replace(NBSP, ""))


def test_the_sentences_say_what_the_figures_show(tmp_path):
    path = halmstad(tmp_path)
    _, found = written(path, tmp_path)
    sheet = Summary(path)
    total = sheet.rows[[r[0] for r in sheet.rows].index("Totalt")]
    actual, variance, forecast_variance = number(total[2]), number(total[4]), number(total[6])
    paragraphs = [item[1] for item in found if item[0] == "p"]
    whole = paragraphs[0]
    assert f"utfall för perioden januari–augusti är {actual} tkr" in whole
    sign = "positiv" if variance > 0 else "negativ"
    assert f"med en {sign} budgetavvikelse om {abs(variance)} tkr." in whole
    word = "ett överskott" if forecast_variance > 0 else "ett underskott"
    assert f"Prognosen för helåret är {word} om {abs(forecast_variance)} tkr." in whole

    statement = statement_tables(path)
    per_uppdrag = statement[next(h for h in statement if h.startswith("Resultaträkning per uppdrag"))]
    ws = openpyxl.load_workbook(path, data_only=True)["Resultaträkning"]
    exact = {row[0].value: (row[1].value, row[2].value) for row in ws.iter_rows() if row[0].value}
    for row in per_uppdrag[1:-1]:
        name = row[0]
        if name == "Ej budgeterat":
            continue
        result, budget = exact[name]
        shown_variance = round_half_up(Fraction(Decimal(repr(budget))) - Fraction(Decimal(repr(result))))
        paragraph = next(p for p in paragraphs if p.startswith(f"{name} — "))
        if shown_variance == 0:
            assert "i nivå med budget" in paragraph
        else:
            sign = "positiv" if shown_variance > 0 else "negativ"
            assert (f"{name} — Uppdraget {name} visar en {sign} budgetavvikelse om {abs(shown_variance)} tkr för "
                    "perioden januari–augusti.") in paragraph


def test_each_area_is_its_analys_text_with_the_economists_explanation(tmp_path):
    path = halmstad(tmp_path)
    type_explanations(path, {"Politik": f"{EXPLAINED}\n{SECOND_LINE}", "Totalt": WHOLE})
    _, found = written(path, tmp_path)
    texts = analysis_texts(path)
    paragraphs = [item for item in found if item[0] == "p"]
    assert paragraphs[0][1] == f"{texts['Totalt']} {WHOLE}"
    politik = next(i for i, item in enumerate(paragraphs) if item[1].startswith("Politik — "))
    assert paragraphs[politik][1] == f"Politik — {texts['Politik']} {EXPLAINED}"
    assert paragraphs[politik + 1][1] == SECOND_LINE  # a second line of the cell: a paragraph of its own
    runs = paragraphs[politik][2].runs
    assert runs[0].text == "Politik" and runs[0].bold and not runs[1].bold
    assert any(item[1] == f"Utvecklingsmedel — {texts['Utvecklingsmedel']}" for item in paragraphs)
    # the pointer into the workbook is Analys' only: the report's readers have no sheets
    assert texts["Ej budgeterat"].endswith(" Se bladet Avstämning.")
    assert any(item[1] == f"Ej budgeterat — {texts['Ej budgeterat'].removesuffix(' Se bladet Avstämning.')}"
               for item in paragraphs)
    words = " ".join(item[2] if item[0] == "h" else item[1] if item[0] == "p" else
                     " ".join(" ".join(row) for row in cells(item[1])) for item in found)
    assert "blad" not in words and "Avstämning" not in words


# -- the workbook is left as it was, and the document is the same every time -------------------------------------


def test_the_workbook_is_never_touched_and_the_same_inputs_give_the_same_bytes(tmp_path, monkeypatch):
    path = halmstad(tmp_path)
    before, mtime = path.read_bytes(), path.stat().st_mtime_ns
    files = set(tmp_path.iterdir())
    clock = iter([1_000_000_000.0, 1_900_000_000.0])
    outputs = []
    for name in ("A.docx", "B.docx"):
        now = next(clock)
        monkeypatch.setattr(time, "time", lambda now=now: now)  # zip entries and core properties read the clock
        cli("report", path, "--docx", tmp_path / name)
        outputs.append((tmp_path / name).read_bytes())
    monkeypatch.undo()
    assert outputs[0] == outputs[1]
    assert path.read_bytes() == before and path.stat().st_mtime_ns == mtime
    assert set(tmp_path.iterdir()) - files == {tmp_path / "A.docx", tmp_path / "B.docx"}  # no .bak, no lock left
    props = docx.Document(str(tmp_path / "A.docx")).core_properties
    assert (props.created.date().isoformat(), props.modified.date().isoformat()) == ("2025-08-31", "2025-08-31")
    assert props.title == "Lokal nämnd Halmstad — Ekonomi jan–aug 2025" and props.revision == 1
    with zipfile.ZipFile(io.BytesIO(outputs[0])) as package:
        assert {info.date_time for info in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_a_document_that_would_not_change_is_not_written_again(tmp_path):
    path = halmstad(tmp_path)
    out = tmp_path / "Ekonomi.docx"
    first = cli("report", path, "--docx", out, "--text", tmp_path / "Ekonomi.txt")
    assert first.stdout == (f"{path}: jan–aug 2025 · utfall 748 tkr · avvikelse -18 tkr · prognos 1 323 tkr · "
                            f"{out} och {tmp_path / 'Ekonomi.txt'} skrivna\n")
    mtime = out.stat().st_mtime_ns
    again = cli("report", path, "--docx", out)
    assert again.stdout.endswith(f"· {out} var redan aktuell, inget skrevs\n")
    assert out.stat().st_mtime_ns == mtime


def test_a_document_open_in_word_is_left_alone(tmp_path):
    path = halmstad(tmp_path)
    out = tmp_path / "Ekonomi.docx"
    out.write_bytes(b"old")
    (tmp_path / "~$Ekonomi.docx").write_bytes(b"owner")
    result = cli("report", path, "--docx", out, ok=False)
    assert result.exit_code == 3
    assert result.stderr == f"{out}: dokumentet är öppet i Word (~$Ekonomi.docx); stäng det och kör igen — inget skrevs\n"
    assert out.read_bytes() == b"old"


# -- the template -----------------------------------------------------------------------------------------------


def template(path: Path, *, heading_name: str | None = "heading 1", heading_id: str = "Heading1",
             headings: bool = True) -> Path:
    """A region's template: a cover page and a table of contents' heading, Arial 10 pt, headings in its own
    colour; its heading styles named ``heading_name`` with id ``heading_id`` (or none at all)."""
    from docx.enum.text import WD_BREAK
    from docx.shared import Pt, RGBColor

    document = docx.Document()
    document.styles["Normal"].font.name = "Arial"
    document.styles["Normal"].font.size = Pt(10)
    document.styles["Heading 1"].font.color.rgb = RGBColor(0x00, 0x5A, 0x8C)
    document.add_paragraph("Uppföljningsrapport 2 2025", style="Title")
    document.add_paragraph("Lokal nämnd Halmstad")
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    document.add_paragraph("Innehåll", style="Heading 1")
    styles = document.styles.element
    for level in range(1, 10):
        style = styles.xpath(f'./w:style[@w:styleId="Heading{level}"]')[0]
        if not headings:
            styles.remove(style)
            continue
        if level == 1:
            style.set(docx.oxml.ns.qn("w:styleId"), heading_id)
            style.xpath("./w:name")[0].set(docx.oxml.ns.qn("w:val"), heading_name)
    if not headings:
        for p in document.paragraphs:
            p.style = document.styles["Normal"]
    else:
        for p in document.paragraphs:
            if p.text == "Innehåll":
                p._p.pPr.pStyle.set(docx.oxml.ns.qn("w:val"), heading_id)
    document.save(str(path))
    return path


@pytest.mark.parametrize("name, style_id", [("heading 1", "Heading1"), ("heading 1", "Rubrik1"),
                                            ("Rubrik 1", "Rubrik1")])
def test_a_template_keeps_its_first_pages_and_styles_and_its_headings_are_used(tmp_path, name, style_id):
    path = halmstad(tmp_path)
    mall = template(tmp_path / "Mall.docx", heading_name=name, heading_id=style_id)
    out = tmp_path / "Ekonomi.docx"
    cli("report", path, "--docx", out, "--mall", mall)
    document = docx.Document(str(out))
    original = docx.Document(str(mall))
    texts = [p.text for p in document.paragraphs]
    assert texts[:4] == [p.text for p in original.paragraphs] == ["Uppföljningsrapport 2 2025", "Lokal nämnd Halmstad",
                                                                  "", "Innehåll"]
    ekonomi = document.paragraphs[4]
    assert ekonomi.text == "Ekonomi" and ekonomi.style.style_id == style_id  # the template's own heading style
    assert ekonomi.paragraph_format.page_break_before  # the section starts after the first pages
    assert document.styles["Normal"].font.name == "Arial" and document.styles["Normal"].font.size.pt == 10
    assert len([s for s in document.styles if s.style_id == style_id]) == 1  # no second heading style made
    with zipfile.ZipFile(mall) as a, zipfile.ZipFile(out) as b:
        assert a.read("word/styles.xml") == b.read("word/styles.xml")  # the template's styles, untouched
    found = content(out)
    assert cells(table_after(found, "Ekonomiskt resultat per ansvarsområde"))[1:] == Summary(path).rows


def test_a_template_without_heading_styles_gets_plain_ones(tmp_path):
    path = halmstad(tmp_path)
    mall = template(tmp_path / "Mall.docx", headings=False)
    out = tmp_path / "Ekonomi.docx"
    cli("report", path, "--docx", out, "--mall", mall)
    document = docx.Document(str(out))
    ekonomi = next(p for p in document.paragraphs if p.text == "Ekonomi")
    assert ekonomi.style.name == "Heading 1" and ekonomi.style.font.bold
    assert ekonomi.style.element.xpath("./w:pPr/w:outlineLvl/@w:val") == ["0"]  # in a table of contents
    levels = {p.style.name for p in document.paragraphs if p.style.name.startswith("Heading")}
    assert levels == {"Heading 1", "Heading 2", "Heading 3"}


def test_a_word_template_dotx_is_taken_as_its_document(tmp_path):
    path = halmstad(tmp_path)
    mall = template(tmp_path / "Mall.docx")
    dotx = tmp_path / "Mall.dotx"
    with zipfile.ZipFile(mall) as source, zipfile.ZipFile(dotx, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"wordprocessingml.document.main+xml", b"wordprocessingml.template.main+xml")
            target.writestr(info, data)
    out = tmp_path / "Ekonomi.docx"
    cli("report", path, "--docx", out, "--mall", dotx)
    assert [p.text for p in docx.Document(str(out)).paragraphs][:5] == [
        "Uppföljningsrapport 2 2025", "Lokal nämnd Halmstad", "", "Innehåll", "Ekonomi"]
    with zipfile.ZipFile(out) as package:
        assert b"wordprocessingml.document.main+xml" in package.read("[Content_Types].xml")


@pytest.mark.parametrize("data, why", [
    (b"not a zip at all", "inte ett zip-paket"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "en äldre .doc-fil eller ett lösenordsskyddat dokument"),
    ({"hej.txt": "hej"}, "zip-paketet saknar ett Word-dokument"),
    ({"[Content_Types].xml": "<Types/>", "word/document.xml": "<trasig"}, "innehållet går inte att tolka"),
    ({"[Content_Types].xml": "application/vnd.ms-word.document.macroEnabled.main+xml", "word/document.xml": ""},
     "ett dokument med makron"),
])
def test_a_template_that_is_no_word_document_stops_with_one_line(tmp_path, data, why):
    path = halmstad(tmp_path)
    mall = tmp_path / "Mall.docx"
    if isinstance(data, dict):
        with zipfile.ZipFile(mall, "w") as package:
            for name, text in data.items():
                package.writestr(name, text)
    else:
        mall.write_bytes(data)
    out = tmp_path / "Ekonomi.docx"
    result = cli("report", path, "--docx", out, "--mall", mall, ok=False)
    assert result.exit_code == 1
    assert result.stderr == (f"{mall}: mallen går inte att läsa som ett Word-dokument ({why}); öppna den i Word, "
                             "spara den som .docx och kör igen\n")
    assert not out.exists()


def test_a_missing_template_is_named(tmp_path):
    path = halmstad(tmp_path)
    result = cli("report", path, "--docx", tmp_path / "E.docx", "--mall", tmp_path / "Saknas.docx", ok=False)
    assert (result.exit_code, result.stderr) == (1, f"{tmp_path / 'Saknas.docx'}: filen finns inte\n")
    assert not (tmp_path / "E.docx").exists()


# -- the plain text ---------------------------------------------------------------------------------------------


def test_the_text_is_the_documents_section_with_tabs_between_the_columns(tmp_path):
    path = halmstad(tmp_path)
    type_explanations(path, {"Politik": EXPLAINED})
    out, found = written(path, tmp_path, "--text", tmp_path / "Ekonomi.txt", "--avsnitt", "4")
    text = (tmp_path / "Ekonomi.txt").read_text(encoding="utf-8")
    blocks = text.rstrip("\n").split("\n\n")
    expected = []
    for item in found:
        if item[0] == "h":
            expected.append(item[2])
        elif item[0] == "p":
            if item[1] != CHART_CAPTION:  # the chart is the document's only: no picture, no caption in the text
                expected.append(item[1])
        else:
            rows = cells(item[1])
            lines = ["\t".join(c.replace("\n", " ") for c in rows[0])]
            lines += ["\t".join(["  " * label_depth(item[1], r) + rows[r][0], *rows[r][1:]])
                      for r in range(1, len(rows))]
            expected.append("\n".join(lines))
    assert blocks == expected
    assert "Totalt\t1\u00a0342\t748\t56\u00a0%\t-18\t1\u00a0323\t19\t65\t529" in text.split("\n")


def test_the_text_to_standard_output_with_the_summary_line_on_stderr(tmp_path):
    path = halmstad(tmp_path)
    result = cli("report", path, "--text", "-")
    assert result.stdout.startswith("Ekonomi\n\nEkonomiskt resultat per ansvarsområde\n\nRad\tBudget 2025 i tkr\t")
    assert result.stderr == (f"{path}: jan–aug 2025 · utfall 748 tkr · avvikelse -18 tkr · prognos 1 323 tkr\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Halmstad.xlsx"]


# -- a consolidation --------------------------------------------------------------------------------------------


def test_a_consolidation_the_whole_then_each_unit_each_as_its_sheets_show_it(tmp_path):
    units = tmp_path / "enheter"
    units.mkdir()
    a = refreshed(copy_example("Halmstad.xlsx", units), "--period", "2025-06")
    b = refreshed(copy_example("Navet.xlsx", units), "--period", "2025-06")
    whole = tmp_path / "Förbund.xlsx"
    cli("consolidate", units, "--output", whole, "--name", "Halmstad och Navet", "--period", "2025-06")
    sheets = [Summary(whole), Summary(a), Summary(b)]  # as written: an openpyxl save drops the formulas' values
    type_explanations(whole, {"Totalt": "Förbundet som helhet.", "Lokal nämnd Halmstad › Totalt": "Om Halmstad."})
    type_explanations(a, {"Politik": EXPLAINED})
    out = tmp_path / "Förbund.docx"
    result = cli("report", units, "--konsolidering", whole, "--period", "2025-06", "--docx", out, "--avsnitt", "4")
    assert result.stdout == (f"{whole}: 2 enheter · jan–jun 2025 · utfall 708 tkr · avvikelse -126 tkr · prognos "
                             f"1 408 tkr · {out} skriven\n")
    found = content(out)
    headings = [item[2] for item in found if item[0] == "h"]
    assert headings[:6] == ["4 Ekonomi", "4.1 Ekonomiskt resultat per ansvarsområde",
                            "4.2 Ackumulerad budgetavvikelse jan–jun 2025",
                            "4.2.1 Resultaträkning per uppdrag jan–jun 2025", "4.3 Prognos för helåret 2025",
                            "4.4 Lokal nämnd Halmstad"]
    assert "4.5 Navet science center" in headings

    tables = [item[1] for item in found if item[0] == "t"]
    assert cells(tables[0])[1:] == sheets[0].rows  # the whole, as the consolidation's sheet
    assert cells(tables[4])[1:] == sheets[1].rows  # each unit, as its own sheet
    assert cells(tables[8])[1:] == sheets[2].rows
    for heading, rows in statement_tables(b).items():
        assert cells(tables[9 + list(statement_tables(b)).index(heading)]) == rows

    paragraphs = [item[1] for item in found if item[0] == "p"]
    assert paragraphs[0].startswith("Halmstad och Navet ") and paragraphs[0].endswith(" Förbundet som helhet.")
    assert any(p.startswith("Lokal nämnd Halmstad — ") and p.endswith(" Om Halmstad.") for p in paragraphs)
    assert sum(p.startswith("Politik — ") and p.endswith(EXPLAINED) for p in paragraphs) == 1  # the unit's own part


def test_the_consolidations_name_is_the_one_its_sheets_show(tmp_path):
    a = copy_example("Halmstad.xlsx", tmp_path)
    whole = tmp_path / "F.xlsx"
    cli("consolidate", a, "--output", whole, "--name", "Förbundet")
    _, found = written(a, tmp_path, "--konsolidering", whole, "--avsnitt", "1")
    assert cells(table_after(found, "1.2.1 Resultaträkning per uppdrag jan–aug 2025"))[-1][0] == \
        "Summa Förbundets verksamhet"
    _, found = written(a, tmp_path, "--konsolidering", whole, "--name", "Annat namn")
    assert any(item[0] == "p" and item[1].startswith("Annat namn ") for item in found)


def test_a_consolidation_alone_reports_on_the_units_it_was_written_from(tmp_path):
    """``reconcile consolidate`` records each unit's workbook on Per enhet (relative to the consolidation's
    folder) and the period in its headings; ``reconcile report F.xlsx`` (or ``--konsolidering F.xlsx``
    alone) reads them there and writes what giving the units and the period would write."""
    folder = tmp_path / "Förbund"
    units = folder / "enheter"
    units.mkdir(parents=True)
    copy_example("Halmstad.xlsx", units)
    copy_example("Navet.xlsx", units)
    whole = folder / "F.xlsx"
    cli("consolidate", units, "--output", whole, "--name", "Halmstad och Navet", "--period", "2025-06")
    ws = openpyxl.load_workbook(whole)["Per enhet"]
    assert [ws[c].value for c in ("A4", "B4", "E4", "H4")] == [
        "Arbetsbok", "enheter/Halmstad.xlsx", "enheter/Navet.xlsx", None]  # the Totalt group records none
    given = cli("report", units, "--konsolidering", whole, "--period", "2025-06", "--docx", tmp_path / "given.docx")
    alone = cli("report", whole, "--docx", tmp_path / "alone.docx")
    assert alone.stdout == given.stdout.replace(str(tmp_path / "given.docx"), str(tmp_path / "alone.docx"))
    assert (tmp_path / "alone.docx").read_bytes() == (tmp_path / "given.docx").read_bytes()
    cli("report", "--konsolidering", whole, "--docx", tmp_path / "flag.docx")
    assert (tmp_path / "flag.docx").read_bytes() == (tmp_path / "given.docx").read_bytes()
    assert "Förbundets utfall för perioden januari–juni" in cli("report", whole, "--name", "Förbundet", "--text",
                                                                "-").stdout
    # the folder moved as a whole: the paths are relative to the consolidation
    moved = tmp_path / "flyttad"
    folder.rename(moved)
    cli("report", moved / "F.xlsx", "--docx", tmp_path / "moved.docx")
    assert (tmp_path / "moved.docx").read_bytes() == (tmp_path / "given.docx").read_bytes()
    # a unit no longer there: what to give, and nothing written
    (moved / "enheter" / "Navet.xlsx").unlink()
    before = sorted(tmp_path.rglob("*"))
    result = cli("report", moved / "F.xlsx", "--docx", tmp_path / "E.docx", ok=False)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (f"{moved / 'F.xlsx'}: Per enhet!E4: enhetens arbetsbok {(moved / 'enheter').as_posix()}"
                             "/Navet.xlsx finns inte; ange enheternas arbetsböcker: reconcile report ENHET.xlsx … "
                             "--konsolidering F.xlsx --docx UT.docx\n")
    assert sorted(tmp_path.rglob("*")) == before
    result = cli("report", moved / "F.xlsx", "--docx", tmp_path / "E.docx", "--utfall", "u.csv", ok=False)
    assert (result.exit_code, result.stderr) == (2, f"{moved / 'F.xlsx'}: --utfall kan inte användas med en "
                                                    "sammanställning (varje enhet har sina egna blad)\n")


def test_a_consolidation_that_records_no_units_says_what_to_give(tmp_path, monkeypatch):
    a = copy_example("Halmstad.xlsx", tmp_path)
    whole = tmp_path / "F.xlsx"
    with monkeypatch.context() as m:  # as a consolidation written before the units were recorded
        m.setattr("toolkit.consolidation.recorded_path", lambda unit, output: "")
        cli("consolidate", a, "--output", whole)
    assert openpyxl.load_workbook(whole)["Per enhet"]["A4"].value is None
    line = (f"{whole}: sammanställningen anger inte vilka enheternas arbetsböcker är (den skrevs av en äldre version); "
            "ange dem: reconcile report ENHET.xlsx … --konsolidering F.xlsx --docx UT.docx, eller kör reconcile "
            "consolidate igen\n")
    for args in ((whole,), ("--konsolidering", whole)):
        result = cli("report", *args, "--docx", tmp_path / "E.docx", ok=False)
        assert (result.exit_code, result.stdout, result.stderr) == (1, "", line)
    result = cli("report", a, "--konsolidering", a, "--docx", tmp_path / "E.docx", ok=False)
    assert result.exit_code == 2  # the same file twice
    other = copy_example("Navet.xlsx", tmp_path)
    result = cli("report", a, "--konsolidering", other, "--docx", tmp_path / "E.docx", ok=False)
    assert (result.exit_code, result.stderr) == (1, f"{other}: arbetsboken är ingen sammanställning; ange "
                                                    "arbetsboken som reconcile consolidate skrev (--output)\n")
    assert not (tmp_path / "E.docx").exists()


# -- how it is called -------------------------------------------------------------------------------------------


USAGE = [
    (["Test.xlsx"], "--docx eller --text saknas: ange vart avsnittet ska skrivas, t.ex. --docx Ekonomi.docx"),
    (["Test.xlsx", "--docx", "E.pdf"], "--docx E.pdf: avsnittet skrivs som ett Word-dokument; ange en .docx-fil"),
    (["Test.xlsx", "--docx", "mapp"], "--docx mapp: är en mapp; ange en fil"),
    (["Test.xlsx", "--text", "mapp"], "--text mapp: är en mapp; ange en fil, eller - för att skriva texten här"),
    (["Test.xlsx", "--text", "E.txt", "--mall", "M.docx"], "--mall M.docx: mallen används bara med --docx"),
    (["Test.xlsx", "--docx", "E.docx", "--mall", "M.pdf"],
     "--mall M.pdf: mallen ska vara ett Word-dokument; ange en .docx- eller .dotx-fil"),
    (["Test.xlsx", "--docx", "M.docx", "--mall", "M.docx"], "--docx M.docx: är samma fil som --mall; ange en annan fil"),
    (["Test.xlsx", "--docx", "E.docx", "--text", "Test.xlsx"],
     "--text Test.xlsx: är samma fil som arbetsboken; ange en annan fil"),
    (["Test.xlsx", "--docx", "E.docx", "--avsnitt", "fyra"], "--avsnitt fyra: ange avsnittets nummer, t.ex. 4 eller 4.2"),
    (["Test.xlsx", "--docx", "E.docx", "--avsnitt", "4."], "--avsnitt 4.: ange avsnittets nummer, t.ex. 4 eller 4.2"),
    (["--docx", "E.docx"], "ange arbetsboken: reconcile report Halmstad.xlsx --docx Ekonomi.docx"),
    (["Test.xlsx", "--docx", "E.docx", "--name", "X"],
     "--name: används bara med --konsolidering (namnet på en sammanställning)"),
    (["Test.xlsx", "Test2.xlsx", "--docx", "E.docx"],
     "--konsolidering saknas: flera enheter sammanställs; ange arbetsboken som reconcile consolidate skrev, t.ex. "
     "--konsolidering Förbund.xlsx"),
    (["mapp", "--docx", "E.docx"],
     "--konsolidering saknas: flera enheter sammanställs; ange arbetsboken som reconcile consolidate skrev, t.ex. "
     "--konsolidering Förbund.xlsx"),
    (["Test.xlsx", "--konsolidering", "F.csv", "--docx", "E.docx"],
     "--konsolidering F.csv: ange sammanställningens arbetsbok (.xlsx)"),
    (["mapp", "--konsolidering", "F.xlsx", "--docx", "E.docx", "--budget", "B.xlsx"],
     "--budget kan inte användas med --konsolidering (varje enhet har sina egna blad)"),
    (["Test.xlsx", "--docx"], "--docx: värdet saknas (--docx UT.docx)"),
    (["Test.xlsx", "--docx", "E.docx", "--period", "13"], "--period 13: ange perioden som 2025-08, 202508 eller 8"),
    (["Test.xlsx", "--dox", "E.docx"], "--dox: okänd flagga — menade du --docx?"),
    ([], "ange arbetsboken: reconcile report Halmstad.xlsx --docx Ekonomi.docx"),
    ([""], "tomt argument i stället för arbetsboken: ange arbetsboken, eller en mapp med arbetsböcker (är en "
           "variabel i kommandot tom?)"),
]


@pytest.mark.parametrize("args, line", USAGE)
def test_usage_errors_are_one_swedish_line_and_nothing_is_read_or_written(tmp_path, monkeypatch, args, line):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mapp").mkdir()
    (tmp_path / "Test.xlsx").write_bytes(b"not read")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()}
    result = cli("report", *args, ok=False)
    assert (result.exit_code, result.stderr, result.stdout) == (2, line + "\n", "")
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()} == before


def test_the_help_is_swedish():
    result = cli("report", "--help")
    assert result.stdout.startswith("Användning: reconcile report [FLAGGOR] ARBETSBOK.xlsx | ENHET.xlsx… | MAPP\n")
    for flag in ("--docx UT.docx", "--mall MALL.docx", "--text UT.txt", "--avsnitt NR", "--konsolidering FÖRBUND.xlsx"):
        assert flag in result.stdout
    assert not re.search(r"\b(Usage|Options|Show this)\b", result.stdout)
    assert "reconcile report Halmstad.xlsx --docx Ekonomi.docx" in cli("--help").stdout


def test_a_warning_stops_the_report_under_strict(tmp_path):
    path = halmstad(tmp_path)
    result = cli("report", path, "--docx", tmp_path / "E.docx", "--period", "2025-11", "--strict", ok=False)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{path}: --period: bokslutsperioden är 11 (november)")
    assert result.stderr.endswith("— stoppad av --strict; inget skrevs\n")
    assert not (tmp_path / "E.docx").exists()
    result = cli("report", path, "--docx", tmp_path / "E.docx", "--period", "2025-11")
    assert result.stdout.endswith("skriven · 1 varning (se Avstämning)\n")


def test_a_run_with_warnings_marks_the_document_with_a_comment_on_its_first_heading(tmp_path):
    """The figures may be wrong: whoever edits the document sees why (a Word comment, not text on paper)."""
    path = halmstad(tmp_path)
    cli("report", path, "--docx", tmp_path / "E.docx", "--period", "2025-11")
    document = docx.Document(tmp_path / "E.docx")
    [comment] = list(document.comments)
    lines = [p.text for p in comment.paragraphs]
    assert lines[0] == "Obs: avstämningen gav 1 varning; siffrorna kan vara fel. Kontrollera innan rapporten lämnas:"
    assert lines[1].startswith("• --period: bokslutsperioden är 11 (november)")
    assert comment.author == "reconcile"
    body = document.element.body.xml
    first = next(p for p in document.paragraphs if p.text)
    assert first.text.endswith("Ekonomi") and "commentRangeStart" in first._p.xml
    assert body.count("commentReference") == 1
    again = tmp_path / "F.docx"
    cli("report", path, "--docx", again, "--period", "2025-11")
    assert again.read_bytes() == (tmp_path / "E.docx").read_bytes()  # the comment's date is the document's
    cli("report", path, "--docx", tmp_path / "G.docx")
    assert list(docx.Document(tmp_path / "G.docx").comments) == []  # a run without warnings: no comment


def test_json_is_the_runs_record_with_the_files_and_the_sections(tmp_path):
    import json

    path = halmstad(tmp_path)
    out = tmp_path / "E.docx"
    run = json.loads(cli(path, "--check", "--json").stdout)
    result = cli("report", path, "--docx", out, "--avsnitt", "4", "--json")
    assert result.stderr == ""
    record = json.loads(result.stdout)
    for key in ("path", "unit", "year", "period", "period_label", "totals_kr", "warnings", "findings"):
        assert record[key] == run[key], key
    assert record["status"] == "written"
    assert record["files"] == [{"path": str(out), "kind": "docx", "status": "written"}]
    headings = [item for item in content(out) if item[0] == "h"]
    assert [f"{s['number']} {s['title']}" for s in record["sections"]] == [item[2] for item in headings]
    assert [s["level"] for s in record["sections"]] == [item[1] for item in headings]
    assert record["sections"][3] == {"level": 3, "number": "4.2.1", "title": "Resultaträkning per uppdrag jan–aug 2025"}
    assert "text" not in record and record["seconds"] >= 0
    again = json.loads(cli("report", path, "--docx", out, "--avsnitt", "4", "--json").stdout)
    assert (again["status"], again["files"][0]["status"]) == ("unchanged", "unchanged")
    # the text to standard output: inside the record, and nothing else on stdout
    text = cli("report", path, "--text", "-").stdout
    result = cli("report", path, "--text", "-", "--json")
    assert result.stderr == "" and json.loads(result.stdout)["text"] == text
    assert json.loads(result.stdout)["files"] == []
    # a stop: the run's error record, exit 1, nothing written
    result = cli("report", path, "--docx", tmp_path / "N.docx", "--mall", tmp_path / "saknas.docx", "--json", ok=False)
    assert result.exit_code == 1
    error = json.loads(result.stdout)
    assert (error["path"], error["status"], error["slug"], error["message"]) == (
        str(path), "error", "fil-saknas", f"{tmp_path / 'saknas.docx'}: filen finns inte")
    assert not (tmp_path / "N.docx").exists()


# -- what LibreOffice makes of it -------------------------------------------------------------------------------


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="needs LibreOffice and pdftotext")
def test_libreoffice_renders_the_document(tmp_path):
    import libreoffice

    path = halmstad(tmp_path)
    out, _ = written(path, tmp_path)
    subprocess.run(["soffice", f"-env:UserInstallation={libreoffice.profile(tmp_path)}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(out)], check=True, capture_output=True,
                   timeout=180)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "Ekonomi.pdf"), "-"], check=True,
                          capture_output=True, text=True).stdout
    assert "Ekonomiskt resultat per ansvarsområde" in text
    assert re.search(r"Totalt\s+1\s342\s+748\s+56 %\s+-18\s+1\s323\s+19\s+65\s+529", text.replace(NBSP, " "))
