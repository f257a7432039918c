"""Cell references as the user sees them: 0 → 'A', (row, col) → 'XFD1048576'.
Shared by every layer (a reader names a cell, a writer writes one)."""

from __future__ import annotations


def column_letter(col: int) -> str:
    """0 → 'A', 26 → 'AA'."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters
