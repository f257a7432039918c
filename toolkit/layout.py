"""The Sammanställning's layout: where its title, headings, lines and the
economist's own columns stand.  The sheet is written by ``render.summary``
and read back before every refresh by ``read.notes`` (to carry what the
economist typed), so both take the layout from here — renaming a heading or
moving a row is one change, and the read-back follows it.

    row 0   the title                       (ours)
    row 1   "Belopp i tkr" (and warnings)   (ours)
    row 3   Rad | Budget … | Kommentar | the economist's own columns, headed
    row 4…  one row per line; a heading, its lines, "Summa <heading>"; then
            "Ej budgeterat", "Totalt" (and a consolidation's "Resultat")
    +2      the report's opening sentence   (ours)
    +4      "Text vars rad inte finns längre …", then one row per kept note
            with its label path in column A
"""

from __future__ import annotations

from .contract import PATH_SEPARATOR, SUMMARY_COMMENT_HEADING, SUMMARY_FIRST_HEADING, SUMMARY_SHEET

RowKey = tuple[str, ...]  # a row's label path: ("Verksamhet", "Summa Personal")

SHEET = SUMMARY_SHEET
TITLE_ROW = 0
NOTE_ROW = 1  # "Belopp i tkr", and a word when the run has warnings
HEADER_ROW = 3  # the headings: FIRST_HEADING … COMMENT_HEADING, then the economist's own
FIRST_HEADING = SUMMARY_FIRST_HEADING
COMMENT_HEADING = SUMMARY_COMMENT_HEADING
HEADLINE_GAP = 2  # the opening sentence stands this many rows below the table's last row
KEPT_GAP = 4  # the notes whose line is gone stand this many rows below it, under KEPT_HEADING
HEADING_SEARCH_ROWS = 30  # the heading row is looked for in the first rows when reading back (rows inserted above)

SUMMA = "Summa "
UNBUDGETED_LABEL = "Ej budgeterat"
UNBUDGETED_KEY: RowKey = (UNBUDGETED_LABEL,)
UNBUDGETED_COMMENT = "Se bladet Avstämning"  # the toolkit's own Kommentar on the Ej budgeterat row
TOTAL_KEY: RowKey = ("Totalt",)
RESULT_KEY: RowKey = ("Resultat",)  # below Totalt on a consolidation's Sammanställning
KEPT_HEADING = "Text vars rad inte finns längre (flytta eller ta bort den)"
OUTSIDE = "Utanför tabellen ({})"  # the key of text that stood outside the table: "Utanför tabellen (A40)"

__all__ = ["PATH_SEPARATOR"]


def sum_label(label: str) -> str:
    return SUMMA + label


def sum_key(line) -> RowKey:
    """The key of a heading's Summa row (``line``: an ``engine.results.Line``):
    ("Verksamhet", "Summa Personal")."""
    return (*line.label_path[:-1], sum_label(line.label))


def summary_keys(roots, has_unbudgeted: bool, has_result: bool = False) -> list[RowKey]:
    """The keys of the sheet's rows (``roots``: ``engine.results.Line``s), in the order it shows them."""
    keys: list[RowKey] = []

    def walk(line) -> None:
        keys.append(line.label_path)
        if line.children:
            for child in line.children:
                walk(child)
            keys.append(sum_key(line))

    for root in roots:
        walk(root)
    if has_unbudgeted:
        keys.append(UNBUDGETED_KEY)
    keys.append(TOTAL_KEY)
    if has_result:
        keys.append(RESULT_KEY)
    return keys


def keys_from_labels(labels: list[str]) -> list[RowKey]:
    """Label paths for the rows of a Sammanställning, from column A's texts alone.

    A label opens a group when its ``Summa <label>`` row follows before the
    enclosing group closes; ``Summa X`` closes group X."""
    keys: list[RowKey] = []
    stack: list[str] = []
    for i, label in enumerate(labels):
        if stack and label == sum_label(stack[-1]):
            keys.append((*stack[:-1], label))
            stack.pop()
            continue
        keys.append((*stack, label))
        closing = sum_label(stack[-1]) if stack else None
        for later in labels[i + 1:]:
            if later == closing:
                break
            if later == sum_label(label):
                stack.append(label)
                break
    return keys


def outside_key(ref: str) -> RowKey:
    return (OUTSIDE.format(ref),)


def is_outside(key: RowKey) -> bool:
    return len(key) == 1 and key[0].startswith(OUTSIDE.split("{")[0]) and key[0].endswith(")")
