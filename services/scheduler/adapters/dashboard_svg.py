"""A dashboard figure as an accessible SVG bar chart, drawn on the server: ``role="img"`` with a
``<title>`` and ``<desc>`` it is labelled by (the desc reads out every bar), one bar a row, its
label and value written beside it, no script. The page shows the figure's data table next to it."""

from __future__ import annotations

from collections.abc import Callable

from markupsafe import Markup, escape

from services.scheduler.domain.dashboard import Table

BAR = "#1d70b8"  # GOV.UK blue: 5.2:1 against white
TEXT = "#0b0c0c"
ROW = 32
LABEL_W = 260
BAR_W = 320
VALUE_W = 80


def number(value: float, unit: str) -> str:
    shown = f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"
    return f"{shown} days" if unit == "days" else shown


def bar_chart(table: Table, label: Callable[[str], str]) -> Markup:
    ident = f"chart-{table.key}"
    rows = table.rows
    height = max(1, len(rows)) * ROW + 8
    width = LABEL_W + BAR_W + VALUE_W
    said = "; ".join(f"{label(k)}: {number(v, table.unit)}" for k, v in rows) or "No figures for this year"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{ident}-title {ident}-desc"'
        f' viewBox="0 0 {width} {height}" width="100%" class="app-chart" focusable="false">',
        f'<title id="{ident}-title">{escape(table.title)}</title>',
        f'<desc id="{ident}-desc">{escape(table.description)}. {escape(said)}.</desc>',
    ]
    if not rows:
        parts.append(f'<text x="0" y="22" fill="{TEXT}" font-size="16">No figures for this year</text>')
    top = max((v for _, v in rows), default=0.0) or 1.0
    for i, (key, value) in enumerate(rows):
        y = i * ROW + 4
        length = round(BAR_W * value / top, 1)
        parts.append(
            f'<text x="{LABEL_W - 8}" y="{y + 20}" text-anchor="end" fill="{TEXT}" font-size="16">'
            f"{escape(label(key))}</text>"
            f'<rect x="{LABEL_W}" y="{y + 4}" width="{length}" height="{ROW - 10}" fill="{BAR}"/>'
            f'<text x="{LABEL_W + length + 6}" y="{y + 20}" fill="{TEXT}" font-size="16">'
            f"{escape(number(value, table.unit))}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))
