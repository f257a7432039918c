"""Build the example workbooks ``Halmstad.xlsx``, ``Navet.xlsx`` and ``Halmstad-andringar.xlsx``.

    python workbooks/build.py            # writes them next to this file

All are fictional but realistic: a lokal nämnd of Region Halland (budget in
kr, a transaction ledger, closing period August) and Navet science center of
Boråsregionen (budget in tkr, income lines, a monthly-matrix ledger, closing
period left blank = June); ``Halmstad-andringar.xlsx`` is Halmstad with the
year's budget changes on Budgetändringar (a tilläggsanslag, an omfördelning,
an ombudgetering from January and a decision after the closing period).
The output is deterministic (fixed seed, fixed
``created`` property), so rebuilding gives byte-identical files and
``tests/test_examples.py`` can check that the committed workbooks are current.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:  # run as a script from a checkout
    sys.path.insert(0, str(HERE.parent))

from toolkit import template as tpl
from toolkit.contract import MONTH_HEADERS

NOTES_SHEET = "Anteckningar"


@dataclass
class Example:
    """Everything one example workbook holds (amounts in öre while generating)."""

    file_name: str
    title: str
    settings: dict[str, object]
    budget_columns: list[str]
    budget: list[dict[str, object]]
    keys: dict[str, list[float]]
    ledger_columns: list[str]
    ledger: list[dict[str, object]]
    notes: list[str] = field(default_factory=list)
    extra: Callable | None = None  # writes more on the notes sheet: (workbook, sheet, example)
    changes: list[dict[str, object]] = field(default_factory=list)  # Budgetändringar (none: no such sheet)

    def ledger_by_month(self) -> dict[int, Decimal]:
        """Σ Belopp per period yyyymm over the whole Utfall sheet (kr)."""
        sums: dict[int, Decimal] = {}
        year = self.settings["År"]
        for row in self.ledger:
            if "Belopp" in row:
                period = int(row["Period"])
                sums[period] = sums.get(period, Decimal(0)) + Decimal(str(row["Belopp"]))
            else:  # monthly matrix
                for m, month in enumerate(MONTH_HEADERS, start=1):
                    if row.get(month) is not None:
                        period = year * 100 + m
                        sums[period] = sums.get(period, Decimal(0)) + Decimal(str(row[month]))
        return dict(sorted(sums.items()))

    def closing_period(self) -> int:
        """Settings' Period, or the latest month with ledger rows in the year."""
        year = self.settings["År"]
        if self.settings.get("Period"):
            return int(self.settings["Period"])
        return max(p % 100 for p in self.ledger_by_month() if p // 100 == year)

    def ledger_total_in_period(self) -> Decimal:
        """Σ ledger for months 1..P of the year (what the toolkit reconciles)."""
        year, last = self.settings["År"], self.closing_period()
        return sum(
            (v for p, v in self.ledger_by_month().items() if p // 100 == year and p % 100 <= last),
            Decimal(0),
        )


def kr(ore: int) -> float:
    """öre → kr as the float Excel stores (exact to two decimals on round-trip)."""
    return ore / 100


# --------------------------------------------------------------------------------------------
# Halmstad: Lokal nämnd Halmstad, Region Halland, 2025, budget in kr, closing period August
# --------------------------------------------------------------------------------------------

ANSVAR_NAMND = 110010
VERKS_NAMND = 1010  # nämndverksamhet
VERKS_UTV = 1020  # utvecklingsmedel
AKT_SAMMANTRADE, AKT_PRESIDIUM, AKT_DIALOG, AKT_UTBILDNING = 101, 102, 103, 104
MOTPART_INTERN = 1300  # Region Halland, internal counterparty

AUTUMN_KEY = [2, 3, 4, 5, 6, 5, 0, 5, 20, 25, 20, 5]  # "Höst": 30 % by August

HALMSTAD_BUDGET: list[dict[str, object]] = [
    {"Rad": "Arvoden och ersättningar", "Typ": "Kostnad", "Budget": 712_000, "Ansvar": ANSVAR_NAMND,
     "Verksamhet": VERKS_NAMND, "Periodisering": "Linjär", "Uppdrag": "Politik"},
    {"Rad": "Arvoden förtroendevalda", "Överordnad": "Arvoden och ersättningar", "Budget": 470_000,
     "Konto": "5011, 5012",
     "Kommentar": "Fasta arvoden för presidiet och sammanträdesarvoden; inga sammanträden i juli."},
    {"Rad": "Sociala avgifter", "Överordnad": "Arvoden och ersättningar", "Budget": 165_000,
     "Konto": "5600-5699"},
    {"Rad": "Förlorad arbetsinkomst", "Överordnad": "Arvoden och ersättningar", "Budget": 65_000,
     "Konto": 5021},
    {"Rad": "Reseersättningar", "Överordnad": "Arvoden och ersättningar", "Budget": 12_000,
     "Konto": "581*"},
    {"Rad": "Utvecklingsmedel", "Typ": "Kostnad", "Budget": 450_000, "Konto": "4000-7999",
     "Ansvar": ANSVAR_NAMND, "Verksamhet": VERKS_UTV, "Periodisering": "Höst", "Uppdrag": "Utvecklingsmedel",
     "Kommentar": "Medel till lokala initiativ; beslut om fördelning av resterande medel tas i september."},
    {"Rad": "Folkhälsa unga", "Överordnad": "Utvecklingsmedel", "Budget": 150_000, "Projekt": 9101,
     "Intecknat": 40_000},
    {"Rad": "Mötesplats seniorer", "Överordnad": "Utvecklingsmedel", "Budget": 120_000, "Projekt": 9102,
     "Intecknat": 25_000,
     "Kommentar": "Tillsammans med PRO och SPF; höstens träffar är beställda."},
    {"Rad": "Digital delaktighet", "Överordnad": "Utvecklingsmedel", "Budget": 80_000, "Projekt": 9103,
     "Prognos": 60_000,
     "Kommentar": "Startade senare än planerat; bedöms inte förbruka hela budgeten."},
    {"Rad": "Kurs och konferens", "Typ": "Kostnad", "Budget": 60_000, "Konto": "7050, 7051",
     "Ansvar": ANSVAR_NAMND, "Verksamhet": VERKS_NAMND, "Uppdrag": "Politik"},
    {"Rad": "Övrigt", "Typ": "Kostnad", "Budget": 120_000, "Konto": "6*, 7*", "Ansvar": ANSVAR_NAMND,
     "Verksamhet": VERKS_NAMND, "Uppdrag": "Politik",
     "Kommentar": "Förtäring, lokaler, annonser och material för sammanträden och dialogmöten."},
]

# nämndsammanträde, presidiemöte (a week before) — no meetings in July
MEETINGS = ["2025-01-22", "2025-02-19", "2025-03-12", "2025-04-09", "2025-05-14", "2025-06-11",
            "2025-08-27"]
PRESIDIUM = ["2025-01-15", "2025-02-12", "2025-03-05", "2025-04-02", "2025-05-07", "2025-06-04",
             "2025-08-20", "2025-09-10"]
DIALOGUES = [("2025-02-26", "Andersberg"), ("2025-03-26", "Getinge"), ("2025-05-21", "Oskarström"),
             ("2025-06-17", "Söndrum"), ("2025-08-13", "Vallås")]


def _period(day: str) -> int:
    y, m, _ = day.split("-")
    return int(y) * 100 + int(m)


def halmstad() -> Example:
    rng = random.Random(20250831)
    rows: list[dict[str, object]] = []

    def book(day_or_period, konto, text, ore, *, verks=VERKS_NAMND, akt=None, projekt=None, motpart=None):
        period = day_or_period if isinstance(day_or_period, int) else _period(day_or_period)
        row = {"Period": period, "Konto": konto, "Ansvar": ANSVAR_NAMND, "Verksamhet": verks,
               "Aktivitet": akt, "Projekt": projekt, "Motpart": motpart, "Text": text, "Belopp": kr(ore)}
        rows.append({k: v for k, v in row.items() if v is not None})

    fees_per_month: dict[int, int] = {}

    def fee(day_or_period, konto, text, ore, akt=None):
        book(day_or_period, konto, text, ore, akt=akt)
        p = day_or_period if isinstance(day_or_period, int) else _period(day_or_period)
        fees_per_month[p] = fees_per_month.get(p, 0) + ore

    # a few rows of December 2024 came with the export (other year: left out)
    for _ in range(3):
        fee("2024-12-11", 5012, "Arvode nämndsammanträde 2024-12-11", 115_000, AKT_SAMMANTRADE)
    book(202412, 6071, "Julfika nämndsammanträde 2024-12-11", 184_500)

    # fixed monthly fees for the presidium (the export was taken before September's payroll)
    for month in range(1, 9):
        p = 202500 + month
        fee(p, 5011, f"Fast arvode ordförande 2025-{month:02d}", 1_250_000)
        fee(p, 5011, f"Fast arvode 1:e vice ordförande 2025-{month:02d}", 500_000)
        fee(p, 5011, f"Fast arvode 2:e vice ordförande 2025-{month:02d}", 500_000)

    for day in MEETINGS:
        attending = rng.randint(11, 14)  # ledamöter and tjänstgörande ersättare
        for _ in range(attending):
            fee(day, 5012, f"Arvode nämndsammanträde {day}", 115_000, AKT_SAMMANTRADE)
        for _ in range(rng.randint(3, 4)):
            fee(day, 5021, f"Förlorad arbetsinkomst {day}", rng.randint(90_000, 240_000), AKT_SAMMANTRADE)
        for _ in range(rng.randint(4, 6)):
            book(day, 5811, f"Milersättning {day}", rng.randint(20, 90) * 250, akt=AKT_SAMMANTRADE)
        book(day, 6071, f"Lunch nämndsammanträde {day}", rng.randint(220_000, 310_000), akt=AKT_SAMMANTRADE)
    for day in PRESIDIUM:
        for role in ("ordförande", "1:e vice ordförande", "2:e vice ordförande"):
            fee(day, 5012, f"Arvode presidiemöte {day} {role}", 76_500, AKT_PRESIDIUM)
    for day, place in DIALOGUES:
        for _ in range(rng.randint(4, 6)):
            fee(day, 5012, f"Arvode dialogmöte {place} {day}", 76_500, AKT_DIALOG)
        book(day, 5812, f"Bussbiljetter dialogmöte {place}", rng.randint(3, 8) * 3_900, akt=AKT_DIALOG)
        book(day, 6071, f"Fika dialogmöte {place}", rng.randint(95_000, 260_000), akt=AKT_DIALOG)
        book(day, 6130, f"Lokalhyra dialogmöte {place}", rng.choice([150_000, 200_000, 250_000]),
             akt=AKT_DIALOG, motpart=MOTPART_INTERN)
        book(day, 6910, f"Annons dialogmöte {place}, Hallandsposten", rng.randint(380_000, 520_000), akt=AKT_DIALOG)

    # sociala avgifter (PO-pålägg 31,42 %) on fees and lost income, booked per month
    for p, base in sorted(fees_per_month.items()):
        book(p, 5611, f"PO-pålägg arvoden {p // 100}-{p % 100:02d}", round(base * 0.3142))

    # courses and conferences
    for day, text, konto, ore in [
        ("2025-02-04", "Introduktionsutbildning nya ledamöter, Region Halland", 7050, 960_000),
        ("2025-03-20", "Konferens SKR Stockholm, deltagaravgifter 3 pers", 7050, 1_485_000),
        ("2025-03-20", "Tåg och hotell konferens SKR Stockholm", 7051, 1_062_850),
        ("2025-04-24", "Folkhälsokonferens Göteborg, deltagaravgift", 7050, 390_000),
        ("2025-04-24", "Tågresa Folkhälsokonferens Göteborg", 7051, 118_400),
        ("2025-05-28", "Webbutbildning offentlighet och sekretess", 7050, 150_000),
        ("2025-08-28", "Demokratidagen Halmstad, anmälningsavgifter", 7050, 240_000),
    ]:
        book(day, konto, text, ore, akt=AKT_UTBILDNING)

    # other running costs of the nämnd
    for month in range(1, 9):
        p = 202500 + month
        book(p, 6540, f"Läsplattor förtroendevalda, licenser 2025-{month:02d}", 118_750, motpart=MOTPART_INTERN)
        if month in (2, 4, 6, 8):
            book(p, 7420, f"Porto och utskick kallelser 2025-{month:02d}", rng.randint(18_000, 52_000))
    for day, text, konto, ore in [
        ("2025-01-29", "Kontorsmaterial nämnden", 6410, 84_300),
        ("2025-03-18", "Roll-up och broschyrer Lokal nämnd Halmstad", 6410, 612_500),
        ("2025-05-05", "Blommor avtackning ledamot", 6071, 65_000),
        ("2025-06-23", "Sommarfika med medborgarpanelen", 6071, 143_900),
        ("2025-08-05", "Trycksaker Halmstadsdagarna", 6410, 398_750),
    ]:
        book(day, konto, text, ore)

    # development funds: a little in spring, most after the summer (autumn invoices come later)
    dev = [
        ("2025-01-31", 9101, 4610, "Föreläsning psykisk hälsa, gymnasiet", 1_150_000),
        ("2025-02-20", 9101, 6071, "Fika uppstartsträff Folkhälsa unga", 96_400),
        ("2025-03-14", 9101, 4590, "Bidrag IFK Halmstad, spontanidrott", 1_200_000),
        ("2025-04-11", 9101, 6410, "Material sommarlovsaktiviteter", 432_150),
        ("2025-05-16", 9101, 4610, "Workshop skärmvanor, Halmstads bibliotek", 1_180_000),
        ("2025-06-13", 9101, 4590, "Bidrag Fritidsgården Vallås, sommarlovsaktiviteter", 1_500_000),
        ("2025-08-22", 9101, 4610, "Prova-på-dag friluftsliv, utförare", 1_375_000),
        ("2025-08-29", 9101, 6910, "Annonsering Folkhälsa unga, sociala medier", 245_000),
        ("2025-02-27", 9102, 6130, "Lokalhyra mötesplats februari", 220_000),
        ("2025-03-27", 9102, 6130, "Lokalhyra mötesplats mars", 220_000),
        ("2025-03-27", 9102, 6071, "Fika mötesplats seniorer", 138_600),
        ("2025-04-24", 9102, 6130, "Lokalhyra mötesplats april", 220_000),
        ("2025-04-24", 9102, 4610, "Föreläsning Trygg digitalt, Mötesplats seniorer", 850_000),
        ("2025-05-22", 9102, 6130, "Lokalhyra mötesplats maj", 220_000),
        ("2025-05-22", 9102, 6071, "Fika mötesplats seniorer", 152_300),
        ("2025-06-12", 9102, 4590, "Bidrag PRO Halmstad, utflykt seniorer", 1_200_000),
        ("2025-08-28", 9102, 6130, "Lokalhyra mötesplats augusti", 220_000),
        ("2025-08-28", 9102, 4610, "Musikunderhållning sensommarträff", 650_000),
        ("2025-08-28", 9102, 6071, "Fika sensommarträff", 211_750),
        ("2025-05-09", 9103, 4610, "Digitalhjälp på biblioteket, pilotvecka", 450_000),
        ("2025-06-05", 9103, 6410, "Surfplattor utlåning, 4 st", 1_195_600),
        ("2025-08-19", 9103, 6910, "Annons Digital delaktighet, Hallandsposten", 456_250),
        ("2025-09-12", 9103, 4610, "Digitalhjälp höstens tillfällen", 900_000),
        ("2025-09-05", 9101, 4590, "Bidrag Halmstad BK ungdom, höstlovsaktiviteter", 1_800_000),
    ]
    for day, projekt, konto, text, ore in dev:
        book(day, konto, text, ore, verks=VERKS_UTV, projekt=projekt)
    # booked on the development funds without an initiative: land on the parent (Ofördelat)
    book("2025-02-10", 6910, "Annons utlysning utvecklingsmedel 2025", 512_500, verks=VERKS_UTV)
    book("2025-08-15", 6910, "Annons utlysning utvecklingsmedel hösten", 512_500, verks=VERKS_UTV)

    # rows no budget line covers (→ Ej budgeterat)
    book("2025-03-31", 8420, "Dröjsmålsränta faktura lokalhyra", 3_425)
    book("2025-06-30", 8420, "Dröjsmålsränta faktura tryckeri", 11_870)
    book("2025-04-15", 4610, "Tolktjänst dialogmöte, ej kodad på utvecklingsmedel", 245_000, akt=AKT_DIALOG)
    book("2025-05-30", 3990, "Återbetalning kursavgift, inställd kurs", -150_000, akt=AKT_UTBILDNING)

    # the export is sorted by period and account, like a ledger report
    rows.sort(key=lambda r: (r["Period"], r["Konto"], r.get("Projekt", 0), r["Text"]))

    return Example(
        file_name="Halmstad.xlsx",
        title="Lokal nämnd Halmstad – budgetuppföljning 2025",
        settings={"Enhet": "Lokal nämnd Halmstad", "År": 2025, "Period": 8, "Belopp i": "kr",
                  "Visa i": "tkr", "Prognosmetod": "budget"},
        budget_columns=["Rad", "Överordnad", "Typ", "Budget", "Konto", "Ansvar", "Verksamhet", "Projekt",
                        "Periodisering", "Uppdrag", "Prognos", "Intecknat", "Kommentar"],
        budget=HALMSTAD_BUDGET,
        keys={"Höst": AUTUMN_KEY},
        ledger_columns=["Period", "Konto", "Ansvar", "Verksamhet", "Aktivitet", "Projekt", "Motpart", "Text",
                        "Belopp"],
        ledger=rows,
        notes=[
            "Mina anteckningar (det här bladet rör inte reconcile)",
            "",
            "Uppföljningsrapport 2 (jan–aug) ska till nämnden 2025-09-17.",
            "Utvecklingsmedel: beslut om resterande medel (Ofördelat) tas på sammanträdet i september.",
            "Fråga ekonomiservice: tolkfakturan i april är bokad utan projekt – ska flyttas till 9102?",
            "Dröjsmålsräntorna: påminn om attest inom 10 dagar.",
        ],
        extra=_halmstad_chart,
    )


def _halmstad_chart(workbook, sheet, example: Example) -> None:
    """The economist's own table of monthly utfall (SUMIFS over Utfall) and a column chart."""
    bold = workbook.add_format({"bold": True})
    money = workbook.add_format({"num_format": "#,##0"})
    cols = example.ledger_columns
    period_col = _col_letter(cols.index("Period"))
    amount_col = _col_letter(cols.index("Belopp"))
    top = len(example.notes) + 1
    sheet.write_string(top, 0, "Månad", bold)
    sheet.write_string(top, 1, "Utfall kr", bold)
    by_month = example.ledger_by_month()
    for m in range(1, 9):
        period = 202500 + m
        r = top + m
        sheet.write_string(r, 0, MONTH_HEADERS[m - 1])
        formula = f"=SUMIFS(Utfall!${amount_col}:${amount_col},Utfall!${period_col}:${period_col},{period})"
        sheet.write_formula(r, 1, formula, money, float(by_month.get(period, 0)))
    chart = workbook.add_chart({"type": "column"})
    chart.add_series({
        "name": "Utfall per månad",
        "categories": [NOTES_SHEET, top + 1, 0, top + 8, 0],
        "values": [NOTES_SHEET, top + 1, 1, top + 8, 1],
        "fill": {"color": "#4F6D8F"},
    })
    chart.set_title({"name": "Utfall per månad 2025 (kr)"})
    chart.set_legend({"none": True})
    chart.set_y_axis({"num_format": "#,##0"})
    sheet.insert_chart(top, 3, chart, {"x_scale": 1.2, "y_scale": 1.1})


def _col_letter(index: int) -> str:
    return chr(ord("A") + index)  # the example sheets stay within A..Z


# --------------------------------------------------------------------------------------------
# Navet: Navet science center, Boråsregionen, 2025, budget in tkr, matrix ledger Jan–Jun
# --------------------------------------------------------------------------------------------

SUMMER_KEY = [6, 8, 6, 8, 6, 10, 16, 12, 5, 9, 5, 9]  # "Sommar": school holidays and summer

NAVET_BUDGET: list[dict[str, object]] = [
    {"Rad": "Intäkter", "Typ": "Intäkt", "Budget": 12_500, "Ansvar": "4100-4199", "Uppdrag": "Navet"},
    {"Rad": "Entréavgifter", "Överordnad": "Intäkter", "Budget": 2_400, "Konto": "3111, 3112, 3113",
     "Periodisering": "Sommar", "Kommentar": "Flest besökare under lov och sommar."},
    {"Rad": "Bidrag och projektmedel", "Överordnad": "Intäkter", "Budget": 8_600, "Konto": "3500-3599",
     "Kommentar": "Medlemsbidrag från förbundets kommuner samt projektmedel."},
    {"Rad": "Försäljning", "Överordnad": "Intäkter", "Budget": 1_500, "Konto": "304*"},
    {"Rad": "Personalkostnader", "Typ": "Kostnad", "Budget": 7_600, "Konto": "5*", "Ansvar": "4100-4199",
     "Periodisering": "Arbetsdagar", "Uppdrag": "Navet"},
    {"Rad": "Lokalkostnader", "Typ": "Kostnad", "Budget": 3_300, "Konto": "6*", "Ansvar": "4100-4199",
     "Periodisering": "Kalenderdagar", "Uppdrag": "Navet"},
    {"Rad": "Övriga kostnader", "Typ": "Kostnad", "Budget": 1_600, "Konto": "4*, 7*", "Ansvar": "4100-4199",
     "Uppdrag": "Navet"},
]


def navet() -> Example:
    rng = random.Random(20250630)
    months = 6  # booked Jan–Jun
    summer = [w / sum(SUMMER_KEY) for w in SUMMER_KEY]
    rows: list[dict[str, object]] = []

    def line(konto: int, ansvar: int, text: str, amounts_ore: list[int]) -> None:
        row: dict[str, object] = {"Konto": konto, "Ansvar": ansvar, "Text": text}
        for m, ore in enumerate(amounts_ore):
            if ore:  # nothing booked on the account that month: the export leaves the cell empty
                row[MONTH_HEADERS[m]] = kr(ore)
        rows.append(row)

    def noisy(base_kr: float, spread: float) -> int:
        return round(base_kr * (1 + rng.uniform(-spread, spread)) * 100)

    # income (negative): entrance fees follow the summer profile, a little below budget this spring
    for konto, text, annual in [(3111, "Entréavgifter vuxna", 1_250_000), (3112, "Entréavgifter barn", 820_000),
                                (3113, "Årskort", 260_000)]:
        line(konto, 4120, text, [-noisy(annual * summer[m], 0.12) for m in range(months)])
    line(3041, 4120, "Försäljning butik", [-noisy(52_000 * (1.4 if m in (1, 3, 5) else 1), 0.15) for m in range(months)])
    line(3042, 4110, "Försäljning skolprogram och kalas", [-noisy(60_000, 0.25) for m in range(months)])
    line(3511, 4100, "Medlemsbidrag förbundets kommuner", [-650_000_00] * months)
    line(3521, 4110, "Projektmedel Skolverket, NT-satsning", [0, 0, -250_000_00, 0, 0, -150_000_00])

    # personnel: salaries per ansvar, summer hourly staff from June, PO and pension
    salaries = {4100: ("Månadslöner ledning och administration", 90_000), 4110: ("Månadslöner pedagoger", 185_000),
                4120: ("Månadslöner publik verksamhet", 105_000), 4130: ("Månadslöner drift och teknik", 52_000)}
    paid: list[int] = [0] * months
    for ansvar, (text, monthly) in salaries.items():
        amounts = [noisy(monthly, 0.03) for _ in range(months)]
        paid = [a + b for a, b in zip(paid, amounts)]
        line(5011, ansvar, text, amounts)
    hourly = [noisy(12_000, 0.3) for _ in range(5)] + [noisy(60_000, 0.1)]
    paid = [a + b for a, b in zip(paid, hourly)]
    line(5031, 4120, "Timlöner värdar och sommarpersonal", hourly)
    line(5611, 4100, "Arbetsgivaravgifter", [round(p * 0.3142) for p in paid])
    line(5711, 4100, "Pensionskostnader", [round(p * 0.062) for p in paid])
    line(5841, 4100, "Kurser och konferenser personal", [0, 1_850_000, 420_000, 2_375_000, 0, 690_000])

    # premises: rent by the month, energy higher in winter
    line(6110, 4130, "Lokalhyra", [19_950_000] * months)
    line(6120, 4130, "El", [noisy(base, 0.05) for base in (48_000, 44_000, 36_000, 27_000, 21_000, 18_000)])
    line(6130, 4130, "Fjärrvärme", [noisy(base, 0.05) for base in (41_000, 38_000, 30_000, 19_000, 9_000, 4_000)])
    line(6150, 4130, "Städtjänster", [noisy(22_500, 0.02) for _ in range(months)])
    line(6170, 4130, "Reparation och underhåll", [noisy(9_000, 0.6) for _ in range(months)])

    # other costs
    line(4010, 4110, "Material utställningar och experiment", [noisy(40_000, 0.4) for _ in range(months)])
    line(4610, 4120, "Köp av tjänster, evenemang", [0, 6_400_000, 0, 4_800_000, 1_650_000, 7_250_000])
    line(7010, 4100, "IT och telefoni", [noisy(22_000, 0.05) for _ in range(months)])
    line(7130, 4100, "Resor", [noisy(3_000, 0.8) for _ in range(months)])
    line(7310, 4120, "Marknadsföring", [noisy(base, 0.2) for base in (12_000, 28_000, 10_000, 24_000, 16_000, 39_000)])
    # not covered by any line (→ Ej budgeterat)
    line(8410, 4100, "Räntekostnader och bankavgifter", [noisy(450, 0.3) for _ in range(months)])

    return Example(
        file_name="Navet.xlsx",
        title="Navet science center – budgetuppföljning 2025",
        settings={"Enhet": "Navet science center", "År": 2025, "Period": None, "Belopp i": "tkr",
                  "Visa i": "tkr", "Prognosmetod": "rest"},
        budget_columns=["Rad", "Överordnad", "Typ", "Budget", "Konto", "Ansvar", "Periodisering", "Uppdrag",
                        "Kommentar"],
        budget=NAVET_BUDGET,
        keys={"Sommar": SUMMER_KEY},
        ledger_columns=["Konto", "Ansvar", "Text", *MONTH_HEADERS],
        ledger=rows,
        notes=[
            "Anteckningar Navet (det här bladet rör inte reconcile)",
            "",
            "Utfall klistras in från huvudboksrapporten per konto och ansvar, en kolumn per månad.",
            "Delårsrapport per augusti till direktionen i oktober.",
            "Projektmedel Skolverket: slutrapport ska in senast 2025-11-30.",
        ],
        extra=_navet_visitors,
    )


def _navet_visitors(workbook, sheet, example: Example) -> None:
    """A small table the economist keeps by hand: visitors per month."""
    bold = workbook.add_format({"bold": True})
    count = workbook.add_format({"num_format": "#,##0"})
    top = len(example.notes) + 1
    sheet.write_string(top, 0, "Månad", bold)
    sheet.write_string(top, 1, "Besökare", bold)
    for m, visitors in enumerate([5_120, 7_840, 5_310, 7_960, 5_480, 9_230], start=1):
        sheet.write_string(top + m, 0, MONTH_HEADERS[m - 1])
        sheet.write_number(top + m, 1, visitors, count)


# --------------------------------------------------------------------------------------------


def write_example(example: Example, path: Path) -> None:
    workbook, formats = tpl.new_workbook(str(path), title=example.title, comments="Exempelarbetsbok för reconcile")
    tpl.add_settings_sheet(workbook, formats, example.settings)
    tpl.add_budget_sheet(workbook, formats, example.budget, example.budget_columns)
    tpl.add_ledger_sheet(workbook, formats, example.ledger, example.ledger_columns)
    tpl.add_keys_sheet(workbook, formats, example.keys)
    if example.changes:
        tpl.add_changes_sheet(workbook, formats, example.changes)
    notes = workbook.add_worksheet(NOTES_SHEET)
    notes.set_column(0, 0, 14)
    notes.set_column(1, 1, 14)
    for r, text in enumerate(example.notes):
        notes.write_string(r, 0, text, workbook.add_format({"bold": True}) if r == 0 else None)
    if example.extra:
        example.extra(workbook, notes, example)
    tpl.add_lists_sheet(workbook, example.keys)
    workbook.close()


# --------------------------------------------------------------------------------------------
# Halmstad with the year's budget changes (Budgetändringar): the same nämnd and ledger


HALMSTAD_CHANGES: list[dict[str, object]] = [
    {"Datum": datetime(2025, 2, 19), "Rad": "Digital delaktighet", "Belopp": 40_000, "Typ": "Ombudgetering",
     "Beslut": "LNH 2025/12", "Från januari": "ja", "Kommentar": "Outnyttjade medel 2024 förs över till 2025"},
    {"Datum": datetime(2025, 3, 12), "Rad": "Kurs och konferens", "Belopp": 25_000, "Typ": "Tilläggsanslag",
     "Beslut": "RS 2025/112", "Kommentar": "Regionstyrelsens tillskott för Demokratidagen"},
    {"Datum": datetime(2025, 6, 11), "Rad": "Utvecklingsmedel › Ofördelat", "Belopp": -30_000,
     "Typ": "Omfördelning", "Beslut": "LNH 2025/45", "Kommentar": "Till Mötesplats seniorer"},
    {"Datum": datetime(2025, 6, 11), "Rad": "Mötesplats seniorer", "Belopp": 30_000, "Typ": "Omfördelning",
     "Beslut": "LNH 2025/45", "Kommentar": "Fler träffar under hösten"},
    {"Datum": datetime(2025, 10, 15), "Rad": "Övrigt", "Belopp": 15_000, "Typ": "Tilläggsanslag",
     "Beslut": "RS 2025/201", "Kommentar": "Beslutat i oktober: ingår från oktoberuppföljningen"},
]


#: two investment projects (Typ Investering): booked on balance-sheet accounts, followed up on Investeringar
HALMSTAD_INVESTMENTS: list[dict[str, object]] = [
    {"Rad": "Ombyggnad mötesrum", "Typ": "Investering", "Budget": 300_000, "Konto": "1110-1199",
     "Projekt": 9501, "Total budget": 600_000, "Tidigare utfall": 250_000,
     "Kommentar": "Etapp 2 av 2: sammanträdesrummet och tillgänglighetsanpassning"},
    {"Rad": "Digitalt mötessystem", "Typ": "Investering", "Budget": 180_000, "Konto": "1210-1229",
     "Projekt": 9502, "Total budget": 180_000, "Tidigare utfall": 0, "Prognos": 150_000,
     "Kommentar": "Upphandlingen blev billigare än beräknat"},
]
HALMSTAD_INVESTMENT_ROWS: list[tuple[int, int, int, str, int]] = [  # period, konto, projekt, text, öre
    (202503, 1110, 9501, "Byggentreprenad, del 1", 120_000_00),
    (202506, 1110, 9501, "Byggentreprenad, del 2", 95_000_50),
    (202505, 1220, 9502, "Mötessystem, leverans och installation", 142_500_00),
    (202509, 1110, 9501, "Byggentreprenad, slutfaktura", 40_000_00),  # after the closing period
]
HALMSTAD_INVESTMENT_CHANGE = {
    "Datum": datetime(2025, 2, 19), "Rad": "Ombyggnad mötesrum", "Belopp": 50_000, "Typ": "Ombudgetering",
    "Beslut": "LNH 2025/12", "Från januari": "ja", "Kommentar": "Ej förbrukade investeringsmedel 2024"}


def halmstad_changes() -> Example:
    """Halmstad's workbook with the year's budget changes on Budgetändringar, and two investment projects."""
    example = halmstad()
    example.file_name = "Halmstad-andringar.xlsx"
    example.title = "Lokal nämnd Halmstad – budgetuppföljning 2025 med budgetändringar"
    example.changes = [*HALMSTAD_CHANGES, HALMSTAD_INVESTMENT_CHANGE]
    example.budget = [*example.budget, *HALMSTAD_INVESTMENTS]
    example.budget_columns = [*example.budget_columns, "Total budget", "Tidigare utfall"]
    example.ledger = sorted([*example.ledger, *({"Period": period, "Konto": konto, "Ansvar": ANSVAR_NAMND,
                                                  "Verksamhet": VERKS_NAMND, "Projekt": projekt, "Text": text,
                                                  "Belopp": kr(ore)}
                                                 for period, konto, projekt, text, ore in HALMSTAD_INVESTMENT_ROWS)],
                            key=lambda r: (r["Period"], r["Konto"], r.get("Projekt", 0), r["Text"]))
    example.notes = [*example.notes[:2],
                     "Budgeten på bladet Budget är fullmäktiges ursprungliga budget; årets beslut står på "
                     "Budgetändringar.", *example.notes[2:]]
    return example


EXAMPLES = (halmstad, navet, halmstad_changes)


def build(out_dir) -> list[Path]:
    """Write every example workbook into ``out_dir``; returns their paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for make in EXAMPLES:
        example = make()
        path = out_dir / example.file_name
        write_example(example, path)
        paths.append(path)
    return paths


def main() -> None:
    for path in build(HERE):
        print(f"wrote {path}")
    for make in EXAMPLES:
        example = make()
        print(f"\n{example.file_name}: {len(example.ledger)} ledger rows, closing period {example.closing_period()}")
        for period, total in example.ledger_by_month().items():
            print(f"  {period}  {total:>14,.2f}")
        print(f"  Σ in period  {example.ledger_total_in_period():,.2f}")


if __name__ == "__main__":
    main()
