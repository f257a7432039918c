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
