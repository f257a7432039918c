"""bench/forms_xlsx_sie.py: the ledger of the benchmark written as inline strings (XlsxWriter's
constant_memory mode), as an SIE 4 export and as a CSV export gives the figures of the shared-string
workbook — so the forms it times read the same rows."""

from __future__ import annotations

import importlib.util
import json
import sys
import zipfile
from pathlib import Path

from click.testing import CliRunner

from toolkit.cli import main

ROOT = Path(__file__).resolve().parents[1]


def forms():
    spec = importlib.util.spec_from_file_location("forms_xlsx_sie", ROOT / "bench" / "forms_xlsx_sie.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)
    finally:
        sys.modules.pop(spec.name, None)
    return module


def figures(*args: str) -> dict:
    result = CliRunner().invoke(main, [*args, "--check", "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    return {"totals": out["totals_kr"], "tieout": out["tieout_kr"]}


def test_every_form_reads_the_rows_of_the_shared_string_workbook(tmp_path):
    module = forms()
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import generate

        shared = tmp_path / "shared.xlsx"
        generate.write(shared, 300)
        paths = {kind: module.ensure(kind, 300, tmp_path) for kind in ("inline.xlsx", "sie.se", "frame.xlsx")}
    finally:
        sys.path.remove(str(ROOT / "bench"))
    with zipfile.ZipFile(paths["inline.xlsx"]) as z:
        assert "xl/sharedStrings.xml" not in z.namelist()
        assert b't="inlineStr"' in z.read("xl/worksheets/sheet3.xml")
    expected = figures(str(shared))
    assert expected["tieout"]["rows_read"] == 300
    assert figures(str(paths["inline.xlsx"])) == expected
    from_sie = figures(str(paths["frame.xlsx"]), "--utfall", str(paths["sie.se"]))
    assert from_sie["totals"] == expected["totals"]
