"""What a second spreadsheet program sees: LibreOffice headless, recalculating
every formula on load, exports each sheet to CSV (raw values, full precision)."""

from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path

_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse">
<value>0</value></prop></item>
</oor:items>
"""
# separator, quote, UTF-8, first line, -, language, quote text, detect numbers, as shown=false, ..., all sheets
_FILTER = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"


def available() -> bool:
    return shutil.which("soffice") is not None


def sheets_as_csv(workbook: Path, workdir: Path) -> dict[str, list[list[str]]]:
    """Sheet name → rows of text, after LibreOffice recalculated the workbook."""
    profile = workdir / "lo-profile"
    (profile / "user").mkdir(parents=True, exist_ok=True)
    (profile / "user" / "registrymodifications.xcu").write_text(_PROFILE, encoding="utf-8")
    out = workdir / "lo-out"
    out.mkdir(exist_ok=True)
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", _FILTER,
         "--outdir", str(out), str(workbook)],
        check=True, capture_output=True, timeout=180,
    )
    result = {}
    for path in out.glob(f"{workbook.stem}-*.csv"):
        sheet = path.stem[len(workbook.stem) + 1:]
        with path.open(encoding="utf-8", newline="") as fh:
            result[sheet] = list(csv.reader(fh))
    return result
