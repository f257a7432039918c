"""The inputs of a run assembled in one place (``read.inputs``): which file each
input comes from, the notes read or not, and the same assembly for tables held
in memory (``assemble`` over ``Sheets``).  A consolidation reads no notes of
its units."""

from __future__ import annotations

import dataclasses

import openpyxl
import pytest
from builders import KEY_HEADER, grid, key_row
from workbook_factory import SETTINGS, small_workbook

import toolkit.read.notes
from toolkit.consolidation import Consolidate
from toolkit.engine.model import Settings
from toolkit.findings import Finding
from toolkit.job import Job
from toolkit.ooxml.snapshot import Absent, Snapshot
from toolkit.read.inputs import Inputs, Sheets, assemble, read_inputs

BUDGET = [["Rad", "Budget", "Konto", "Periodisering"], ["Löner", 120, "5*", "Höst"]]
LEDGER = [["Period", "Konto", "Belopp"], [202501, "5010", 10]]
OUTSIDE = "Anteckning under tabellen"


@pytest.fixture
def read_notes_calls(monkeypatch):
    """The files whose notes are read (the display names ``read_notes`` is given)."""
    calls: list[str] = []
    original = toolkit.read.notes.read_notes

    def counting(source, display=None):
        calls.append(display)
        return original(source, display)

    monkeypatch.setattr(toolkit.read.notes, "read_notes", counting)
    return calls


def refreshed_with_a_note(path, unit: str = "Testnämnd"):
    """A small workbook refreshed once, with text typed under its Sammanställning
    (read back as a note outside the table)."""
    small_workbook(path, Inställningar=[*SETTINGS[:1], ["Enhet", unit], *SETTINGS[2:]])
    Job(path, backup=None).run()
    book = openpyxl.load_workbook(path)
    book["Sammanställning"]["J40"] = OUTSIDE
    book.save(path)
    return path


def test_a_workbook_read_into_one_record(tmp_path):
    path = small_workbook(tmp_path / "T.xlsx")
    inputs = read_inputs(path)
    assert isinstance(inputs, Inputs)
    assert (inputs.settings.unit, inputs.settings.year, inputs.settings.period) == ("Testnämnd", 2025, 8)
    assert [line.label for line in inputs.lines] == ["Arvoden", "Utveckling", "Avgifter"]
    assert [key.name for key in inputs.keys] == ["Höst"]
    assert len(inputs.ledger) == 4
    assert inputs.budget_file == str(path)
    assert isinstance(inputs.snapshot, Snapshot) and inputs.snapshot.path == path
    assert inputs.notes is None  # no Sammanställning yet
    assert inputs.strict_setting is None and inputs.output_before is None
    with pytest.raises(dataclasses.FrozenInstanceError):
        inputs.notes = None


def test_period_given_goes_over_the_settings(tmp_path):
    path = small_workbook(tmp_path / "T.xlsx")
    settings = read_inputs(path, period="2024-03").settings
    assert (settings.year, settings.period) == (2024, 3)
    assert (settings.where["year"], settings.where["period"]) == ("--period", "--period")
    settings = read_inputs(path, period="5").settings
    assert (settings.year, settings.period) == (2025, 5)
    assert settings.where["year"] == "Inställningar!B3" and settings.where["period"] == "--period"


def test_notes_are_read_only_when_asked(tmp_path, read_notes_calls):
    path = refreshed_with_a_note(tmp_path / "T.xlsx")
    read_notes_calls.clear()
    assert read_inputs(path, notes=False).notes is None
    assert read_notes_calls == []
    notes = read_inputs(path).notes
    assert read_notes_calls == [str(path)]
    assert [cell.value for row in notes.rows for cell in row.cells] == [OUTSIDE]


def test_the_notes_of_an_existing_output_else_the_workbooks(tmp_path, read_notes_calls):
    path = small_workbook(tmp_path / "T.xlsx")
    output = refreshed_with_a_note(tmp_path / "Ut.xlsx")
    read_notes_calls.clear()
    inputs = read_inputs(path, output=output)
    assert read_notes_calls == [str(output)]
    assert [cell.value for row in inputs.notes.rows for cell in row.cells] == [OUTSIDE]
    assert isinstance(inputs.output_before, Snapshot)
    read_notes_calls.clear()
    inputs = read_inputs(path, output=tmp_path / "Ny.xlsx")
    assert read_notes_calls == [str(path)] and inputs.notes is None
    assert isinstance(inputs.output_before, Absent)


def test_assemble_takes_the_keys_of_the_budget_source_first(tmp_path):
    settings = Settings("Test", 2025, 8)
    own = [KEY_HEADER, key_row("Höst", *([1] * 12))]
    other = [KEY_HEADER, key_row("Höst", *([0] * 11), 1)]
    budget = Sheets([grid("Budget", BUDGET), grid("Periodisering", own)], "budget.xlsx")
    book = Sheets([grid("Utfall", LEDGER, file="bok.xlsx"), grid("Periodisering", other, file="bok.xlsx")],
                  "bok.xlsx")
    inputs = assemble(settings, budget, [book], workbook=book)
    assert [key.weights[0] for key in inputs.keys] == [1]
    assert inputs.budget_file == "test.xlsx"  # the Budget grid's own file
    without = Sheets([grid("Budget", BUDGET)], "budget.xlsx")
    inputs = assemble(settings, without, [book], workbook=book)
    assert [key.weights[0] for key in inputs.keys] == [0]
    assert assemble(settings, without, [book]).keys == ()


def test_assemble_reads_the_budget_in_tkr_when_belopp_i_says_so():
    book = Sheets([grid("Budget", BUDGET), grid("Utfall", LEDGER), grid("Periodisering", [KEY_HEADER])], "T.xlsx")
    in_kr = assemble(Settings("Test", 2025, 8, "kr"), book, [book])
    noted = Finding("okand-installning", "Inställningar!A9", "inställningen \"X\" är okänd och används inte", "info")
    in_tkr = assemble(Settings("Test", 2025, 8, "tkr"), book, [book], findings=[noted])
    assert [line.budget for line in in_kr.lines] == [120_00]
    assert [line.budget for line in in_tkr.lines] == [120_000_00]
    assert in_tkr.findings[0] == noted  # the settings' findings first


def test_a_consolidation_reads_no_notes_of_its_units(tmp_path, read_notes_calls):
    units = tmp_path / "enheter"
    units.mkdir()
    first = refreshed_with_a_note(units / "A.xlsx", "Enhet A")
    second = small_workbook(units / "B.xlsx", Inställningar=[*SETTINGS[:1], ["Enhet", "Enhet B"], *SETTINGS[2:]])
    # the monthly run of the unit does read its note (and lists it on Avstämning)
    unit = Job(first, backup=None).reconcile()
    assert [f.slug for f in unit.findings if f.slug.startswith("kommentar")] == ["kommentar-utan-rad"]
    output = tmp_path / "Förbund.xlsx"
    Consolidate([first, second], output, backup=None).run()
    read_notes_calls.clear()
    report = Consolidate([first, second], output, backup=None).consolidate()
    assert not [f for f in report.findings if f.slug.startswith("kommentar")]
    assert read_notes_calls == [str(output)]  # the output's own notes, none of the units'
