"""A folder of workbooks whose Utfallsfil names one regional export: the export
is read once (toolkit.shared_exports, toolkit.read.shared), and every
workbook's figures, messages and written bytes are those of running it alone."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from workbook_factory import KEYS, SETTINGS, write_workbook

from toolkit import folder
from toolkit.cli import main
from toolkit.read import exports, ledger, shared
from toolkit.read.workbook import Source
from toolkit.shared_exports import read_shared

UNITS = {"Falkenberg": "100", "Halmstad": "200", "Hylte": "300", "Laholm": "400"}

EXPORT = [
    ["Period", "Konto", "Ansvar", "Text", "Belopp"],
    *[[f"2025{m:02d}", konto, ansvar, "rad", f"{(m * 1000 + int(ansvar) + i * 17) * (1 if konto != '3010' else -1)},{i:02d}"]
      for ansvar in ["100", "200", "300", "400", "500"]
      for m in range(1, 9)
      for i, konto in enumerate(["5011", "4010", "3010", "6110"])],
]


def export_text(rows: list[list[str]]) -> str:
    return "".join(";".join(row) + "\r\n" for row in rows)


def unit_budget(ansvar: str) -> list[list[object]]:
    return [
        ["Rad", "Överordnad", "Typ", "Budget", "Konto", "Ansvar", "Periodisering"],
        ["Arvoden", None, None, 60000, "5011", ansvar, None],
        ["Utveckling", None, None, 240000, "4*", ansvar, "Höst"],
        ["Avgifter", None, "Intäkt", 120000, "3010", ansvar, None],
    ]


def regional_folder(base: Path, export: str | None = None, year: dict[str, int] | None = None) -> Path:
    """Four units' workbooks in base/fm, each with Utfallsfil = region.csv, beside the region's one export."""
    fm = base / "fm"
    fm.mkdir(parents=True)
    (fm / "region.csv").write_bytes((export or export_text(EXPORT)).encode("cp1252"))
    for name, ansvar in UNITS.items():
        settings = [row if row[0] != "År" else ["År", (year or {}).get(name, 2025)] for row in SETTINGS]
        write_workbook(fm / f"{name}.xlsx", {"Inställningar": [*settings, ["Utfallsfil", "region.csv"]],
                                             "Budget": unit_budget(ansvar), "Periodisering": KEYS})
    return fm


@pytest.fixture
def reads(tmp_path, monkeypatch):
    """Every parse of a ledger, counted in a file (so the forked workers' count too)."""
    log = tmp_path / "reads.log"
    real = ledger.read_ledger_columns

    def counted(part, *args, **kwargs):
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(f"{part.file}\n")
        return real(part, *args, **kwargs)

    monkeypatch.setattr(ledger, "read_ledger_columns", counted)

    def count() -> list[str]:
        found = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
        log.unlink(missing_ok=True)
        return found

    return count


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def alone(base: Path, monkeypatch, *args: str) -> dict[str, tuple[int, str, str]]:
    """Each workbook of base/fm run on its own: (exit code, stdout, stderr) by name."""
    monkeypatch.chdir(base)
    return {name: (r.exit_code, r.stdout, r.stderr) for name in UNITS
            for r in [run(Path("fm") / f"{name}.xlsx", *args)]}


@pytest.mark.parametrize("jobs", ["2", "1"])
def test_a_shared_export_is_read_once_and_gives_what_each_workbook_alone_gives(tmp_path, monkeypatch, reads, jobs):
    regional_folder(tmp_path / "alone")
    one_by_one = alone(tmp_path / "alone", monkeypatch)
    assert reads() == ["fm/region.csv"] * len(UNITS)  # today: one read per workbook
    assert all(code == 0 for code, _, _ in one_by_one.values())

    regional_folder(tmp_path / "together")
    monkeypatch.chdir(tmp_path / "together")
    result = run("fm", "--jobs", jobs)
    assert reads() == ["fm/region.csv"]  # the region's export read once, for all four
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[:-1] == [one_by_one[name][1].rstrip("\n") for name in UNITS]
    # each unit's budget takes its own Ansvar; the other units' rows are Ej budgeterat (a warning), as alone
    assert lines[-1] == "fm: 4 arbetsböcker · 4 skrivna · 4 med varningar"
    assert len(set(lines[:-1])) == len(UNITS)  # each unit its own figures: the export split by Ansvar
    for name in UNITS:
        together = (tmp_path / "together" / "fm" / f"{name}.xlsx").read_bytes()
        assert together == (tmp_path / "alone" / "fm" / f"{name}.xlsx").read_bytes()
    assert shared.cached() == 0  # the cache is emptied after the run


def test_a_bad_shared_export_stops_each_workbook_with_its_own_line_and_is_read_once(tmp_path, monkeypatch, reads):
    rows = [list(r) for r in EXPORT]
    rows[7][-1] = "12,3,4"
    bad = export_text(rows)
    regional_folder(tmp_path / "alone", bad)
    one_by_one = alone(tmp_path / "alone", monkeypatch)
    reads()
    line = 'fm/region.csv: rad 8 (Belopp): "12,3,4" är inte ett belopp\n'
    assert all(r == (1, "", line) for r in one_by_one.values())

    fm = regional_folder(tmp_path / "together", bad)
    before = {p.name: p.read_bytes() for p in fm.iterdir()}
    monkeypatch.chdir(tmp_path / "together")
    result = run("fm", "--jobs", "2")
    assert reads() == ["fm/region.csv"]
    assert result.exit_code == 1
    assert result.stderr == line * len(UNITS)
    assert result.stdout == "fm: 4 arbetsböcker · 4 med fel\n"
    assert {p.name: p.read_bytes() for p in fm.iterdir()} == before  # nothing written, no .bak


def test_workbooks_that_read_the_export_differently_share_only_with_their_like(tmp_path, monkeypatch, reads):
    """The year dates bare months: two years, two reads (one per year), never one ledger for both."""
    rows = [[r[0][-2:].lstrip("0") if i else r[0], *r[1:]] for i, r in enumerate(EXPORT)]  # Period as 1 … 8
    years = {"Falkenberg": 2024, "Halmstad": 2025, "Hylte": 2024, "Laholm": 2025}
    regional_folder(tmp_path / "alone", export_text(rows), years)
    one_by_one = alone(tmp_path / "alone", monkeypatch, "--check")
    reads()
    regional_folder(tmp_path / "together", export_text(rows), years)
    monkeypatch.chdir(tmp_path / "together")
    result = run("fm", "--jobs", "1", "--check")
    assert sorted(reads()) == ["fm/region.csv"] * 2
    assert result.stdout.splitlines()[:-1] == [one_by_one[name][1].rstrip("\n") for name in UNITS]
    assert "jan–aug 2024" in result.stdout and "jan–aug 2025" in result.stdout


def test_a_workbook_alone_in_naming_its_export_reads_it_itself(tmp_path, monkeypatch, reads):
    fm = regional_folder(tmp_path)
    (fm / "Hylte.xlsx").unlink()
    (fm / "Laholm.xlsx").unlink()
    (fm / "annan.csv").write_bytes((fm / "region.csv").read_bytes())
    write_workbook(fm / "Laholm.xlsx", {"Inställningar": [*SETTINGS, ["Utfallsfil", "annan.csv"]],
                                        "Budget": unit_budget("400"), "Periodisering": KEYS})
    assert read_shared(folder.workbooks_in(fm), None) == 1  # region.csv (two workbooks); annan.csv not
    assert reads() == [str(fm / "region.csv")]
    shared.clear()


def test_a_cached_ledger_is_a_copy_of_its_own_and_a_changed_file_is_read_again(tmp_path):
    path = tmp_path / "region.csv"
    path.write_bytes(export_text(EXPORT).encode("cp1252"))
    source = Source(path, "region.csv")
    sheet = exports.sheet_of(source)
    read = ledger.read_ledger_sheet(source, sheet, 2025, {"ansvar"})
    try:
        shared.remember(shared.key(source, sheet, 2025, {"ansvar"}), read)
        a = shared.recall(source, sheet, 2025, {"ansvar"})
        b = shared.recall(source, sheet, 2025, {"ansvar"})
        assert a is not None and b is not None and a is not read
        a.notes.append("en anmärkning")
        a.codes["ansvar"].texts.append("999")
        assert b.notes == read.notes == [] and "999" not in b.codes["ansvar"].texts
        with pytest.raises(ValueError):
            a.amount[0] = 0  # the shared arrays are read-only
        assert np.array_equal(b.amount, read.amount)
        assert shared.recall(source, sheet, 2024, {"ansvar"}) is None  # another year: not this read
        assert shared.recall(source, sheet, 2025, set()) is None  # other columns: not this read
        stat = path.stat()
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))  # the export changed meanwhile
        assert shared.recall(source, sheet, 2025, {"ansvar"}) is None
    finally:
        shared.clear()


def test_workers_that_are_not_forked_get_the_ledgers_pickled_once(tmp_path, monkeypatch, reads):
    """Where fork is not to be had (macOS, Windows), the pool's initializer hands each worker the ledgers."""
    import multiprocessing
    import pickle

    fm = regional_folder(tmp_path)
    paths = folder.workbooks_in(fm)
    try:
        assert read_shared(paths, None) == 1
        assert reads() == [str(fm / "region.csv")]
        monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
        context = folder._context()
        assert context["initializer"] is shared.install and "mp_context" not in context
        handed = pickle.loads(pickle.dumps(context["initargs"]))  # as a spawned worker receives them
        key, = shared.held()
        source = Source(fm / "region.csv", str(fm / "region.csv"))
        before = shared.recall(source, key[4], key[5], set(key[6]))
        shared.clear()
        shared.install(*handed)
        after = shared.recall(source, key[4], key[5], set(key[6]))
        assert reads() == []
        assert after is not None and before is not None and after.dimensions == before.dimensions
        assert all(np.array_equal(getattr(after, a), getattr(before, a)) for a in ("period", "amount", "row", "col"))
        assert after.where(3) == before.where(3) == "rad 5 (Belopp)"
        assert not after.amount.flags.writeable
    finally:
        shared.clear()


def test_a_folder_given_utfall_reads_it_once_for_every_workbook_as_each_run_alone_with_it(tmp_path, monkeypatch,
                                                                                           reads):
    """`reconcile MAPP --utfall region.csv`: the export every workbook reads, over its Utfallsfil."""
    for place in ("alone", "together"):
        fm = regional_folder(tmp_path / place)
        (fm / "region.csv").rename(tmp_path / place / "region.csv")  # beside the folder; Utfallsfil names nothing
    one_by_one = alone(tmp_path / "alone", monkeypatch, "--utfall", "region.csv")
    assert reads() == ["region.csv"] * len(UNITS)
    assert all(code == 0 for code, _, _ in one_by_one.values())

    monkeypatch.chdir(tmp_path / "together")
    result = run("fm", "--utfall", "region.csv", "--jobs", "2")
    assert reads() == ["region.csv"]  # once, for all four
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:-1] == [one_by_one[name][1].rstrip("\n") for name in UNITS]
    for name in UNITS:
        assert (tmp_path / "together" / "fm" / f"{name}.xlsx").read_bytes() == \
            (tmp_path / "alone" / "fm" / f"{name}.xlsx").read_bytes()


def test_a_folder_given_utfall_that_matches_no_file_stops_each_workbook(tmp_path, monkeypatch):
    fm = regional_folder(tmp_path)
    before = {p.name: p.read_bytes() for p in fm.iterdir()}
    monkeypatch.chdir(tmp_path)
    result = run("fm", "--utfall", "exporter/*.csv")
    assert result.exit_code == 1
    assert result.stderr == "exporter/*.csv: inga filer matchar mönstret\n" * len(UNITS)
    assert {p.name: p.read_bytes() for p in fm.iterdir()} == before


def test_the_api_refreshes_a_folder_with_one_export_for_all(tmp_path, monkeypatch, reads):
    from toolkit import api

    fm = regional_folder(tmp_path)
    (fm / "region.csv").rename(tmp_path / "region.csv")
    monkeypatch.chdir(tmp_path)
    record = api.refresh("fm", utfall="region.csv", jobs=1, backup=False)
    assert reads() == ["region.csv"]
    assert record["counts"]["written"] == len(UNITS)
    assert [w["status"] for w in record["workbooks"]] == ["written"] * len(UNITS)
