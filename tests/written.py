"""What a run writes, as the tests expect it on the summary line: the number of
sheets follows the contract's list of written sheets."""

from __future__ import annotations

from toolkit.contract import CONSOLIDATION_SHEETS, UNIT_SHEETS

#: a unit's sheets, in the order written, and the summary line's count of them
SHEETS = UNIT_SHEETS
WRITTEN = f"{len(UNIT_SHEETS)} blad skrivna"
#: a consolidation's
CONSOLIDATION_WRITTEN = f"{len(CONSOLIDATION_SHEETS)} blad skrivna"
