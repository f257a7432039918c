"""Inställningar — settings (optional): one row per setting, its name in
Inställning and its value in Värde. The sheet may be called Settings (read
only when it has these columns: a workbook may have a Settings sheet of its
own)."""

from __future__ import annotations

from .names import Column, Method, Setting, Sheet, Word

SETTINGS_SHEET = Sheet("Inställningar", ("Settings",), (
    Column("Inställning", ("setting",), "text", 16, "Inställningens namn. Ändra inte texten i den här kolumnen.",
           required=True),
    Column("Värde", ("value",), "code", 24, "Inställningens värde; tomt = standardvärdet som står i Förklaring.",
           required=True),
    Column("Förklaring", (), "text", 100, "Hjälptext; toolkit läser inte den här kolumnen.", read=False),
))


#: Prognosmetod: how a line without its own Prognos is forecast
METHODS = (
    Method("budget", ("utfall enligt budget",), text="utfall enligt budget"),  # the annual budget
    Method("rest", ("rest enligt budget",), text="rest enligt budget"),  # utfall + the remaining months' budget
    Method("trend", (), text="trend"),  # utfall ÷ the key's share of the months so far
)
#: Belopp i, Visa i: kronor or thousands (the readers ignore dots: "tkr." is tkr)
UNITS = (Word("kr", ("kronor", "sek")), Word("tkr", ("tusen kronor", "ksek")))
#: Strikt, Jämna summor: yes or no
YES_NO = (Word("ja", ("j", "yes", "sant", "true", "1"), True), Word("nej", ("n", "no", "falskt", "false", "0"), False))
#: Layout: how Sammanställning is laid out — the budget's tree with Summa rows, or the follow-up report's table
#: (an overview by account class, then a breakdown per class)
LAYOUTS = (Word("träd", ("trad", "tree")), Word("rapport", ("report",)))

UNIT = Setting("unit", "Enhet", ("unit", "namn"),
               "Enhetens namn, visas i rubrikerna (t.ex. Lokal nämnd Halmstad).")
YEAR = Setting("year", "År", ("year", "budgetår", "räkenskapsår"), "Budgetåret.", whole=(2000, 2100))
PERIOD = Setting("period", "Period", ("bokslutsperiod", "bokslutsmånad", "closing period"),
                 "Sista månaden som ingår (1–12). Tomt = senaste månaden med bokningar i Utfall.", whole=(1, 12))
AMOUNTS_IN = Setting("amounts_in", "Belopp i", ("amounts in",),
                     "Enhet för beloppen på bladet Budget (Budget, Prognos, Intecknat): kr eller tkr.",
                     default="kr", choices=UNITS)
SHOW_IN = Setting("show_in", "Visa i", ("show in",), "Enhet i rapporterna: tkr eller kr.", default="tkr",
                  choices=UNITS)
METHOD = Setting("method", "Prognosmetod", ("forecast method",),
                 "budget = prognosen är lika med budgeten; rest = utfall hittills + resterande månaders budget; "
                 "trend = utfall hittills uppräknat efter nyckeln. En egen Prognos på bladet Budget går alltid före.",
                 default="budget", choices=METHODS)
LEDGER_FILES = Setting("ledger_files", "Utfallsfil", ("utfallsfiler", "huvudboksfil", "ledger file", "ledger files"),
                       "Tomt = bladet Utfall. Annars huvudboksexporten (CSV, SIE eller arbetsbok) relativt den här "
                       "filens mapp, t.ex. exporter/2025-*.csv; flera åtskilda med ;.")
LAST_YEAR_FILES = Setting("last_year_files", "Fjolårsfil", ("fjolårsfiler", "last year file", "last year files"),
                          "Tomt = fjolårets rader i huvudboken, när den har hela fjolåret. Annars fjolårets "
                          "huvudbok (CSV, SIE eller arbetsbok) relativt den här filens mapp; flera åtskilda med ;.",
                          template=False)
STRICT = Setting("strict", "Strikt", ("strict",),
                 "ja = en varning stoppar körningen (som --strict); nej = varningarna visas på Avstämning.",
                 default="nej", choices=YES_NO, template=False)
ACCEPTED = Setting("accepted", "Godkända varningar", ("godkänd varning", "accepted warnings"),
                   "Varningar som enheten har godkänt (deras typ, t.ex. negativ-kostnadsbudget; åtskilda med , eller ;)"
                   ": de visas som iakttagelser.", template=False)
LAYOUT = Setting("layout", "Layout", ("uppställning",),
                 "träd = raderna som på bladet Budget, med en Summa-rad under varje rubrik; rapport = som tabellen "
                 "i uppföljningsrapporten: först en översikt per kontoklass (de översta raderna), sedan en "
                 "fördelning per klass.", default="träd", choices=LAYOUTS, template=False)
FIRST_HEADING = Setting("first_heading", "Rubrik första kolumnen", ("första kolumnens rubrik", "first column heading"),
                        "Rubriken över radernas namn på Sammanställning, t.ex. Kontoklass. Tomt = Rad.", default="Rad",
                        template=False)
EVEN_SUMS = Setting("even_sums", "Jämna summor", ("summerbar avrundning", "even sums"),
                    "ja = de visade beloppen på Sammanställning avrundas så att varje Summa är summan av raderna "
                    "ovanför (de exakta beloppen och varje justering står på Avstämning); nej = varje belopp "
                    "avrundas för sig.", default="nej", choices=YES_NO, template=False)
MATERIALITY_AMOUNT = Setting("materiality_amount", "Väsentlighet belopp", ("väsentlighetsbelopp", "materiality amount"),
                               "Väsentlig avvikelse i tkr (oavsett Belopp i och Visa i), t.ex. 50: en rad vars "
                               "avvikelse (periodiserad eller budget–prognos) är minst så stor markeras och ska "
                               "förklaras. Tomt = ingen beloppsgräns.", template=False)
MATERIALITY_PERCENT = Setting("materiality_percent", "Väsentlighet procent", ("väsentlighet %", "materiality percent"),
                              "Väsentlig avvikelse i procent av radens (periodiserade) budget, t.ex. 10 eller 10 %. "
                              "Tomt = ingen procentgräns.", template=False)
TRANSACTIONS = Setting("transactions", "Transaktioner", ("transactions",),
                       "ja = bladet Transaktioner listar periodens huvudboksrader med raden de hamnade på "
                       "(högst 200 000 rader); nej = inget sådant blad.", default="nej", choices=YES_NO,
                       template=False)

#: Urval <kolumn> (Urval Ansvar, Urval Verksamhet …): a row of the setting per ledger column; the ledger's rows
#: whose code matches every Urval's pattern (the Budget sheet's syntax) are the unit's, the rest count nowhere
URVAL = "Urval"
URVAL_HELP = ("Vilka rader i huvudboken som är enhetens, t.ex. Urval Ansvar = 42* när exporten gäller hela regionen; "
              "mönster som på bladet Budget. Flera Urval-rader: en rad ska matcha alla. Tomt = alla rader.")

#: the settings in the template's order (Fjolårsfil, Strikt, Godkända varningar and the presentation settings are
#: read; the template has no row for them)
SETTINGS = (UNIT, YEAR, PERIOD, AMOUNTS_IN, SHOW_IN, METHOD, LEDGER_FILES, LAST_YEAR_FILES, STRICT, ACCEPTED, LAYOUT,
            FIRST_HEADING, EVEN_SUMS, MATERIALITY_AMOUNT, MATERIALITY_PERCENT, TRANSACTIONS)
