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
- Tables: report style — no vertical lines, rules above and under the
  headings, a rule above each Summa row and a double one above Totalt, bold
  Summa rows, figures right-aligned, the header row repeated on every page, no
  row split across pages, a short table kept on one page; the rules are set on
  the cells, so they hold whatever the table style (``TABLE_STYLES``, the first
  the document has) does.
- One font size for every table of the section: the largest of
  ``TABLE_FONT_SIZES`` at which the figures and the headings' words fit the
  text width beside a label column of LABEL_CM, measured in the document's
  own font (``FONT_WIDTHS``); the label column takes what is left and wraps.
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
from .section import Block, Chart, Heading, Paragraph, Table

TABLE_STYLES = ("Light Shading", "Table Grid")  # the first the document has; else its default table style
TABLE_FONT_SIZES = (9, 8.5, 8, 7.5, 7)  # points: the largest at which every table's figures fit the text width
#: a font's characters against Arial's (below): the fonts reports are set in; a font not listed is taken as Arial
FONT_WIDTHS = {"calibri": 0.9, "carlito": 0.9, "arial": 1.0, "helvetica": 1.0, "liberation sans": 1.0,
               "arimo": 1.0, "times new roman": 0.9, "liberation serif": 0.9, "cambria": 0.95, "caladea": 0.95,
               "georgia": 1.02, "garamond": 0.85, "verdana": 1.15, "tahoma": 1.0, "segoe ui": 0.98,
               "century gothic": 1.1, "trebuchet ms": 0.98}
#: Arial's widths in ems: by character, else by kind
CHARACTER_WIDTHS = {**dict.fromkeys("ijl", 0.222), **dict.fromkeys("ft ", 0.278), "\u00a0": 0.278,
                    **dict.fromkeys("r()-", 0.333), **dict.fromkeys("mM%", 0.86), "w": 0.722, "W": 0.944}
DIGIT, UPPER, LOWER = 0.556, 0.667, 0.556
BOLD = 1.08  # a bold text's width against a regular one's
CELL_MARGIN_CM = 0.1  # left and right inside a cell
SLACK_CM = 0.05  # and a little more, for a font a little wider than measured
KEEP_TOGETHER = 15  # a table of at most this many rows is kept on one page (with its heading)
MIN_LABEL_CM = 3.5  # the label column is never narrower (its text wraps)
LABEL_CM = 4.5  # … and a smaller font is taken before it is narrower than this (or than its longest label)
INDENT_CM = 0.3  # a label's indent per level of the tree
HEADING_SIZES = {1: 16, 2: 13, 3: 11, 4: 11}  # points: a new document's headings, and those a template lacks
FONT = "Calibri"  # a new document's
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
DOCUMENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
TEMPLATE_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"


def docx_bytes(blocks: Sequence[Block], *, title: str, moment: dt.datetime, template: bytes | None = None,
               template_name: str = "", warnings: Sequence[str] = ()) -> bytes:
    """The document: ``blocks`` appended to ``template`` (the bytes of a .docx
    or .dotx; None: a new A4 document). ``moment`` is written as the document's
    creation and modification time, ``title`` as its title. ``warnings``: the
    run's warnings, as a comment on the section's first heading — seen by
    whoever edits the document, never in its text or on paper."""
    import docx

    document = docx.Document(io.BytesIO(_as_document(template, template_name))) if template is not None \
        else _new_document()
    writer = _Writer(document, new_page=template is not None and _has_content(document))
    writer.write(blocks)
    if warnings and writer.first is not None:
        _warnings_comment(document, writer.first, warnings, moment)
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
    except Exception:  # python-docx's errors are English and varied; the economist reads one line
        raise refuse("innehållet går inte att tolka") from None
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


def _warnings_comment(document, heading, warnings: Sequence[str], moment: dt.datetime) -> None:
    """A Word comment on ``heading`` saying that the figures may be wrong, and why."""
    from docx.oxml.ns import qn

    from ..findings import count_text

    comment = document.add_comment(heading.runs, text=f"Obs: avstämningen gav {count_text(len(warnings))}; "
                                   "siffrorna kan vara fel. "
                                   "Kontrollera innan rapporten lämnas:", author="reconcile", initials="R")
    for message in warnings:
        comment.add_paragraph(f"• {message}")
    comment._comment_elm.set(qn("w:date"), moment.strftime("%Y-%m-%dT%H:%M:%SZ"))  # the document's own time


class _Writer:
    def __init__(self, document, new_page: bool):
        self.document = document
        self.new_page = new_page
        self.headings: dict[int, object] = {}
        self.first = None  # the section's first heading (a paragraph)
        section = document.sections[-1]
        self.text_width = section.page_width - section.left_margin - section.right_margin
        self.factor = font_factor(document)
        self.size = TABLE_FONT_SIZES[0]

    def write(self, blocks: Sequence[Block]) -> None:
        tables = [block for block in blocks if isinstance(block, Table)]
        self.size = table_font_size(tables, self.text_width, self.factor)  # one size for every table
        for block in blocks:
            if isinstance(block, Heading):
                self.heading(block)
            elif isinstance(block, Paragraph):
                self.paragraph(block)
            elif isinstance(block, Table):
                self.table(block)
            elif isinstance(block, Chart):
                self.chart(block)

    # -- headings and text --------------------------------------------------------------------------------------

    def heading(self, block: Heading) -> None:
        paragraph = self.document.add_paragraph(style=self.heading_style(block.level))
        paragraph.add_run(f"{block.number} {block.text}" if block.number else block.text)
        if self.first is None:
            self.first = paragraph
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

    # -- the chart ----------------------------------------------------------------------------------------------

    def chart(self, block: Chart) -> None:
        """The picture at the width it was drawn for (narrower when the page is), kept with its caption; the
        caption is also the picture's description for a screen reader."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Cm, Pt

        from .chart_picture import WIDTH_CM, chart_png

        width = min(Cm(WIDTH_CM), self.text_width)
        paragraph = self.document.add_paragraph()
        paragraph.paragraph_format.keep_with_next = True
        paragraph.paragraph_format.space_before = Pt(6)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        shape = paragraph.add_run().add_picture(io.BytesIO(chart_png(block.area, block.unit, block.year)),
                                                width=width)
        shape._inline.docPr.set("descr", block.caption)
        shape._inline.docPr.set("name", "Diagram")
        caption = self.document.add_paragraph()
        caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = caption.add_run(block.caption)
        run.italic = True
        run.font.size = Pt(9)

    # -- tables -------------------------------------------------------------------------------------------------

    def table(self, block: Table) -> None:
        from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Cm, Pt

        n = block.columns
        size = self.size
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
        widths = column_widths(block, self.text_width, Pt(size), self.factor)
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
            _border(cell, "top", 1)
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


LONG_WORD = 10  # a word longer than this may break after a dash ("budget–" "prognos"), a shorter one not ("jan–aug")


def _words(text: str) -> list[str]:
    """The pieces a heading may break into where a column is narrow: its lines, at spaces (not before a
    "%": "Utfall %" stays whole), and a long word after a dash."""
    pieces: list[str] = []
    for line in text.split("\n"):
        words: list[str] = []
        for word in line.split():
            if words and word == "%":
                words[-1] += " %"
            else:
                words.append(word)
        for word in words:
            pieces += [w for w in re.split(r"(?<=[–-])", word) if w] if len(word) > LONG_WORD else [word]
    return pieces


def measure(text: str, size: int, factor: float) -> float:
    """The width (EMU) of ``text`` in bold at ``size`` (EMU) in a font ``factor`` times as wide as Arial."""
    ems = sum(CHARACTER_WIDTHS.get(ch, DIGIT if ch.isdigit() else UPPER if ch.isupper() else LOWER) for ch in text)
    return ems * size * factor * BOLD


def _figure_needs(table: Table, size: int, factor: float, split: bool) -> list[float]:
    """Each figure column's width (EMU) for its longest figure or heading line — or, ``split``, the longest
    word of a heading line (it then breaks at spaces and after dashes) — with the cell's margins."""
    from docx.shared import Cm

    slack = 2 * Cm(CELL_MARGIN_CM) + Cm(SLACK_CM)
    needs = []
    for c in range(1, table.columns):
        texts = [table.header[c], *(row.cells[c] for row in table.rows)]
        pieces = [w for text in texts for w in (_words(text) if split else text.split("\n"))]
        needs.append(max((measure(w, size, factor) for w in pieces), default=0) + slack)
    return needs


def table_font_size(tables: Sequence[Table], text_width: int, factor: float) -> float:
    """The table font, one for the whole section: the largest of TABLE_FONT_SIZES at which every table's
    figure columns, their headings broken where they may (``_words``), leave the label column LABEL_CM (or
    all it needs); else the largest at which they leave MIN_LABEL_CM; else the smallest."""
    from docx.shared import Cm, Pt

    for least in (Cm(LABEL_CM), Cm(MIN_LABEL_CM)):
        for size in TABLE_FONT_SIZES:
            if all(sum(_figure_needs(table, Pt(size), factor, True))
                   + min(least, _label_need(table, Pt(size), factor)) <= text_width for table in tables):
                return size
    return TABLE_FONT_SIZES[-1]


def _label_need(table: Table, size: int, factor: float) -> float:
    """The label column's width (EMU) for its longest label, indent and margins included."""
    from docx.shared import Cm

    labels = [row.cells[0] for row in table.rows] + [table.header[0]]
    indents = [row.indent for row in table.rows] + [0]
    need = max(measure(text, size, factor) + indent * Cm(INDENT_CM) for text, indent in zip(labels, indents))
    return need + 2 * Cm(CELL_MARGIN_CM) + Cm(SLACK_CM)


def column_widths(table: Table, text_width: int, size: int, factor: float) -> list[int]:
    """Widths (EMU) that fill ``text_width``. Each figure column at least as wide as its longest figure and
    heading word; then, as far as the width goes, as wide as its heading's lines as the sheet breaks them (the
    columns that need least first, so that most headings keep their lines); then the label column up to its
    longest label (at least MIN_LABEL_CM: it wraps); what is left is shared by the figure columns. When even
    the narrowest figure columns leave too little, they shrink alike."""
    from docx.shared import Cm

    least = _figure_needs(table, size, factor, True)
    full = _figure_needs(table, size, factor, False)
    label_need = _label_need(table, size, factor)
    label = Cm(MIN_LABEL_CM)
    spare = text_width - label - sum(least)
    if spare < 0:
        scale = (text_width - label) / sum(least)
        return [int(label)] + [int(w * scale) for w in least]
    widths = list(least)
    for c in sorted(range(len(widths)), key=lambda c: (full[c] - least[c], c)):
        grow = min(spare, full[c] - least[c])
        if grow < full[c] - least[c]:
            break  # the next heading would still break: the width goes to the label instead
        widths[c] += grow
        spare -= grow
    grow = min(spare, max(0, label_need - label))
    label += grow
    spare -= grow
    widths = [w + spare / len(widths) for w in widths] if widths else widths
    return [int(label)] + [int(w) for w in widths]


def font_factor(document) -> float:
    """How wide the document's body font is against Arial (FONT_WIDTHS): Normal's font, else the document
    default's, else the theme's minor font."""
    from docx.oxml.ns import qn

    name = document.styles["Normal"].font.name if _has_style(document, "Normal") else None
    if not name:
        defaults = document.styles.element.xpath("./w:docDefaults/w:rPrDefault/w:rPr/w:rFonts")
        if defaults:
            name = defaults[0].get(qn("w:ascii"))
    if not name:
        name = _theme_minor_font(document)
    return FONT_WIDTHS.get((name or "").strip().casefold(), 1.0)


def _theme_minor_font(document) -> str | None:
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    try:
        theme = document.part.part_related_by(RT.THEME)
    except KeyError:
        return None
    from lxml import etree

    try:
        root = etree.fromstring(theme.blob, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        return None
    found = root.xpath("//a:minorFont/a:latin/@typeface",
                       namespaces={"a": "http://schemas.openxmlformats.org/drawingml/2006/main"})
    return found[0] if found else None


def _has_style(document, name: str) -> bool:
    return any(style.name == name for style in document.styles)


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
    style.base_style = document.styles["Normal"] if _has_style(document, "Normal") else None
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
