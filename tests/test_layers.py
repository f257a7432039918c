"""The code's layers import one way: read → engine → render → package, with
the file format (ooxml) and a few neutral modules below them all.  An AST
walk over toolkit/ finds every import of the toolkit's own modules (at the
top of a file or inside a function) and checks it against the rules."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

TOOLKIT = Path(__file__).resolve().parents[1] / "toolkit"

#: modules every layer may use: they import only each other
BASE = {"errors", "findings", "money", "cells", "contract", "layout", "progress"}
#: layer → the layers (besides BASE and itself) it may import; a module not in a layer folder nor in BASE is
#: orchestration (job, folder, consolidation, cli, usage, template, runlog, result, the public API) and may import all
ALLOWED = {
    "base": set(),
    "ooxml": set(),
    "read": {"ooxml", "engine.model"},
    "engine": set(),
    "render": {"engine"},
    "package": {"ooxml"},
}


def layer_of(module: str) -> str | None:
    """'toolkit.read.ledger' → 'read'; 'toolkit.money' → 'base'; orchestration → None."""
    parts = module.split(".")
    if len(parts) >= 2 and parts[1] in ALLOWED:
        return parts[1]
    if len(parts) >= 2 and parts[1] in BASE:  # toolkit.money, toolkit.contract.budget …
        return "base"
    return None


def module_name(path: Path) -> str:
    parts = list(path.relative_to(TOOLKIT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every import of a toolkit module in ``path``."""
    here = module_name(path).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target == "toolkit" or target.startswith("toolkit."):
                names = [f"{target}.{alias.name}" for alias in node.names]
                # `from . import limits` imports a module; `from .x import Y` a name of module x
                found += [(node.lineno, n if _is_module(n) else target) for n in names]
        elif isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names if alias.name.startswith("toolkit")]
    return found


def _is_module(name: str) -> bool:
    path = TOOLKIT.parent.joinpath(*name.split("."))
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def allowed(source: str, target: str) -> bool:
    mine, theirs = layer_of(source), layer_of(target)
    if mine is None:  # orchestration
        return True
    if theirs == "base" or theirs == mine:
        return True
    if mine == "base":
        return False  # a base module imports only base modules (and orchestration none of them)
    if theirs is None:
        return False  # no layer imports orchestration
    rules = ALLOWED[mine]
    return theirs in rules or any(target == rule or target.startswith(f"toolkit.{rule}.") or
                                  target == f"toolkit.{rule}" for rule in rules)


FILES = sorted(TOOLKIT.rglob("*.py"))


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(TOOLKIT)))
def test_imports_point_one_way(path):
    source = module_name(path)
    wrong = [f"{path.relative_to(TOOLKIT.parent)}:{line}: {source} imports {target}"
             for line, target in imports(path) if not allowed(source, target)]
    assert not wrong, "\n".join(wrong)


def test_the_rules_catch_a_wrong_import():
    """The test above can fail: the rules refuse what the issue names."""
    assert not allowed("toolkit.engine.tree", "toolkit.read.grid")
    assert not allowed("toolkit.package.merge", "toolkit.read.grid")
    assert not allowed("toolkit.read.workbook", "toolkit.package.merge")
    assert not allowed("toolkit.render.summary", "toolkit.read.grid")
    assert not allowed("toolkit.read.ledger", "toolkit.engine.report")
    assert not allowed("toolkit.money", "toolkit.engine.figures")
    assert not allowed("toolkit.engine.report", "toolkit.job")
    assert allowed("toolkit.read.ledger", "toolkit.engine.model")
    assert allowed("toolkit.render.summary", "toolkit.engine.results")
    assert allowed("toolkit.package.merge", "toolkit.ooxml.limits")
    assert allowed("toolkit.job", "toolkit.package")
    found = imports(TOOLKIT / "read" / "workbook.py")
    assert any(target == "toolkit.ooxml.limits" for _, target in found)
