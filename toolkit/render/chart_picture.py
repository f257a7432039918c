"""The Månadsuppföljning chart as a picture, for the Word report: the unit's
cumulative utfall, cumulative periodised budget and forecast path, January to
December — the series of ``engine.monthly`` that the sheet's native chart
shows (``render.monthly``), drawn with matplotlib.

Why matplotlib, not LibreOffice: a picture drawn from the same series needs
no office suite on the economist's machine (LibreOffice is rarely there on a
municipality's Windows desktop), takes a fraction of a second where starting
soffice takes seconds, and gives the same bytes from the same inputs — the
Agg renderer with the font matplotlib ships (DejaVu Sans, never the machine's
fonts), matplotlib's own defaults (never the user's matplotlibrc) and no
metadata in the PNG (no Software entry, no date). matplotlib is an optional
dependency (``pip install "reconcile[report]"``), imported only here: without
it the document is written without the picture and the run says so
(``MISSING``).

Swedish throughout: months jan–dec, the amounts in the unit shown (tkr) with
a no-break space between thousands, the legend as the sheet names the series.
"""

from __future__ import annotations

import io

from ..contract import MONTHS
from ..engine.monthly import Area
from ..engine.text import number
from ..money import round_half_up
from .formats import display

#: the run's note when matplotlib is not installed (the summary line and --json)
MISSING = 'utan diagram: matplotlib saknas (pip install "reconcile[report]")'
WIDTH_CM, HEIGHT_CM = 16.0, 6.5  # the picture's size in the document
DPI = 200
FONT = "DejaVu Sans"  # shipped with matplotlib: the same glyphs on every machine
#: the three lines as the sheet's chart draws them (render.monthly.SERIES): label, colour, width, dashed
ACTUAL = ("Utfall ack.", "#1F4E79", 2.2, False)
PHASED = ("Periodiserad budget ack.", "#7F7F7F", 1.7, False)
PATH = ("Prognos", "#C55A11", 2.2, True)


class ChartUnavailable(Exception):
    """matplotlib is not installed: the document goes without the picture."""


def available() -> bool:
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


def caption(area: Area, unit: str, year: int) -> str:
    """'Ackumulerat utfall, periodiserad budget och prognos 2025 (tkr)' — the text under the picture and its
    description for a screen reader."""
    return f"Ackumulerat utfall, periodiserad budget och prognos {year} ({unit})"


def lines(area: Area, unit: str) -> tuple[list[float | None], list[float | None], list[float | None]]:
    """The three lines, January to December, in ``unit`` (None where a line has no point): the cumulative
    utfall up to the closing month, the cumulative periodised budget, the forecast path from the closing
    month on — the values of Månadsuppföljning's columns Utfall ack., Periodiserad budget ack. and Prognos
    ack."""
    s = area.series

    def shown(values) -> list[float | None]:
        return [None if v is None else display(v, unit) for v in values]

    return shown(s.cumulative_actual()), shown(s.cumulative_phased()), shown(s.forecast_path())


def chart_png(area: Area, unit: str, year: int) -> bytes:
    """The chart of ``area`` (the unit's Totalt) as PNG bytes; the same inputs give the same bytes."""
    try:
        import matplotlib
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
        from matplotlib.ticker import FuncFormatter
    except ImportError as exc:
        raise ChartUnavailable(MISSING) from exc

    s = area.series
    months = range(12)
    actual, phased, path = lines(area, unit)
    settings = {**matplotlib.rcParamsDefault, "font.family": "sans-serif", "font.sans-serif": [FONT],
                "font.size": 8.5, "axes.unicode_minus": True, "svg.hashsalt": "reconcile"}
    with matplotlib.rc_context(settings):
        figure = Figure(figsize=(WIDTH_CM / 2.54, HEIGHT_CM / 2.54), dpi=DPI)
        FigureCanvasAgg(figure)
        axes = figure.add_subplot()
        for values, (label, colour, width, dashed) in ((phased, PHASED), (actual, ACTUAL), (path, PATH)):
            shown = [(m, v) for m, v in zip(months, values) if v is not None]
            if shown:
                axes.plot([m for m, _ in shown], [v for _, v in shown], label=label, color=colour, linewidth=width,
                          linestyle=(0, (5, 3)) if dashed else "-", solid_capstyle="round")
        axes.set_xticks(list(months), list(MONTHS))
        axes.set_xlim(-0.3, 11.3)
        axes.set_xlabel(f"Månad {year}")
        axes.set_ylabel(f"Ackumulerat, {unit}")
        axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: number(round_half_up(value))))
        axes.grid(axis="y", color="#D9D9D9", linewidth=0.6)
        axes.set_axisbelow(True)
        for side in ("top", "right"):
            axes.spines[side].set_visible(False)
        if s.period:
            axes.axvline(s.period - 1, color="#BFBFBF", linewidth=0.8, linestyle=":")
        handles, labels = axes.get_legend_handles_labels()
        order = [labels.index(name) for name in (ACTUAL[0], PHASED[0], PATH[0]) if name in labels]
        axes.legend([handles[i] for i in order], [labels[i] for i in order], loc="upper left", frameon=False)
        low, high = axes.get_ylim()
        axes.set_ylim(min(low, 0), max(high, 0))  # from zero: the distance to the axis is the amount
        figure.subplots_adjust(left=0.11, right=0.98, top=0.96, bottom=0.17)
        out = io.BytesIO()
        figure.savefig(out, format="png", dpi=DPI, metadata={"Software": None})
    return out.getvalue()
