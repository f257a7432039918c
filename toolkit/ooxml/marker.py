"""How a sheet says "created by reconcile".

The marker is a hidden, sheet-scoped defined name with a constant value::

    <definedName name="_reconcile" localSheetId="3" hidden="1">"reconcile"</definedName>

Why a defined name: Excel drops unknown XML attributes and elements when it
saves, but keeps defined names, including hidden ones, and renumbers their
``localSheetId`` when sheets are moved, so the marker follows its sheet.
LibreOffice keeps sheet-scoped names as well.  A user who copies the sheet
in Excel copies its local names too; the copy then also counts as ours,
which is harmless (it would be replaced only if it had one of our names).

A sheet is ours when a defined name ``_reconcile`` (compared without case)
is scoped to its position.  When we replace a sheet, its old marker and its
old built-in names (``_xlnm.Print_Titles``, ``_xlnm.Print_Area``,
``_xlnm._FilterDatabase`` ...) are removed and written anew; the user's own
names, even those scoped to the sheet, are kept.
"""

from __future__ import annotations

NAME = "_reconcile"
VALUE = '"reconcile"'
BUILTIN_PREFIX = "_xlnm."


def is_marker(name: str) -> bool:
    return name.lower() == NAME


def is_ours_on_our_sheet(name: str) -> bool:
    """Names on a sheet of ours that we own and rewrite each run."""
    return is_marker(name) or name.lower().startswith(BUILTIN_PREFIX.lower())
