"""The example workbooks as ``workbooks/build.py`` writes them.

Tests never read the committed ``workbooks/*.xlsx``: their state depends on
what was run in the checkout (the README's first command, or anyone trying
``reconcile workbooks/Halmstad.xlsx``, adds the toolkit's sheets to them).
The examples are built once per test session into a temporary folder
(the build is deterministic and takes a fraction of a second);
``test_examples`` checks that the committed files hold what the build writes.
Copy an example to ``tmp_path`` before running anything on it.
"""

from __future__ import annotations

import atexit
import functools
import importlib.util
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD_SCRIPT = ROOT / "workbooks" / "build.py"


@functools.cache
def build_module():
    """``workbooks/build.py`` as a module (its ``halmstad()``, ``navet()``, ``build()``)."""
    spec = importlib.util.spec_from_file_location("workbooks_build", BUILD_SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look the module up
    spec.loader.exec_module(module)
    return module


@functools.cache
def _built() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="reconcile-examples-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    build_module().build(folder)
    return folder


def example(name: str) -> Path:
    """The freshly built example ``name`` ("Halmstad.xlsx", "Navet.xlsx"); read it
    or copy it, never write it."""
    path = _built() / name
    if not path.exists():
        raise FileNotFoundError(f"no example {name} in {BUILD_SCRIPT}")
    return path


def copy_example(name: str, dest: Path) -> Path:
    """A writable copy of the example ``name`` at ``dest`` (a file or a folder)."""
    dest = Path(dest)
    if dest.is_dir():
        dest = dest / name
    shutil.copyfile(example(name), dest)
    return dest
