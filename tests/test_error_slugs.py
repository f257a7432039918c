"""Every error that stops a run says what went wrong as data: a stable slug
(``toolkit.errors.SLUGS``) and its position (file, sheet, cell or line) —
with its one line, ``str(error)``, as it was."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest
from builders import grid
from click.testing import CliRunner
from workbook_factory import small_workbook, write_workbook

from toolkit import errors, findings
from toolkit.cli import main
from toolkit.errors import InputError, LockedError, ReconcileError, parse_where
from toolkit.read.budget import read_budget
from toolkit.read.csvfile import read_csv_grid
from toolkit.read.sie import read_sie_grid

TOOLKIT = Path(__file__).resolve().parents[1] / "toolkit"


def error_classes() -> set[str]:
    found, todo = set(), [ReconcileError]
    while todo:
        cls = todo.pop()
        found.add(cls.__name__)
        todo += cls.__subclasses__()
    return found


def modules() -> list[tuple[Path, ast.Module]]:
    return [(path, ast.parse(path.read_text(encoding="utf-8"))) for path in sorted(TOOLKIT.rglob("*.py"))]


def called(node: ast.Call) -> str | None:
    f = node.func
    return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else None


def takes_slug() -> tuple[set[str], dict[Path, set[str]]]:
    """The error classes and the classes whose constructor takes a keyword ``slug`` (``limits.Refusal``), by
    name; and per module the functions of it that take a keyword ``slug`` to pass on (``ledger._fail``)."""
    classes, helpers = error_classes(), {}
    for path, tree in modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                init = next((n for n in node.body if isinstance(n, ast.FunctionDef) and n.name == "__init__"), None)
                if init is not None and any(a.arg == "slug" for a in init.args.kwonlyargs):
                    classes.add(node.name)
            elif isinstance(node, ast.FunctionDef) and node.name != "__init__" \
                    and any(a.arg == "slug" for a in node.args.kwonlyargs):
                helpers.setdefault(path, set()).add(node.name)
    return classes, helpers


def literal_slugs(value: ast.expr, params: set[str]) -> list[str] | None:
    """The slugs a ``slug=`` value can be: literals, a slug passed on (a parameter ``slug``, an error's
    ``.slug``), or a conditional of those; None for anything else."""
    if isinstance(value, ast.Constant) and isinstance(value.value, str):
        return [value.value]
    if isinstance(value, ast.Name) and value.id == "slug" and "slug" in params:
        return []
    if isinstance(value, ast.Attribute) and value.attr == "slug":
        return []
    if isinstance(value, ast.IfExp):
        a, b = literal_slugs(value.body, params), literal_slugs(value.orelse, params)
        return None if a is None or b is None else a + b
    return None


def raise_sites():
    """(file, line, callee, slugs or None when the slug is missing or not a known form) of every call that
    makes an error or passes a slug on, with the parameters of the function around it."""
    classes, helpers = takes_slug()
    for path, tree in modules():
        yield from _sites(path, tree, set(), classes | helpers.get(path, set()))


def _sites(path: Path, node: ast.AST, params: set[str], wanted: set[str]):
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        params = {a.arg for a in node.args.args + node.args.kwonlyargs}
    if isinstance(node, ast.Call) and called(node) in wanted:
        slug = next((k.value for k in node.keywords if k.arg == "slug"), None)
        yield path, node.lineno, called(node), None if slug is None else literal_slugs(slug, params)
    for child in ast.iter_child_nodes(node):
        yield from _sites(path, child, params, wanted)


def test_every_raise_site_passes_a_registered_slug():
    missing, unknown = [], []
    for path, line, callee, slugs in raise_sites():
        where = f"{path.relative_to(TOOLKIT.parent)}:{line} {callee}"
        if slugs is None:
            missing.append(where)
        unknown += [f"{where}: {s}" for s in slugs or () if s not in errors.SLUGS]
    assert not missing, "no slug= (or not a literal, a parameter slug or an error's .slug):\n" + "\n".join(missing)
    assert not unknown, "slugs not in errors.SLUGS:\n" + "\n".join(unknown)


def test_the_walk_finds_the_raise_sites():
    sites = list(raise_sites())
    assert len(sites) > 120
    assert {p.name for p, *_ in sites} >= {"budget.py", "ledger.py", "sie.py", "limits.py", "atomic.py", "tree.py",
                                          "template.py", "job.py"}
    assert any(callee == "_fail" for _, _, callee, _ in sites)  # a helper that passes a slug on is checked too


def test_every_registered_slug_is_used_and_none_is_a_findings_slug():
    used = {s for *_, slugs in raise_sites() for s in slugs or ()}
    assert set(errors.SLUGS) - used == set(), "registered but never raised"
    assert not set(errors.SLUGS) & set(findings.SLUGS)
    for slug, title in errors.SLUGS.items():
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug), slug
        assert title and title[0].isupper(), slug


# -- positions -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("where, position", [
    ("Budget!D7", ("Budget", "D7", None)),
    ("'Blad med mellanslag'!D7", ("Blad med mellanslag", "D7", None)),
    ("'Kalles ''blad'''!B2", ("Kalles 'blad'", "B2", None)),
    ("Budget!D4:D6", ("Budget", "D4:D6", None)),
    ("Utfall!3:3", ("Utfall", "3:3", None)),
    ("Inställningar!B8", ("Inställningar", "B8", None)),
    ("rad 17 (Belopp)", (None, None, 17)),
    ("rad 1", (None, None, 1)),
    ("Budget", ("Budget", None, None)),
    ("settings", ("settings", None, None)),
    ("--period", (None, None, None)),
    ("Sammanställning: Verksamhet › Löner", (None, None, None)),
    (None, (None, None, None)),
])
def test_a_where_is_parsed_into_sheet_cell_and_line(where, position):
    assert tuple(parse_where(where, "Halmstad.xlsx")) == position


def test_a_csv_tables_own_name_is_no_sheet():
    assert tuple(parse_where("Budget", "exporter/Budget")) == (None, None, None)


def test_positions_as_a_grid_names_them():
    sheet = grid("Blad med 'mellanslag'", [["a"]])
    error = InputError("x", file="A.xlsx", where=sheet.where(6, 3), slug="belopp-ogiltigt")
    assert (error.sheet, error.cell, error.line) == ("Blad med 'mellanslag'", "D7", None)
    assert str(error) == "A.xlsx: 'Blad med ''mellanslag'''!D7: x"
    csv = grid("export.csv", [["Belopp"]], is_csv=True)
    csv.headers = {0: "Belopp"}
    error = InputError("x", file="export.csv", where=csv.where(16, 0), slug="belopp-ogiltigt")
    assert (error.sheet, error.cell, error.line, error.where) == (None, None, 17, "rad 17 (Belopp)")


# -- the slugs as raised ------------------------------------------------------------------------------------


def caught(call) -> ReconcileError:
    with pytest.raises(ReconcileError) as info:
        call()
    return info.value


def budget_error(rows) -> ReconcileError:
    return caught(lambda: read_budget(grid("Budget", rows), set(), 1, frozenset()))


def test_the_same_problem_has_the_same_slug_wherever_it_is_found(tmp_path):
    sheet = budget_error([["Rad", "Budget", "Konto"], ["Löner", "12,3,4", "5*"]])
    (tmp_path / "export.csv").write_text("Period;Konto;Belopp\n202501;5010;12,3,4\n", encoding="utf-8")
    from toolkit.read.ledger import read_ledger

    csv = caught(lambda: read_ledger(read_csv_grid(tmp_path / "export.csv", "export.csv"), 2025))
    (tmp_path / "export.se").write_text('#FLAGGA 0\n#VER A 1 20250105\n{\n#TRANS 5010 {} 12,50\n}\n',
                                        encoding="utf-8")
    sie = caught(lambda: read_sie_grid(tmp_path / "export.se", "export.se"))
    assert [e.slug for e in (sheet, csv, sie)] == ["belopp-ogiltigt"] * 3
    assert [(e.sheet, e.cell, e.line) for e in (sheet, csv, sie)] == [("Budget", "B2", None), (None, None, 2),
                                                                     (None, None, 4)]
    assert str(sie) == 'export.se: rad 4 (Belopp): "12,50" är inte ett belopp'


def test_different_problems_have_different_slugs():
    found = {
        budget_error([["Rad", "Budget"], ["Löner", "x"]]).slug,
        budget_error([["Rad", "Budget"], ["Summa", 1]]).slug,
        budget_error([["Rad", "Budget"], ["Löner", 1], ["löner", 2]]).slug,
        budget_error([["Rad", "Budget", "Typ"], ["Löner", 1, "Utgift"]]).slug,
        budget_error([["Rad", "Budget"]]).slug,
        budget_error([["Rad", "Budget", "Kontto"], ["Löner", 1, "5*"]]).slug,
    }
    assert found == {"belopp-ogiltigt", "summarad-i-budget", "rad-dubbel", "typ-ogiltig", "budget-tom",
                     "kolumn-felstavad"}


def test_a_line_named_only_in_the_message_is_the_errors_line(tmp_path):
    (tmp_path / "export.csv").write_text('Period;Konto;Belopp\n202501;5010;"12\n202501;5010;1\n', encoding="utf-8")
    error = caught(lambda: read_csv_grid(tmp_path / "export.csv", "export.csv"))
    assert error.slug == "citattecken-oavslutat" and error.where is None and error.line == 2
    assert str(error).startswith("export.csv: rad 2: citattecknet")


def test_a_package_refusal_keeps_its_slug(tmp_path):
    (tmp_path / "Gammal.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    (tmp_path / "Kort.xlsx").write_bytes(b"PK\x03\x04" + bytes(100))
    runner = CliRunner()
    for name, slug in (("Gammal.xlsx", "inte-xlsx"), ("Kort.xlsx", "arbetsbok-avkortad")):
        record = json.loads(runner.invoke(main, [str(tmp_path / name), "--json"]).stdout)
        assert (record["status"], record["slug"], record["file"]) == ("error", slug, str(tmp_path / name))


def test_json_of_a_stopped_run_has_the_slug_and_position_and_the_line_is_unchanged(tmp_path):
    path = small_workbook(tmp_path / "Test.xlsx", Budget=[["Rad", "Budget", "Konto"], ["Arvoden", "12,3,4", "5011"]])
    before = path.read_bytes()
    runner = CliRunner()
    line = runner.invoke(main, [str(path)])
    assert (line.exit_code, line.stderr, line.stdout) == (1, f'{path}: Budget!B2: "12,3,4" är inte ett belopp\n', "")
    printed = runner.invoke(main, [str(path), "--json"])
    assert printed.exit_code == 1
    assert json.loads(printed.stdout) == {
        "path": str(path), "status": "error", "message": f'{path}: Budget!B2: "12,3,4" är inte ett belopp',
        "slug": "belopp-ogiltigt", "file": str(path), "where": "Budget!B2", "sheet": "Budget", "cell": "B2",
        "line": None}
    assert path.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["Test.xlsx"]


def test_a_locked_workbook_says_so_as_data(tmp_path):
    path = write_workbook(tmp_path / "Test.xlsx", {"Budget": [["Rad"]]})
    (tmp_path / "~$Test.xlsx").write_bytes(b"")
    record = json.loads(CliRunner().invoke(main, [str(path), "--json"]).stdout)
    assert (record["status"], record["slug"], record["sheet"]) == ("locked", "arbetsbok-last", None)
    assert issubclass(LockedError, ReconcileError)
