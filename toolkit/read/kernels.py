"""The few pyarrow compute kernels the ledger readers use, called through
``pyarrow._compute``.

Importing ``pyarrow.compute`` builds a Python wrapper for each of its ~300
functions (70 ms, a tenth of a small run that reads a CSV export); the kernels
themselves are the same either way.  Methods such as ``Array.take`` and
``Array.cast`` import ``pyarrow.compute``, so they are called here instead.
"""

from __future__ import annotations

import pyarrow as pa

try:
    from pyarrow import _compute as _kernels
except ImportError:  # pragma: no cover - a pyarrow that has moved it: the public module has the same names
    import pyarrow.compute as _kernels


def _call(name: str, *args, options=None):
    return _kernels.call_function(name, list(args), options)


def replace(values, pattern: str, replacement: str):
    """Every occurrence of ``pattern`` (plain text) replaced."""
    return _call("replace_substring", values, options=_kernels.ReplaceSubstringOptions(pattern, replacement))


def replace_regex(values, pattern: str, replacement: str):
    """Every match of the regular expression ``pattern`` replaced."""
    return _call("replace_substring_regex", values, options=_kernels.ReplaceSubstringOptions(pattern, replacement))


def matches(values, pattern: str):
    """Whether each value matches the regular expression ``pattern``."""
    return _call("match_substring_regex", values, options=_kernels.MatchSubstringOptions(pattern))


def starts_with(values, prefix: str):
    return _call("starts_with", values, options=_kernels.MatchSubstringOptions(prefix))


def ends_with(values, suffix: str):
    return _call("ends_with", values, options=_kernels.MatchSubstringOptions(suffix))


def either(left, right):
    """Logical or, element by element."""
    return _call("or", left, right)


def cast(values, target: pa.DataType):
    """A safe cast: ``pa.ArrowInvalid`` for a value that does not fit."""
    return _call("cast", values, options=_kernels.CastOptions.safe(target))


def take(values, indices):
    """The values at ``indices`` (an integer array)."""
    return _call("take", values, indices)


def dictionary_encode(values):
    return _call("dictionary_encode", values)


def longest(values) -> int:
    """The longest value of a text or binary array (bytes); 0 when it has none."""
    return _call("max", _call("binary_length", values)).as_py() or 0


def longest_text(values) -> int:
    """The longest value, in characters, once white space around it is trimmed; 0 when it has none."""
    return _call("max", _call("utf8_length", _call("utf8_trim_whitespace", values))).as_py() or 0
