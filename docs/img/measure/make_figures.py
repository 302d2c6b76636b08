"""Draw the pictures of docs/measure.md (plain SVG, no plotting library).

Usage: ``.venv/bin/python docs/img/measure/make_figures.py``
"""

from __future__ import annotations

from pathlib import Path

from yuefang.measure import complete_body

HERE = Path(__file__).resolve().parent
NAMES = ["neck_base_girth", "underbust_girth", "hip_girth", "shoulder_width", "across_back_width", "arm_length",
         "upper_arm_girth", "back_waist_length", "inside_leg_length", "thigh_girth", "knee_girth", "crotch_length"]


def conditioning_svg() -> str:
    plain = complete_body(sex="female", stature=1620, weight_kg=58, age_years=30)
    cond = complete_body(sex="female", stature=1620, weight_kg=58, age_years=30,
                         known={"bust_girth": 900, "waist_girth": 760})
    row_h, left, scale, width = 34, 190, 3.0, 760
    height = 70 + row_h * len(NAMES) + 40
    centre = left + 260
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           'font-family="WenQuanYi Micro Hei, sans-serif" font-size="13">',
           '<rect width="100%" height="100%" fill="white"/>',
           '<text x="10" y="22" font-size="15" font-weight="bold">90% prediction intervals of a woman, '
           '162 cm, 58 kg, 30 years (mm around the median)</text>',
           '<rect x="10" y="34" width="14" height="10" fill="#bbb"/><text x="30" y="44">from sex, stature, weight, '
           'age</text>',
           '<rect x="250" y="34" width="14" height="10" fill="#2a6fb0"/><text x="270" y="44">… and bust 900, '
           'waist 760 given</text>']
    for tick in range(-80, 81, 20):
        x = centre + tick * scale
        out.append(f'<line x1="{x}" y1="58" x2="{x}" y2="{height - 35}" stroke="#eee"/>')
        out.append(f'<text x="{x}" y="{height - 18}" text-anchor="middle" fill="#666">{tick:+d}</text>')
    for i, n in enumerate(NAMES):
        y = 64 + i * row_h
        out.append(f'<text x="{left - 8}" y="{y + 17}" text-anchor="end">{n}</text>')
        for k, (b, colour) in enumerate(((plain, "#bbb"), (cond, "#2a6fb0"))):
            lo = (b.low[n] - b.values[n]) * scale
            hi = (b.high[n] - b.values[n]) * scale
            out.append(f'<rect x="{centre + lo:.1f}" y="{y + 4 + 12 * k}" width="{hi - lo:.1f}" height="10" '
                       f'fill="{colour}"/>')
        out.append(f'<text x="{width - 10}" y="{y + 17}" text-anchor="end" fill="#333">'
                   f'{plain.values[n]:.0f} → {cond.values[n]:.0f}</text>')
    out.append(f'<line x1="{centre}" y1="58" x2="{centre}" y2="{height - 35}" stroke="#333"/>')
    out.append("</svg>")
    return "\n".join(out)


def body_types_svg() -> str:
    from yuefang.measure.gbt1335 import BODY_TYPES

    colours = {"Y": "#7fb3d5", "A": "#76c893", "B": "#f6c85f", "C": "#ef8a62"}
    scale, left = 22, 80
    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="700" height="195" '
           'font-family="WenQuanYi Micro Hei, sans-serif" font-size="13">',
           '<rect width="100%" height="100%" fill="white"/>',
           '<text x="10" y="20" font-size="15" font-weight="bold">GB/T 1335 body types by chest (bust) − waist '
           'drop, cm (胸腰差)</text>']
    for row, sex in enumerate(("male", "female")):
        y = 40 + row * 55
        out.append(f'<text x="10" y="{y + 22}">{sex}</text>')
        for t, (lo, hi) in BODY_TYPES[sex].items():
            x0, x1 = left + (lo - 0.5) * scale, left + (hi + 0.5) * scale
            out.append(f'<rect x="{x0}" y="{y}" width="{x1 - x0}" height="30" fill="{colours[t]}" stroke="white"/>')
            out.append(f'<text x="{(x0 + x1) / 2}" y="{y + 20}" text-anchor="middle" font-weight="bold">{t} '
                       f'{lo}–{hi}</text>')
    for d in range(0, 27, 2):
        out.append(f'<text x="{left + d * scale}" y="160" text-anchor="middle" fill="#666">{d}</text>')
    out.append('<text x="10" y="188" fill="#666">A drop between two ranges goes to the nearest whole centimetre; exactly half-way goes to the fuller type (smaller drop).</text>')
    out.append("</svg>")
    return "\n".join(out)


if __name__ == "__main__":
    (HERE / "conditioning.svg").write_text(conditioning_svg(), encoding="utf-8")
    (HERE / "body_types.svg").write_text(body_types_svg(), encoding="utf-8")
    print("wrote conditioning.svg, body_types.svg")
