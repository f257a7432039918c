"""reconcile — monthly budget follow-up for Swedish public-sector units.

The Python API (``toolkit.api``)::

    import toolkit

    follow_up = toolkit.load("Halmstad.xlsx", period="2025-08")
    follow_up.to_frame()
    toolkit.refresh("Halmstad.xlsx")
    toolkit.consolidate(["Halmstad.xlsx", "Navet.xlsx"], output="Förbund.xlsx")

Importing the package is light: the readers, the engine (numpy), XlsxWriter
and pandas are imported by the functions when they are called.
"""

import sys as _sys
import types as _types

from .api import FollowUp, LeftOut, Line, TieOut, UnbudgetedItem, consolidate, load, refresh
from .errors import (
    ChangedError,
    InputError,
    LockedError,
    ReadOnlyError,
    ReconcileError,
    UsageError,
    WorkbookError,
)
from .findings import Finding

__version__ = "0.1.0"

__all__ = [
    "ChangedError", "Finding", "FollowUp", "InputError", "LeftOut", "Line", "LockedError", "ReadOnlyError",
    "ReconcileError", "TieOut", "UnbudgetedItem", "UsageError", "WorkbookError", "consolidate", "load", "refresh",
]


class _Package(_types.ModuleType):
    """``toolkit.consolidate`` is the API's function, although a module of that
    name exists (``toolkit/consolidate.py``, the command's orchestration):
    importing that module would otherwise replace the function on the
    package.  The module stays importable by name (``from toolkit.consolidate
    import Consolidate``, ``sys.modules["toolkit.consolidate"]``)."""

    def __setattr__(self, name: str, value: object) -> None:
        if name in __all__ and isinstance(value, _types.ModuleType):
            return
        super().__setattr__(name, value)


_sys.modules[__name__].__class__ = _Package
