"""What a second spreadsheet program sees: LibreOffice headless, recalculating
every formula on load, exports each sheet to CSV (raw values, full precision)."""

from __future__ import annotations

import csv
import os
import re
import shutil
import signal
import subprocess
import threading
from dataclasses import dataclass, field
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


def profile(workdir: Path) -> str:
    """A private user profile (recalculate on load) as the -env:UserInstallation URI."""
    path = workdir / "lo-profile"
    (path / "user").mkdir(parents=True, exist_ok=True)
    (path / "user" / "registrymodifications.xcu").write_text(_PROFILE, encoding="utf-8")
    return path.as_uri()


def _read_csvs(out: Path, stem: str) -> dict[str, list[list[str]]]:
    result = {}
    for path in out.glob(f"{stem}-*.csv"):
        sheet = path.stem[len(stem) + 1:]
        with path.open(encoding="utf-8", newline="") as fh:
            result[sheet] = list(csv.reader(fh))
    return result


def sheets_as_csv(workbook: Path, workdir: Path) -> dict[str, list[list[str]]]:
    """Sheet name → rows of text, after LibreOffice recalculated the workbook."""
    out = workdir / "lo-out"
    out.mkdir(exist_ok=True)
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile(workdir)}", "--headless", "--convert-to", _FILTER,
         "--outdir", str(out), str(workbook)],
        check=True, capture_output=True, timeout=180,
    )
    return _read_csvs(out, workbook.stem)


# -- many workbooks in few processes -------------------------------------------------

@dataclass
class Converted:
    """What LibreOffice made of one workbook: 'converted' (sheets holds every sheet
    as rows of text), 'not-loaded' (LibreOffice reported it could not load the file)
    or 'crashed' (the process died or hung on it)."""

    status: str
    sheets: dict[str, list[list[str]]] = field(default_factory=dict)
    detail: str = ""


@dataclass
class BatchStats:
    processes: int = 0  # soffice invocations, restarts after a crash included
    seconds: float = 0.0


_CONVERT = re.compile(r"^convert (.+?) (?:->|using filter)", re.M)
_NOT_LOADED = re.compile(r"^Error: source file could not be loaded.*$", re.M)


def _run_chain(files: list[Path], workdir: Path, timeout: float, results: dict[Path, Converted],
               stats: BatchStats, lock: threading.Lock) -> None:
    """Convert ``files`` (unique stems) in one soffice process; after a crash or hang,
    mark the file it died on and go on with the rest in a new process."""
    uri = profile(workdir)
    out = workdir / "csv"
    out.mkdir(exist_ok=True)
    todo = list(files)
    while todo:
        with lock:
            stats.processes += 1
        proc = subprocess.Popen(
            ["soffice", f"-env:UserInstallation={uri}", "--headless", "--convert-to", _FILTER, "--outdir", str(out),
             *map(str, todo)],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace", start_new_session=True)
        try:
            log, _ = proc.communicate(timeout=timeout)
            hung = False
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            log, _ = proc.communicate()
            hung = True
        loaded = {Path(m).name for m in _CONVERT.findall(log)}
        last = max((i for i, f in enumerate(todo) if f.name in loaded), default=-1)
        died = hung or proc.returncode != 0 or "Application Error" in log
        for i, f in enumerate(todo):
            if f.name in loaded:
                results[f] = Converted("converted", _read_csvs(out, f.stem))
            elif i < last or not died:
                results[f] = Converted("not-loaded", detail=(_NOT_LOADED.findall(log) or ["no output"])[0][:200])
        if not died:
            return
        crashed = last + 1
        if crashed < len(todo):
            tail = log.strip().splitlines()[-1:] or ["(no output)"]
            results[todo[crashed]] = Converted(
                "crashed", detail=("hung" if hung else f"exit {proc.returncode}: {tail[0]}")[:200])
        todo = todo[crashed + 1:]


def convert_many(workbooks: list[Path], workdir: Path, *, processes: int = 2,
                 timeout: float = 300) -> tuple[dict[Path, Converted], BatchStats]:
    """Every workbook's sheets as CSV rows, converted by ``processes`` parallel soffice
    processes (each with its own profile) rather than one process per file. The
    workbooks may share stems: they are linked into a staging folder under unique names."""
    import time

    stage = workdir / "in"
    stage.mkdir(parents=True, exist_ok=True)
    staged = {}
    for i, book in enumerate(workbooks):
        link = stage / f"w{i:04d}{book.suffix.lower()}"
        try:
            os.link(book, link)
        except OSError:
            shutil.copyfile(book, link)
        staged[link] = book
    links = list(staged)
    chains = [links[i::processes] for i in range(processes) if links[i::processes]]
    results: dict[Path, Converted] = {}
    stats, lock = BatchStats(), threading.Lock()
    start = time.monotonic()
    threads = [threading.Thread(target=_run_chain, args=(chain, workdir / f"p{n}", timeout, results, stats, lock))
               for n, chain in enumerate(chains)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stats.seconds = time.monotonic() - start
    return {staged[link]: results.get(link, Converted("crashed", detail="not reached")) for link in links}, stats
