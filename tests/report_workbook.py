"""A lokal nämnd's workbook shaped like section 4.1 of a published follow-up
report: account classes at the top (Intäkter, Personalkostnader, Övriga
driftkostnader), lines and initiatives under them, a sub-heading with
initiatives of its own (Insatser för jämlik hälsa), an Ofördelat remainder,
commitments on some initiatives, and amounts whose rounded rows do not add
up to their rounded Summa."""

from __future__ import annotations

from pathlib import Path

from workbook_factory import write_workbook

BUDGET = [
    ["Rad", "Överordnad", "Typ", "Budget", "Konto", "Projekt", "Periodisering", "Intecknat", "Kommentar"],
    ["Intäkter", None, "Intäkt", None, None, None, None, None, None],
    ["Bidrag", "Intäkter", None, 40_000, "3010", None, None, None, None],
    ["Övriga intäkter", "Intäkter", None, 20_000, "3090", None, None, None, None],
    ["Personalkostnader", None, "Kostnad", None, None, None, None, None, None],
    ["Arvoden förtroendevalda", "Personalkostnader", None, 470_000, "5011", None, None, None,
     "Fasta arvoden och sammanträdesarvoden; inga sammanträden i juli, så utfallet ligger under den "
     "periodiserade budgeten."],
    ["Sociala avgifter", "Personalkostnader", None, 165_000, "5410", None, None, None, None],
    ["Förlorad arbetsinkomst", "Personalkostnader", None, 65_000, "5012", None, None, None, None],
    ["Reseersättningar", "Personalkostnader", None, 12_000, "5810", None, None, None, None],
    ["Övriga driftkostnader", None, "Kostnad", None, None, None, None, None, None],
    ["Politisk verksamhet", "Övriga driftkostnader", None, 180_000, "6*", None, None, None, None],
    ["Utvecklingsmedel", "Övriga driftkostnader", None, 450_000, "4*", None, None, None,
     "Beslut om resterande medel tas i september."],
    ["Insatser för jämlik hälsa", "Utvecklingsmedel", None, None, None, None, None, None, None],
    ["Folkhälsa unga", "Insatser för jämlik hälsa", None, 90_000, None, "P1", None, 40_000, None],
    ["Mötesplats seniorer", "Insatser för jämlik hälsa", None, 60_000, None, "P2", None, 25_000,
     "Tillsammans med PRO och SPF."],
    ["Digital delaktighet", "Utvecklingsmedel", None, 80_000, None, "P3", None, None, None],
]
LEDGER = [
    ["Period", "Konto", "Projekt", "Text", "Belopp"],
    [202503, 3010, None, "Bidrag", -30_000.40],
    [202506, 3090, None, "Avgifter", -12_345.60],
    [202502, 5011, None, "Arvoden", 315_615],
    [202502, 5410, None, "Sociala avgifter", 112_188.94],
    [202504, 5012, None, "Förlorad arbetsinkomst", 41_447.17],
    [202505, 5810, None, "Resor", 6_250],
    [202506, 6110, None, "Lokaler", 88_420.55],
    [202503, 4010, "P1", "Workshop", 71_785.50],
    [202504, 4010, "P2", "Träff", 43_026.50],
    [202505, 4010, "P3", "Kurs", 21_018.50],
    [202507, 4010, None, "Ej fördelat", 10_250],
]


def report_workbook(path: Path, **settings: object) -> Path:
    """The workbook, with Inställningar holding ``settings`` (by name) besides Enhet, År and Period."""
    rows = [["Inställning", "Värde"], ["Enhet", "Lokal nämnd Exempel"], ["År", 2025], ["Period", 8]]
    rows += [[name, value] for name, value in settings.items()]
    return write_workbook(path, {"Inställningar": rows, "Budget": BUDGET, "Utfall": LEDGER})
