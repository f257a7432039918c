"""The section Ekonomi as plain text, for report systems whose fields take
text only (``reconcile report … --text``).

The same blocks as the Word document (``render.section``): a heading on a
line of its own, a paragraph as one line, a blank line between blocks. A
table is one line per row with a tab between its cells — pasted into a
report system's table, into Word or into Excel each cell lands in its own
column, and in a text field tab stops line the columns up, where spaces
would only line up in a fixed-width font. A heading's line break is a
space; a label is indented two spaces per level of the tree; an empty row
between a report's parts stays an empty line. Numbers keep their no-break
space between thousands ("1 240"), so a figure never breaks across lines.
"""

from __future__ import annotations

from collections.abc import Sequence

from .section import Block, Heading, Paragraph, Table

INDENT = "  "


def plain_text(blocks: Sequence[Block]) -> str:
    parts: list[str] = []
    for block in blocks:
        if isinstance(block, Heading):
            parts.append(f"{block.number} {block.text}" if block.number else block.text)
        elif isinstance(block, Paragraph):
            parts.append(block.text)
        elif isinstance(block, Table):
            parts.append(table_text(block))
    return "\n\n".join(parts) + "\n"


def table_text(table: Table) -> str:
    lines = ["\t".join(" ".join(cell.split("\n")) for cell in table.header)]
    for row in table.rows:
        if row.gap:
            lines.append("")
            continue
        label, *figures = row.cells
        lines.append("\t".join([INDENT * row.indent + label, *figures]))
    return "\n".join(lines)
