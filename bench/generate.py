"""Realistic full-size workbooks for the benchmark.

    python bench/generate.py 1048575          # writes bench/.cache/ledger-1048575.xlsx

A Hälso- och sjukvårdsnämnd of a region, 2025, closing period October:
61 budget lines (four verksamheter × income and cost groups, each a parent
with leaves matched by Konto ranges, lists, prefixes and Projekt), and a
transaction ledger on Utfall with the eight columns of a ledger export
(Period, Konto, Ansvar, Verksamhet, Aktivitet, Projekt, Text, Belopp).
About 1 % of the rows hit accounts no line budgets (Ej budgeterat), and
some rows lie in December of the year before.

The workbook is written the way Excel saves one: XlsxWriter writes the
settings, budget, keys and list sheets and the Utfall header, and the Utfall
rows are then written straight into the package as Excel writes them
(``<c r="A2" s="3"><v>…</v></c>``, text through the shared-string table,
a ``spans`` attribute on every row), which takes seconds instead of the
minutes and gigabytes XlsxWriter's in-memory mode needs for a million rows.

The output is deterministic for (rows, seed); files are cached by name.
"""

from __future__ import annotations

import random
import re
import sys
import zipfile
from functools import partial
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:  # run from a checkout
    sys.path.insert(0, str(HERE.parent))

from toolkit import template as tpl  # noqa: E402
from toolkit.contract import LEDGER_SHEET  # noqa: E402

VERSION = 1  # bump when the generated content changes (the cache is keyed on it)
YEAR = 2025
PERIOD = 10  # closing period; the export was taken in November
SEED = 20251031
COLUMNS = ["Period", "Konto", "Ansvar", "Verksamhet", "Aktivitet", "Projekt", "Text", "Belopp"]

VERKSAMHETER = {  # code → (name, ansvar codes)
    410: ("Primärvård", [41010, 41020, 41030, 41040]),
    420: ("Psykiatri", [42010, 42020, 42030]),
    430: ("Habilitering", [43010, 43020]),
    440: ("Folktandvård", [44010, 44020, 44030]),
}

# (line, Typ, Konto pattern, a few accounts it covers, weight of rows, typical amount kr)
GROUPS = [
    ("Patientavgifter", "Intäkt", "3010-3099", [3011, 3012, 3041, 3050], 6, -240),
    ("Statsbidrag", "Intäkt", "3500-3599", [3510, 3520], 1, -180_000),
    ("Försäljning av tjänster", "Intäkt", "31*", [3110, 3120, 3150], 2, -12_500),
    ("Löner", "Kostnad", "5010-5299", [5011, 5020, 5110, 5210, 5250], 18, 34_000),
    ("Sociala avgifter", "Kostnad", "5600-5699", [5611, 5612, 5640], 8, 10_700),
    ("Pensioner", "Kostnad", "5700-5799", [5710, 5720], 3, 4_900),
    ("Köpt vård", "Kostnad", "4010, 4020, 4030", [4010, 4020, 4030], 4, 48_000),
    ("Läkemedel", "Kostnad", "4610-4699", [4610, 4620, 4650], 7, 2_600),
    ("Material och förnödenheter", "Kostnad", "64*", [6410, 6420, 6450, 6460], 9, 1_350),
    ("Lokaler", "Kostnad", "6100-6199", [6110, 6130, 6150], 3, 22_000),
    ("IT och telefoni", "Kostnad", "6500-6599", [6510, 6540, 6550], 4, 3_800),
    ("Övriga kostnader", "Kostnad", "6*, 7*", [6071, 6910, 7050, 7051, 7420], 6, 900),
]
UNBUDGETED = [8410, 8420, 3990]  # räntor, återbetalningar: no line covers them
PROJECTS = ["P2501", "P2502", "P2503", "P2504"]  # tandvård för unga, två extra vårdcentraler …
ACTIVITIES = ["", "", "", "A10", "A20", "A30"]
SUPPLIERS = ["Mediq Sverige AB", "Apoteket AB", "Region Halland Service", "Tandvårdsdepån AB", "Atea Sverige AB",
             "Vårdgivare Väst AB", "Läkarhuset Söder", "Dustin Sverige AB", "Lyreco Sverige AB", "Sodexo AB",
             "Hallandstrafiken", "Örebro universitetssjukhus", "Skånes universitetssjukhus", "Vakanta AB",
             "Akademikerbemanning", "Säkerhetsbolaget Ålund & Co"]
WORDS = {
    "Patientavgifter": ["Patientavgift besök", "Patientavgift hembesök", "Frikort avräkning", "Uteblivet besök"],
    "Statsbidrag": ["Statsbidrag kömiljard", "Statsbidrag psykisk hälsa", "Riktat statsbidrag primärvård"],
    "Försäljning av tjänster": ["Fakturerad vård annan region", "Försäljning utbildning", "Intygsarvoden"],
    "Löner": ["Lön månadsavlönade", "Övertid", "OB-tillägg", "Jour och beredskap", "Semesterlönetillägg"],
    "Sociala avgifter": ["PO-pålägg", "Arbetsgivaravgift", "Särskild löneskatt"],
    "Pensioner": ["Pensionskostnad avgiftsbestämd", "Förmånsbestämd ålderspension"],
    "Köpt vård": ["Köpt specialistvård", "Utomlänsvård", "Hyrläkare", "Hyrsjuksköterska"],
    "Läkemedel": ["Läkemedel förmån", "Läkemedel rekvisition", "Vaccin influensa"],
    "Material och förnödenheter": ["Sjukvårdsmaterial", "Förbrukningsmaterial", "Kontorsmaterial", "Tandvårdsmaterial"],
    "Lokaler": ["Lokalhyra", "Städning lokaler", "El och värme"],
    "IT och telefoni": ["Licenser journalsystem", "Mobiltelefoni", "IT-stöd"],
    "Övriga kostnader": ["Resor tjänsteärende", "Kurs och konferens", "Porto", "Annons rekrytering", "Förtäring"],
    "Ej budgeterat": ["Dröjsmålsränta", "Återbetalning avgift", "Ränta leverantörsskuld"],
}
AUTUMN = [7, 7, 8, 8, 9, 8, 5, 7, 10, 11, 10, 10]  # more activity after the summer


def budget_lines(rows: int) -> list[dict[str, object]]:
    """4 verksamheter × (2 parents + 12 groups) + the project parent and its 4
    lines = 61 lines.  Budgets (kr) are what the ledger's rows add up to over
    the year, give or take a tenth, so the deviations look like a real year's."""
    rng = random.Random(SEED + 1)
    total_weight = sum(g[4] for g in GROUPS)
    year_factor = sum(AUTUMN) / sum(AUTUMN[:PERIOD]) * 1.197 * 0.96  # full year; lognormal mean; corrections
    lines: list[dict[str, object]] = []
    for verks, (name, _ansvar) in VERKSAMHETER.items():
        for kind in ("Intäkt", "Kostnad"):
            parent = f"{name} – {'intäkter' if kind == 'Intäkt' else 'kostnader'}"
            lines.append({"Rad": parent, "Typ": kind, "Verksamhet": verks, "Uppdrag": name})
            for label, typ, pattern, _accounts, weight, amount in GROUPS:
                if typ != kind:
                    continue
                expected = rows * 0.99 * weight / total_weight / len(VERKSAMHETER) * abs(amount) * year_factor
                line: dict[str, object] = {"Rad": f"{name}: {label}", "Överordnad": parent,
                                           "Budget": max(1_000, round(expected * rng.uniform(0.9, 1.1), -3)),
                                           "Konto": pattern}
                if label == "Löner":
                    line["Periodisering"] = "Lönekostnader"
                lines.append(line)
    lines.append({"Rad": "Projekt", "Typ": "Kostnad", "Uppdrag": "Utveckling", "Konto": "4000-7999"})
    for code in PROJECTS:
        lines.append({"Rad": f"Projekt {code}", "Överordnad": "Projekt", "Projekt": code, "Periodisering": "Höst",
                      "Budget": max(10_000, round(rows * 0.005 * 20_000 / len(PROJECTS) * rng.uniform(0.8, 1.2), -3))})
    return lines


def ledger_rows(rows: int, seed: int = SEED):
    """The ledger rows, in export order (period, then as booked)."""
    rng = random.Random(seed)
    verks = list(VERKSAMHETER.items())
    weights = [g[4] for g in GROUPS]
    months = rng.choices(range(1, PERIOD + 1), weights=AUTUMN[:PERIOD], k=rows)
    months.sort()
    for i, month in enumerate(months):
        period = YEAR * 100 + month
        if i < rows // 500:  # the export starts with a little of December the year before
            period = (YEAR - 1) * 100 + 12
        code, (_name, ansvar) = verks[rng.randrange(len(verks))]
        project = ""
        if rng.random() < 0.01:
            label, konto, amount = "Ej budgeterat", rng.choice(UNBUDGETED), 350
        else:
            label, _typ, _pattern, accounts, _w, amount = rng.choices(GROUPS, weights=weights)[0]
            konto = rng.choice(accounts)
            if konto >= 4000 and rng.random() < 0.03:
                project = rng.choice(PROJECTS)
        ore = int(amount * 100 * rng.lognormvariate(0, 0.6))
        if rng.random() < 0.02:
            ore = -ore  # corrections
        text = f"{rng.choice(WORDS[label])} {rng.choice(SUPPLIERS)} ver {100000 + rng.randrange(900000)}"
        yield (period, konto, rng.choice(ansvar), code, rng.choice(ACTIVITIES), project, text, ore)


def _write_frame(path: Path, rows: int) -> None:
    """Everything but the Utfall rows, through XlsxWriter, with one sample row
    on Utfall (its cells carry the column formats Excel would use)."""
    workbook, formats = tpl.new_workbook(str(path), title=f"Hälso- och sjukvårdsnämnden – uppföljning {YEAR}",
                                         comments="Benchmark-arbetsbok för reconcile")
    tpl.add_settings_sheet(workbook, formats, {"Enhet": "Hälso- och sjukvårdsnämnden", "År": YEAR, "Period": PERIOD,
                                               "Belopp i": "kr", "Visa i": "tkr", "Prognosmetod": "trend"})
    tpl.add_budget_sheet(workbook, formats, budget_lines(rows),
                         ["Rad", "Överordnad", "Typ", "Budget", "Konto", "Verksamhet", "Projekt", "Periodisering",
                          "Uppdrag"])
    sample = {"Period": 202501, "Konto": 5011, "Ansvar": 41010, "Verksamhet": 410, "Aktivitet": "A10",
              "Projekt": "P2501", "Text": "x", "Belopp": 1.25}
    tpl.add_ledger_sheet(workbook, formats, [sample], COLUMNS)
    tpl.add_keys_sheet(workbook, formats, {"Lönekostnader": [8, 8, 8, 8, 8, 8, 12, 8, 8, 8, 8, 8], "Höst": AUTUMN})
    tpl.add_lists_sheet(workbook, ["Lönekostnader", "Höst"])
    workbook.close()


def _sheet_part(package: zipfile.ZipFile, name: str) -> str:
    book = package.read("xl/workbook.xml").decode()
    rid = re.search(rf'<sheet name="{re.escape(name)}" sheetId="\d+" r:id="(rId\d+)"', book).group(1)
    rels = package.read("xl/_rels/workbook.xml.rels").decode()
    target = re.search(rf'<Relationship Id="{rid}" Type="[^"]+" Target="([^"]+)"', rels).group(1)
    return "xl/" + target.lstrip("/").removeprefix("xl/")


def write(path: Path, rows: int, seed: int = SEED, strings: str = "shared") -> None:
    """Generate the workbook at ``path`` (rows = ledger rows below the header).
    ``strings="inline"`` writes the Utfall sheet as XlsxWriter's constant_memory
    mode (and POI's SXSSF, many ERP exports) writes it: every text an inline
    string (``t="inlineStr"``), rows without ``spans``."""
    inline = strings == "inline"
    frame = path.with_suffix(".frame.xlsx")
    _write_frame(frame, rows)
    with zipfile.ZipFile(frame) as src:
        part = _sheet_part(src, LEDGER_SHEET.name)
        sheet = src.read(part).decode()
        strings_xml = src.read("xl/sharedStrings.xml").decode()
        head, rest = sheet.split("<sheetData>", 1)
        header_row, sample_row = re.findall(r"<row .*?</row>", rest.split("</sheetData>", 1)[0])[:2]
        tail = rest.split("</sheetData>", 1)[1]
        styles = dict(re.findall(r'<c r="([A-Z]+)2" s="(\d+)"', sample_row))
        strings = [m for m in re.findall(r"<si>(.*?)</si>", strings_xml, flags=re.S)]
        index: dict[str, int] = {}
        uses = strings_xml.count("<si>")  # XlsxWriter's count; ours adds one per text cell

        def sst(text: str) -> int:
            nonlocal uses
            uses += 1
            if text not in index:
                index[text] = len(strings)
                strings.append(f"<t>{escape(text)}</t>")
            return index[text]

        last = rows + 1
        head = re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="A1:H{last}"/>', head)
        style = {c: (f' s="{styles[c]}"' if c in styles else "") for c in "ABCDEFGH"}
        tmp = path.with_suffix(".tmp")
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as out:
            for info in src.infolist():
                if info.filename in (part, "xl/sharedStrings.xml"):
                    continue
                out.writestr(info, src.read(info.filename))
            info = zipfile.ZipInfo(part, date_time=(2025, 11, 3, 8, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            with out.open(info, "w", force_zip64=True) as fh:
                if inline:
                    header_row = '<row r="1">' + "".join(
                        f'<c r="{c}1"{s} t="inlineStr"><is><t>{escape(name)}</t></is></c>'
                        for c, s, name in zip("ABCDEFGH", re.findall(r'<c r="[A-Z]+1"((?: s="\d+")?)', header_row),
                                              COLUMNS)) + "</row>"
                fh.write((head + "<sheetData>" + header_row).encode())
                buffer: list[str] = []
                for r, (period, konto, ansvar, verks, akt, projekt, text, ore) in enumerate(ledger_rows(rows, seed), 2):
                    kr = f"{ore // 100}.{ore % 100:02d}".rstrip("0").rstrip(".") if ore >= 0 else \
                        "-" + f"{-ore // 100}.{-ore % 100:02d}".rstrip("0").rstrip(".")
                    cells = [f'<c r="A{r}"{style["A"]}><v>{period}</v></c>',
                             f'<c r="B{r}"{style["B"]}><v>{konto}</v></c>',
                             f'<c r="C{r}"{style["C"]}><v>{ansvar}</v></c>',
                             f'<c r="D{r}"{style["D"]}><v>{verks}</v></c>']
                    for c, value in (("E", akt), ("F", projekt), ("G", text)):
                        if not value:
                            continue
                        if inline:
                            cells.append(f'<c r="{c}{r}"{style[c]} t="inlineStr"><is><t>{escape(value)}</t></is></c>')
                        else:
                            cells.append(f'<c r="{c}{r}"{style[c]} t="s"><v>{sst(value)}</v></c>')
                    cells.append(f'<c r="H{r}"{style["H"]}><v>{kr}</v></c>')
                    spans = "" if inline else ' spans="1:8"'
                    buffer.append(f'<row r="{r}"{spans}>{"".join(cells)}</row>')
                    if len(buffer) >= 20_000:
                        fh.write("".join(buffer).encode())
                        buffer.clear()
                fh.write("".join(buffer).encode())
                fh.write(("</sheetData>" + tail).encode())
            count = len(strings)
            out.writestr(zipfile.ZipInfo("xl/sharedStrings.xml", date_time=(2025, 11, 3, 8, 0, 0)),
                         '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                         '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                         f'count="{uses}" uniqueCount="{count}">' + "".join(f"<si>{s}</si>" for s in strings) + "</sst>",
                         compress_type=zipfile.ZIP_DEFLATED)
    frame.unlink()
    tmp.replace(path)


def ensure(rows: int, folder: Path | None = None, strings: str = "shared") -> Path:
    """The cached workbook with ``rows`` ledger rows, generated when missing."""
    folder = Path(folder) if folder else HERE / ".cache"
    folder.mkdir(parents=True, exist_ok=True)
    style = "" if strings == "shared" else f"-{strings}"
    path = folder / f"ledger-{rows}{style}-v{VERSION}.xlsx"
    if not path.exists():
        write(path, rows, strings=strings)
    return path


# --- the ledger as an export beside a budget workbook -------------------------------------------


def write_budget(path: Path, rows: int) -> None:
    """The workbook without the ledger (its Utfall holds one sample row): the
    budget that an export of ``rows`` rows is reconciled against."""
    tmp = path.with_suffix(".tmp.xlsx")
    _write_frame(tmp, rows)
    tmp.replace(path)


def _swedish(ore: int) -> str:
    sign = "-" if ore < 0 else ""
    kr, rest = divmod(abs(ore), 100)
    return f"{sign}{kr:,}".replace(",", " ") + f",{rest:02d}"


def write_csv(path: Path, rows: int, seed: int = SEED, quoted: bool = False, excel: bool = False,
              unicode: bool = False) -> None:
    """A Swedish ledger export: UTF-8 with BOM, ``;``, decimal comma, space as
    thousands separator (``-1 234,50``), CRLF line ends, header on line 1.
    ``quoted``: every text in quotes, as many systems write them, and every
    20th one over two lines (typed with Alt+Enter where it was booked).
    ``excel``: as Excel saves CSV on a Swedish Windows — Windows-1252 without
    a BOM, a non-breaking space between thousands.  ``unicode``: as Excel
    saves "Unicode text" — UTF-16 with a BOM, tab separated."""
    tmp = path.with_suffix(".tmp")
    sep = "\t" if unicode else ";"
    encoding = "utf-16" if unicode else "cp1252" if excel else "utf-8-sig"
    with open(tmp, "w", encoding=encoding, newline="") as fh:
        fh.write(sep.join(COLUMNS) + "\r\n")
        buffer: list[str] = []
        for i, (period, konto, ansvar, verks, akt, projekt, text, ore) in enumerate(ledger_rows(rows, seed)):
            if quoted:
                text = f'"{text}\r\nenligt avtal"' if i % 20 == 7 else f'"{text}"'
            amount = _swedish(ore).replace(" ", "\u00a0") if excel else _swedish(ore)
            buffer.append(sep.join((str(period), str(konto), str(ansvar), str(verks), str(akt), str(projekt), text,
                                    amount)) + "\r\n")
            if len(buffer) >= 50_000:
                fh.write("".join(buffer))
                buffer.clear()
        fh.write("".join(buffer))
    tmp.replace(path)


def write_parquet(path: Path, rows: int, seed: int = SEED) -> None:
    """The ledger as Parquet, typed as a data warehouse exports it: Period an
    integer, codes text, Belopp decimal(18, 2), blanks null."""
    from decimal import Decimal

    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([("Period", pa.int32()), ("Konto", pa.string()), ("Ansvar", pa.string()),
                        ("Verksamhet", pa.string()), ("Aktivitet", pa.string()), ("Projekt", pa.string()),
                        ("Text", pa.string()), ("Belopp", pa.decimal128(18, 2))])
    tmp = path.with_suffix(".tmp")
    with pq.ParquetWriter(tmp, schema) as writer:
        batch: list[tuple] = []

        def flush() -> None:
            columns = list(zip(*batch))
            arrays = [pa.array(columns[0], pa.int32())]
            arrays += [pa.array([str(v) if v != "" else None for v in col], pa.string()) for col in columns[1:7]]
            arrays.append(pa.array([Decimal(ore).scaleb(-2) for ore in columns[7]], pa.decimal128(18, 2)))
            writer.write_table(pa.Table.from_arrays(arrays, schema=schema))
            batch.clear()

        for row in ledger_rows(rows, seed):
            batch.append(row)
            if len(batch) >= 200_000:
                flush()
        if batch:
            flush()
    tmp.replace(path)


def write_sie(path: Path, rows: int, seed: int = SEED) -> None:
    """An SIE 4 export (PC8, as most programs write it): one ``#TRANS`` per
    ledger row, five to a ``#VER``, Ansvar as dimension 1, Projekt as 6 and
    Verksamhet as dimension 20; the transaction date in the row's period."""
    accounts = sorted({a for group in GROUPS for a in group[3]} | set(UNBUDGETED))
    head = ["#FLAGGA 0", "#FORMAT PC8", "#SIETYP 4", '#PROGRAM "reconcile bench" 1', "#GEN 20251103",
            '#FNAMN "Region Halland"', f"#RAR 0 {YEAR}0101 {YEAR}1231", f"#RAR -1 {YEAR - 1}0101 {YEAR - 1}1231",
            '#DIM 1 "Ansvar"', '#DIM 6 "Projekt"', '#DIM 20 "Verksamhet"']
    head += [f'#KONTO {a} "Konto {a}"' for a in accounts]
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="cp437", errors="replace", newline="") as fh:
        fh.write("\r\n".join(head) + "\r\n")
        buffer: list[str] = []
        for i, (period, konto, ansvar, verks, _akt, projekt, text, ore) in enumerate(ledger_rows(rows, seed)):
            if i % 5 == 0:
                if i:
                    buffer.append("}\r\n")
                buffer.append(f'#VER A {i // 5 + 1} {period}15 "Verifikation {i // 5 + 1}"\r\n{{\r\n')
            objects = f'1 "{ansvar}" 20 "{verks}"' + (f' 6 "{projekt}"' if projekt else "")
            sign = "-" if ore < 0 else ""
            buffer.append(f'   #TRANS {konto} {{{objects}}} {sign}{abs(ore) // 100}.{abs(ore) % 100:02d} '
                          f'{period}15 "{text}"\r\n')
            if len(buffer) >= 50_000:
                fh.write("".join(buffer))
                buffer.clear()
        if rows:
            buffer.append("}\r\n")
        fh.write("".join(buffer))
    tmp.replace(path)


#: the forms a ledger is benchmarked in: the workbook's own sheet, or an export beside a budget workbook
FORMS = ("xlsx", "xlsx-inline", "csv", "csv-quoted", "csv-1252", "txt-utf16", "parquet", "sie")
_EXPORTS = {"csv": (".csv", write_csv), "csv-quoted": ("-quoted.csv", partial(write_csv, quoted=True)),
            "csv-1252": ("-1252.csv", partial(write_csv, excel=True)),
            "txt-utf16": ("-utf16.txt", partial(write_csv, unicode=True)),
            "parquet": (".parquet", write_parquet), "sie": (".se", write_sie)}


def ensure_form(rows: int, form: str, folder: Path | None = None) -> tuple[Path, Path | None]:
    """(workbook, export) for ``rows`` ledger rows in ``form``: the ledger on the
    workbook's Utfall (xlsx, xlsx-inline; export None), or an export file
    beside a budget workbook."""
    if form in ("xlsx", "xlsx-inline"):
        return ensure(rows, folder, "shared" if form == "xlsx" else "inline"), None
    folder = Path(folder) if folder else HERE / ".cache"
    folder.mkdir(parents=True, exist_ok=True)
    budget = folder / f"budget-{rows}-v{VERSION}.xlsx"
    if not budget.exists():
        write_budget(budget, rows)
    suffix, writer = _EXPORTS[form]
    export = folder / f"ledger-{rows}-v{VERSION}{suffix}"
    if not export.exists():
        writer(export, rows)
    return budget, export


def main(argv: list[str] | None = None) -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("rows", type=int, nargs="+")
    parser.add_argument("--cache", type=Path, default=HERE / ".cache")
    args = parser.parse_args(argv)
    for rows in args.rows:
        print(ensure(rows, args.cache))


if __name__ == "__main__":
    main()
