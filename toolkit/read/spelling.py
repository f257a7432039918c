"""Near misses: a header or setting name typed one or two letters away from
a known one (``Överordnat`` for ``Överordnad``, ``Perod`` for ``Period``).

A misspelled name is not ignored quietly: the column or setting it meant
would silently not apply. Names are compared normalised (case-folded,
spaces collapsed) by edit distance, a swap of two neighbouring letters
counting as one edit. One edit is a near miss for a name of 3 letters or
more, two edits for a name of 7 letters or more; a known name followed by a
space and more (``Kommentar 2``, ``Konto text``) is a name of its own.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..contract import normalise_header


def distance(a: str, b: str) -> int:
    """Edits (insert, delete, replace, swap two neighbours) that turn a into b."""
    if a == b:
        return 0
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


def _close(text: str, name: str) -> int | None:
    """The distance from ``text`` to the known ``name`` when it is a near miss."""
    if text == name:
        return None
    if abs(len(text) - len(name)) > 2:
        return None
    d = distance(text, name)
    if d == 1 and len(name) >= 3 or d == 2 and len(name) >= 7:
        return d
    return None


def near_miss(text: object, known: Iterable[str]) -> str | None:
    """The known name (as given) that ``text`` is a near miss of, the closest
    first (then the first given); None when it is no near miss of any."""
    norm = normalise_header(text)
    known = list(known)
    if any(norm.startswith(normalise_header(name) + " ") for name in known):
        return None
    best: tuple[int, str] | None = None
    for name in known:
        d = _close(norm, normalise_header(name))
        if d is not None and (best is None or d < best[0]):
            best = (d, name)
    return best[1] if best else None


def shown(name: str) -> str:
    """A known name as the message shows it: 'överordnad' → 'Överordnad'."""
    return name[:1].upper() + name[1:]
