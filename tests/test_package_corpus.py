"""write_sheets over the shared corpus of real-world .xlsx/.xlsm packages."""

from __future__ import annotations

import functools
import shutil
import subprocess
import warnings
from pathlib import Path

import pytest
from package_helpers import (
    CORPUS_XLSX,
    SHEETS,
    check_graft,
    expected_values,
    make_rendered,
    manifest_features,
    read_calamine,
    read_openpyxl,
    same_values,
    sheet_names,
)

from toolkit.errors import WorkbookError
from toolkit.package import toolkit_sheet_names, write_sheets
from toolkit.package.merge import graft

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not CORPUS_XLSX.is_dir(), reason="corpus folder ../shared/corpus/xlsx missing"),
]

FILES = sorted(p.name for p in CORPUS_XLSX.iterdir()) if CORPUS_XLSX.is_dir() else []
RENDERED = make_rendered(("Sammanställning", "Avstämning"))


def _quiet(reader, *args):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return reader(*args)


@functools.cache
def outcome(name: str) -> tuple[str, str]:
    """('extended' | 'refused' | 'unreadable' | 'failed', detail) for one corpus file.

    A reader that cannot open the grafted file must not be able to open the
    original either; a file that neither reader can open is 'unreadable'."""
    data = (CORPUS_XLSX / name).read_bytes()
    try:
        out, names = graft(data, RENDERED, name)
    except WorkbookError as exc:
        return "refused", str(exc)
    except Exception as exc:  # noqa: BLE001 - reported as a failure of ours
        return "failed", f"{type(exc).__name__}: {exc}"
    unreadable = {}
    try:
        assert names == ["Sammanställning", "Avstämning"]
        check_graft(data, out, names)
        for lib, reader in (("openpyxl", read_openpyxl), ("calamine", read_calamine)):
            try:
                found = _quiet(reader, out, names)
            except Exception as exc:  # noqa: BLE001 - any failure of the third-party reader
                try:
                    _quiet(reader, data, sheet_names(data)[:1])
                except Exception as original:  # noqa: BLE001
                    unreadable[lib] = f"{type(original).__name__}: {original}"[:160]
                    continue
                raise AssertionError(f"{lib} opens the original but not the result: {exc!r}") from exc
            for sheet in names:
                assert same_values(found[sheet], expected_values(sheet)), f"{lib} read {sheet}: {found[sheet]}"
        again, _ = graft(out, RENDERED, name)
        assert again == out, "second run is not byte-identical"
    except Exception as exc:  # noqa: BLE001
        return "failed", f"{type(exc).__name__}: {exc}"[:400]
    if len(unreadable) == 2:
        return "unreadable", "; ".join(f"{k}: {v}" for k, v in unreadable.items())
    return "extended", ""


@pytest.mark.parametrize("name", FILES)
def test_corpus_file(name):
    status, detail = outcome(name)
    if status == "failed":
        pytest.fail(detail)
    if status == "refused":
        assert "struktur är skyddad" in detail, detail
        pytest.skip(f"refused: {detail}")
    if status == "unreadable":
        pytest.skip(f"original unreadable by openpyxl and calamine ({detail})")


def test_corpus_summary(capsys):
    results = {name: outcome(name) for name in FILES}
    counts = {status: 0 for status in ("extended", "refused", "unreadable", "failed")}
    for status, _ in results.values():
        counts[status] += 1
    lines = [f"corpus: {len(FILES)} files: " + ", ".join(f"{k} {v}" for k, v in counts.items())]
    lines += [f"  {status}: {name}: {detail}" for name, (status, detail) in results.items() if status != "extended"]
    with capsys.disabled():
        print("\n" + "\n".join(lines))
    features = manifest_features()
    extended_with = {"chart": 0, "image": 0, "vba": 0}
    for name, feats in features.items():
        if name not in results or not feats & set(extended_with):
            continue
        status, detail = results[name]
        locked = status == "refused" and "struktur är skyddad" in detail
        assert status == "extended" or locked, f"{name} ({', '.join(sorted(feats))}): {results[name]}"
        for feat in feats & set(extended_with):
            extended_with[feat] += status == "extended"
    assert all(extended_with.values()), extended_with
    assert counts.get("failed", 0) == 0
    assert counts.get("extended", 0) >= len(FILES) - 4


def _corpus_file(feature: str) -> Path:
    for name, feats in sorted(manifest_features().items()):
        if feature in feats and outcome(name)[0] == "extended":
            return CORPUS_XLSX / name
    pytest.skip(f"no extended corpus file with {feature}")


def test_corpus_write_sheets_file_roundtrip(tmp_path):
    source = _corpus_file("vba")
    path = tmp_path / source.name
    shutil.copy(source, path)
    assert write_sheets(path, make_rendered()) == list(SHEETS)
    assert path.suffix == ".xlsm"
    assert toolkit_sheet_names(path) == list(SHEETS)
    first = path.read_bytes()
    write_sheets(path, make_rendered())
    assert path.read_bytes() == first
    assert sorted(p.name for p in tmp_path.iterdir()) == [source.name]


def _soffice_profile(tmp_path: Path) -> str:
    profile = tmp_path / "profile"
    registry = profile / "user" / "registrymodifications.xcu"
    registry.parent.mkdir(parents=True)
    registry.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
        'xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        '<item oor:path="/org.openoffice.Office.Calc/Formula/Load">'
        '<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>'
        "</oor:items>\n", encoding="utf-8")
    return profile.as_uri()


def _soffice(tmp_path: Path, *args: str) -> None:
    subprocess.run(["soffice", f"-env:UserInstallation={_soffice_profile(tmp_path)}", "--headless", *args],
                   check=True, capture_output=True, timeout=180)


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="soffice not installed")
def test_libreoffice_reads_grafted_sheet(tmp_path):
    source = _corpus_file("chart")
    path = tmp_path / ("grafted" + source.suffix)
    write_sheets(source, make_rendered(), path)
    out = tmp_path / "csv"
    _soffice(tmp_path, "--convert-to",
             "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
             "--outdir", str(out), str(path))
    texts = {p.name: p.read_text(encoding="utf-8") for p in out.glob("*.csv")}
    summary = [text for name, text in texts.items() if "Sammanst" in name]
    assert summary, sorted(texts)
    assert "Halmstad" in summary[0] and "Kungsbacka" in summary[0] and "Summa" in summary[0]
    assert "2000" in summary[0].replace("\u00a0", "").replace(" ", "")


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="soffice not installed")
def test_marker_survives_libreoffice_save(tmp_path):
    source = _corpus_file("image")
    path = tmp_path / "grafted.xlsx"
    write_sheets(source, make_rendered(), path)
    out = tmp_path / "saved"
    _soffice(tmp_path, "--convert-to", "xlsx", "--outdir", str(out), str(path))
    saved = out / "grafted.xlsx"
    assert toolkit_sheet_names(saved) == list(SHEETS)
    write_sheets(saved, make_rendered())  # replaces in place, no "already exists" error
    assert toolkit_sheet_names(saved) == list(SHEETS)
