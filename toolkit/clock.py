"""The run's date, as Prognoshistorik's Körd records it.

``today()`` is the local date, or — for reproducible output, as in a test —
the date of ``SOURCE_DATE_EPOCH`` (seconds since 1970, UTC: the
reproducible-builds convention) when that is set.  Tests in the same process
may also replace ``toolkit.clock.today``.
"""

from __future__ import annotations

import datetime as dt
import os

EPOCH_VARIABLE = "SOURCE_DATE_EPOCH"


def today() -> dt.date:
    epoch = os.environ.get(EPOCH_VARIABLE, "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date()
    return dt.date.today()
