"""Charts as inline SVG strings (no script, no external resource): a Gantt chart of a
schedule by factory and line, and the operator loads of a balanced line."""

from __future__ import annotations

import zlib
from datetime import timedelta
from html import escape

from yuefang.plan.balance import LineBalance
from yuefang.plan.schedule import Schedule

__all__ = ["gantt_svg", "operator_load_svg"]

_PALETTE = ("#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#76b7b2", "#edc948", "#9c755f", "#e15759")
_MACHINE_COLOURS = {
    "lockstitch": "#4e79a7", "overlock": "#f28e2b", "coverstitch": "#e15759", "buttonhole": "#76b7b2",
    "button_sew": "#59a14f", "bartack": "#edc948", "iron": "#b07aa1", "manual": "#9c755f",
}


def _tick_minutes(span_min: float, plot_w: float, min_gap_px: float = 70.0) -> int:
    """The smallest "round" tick interval (minutes) whose labels are at least ``min_gap_px`` apart.

    >>> _tick_minutes(8 * 60, 700), _tick_minutes(30 * 1440, 700)
    (60, 5760)
    """
    for minutes in (60, 120, 180, 360, 720, 1440, 2880, 5760, 10080, 20160, 43200):
        if minutes * plot_w / span_min >= min_gap_px:
            return minutes
    return 43200


def gantt_svg(schedule: Schedule, *, width_px: int = 960, row_px: int = 22, max_rows: int = 400) -> str:
    """A Gantt chart: one row per line, grouped by factory; bars are orders (late ones outlined red).

    Examples
    --------
    >>> from datetime import datetime
    >>> s = Schedule(start=datetime(2026, 1, 5), planned=(), total_tardiness_days=0,
    ...              makespan_end=datetime(2026, 1, 5), method="edd")
    >>> gantt_svg(s).startswith("<svg")
    True
    """
    rows: list[tuple[str, str]] = sorted({(p.factory_id, p.line_id) for p in schedule.planned})[:max_rows]
    label_w = 230
    top = 28
    height = top + row_px * max(1, len(rows)) + 24
    span_min = max(1.0, (schedule.makespan_end - schedule.start).total_seconds() / 60)
    plot_w = width_px - label_w - 10
    scale = plot_w / span_min
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width_px}" height="{height}" '
           f'viewBox="0 0 {width_px} {height}" font-family="sans-serif" font-size="11" role="img" '
           f'aria-label="Gantt chart of the production schedule">',
           f'<title>Schedule from {escape(schedule.start.isoformat())}: {len(schedule.planned)} orders, '
           f'total tardiness {schedule.total_tardiness_days:.1f} days</title>',
           f'<defs><clipPath id="gantt-labels"><rect x="0" y="0" width="{label_w - 6}" height="{height}"/>'
           f'</clipPath></defs>']
    # time grid: hours for a plan of up to two days, else dates (labelled with the calendar, not "day n")
    tick_min = _tick_minutes(span_min, plot_w)
    first = schedule.start.replace(minute=0, second=0, microsecond=0)
    if tick_min >= 1440:
        first = first.replace(hour=0)
    t = first
    while t <= schedule.makespan_end:
        x = label_w + (t - schedule.start).total_seconds() / 60 * scale
        if label_w <= x <= width_px - 60:
            text = t.strftime("%m-%d") if tick_min >= 1440 else t.strftime("%m-%d %H:%M")
            out.append(f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{height - 20}" stroke="#ddd"/>')
            out.append(f'<text x="{x + 2:.1f}" y="{top - 8}" fill="#555">{text}</text>')
        t += timedelta(minutes=tick_min)
    index = {r: k for k, r in enumerate(rows)}
    factories = []
    for k, (fid, lid) in enumerate(rows):
        y = top + k * row_px
        if not factories or factories[-1] != fid:
            factories.append(fid)
            out.append(f'<line x1="0" y1="{y}" x2="{width_px}" y2="{y}" stroke="#999"/>')
        out.append(f'<text x="4" y="{y + row_px * 0.7:.1f}" clip-path="url(#gantt-labels)">'
                   f'<title>{escape(fid)} · {escape(lid)}</title>{escape(fid)} · {escape(lid)}</text>')
    for p in schedule.planned:
        k = index.get((p.factory_id, p.line_id))
        if k is None:
            continue
        x = label_w + (p.start - schedule.start).total_seconds() / 60 * scale
        w = max(1.0, (p.end - p.start).total_seconds() / 60 * scale)
        y = top + k * row_px + 3
        colour = _PALETTE[zlib.crc32(p.order_id.encode()) % len(_PALETTE)] if not p.frozen else "#888"
        stroke = ' stroke="#d62728" stroke-width="2"' if p.tardiness_days > 0 else ""
        out.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{row_px - 6}" fill="{colour}"{stroke}>'
                   f'<title>{escape(p.order_id)} on {escape(p.line_id)}: {escape(p.start.isoformat())} → '
                   f'{escape(p.end.isoformat())}, due {p.due_date.isoformat()}, '
                   f'late {p.tardiness_days:.2f} d</title></rect>')
    out.append(f'<text x="4" y="{height - 6}" fill="#555">灰色 = 已开工（冻结） grey = started (frozen) · '
               f'红框 = 延误 red outline = late</text>')
    out.append("</svg>")
    return "\n".join(out)


def operator_load_svg(balance: LineBalance, *, width_px: int = 720, height_px: int = 320) -> str:
    """Bar chart of each operator's load (s per piece) against the takt, coloured by machine type.

    Examples
    --------
    >>> from yuefang.plan.bulletins import default_bulletin
    >>> from yuefang.plan.balance import balance_line
    >>> svg = operator_load_svg(balance_line(default_bulletin("fitted_sheet"), takt_s=60, time_limit_s=1))
    >>> svg.count("<rect") >= 6
    True
    """
    n = max(1, balance.n_operators)
    left, bottom, top = 48, 40, 30
    plot_w = width_px - left - 10
    plot_h = height_px - top - bottom
    vmax = max([balance.takt_s, balance.cycle_time_s] + [o.load_s for o in balance.operators]) * 1.1
    bar_w = plot_w / n
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width_px}" height="{height_px}" '
           f'viewBox="0 0 {width_px} {height_px}" font-family="sans-serif" font-size="11" role="img" '
           f'aria-label="Operator loads of the balanced line">',
           f'<title>{escape(balance.product_id)}: {balance.n_operators} operators, takt {balance.takt_s:g} s, '
           f'efficiency {100 * balance.line_efficiency:.1f} %</title>',
           f'<text x="{left}" y="16">{escape(balance.product_id)} — {balance.n_operators} operators, '
           f'takt {balance.takt_s:g} s, line efficiency {100 * balance.line_efficiency:.1f} %, '
           f'balance loss {100 * balance.balance_loss:.1f} %</text>']
    for k, o in enumerate(balance.operators):
        h = o.load_s / vmax * plot_h
        x = left + k * bar_w + 1
        y = top + plot_h - h
        colour = _MACHINE_COLOURS.get(o.machine_type.value, "#888")
        ops = ", ".join(f"{s.op_id}" + (f" ({100 * s.share:.0f} %)" if s.share < 0.999 else "") for s in o.operations)
        out.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(1.0, bar_w - 2):.1f}" height="{h:.1f}" '
                   f'fill="{colour}"><title>operator {o.operator_no}, {o.machine_type.value}, grade '
                   f'{o.skill_grade}: {escape(ops)}; {o.load_s:.1f} s</title></rect>')
        if bar_w >= 14:
            out.append(f'<text x="{x + bar_w / 2 - 1:.1f}" y="{top + plot_h + 14}" text-anchor="middle">'
                       f'{o.operator_no}</text>')
    ty = top + plot_h - balance.takt_s / vmax * plot_h
    out.append(f'<line x1="{left}" y1="{ty:.1f}" x2="{width_px - 10}" y2="{ty:.1f}" stroke="#d62728" '
               f'stroke-dasharray="6 3"/><text x="{width_px - 12}" y="{ty - 4:.1f}" text-anchor="end" '
               f'fill="#d62728">takt {balance.takt_s:g} s</text>')
    out.append(f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="#333"/>')
    out.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{width_px - 10}" y2="{top + plot_h}" stroke="#333"/>')
    for frac in (0.0, 0.5, 1.0):
        v = vmax * frac
        y = top + plot_h - frac * plot_h
        out.append(f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end">{v:.0f}</text>')
    out.append(f'<text x="{left}" y="{height_px - 8}">operators (line order); bar = load, s per piece; '
               f'colour = machine type</text>')
    out.append("</svg>")
    return "\n".join(out)
