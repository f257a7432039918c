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
import zipfile
from collections.abc import Sequence

from ..errors import InputError
from .section import Block, Heading, Paragraph, Table

TABLE_STYLES = ("Light List", "Table Grid")  # the first the document has; else its default table style
TABLE_FONT_SIZE = 9  # points: a report's table (seven to nine columns across a portrait page)
LABEL_SHARE = 0.34  # of the text width, the label column of a wide table (the rest shared by the figures)
NARROW_LABEL_SHARE = 0.40  # … of a table of few columns
INDENT_CM = 0.35  # a label's indent per level of the tree
HEADING_SIZES = {1: 16, 2: 13, 3: 11, 4: 11}  # points, for heading styles a template lacks
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
    """python-docx's template on A4 with 2.5 cm margins."""
    import docx
    from docx.shared import Cm

    document = docx.Document()
    for section in document.sections:
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
        section.left_margin = section.right_margin = Cm(2.5)
        section.top_margin = section.bottom_margin = Cm(2.5)
    return document


def _has_content(document) -> bool:
    """Does the template's body hold anything (a cover, a table of contents) the section should follow on a new page?"""
    body = document.element.body
    return any(child.tag.rsplit("}", 1)[-1] != "sectPr" and ("".join(child.itertext()).strip()
                                                               or child.tag.endswith("}tbl")
                                                               or child.xpath(".//w:drawing | .//w:pict | .//w:br"))
               for child in body)


def _as_document(template: bytes, name: str) -> bytes:
    """The template's bytes as a .docx: a .dotx (a Word template) differs only in its main part's content type.
    A file that is no readable Word document stops the run with what to do."""
    from ..ooxml.limits import Refusal, check_package

    def refuse(why: str) -> InputError:
        return InputError(f"mallen går inte att läsa som ett Word-dokument ({why}); öppna den i Word, spara den "
                          "som .docx och kör igen", file=name, slug="mall-olasbar")

    try:
        check_package(template)
        with zipfile.ZipFile(io.BytesIO(template)) as package:
            names = package.namelist()
            if "[Content_Types].xml" not in names or "word/document.xml" not in names:
                raise refuse("zip-paketet saknar ett Word-dokument")
            types = package.read("[Content_Types].xml")
    except Refusal as exc:
        raise refuse(exc.message.split(";")[0]) from None
    except zipfile.BadZipFile:
        raise refuse("inte ett zip-paket") from None
    if TEMPLATE_TYPE.encode() not in types:
        data = template
    else:
        data = _replace_member(template, "[Content_Types].xml", types.replace(TEMPLATE_TYPE.encode(),
                                                                              DOCUMENT_TYPE.encode()))
    try:
        import docx

        docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx's errors are English and varied; the economist reads one line
        why = "ett Word-dokument med makron" if b"macroEnabled" in types else f"{type(exc).__name__}"
        raise refuse(why) from None
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
        label_share = LABEL_SHARE if n > 5 else NARROW_LABEL_SHARE
        label_width = int(self.text_width * label_share)
        figure_width = int((self.text_width - label_width) / max(1, n - 1))
        widths = [label_width] + [figure_width] * (n - 1)
        for column, width in zip(table.columns, widths):
            column.width = width

        def fill(cell, text: str, *, right: bool, bold: bool = False, italic: bool = False, indent: int = 0,
                 width: int) -> None:
            cell.width = width
            paragraph = cell.paragraphs[0]
            lines = text.split("\n")
            for i, line in enumerate(lines):
                run = paragraph.add_run(line)
                run.font.size = Pt(TABLE_FONT_SIZE)
                run.bold = bold
                run.italic = italic or None
                if i < len(lines) - 1:
                    run.add_break()
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
        for row, data in zip(table.rows[1:], block.rows):
            _cant_split(row)
            for c, (cell, text) in enumerate(zip(row.cells, data.cells)):
                fill(cell, text, right=c > 0, bold=data.bold, italic=data.italic and c == 0,
                     indent=data.indent if c == 0 else 0, width=widths[c])
                if data.rule:
                    _border(cell, "top", data.rule)
        last = table.rows[-1]
        for cell in last.cells:
            _border(cell, "bottom", 1)
        # a little air after the table: an empty paragraph, as a report has
        self.document.add_paragraph()


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


def _look(table) -> None:
    """The style's header-row look only: no banded rows or columns, no first-column or last-row look."""
    from docx.oxml.ns import qn

    look = _child(table._tbl.tblPr, "w:tblLook")
    for name, value in (("w:firstRow", "1"), ("w:lastRow", "0"), ("w:firstColumn", "0"), ("w:lastColumn", "0"),
                        ("w:noHBand", "1"), ("w:noVBand", "1"), ("w:val", "0420")):
        look.set(qn(name), value)
