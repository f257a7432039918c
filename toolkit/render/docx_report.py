"""The section Ekonomi as a Word document (python-docx; imported only here).

The blocks of ``render.section`` are appended to a document: a new one (A4,
the python-docx template's styles), or the region's own template
(``--mall``: its styles, its first pages and its page setup are kept; the
section starts on a new page after them).

- Headings use the document's heading styles, found by their built-in name
  (Word stores "heading 1" in every language), by a Swedish name or style id
  ("Rubrik 1", "Rubrik1") or by their outline level; a template without them
  gets plain "Heading N" styles of its own (bold, kept with the next
  paragraph, with the outline level a table of contents picks up).
- Tables: report style — no vertical lines, a rule under the headings, a rule
  above each Summa row and a double one above Totalt, bold Summa rows, figures
  right-aligned, the header row repeated on every page, no row split across
  pages; the table style ``TABLE_STYLES`` names (the first the document has)
  gives the rest, and the rules are set on the cells so that they hold with
  any template.
- The same blocks give the same bytes: the core properties (created,
  modified, revision) are fixed from the report's period, and the zip's
  entries carry a fixed time.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Sequence

from ..errors import InputError
from .section import Block, Heading, Paragraph, Table

TABLE_STYLES = ("Light Shading", "Table Grid")  # the first the document has; else its default table style
TABLE_FONT_SIZE = 9  # points: a report's table
WIDE_TABLE_FONT_SIZE = 8  # … of more than seven columns (Intecknat and Kvar att disponera across a portrait page)
CHARACTER = 0.48  # the width of an average character, in ems (Calibri's digits are 0.51, its letters less)
CELL_MARGIN_CM = 0.1  # left and right inside a cell
KEEP_TOGETHER = 15  # a table of at most this many rows is kept on one page (with its heading)
MIN_LABEL_CM = 3.5  # the label column is never narrower (its text wraps)
INDENT_CM = 0.3  # a label's indent per level of the tree
HEADING_SIZES = {1: 16, 2: 13, 3: 11, 4: 11}  # points: a new document's headings, and those a template lacks
FONT = "Calibri"  # a new document's
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
DOCUMENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
TEMPLATE_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"


def docx_bytes(blocks: Sequence[Block], *, title: str, moment: dt.datetime, template: bytes | None = None,
               template_name: str = "") -> bytes:
    """The document: ``blocks`` appended to ``template`` (the bytes of a .docx
    or .dotx; None: a new A4 document). ``moment`` is written as the document's
    creation and modification time, ``title`` as its title."""
    import docx

    document = docx.Document(io.BytesIO(_as_document(template, template_name))) if template is not None \
        else _new_document()
    _Writer(document, new_page=template is not None and _has_content(document)).write(blocks)
    props = document.core_properties
    props.title = title
    props.subject = "Ekonomi"
    props.last_modified_by = "reconcile"
    props.revision = 1
    props.created = moment
    props.modified = moment
    if template is None:
        props.author = "reconcile"
    buffer = io.BytesIO()
    document.save(buffer)
    return _fixed_times(buffer.getvalue())


# -- the document -------------------------------------------------------------------------------------------


def _new_document():
    """python-docx's template on A4 with 2.5 cm margins, in a report's plain look: Calibri 11 pt, black
    headings (the template's are Cambria and blue)."""
    import docx
    from docx.shared import Cm, Pt

    document = docx.Document()
    for section in document.sections:
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
        section.left_margin = section.right_margin = Cm(2.5)
        section.top_margin = section.bottom_margin = Cm(2.5)
    normal = document.styles["Normal"]
    _plain_font(normal, FONT)
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(6)
    for level, size in HEADING_SIZES.items():
        style = document.styles[f"Heading {level}"]
        _plain_font(style, FONT)
        style.font.size = Pt(size)
        style.paragraph_format.space_before = Pt(18 if level == 1 else 12)
        style.paragraph_format.space_after = Pt(6)
    return document


def _plain_font(style, name: str) -> None:
    """``style`` in font ``name`` and black: the theme's font and colour taken off (they win over a name)."""
    from docx.oxml.ns import qn

    rpr = style.element.get_or_add_rPr()
    fonts = _child(rpr, "w:rFonts")
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attribute), name)
    color = rpr.find(qn("w:color"))
    if color is not None:
        rpr.remove(color)


def _has_content(document) -> bool:
    """Does the template's body hold anything (a cover, a table of contents) the section should follow on a new page?"""
    body = document.element.body
    return any(child.tag.rsplit("}", 1)[-1] != "sectPr" and ("".join(child.itertext()).strip()
                                                               or child.tag.endswith("}tbl")
                                                               or child.xpath(".//w:drawing | .//w:pict | .//w:br"))
               for child in body)


def _as_document(template: bytes, name: str) -> bytes:
    """The template's bytes as a .docx: a .dotx (a Word template) differs only in its main part's content type.
    A file that is no readable Word document stops the run with what to do (the package's bounds — size, zip
    bombs — are checked before: ``report.read_template``)."""

    def refuse(why: str) -> InputError:
        return InputError(f"mallen går inte att läsa som ett Word-dokument ({why}); öppna den i Word, spara den "
                          "som .docx och kör igen", file=name, slug="mall-olasbar")

    try:
        with zipfile.ZipFile(io.BytesIO(template)) as package:
            names = package.namelist()
            if "[Content_Types].xml" not in names or "word/document.xml" not in names:
                raise refuse("zip-paketet saknar ett Word-dokument")
            types = package.read("[Content_Types].xml")
    except (zipfile.BadZipFile, zipfile.LargeZipFile):
        raise refuse("inte ett zip-paket") from None
    if b"macroEnabled" in types:
        raise refuse("ett dokument med makron")
    data = template
    if TEMPLATE_TYPE.encode() in types:
        data = _replace_member(template, "[Content_Types].xml",
                               types.replace(TEMPLATE_TYPE.encode(), DOCUMENT_TYPE.encode()))
    try:
        import docx

        docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx's errors are English and varied; the economist reads one line
        raise refuse(f"python-docx: {type(exc).__name__}") from None
    return data


def _replace_member(data: bytes, name: str, content: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, content if info.filename == name else source.read(info))
    return out.getvalue()


def _fixed_times(data: bytes) -> bytes:
    """The package with every entry's time fixed (python-docx stamps them with the clock)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(info))
    return out.getvalue()


class _Writer:
    def __init__(self, document, new_page: bool):
        self.document = document
        self.new_page = new_page
        self.headings: dict[int, object] = {}
        section = document.sections[-1]
        self.text_width = section.page_width - section.left_margin - section.right_margin

    def write(self, blocks: Sequence[Block]) -> None:
        for block in blocks:
            if isinstance(block, Heading):
                self.heading(block)
            elif isinstance(block, Paragraph):
                self.paragraph(block)
            elif isinstance(block, Table):
                self.table(block)

    # -- headings and text --------------------------------------------------------------------------------------

    def heading(self, block: Heading) -> None:
        paragraph = self.document.add_paragraph(style=self.heading_style(block.level))
        paragraph.add_run(f"{block.number} {block.text}" if block.number else block.text)
        if self.new_page:
            paragraph.paragraph_format.page_break_before = True
            self.new_page = False

    def heading_style(self, level: int):
        if level not in self.headings:
            self.headings[level] = find_heading_style(self.document, level) or _add_heading_style(self.document,
                                                                                                   level)
        return self.headings[level]

    def paragraph(self, block: Paragraph) -> None:
        paragraph = self.document.add_paragraph()
        for run in block.runs:
            r = paragraph.add_run(run.text)
            r.bold = run.bold or None
            r.italic = run.italic or None

    # -- tables -------------------------------------------------------------------------------------------------

    def table(self, block: Table) -> None:
        from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Cm, Pt

        n = block.columns
        size = TABLE_FONT_SIZE if n <= 7 else WIDE_TABLE_FONT_SIZE
        table = self.document.add_table(rows=1 + len(block.rows), cols=n)
        for name in TABLE_STYLES:
            try:
                table.style = name
                break
            except KeyError:
                continue
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        table.autofit = False
        _no_table_borders(table)
        _look(table)
        _cell_margins(table, Cm(CELL_MARGIN_CM))
        widths = column_widths(block, self.text_width, Pt(size))
        for column, width in zip(table.columns, widths):
            column.width = width

        def fill(cell, text: str, *, right: bool, bold: bool = False, italic: bool = False, indent: int = 0,
                 width: int) -> None:
            cell.width = width
            paragraph = cell.paragraphs[0]
            lines = text.split("\n")
            for i, line in enumerate(lines):
                run = paragraph.add_run(line)
                run.font.size = Pt(size)
                run.bold = bold
                run.italic = italic or None
                if i < len(lines) - 1:
                    run.add_break()
            _mark_size(paragraph, size)  # an empty cell's line is as high as the others
            fmt = paragraph.paragraph_format
            fmt.space_before = fmt.space_after = Pt(0)
            fmt.line_spacing = 1.0
            fmt.alignment = WD_ALIGN_PARAGRAPH.RIGHT if right else WD_ALIGN_PARAGRAPH.LEFT
            if indent:
                fmt.left_indent = Cm(INDENT_CM * indent)

        header = table.rows[0]
        _repeat_header(header)
        _cant_split(header)
        for c, (cell, text) in enumerate(zip(header.cells, block.header)):
            fill(cell, text, right=c > 0, bold=True, width=widths[c])
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.BOTTOM
            _border(cell, "bottom", 1)
            cell.paragraphs[0].paragraph_format.keep_with_next = True
        together = len(block.rows) <= KEEP_TOGETHER
        for i, (row, data) in enumerate(zip(table.rows[1:], block.rows), start=1):
            _cant_split(row)
            for c, (cell, text) in enumerate(zip(row.cells, data.cells)):
                fill(cell, text, right=c > 0, bold=data.bold, italic=data.italic and c == 0,
                     indent=data.indent if c == 0 else 0, width=widths[c])
                if data.rule:
                    _border(cell, "top", data.rule)
                if together and i < len(block.rows):
                    cell.paragraphs[0].paragraph_format.keep_with_next = True
        last = table.rows[-1]
        for cell in last.cells:
            _border(cell, "bottom", 1)
        # a little air after the table: an empty paragraph, as a report has
        self.document.add_paragraph()


def _words(text: str) -> list[str]:
    """The pieces a line may break between: at spaces, and after a dash ("budget–" "prognos")."""
    return [w for line in text.split("\n") for w in re.split(r"\s+|(?<=[–-])", line) if w]


def column_widths(table: Table, text_width: int, size: int) -> list[int]:
    """Widths (EMU) that fill ``text_width``: each figure column as wide as its longest figure or heading
    word; the label column the rest, at least MIN_LABEL_CM (its text wraps) — and when even that is too wide,
    the figure columns shrink alike."""
    from docx.shared import Cm

    char = size * CHARACTER
    margins = 2 * Cm(CELL_MARGIN_CM)
    figures = []
    for c in range(1, table.columns):
        texts = [table.header[c], *(row.cells[c] for row in table.rows)]
        figures.append(max(len(w) for text in texts for w in _words(text) or [""]) * char + margins + char)
    labels = [row.cells[0] for row in table.rows] + [table.header[0]]
    indents = [row.indent for row in table.rows] + [0]
    label_need = max(len(text) * char + indent * Cm(INDENT_CM) for text, indent in zip(labels, indents)) + margins
    room = text_width - sum(figures)
    label = max(Cm(MIN_LABEL_CM), min(label_need, room))
    if label + sum(figures) > text_width:
        scale = (text_width - label) / sum(figures)
        figures = [f * scale for f in figures]
    else:  # room to spare: the figure columns share it, and the table fills the text width
        spare = (text_width - label - sum(figures)) / max(1, len(figures))
        figures = [f + spare for f in figures]
    return [int(label)] + [int(f) for f in figures]


def find_heading_style(document, level: int):
    """The document's paragraph style for a heading of ``level``: by name ("Heading 1" — Word's built-in
    name in any language — or "Rubrik 1"), by style id ("Heading1", "Rubrik1"), or by its outline level."""
    from docx.enum.style import WD_STYLE_TYPE

    names = {f"heading {level}", f"rubrik {level}"}
    ids = {f"heading{level}", f"rubrik{level}"}
    paragraph_styles = [s for s in document.styles if s.type == WD_STYLE_TYPE.PARAGRAPH]
    for style in paragraph_styles:
        if (style.name or "").casefold() in names or (style.style_id or "").casefold() in ids:
            return style
    for style in paragraph_styles:
        found = style.element.xpath("./w:pPr/w:outlineLvl/@w:val")
        if found and found[0] == str(level - 1):
            return style
    return None


def _add_heading_style(document, level: int):
    """A heading style for a template without one: bold, kept with the next paragraph, with its outline level."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    style = document.styles.add_style(f"Heading {level}", WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = document.styles["Normal"] if "Normal" in [s.name for s in document.styles] else None
    style.font.bold = True
    style.font.size = Pt(HEADING_SIZES.get(level, 11))
    fmt = style.paragraph_format
    fmt.keep_with_next = True
    fmt.space_before = Pt(12 if level == 1 else 10)
    fmt.space_after = Pt(6)
    outline = OxmlElement("w:outlineLvl")
    outline.set(qn("w:val"), str(level - 1))
    style.element.get_or_add_pPr().append(outline)
    return style


# -- table XML python-docx has no API for ---------------------------------------------------------------------


def _child(parent, tag: str):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    found = parent.find(qn(tag))
    if found is None:
        found = OxmlElement(tag)
        parent.append(found)
    return found


def _mark_size(paragraph, size: int) -> None:
    """The paragraph mark's font size (w:pPr/w:rPr/w:sz, in half points): the height of an empty line."""
    from docx.oxml.ns import qn

    rpr = _child(paragraph._p.get_or_add_pPr(), "w:rPr")
    _child(rpr, "w:sz").set(qn("w:val"), str(int(size * 2)))


def _repeat_header(row) -> None:
    """The row repeats at the top of every page the table runs onto (w:tblHeader)."""
    _child(row._tr.get_or_add_trPr(), "w:tblHeader")


def _cant_split(row) -> None:
    _child(row._tr.get_or_add_trPr(), "w:cantSplit")


_BORDERS = {1: ("single", "6"), 2: ("double", "4")}  # rule → (w:val, w:sz in eighths of a point)


def _border(cell, edge: str, rule: int) -> None:
    from docx.oxml.ns import qn

    borders = cell._tc.get_or_add_tcPr()
    borders = _child(borders, "w:tcBorders")
    line = _child(borders, f"w:{edge}")
    val, size = _BORDERS[rule]
    line.set(qn("w:val"), val)
    line.set(qn("w:sz"), size)
    line.set(qn("w:space"), "0")
    line.set(qn("w:color"), "000000")


def _no_table_borders(table) -> None:
    """No borders from the table style: the rules are the cells' own."""
    from docx.oxml.ns import qn

    borders = _child(table._tbl.tblPr, "w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        line = _child(borders, f"w:{edge}")
        line.set(qn("w:val"), "nil")


def _cell_margins(table, width: int) -> None:
    """Left and right margins inside the cells (w:tblCellMar, in twentieths of a point)."""
    from docx.oxml.ns import qn

    margins = _child(table._tbl.tblPr, "w:tblCellMar")
    for edge in ("left", "right"):
        side = _child(margins, f"w:{edge}")
        side.set(qn("w:w"), str(int(width / 635)))
        side.set(qn("w:type"), "dxa")


def _look(table) -> None:
    """The style's header-row look only: no banded rows or columns, no first-column or last-row look."""
    from docx.oxml.ns import qn

    look = _child(table._tbl.tblPr, "w:tblLook")
    for name, value in (("w:firstRow", "1"), ("w:lastRow", "0"), ("w:firstColumn", "0"), ("w:lastColumn", "0"),
                        ("w:noHBand", "1"), ("w:noVBand", "1"), ("w:val", "0620")):
        look.set(qn(name), value)
