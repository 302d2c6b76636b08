"""`yuefang pattern ...` commands: a thin caller of yuefang.pattern.

``draft`` writes every export of one product for one body (garments) or one set of dimensions
(home textiles); ``list`` shows the products with their inputs and options; ``grade`` writes the
graded stack of a garment over GB/T 1335 sizes; ``import`` reads a DXF-AAMA piece set and
``export`` re-exports a ``pieces.json``. Errors name the field, the value and what is allowed,
and exit with code 2.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

app = typer.Typer(
    help="Patterns: draft products for a body, export SVG/PDF/DXF-AAMA/HPGL.", no_args_is_help=True
)

_err = Console(stderr=True)
_out = Console()


def _fail(message: str, code: int = 2) -> typer.Exit:
    _err.print(f"[red]error:[/red] {escape(message)}", markup=True, highlight=False, soft_wrap=True)
    return typer.Exit(code)


def _read_json(path: Path, what: str) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise _fail(f"{what}: file {str(path)!r} not found") from None
    except json.JSONDecodeError as exc:
        raise _fail(f"{what}: {str(path)!r} is not JSON ({exc})") from None
    if not isinstance(data, dict):
        raise _fail(
            f"{what}: {str(path)!r} holds {type(data).__name__}; allowed: a JSON object of name -> value"
        )
    return data


def _write(files: dict[str, bytes], out: Path) -> list[str]:
    out.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (out / name).write_bytes(data)
    return [str(out / n) for n in files]


def _schema(model: Any) -> list[dict[str, Any]]:
    fields = []
    for name, info in model.model_fields.items():
        bounds = {}
        for m in info.metadata:
            for attr in ("ge", "gt", "le", "lt"):
                if getattr(m, attr, None) is not None:
                    bounds[attr] = getattr(m, attr)
        ann = info.annotation
        allowed = list(getattr(ann, "__args__", ())) if getattr(ann, "__origin__", None) is not None else []
        fields.append(
            {
                "name": name,
                "required": info.is_required(),
                "default": None if info.is_required() else info.default,
                "type": getattr(ann, "__name__", str(ann)),
                "allowed": [a for a in allowed if isinstance(a, (str, int, float))] or None,
                **bounds,
                "description": info.description or "",
            }
        )
    return fields


@app.command("list")
def list_cmd(
    as_json: Annotated[bool, typer.Option("--json", help="machine-readable output on stdout")] = False,
) -> None:
    """Show the products, their inputs and their options."""
    from yuefang.pattern.products import list_products

    products = []
    for p in list_products():
        products.append(
            {
                "id": p.id,
                "name_en": p.name_en,
                "name_zh": p.name_zh,
                "kind": p.kind,
                "inputs": _schema(p.inputs_model),
                "options": _schema(p.options_model),
            }
        )
    if as_json:
        print(json.dumps(products, ensure_ascii=False, indent=1, default=str))
        return
    for p in products:
        table = Table(title=f"{p['id']} · {p['name_en']} {p['name_zh']} ({p['kind']})", title_justify="left")
        for col in ("", "name", "default", "allowed", "description"):
            table.add_column(col)
        for kind in ("inputs", "options"):
            for f in p[kind]:
                rng = " ".join(f"{k} {f[k]:g}" for k in ("ge", "gt", "le", "lt") if k in f)
                allowed = ", ".join(map(str, f["allowed"])) if f["allowed"] else rng
                default = "required" if f["required"] else str(f["default"])
                table.add_row(kind[:-1], f["name"], default, allowed, f["description"])
        _out.print(table)


def _check_body(body: dict[str, Any]) -> None:
    """Refuse an implausible body (e.g. a 700 mm stature) as the web and the API do: every problem named."""
    from yuefang.measure.validation import BodyValidationError, validate_body

    try:
        validate_body(body)
    except BodyValidationError as exc:
        raise _fail("; ".join(f"{e['field']}: {e['value']!r}; allowed: {e['allowed']}" for e in exc.errors)) from None


@app.command("draft")
def draft_cmd(
    product: Annotated[
        str, typer.Argument(help="product id, e.g. shirt, curtain (see `yuefang pattern list`)")
    ],
    input_file: Annotated[
        Path,
        typer.Option("--input", "-i", help="JSON: a body (garment, mm) or the dimensions (home textile)"),
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="folder to write the files into")],
    options_file: Annotated[Path | None, typer.Option("--options", help="JSON: style options")] = None,
    size: Annotated[
        str | None, typer.Option("--size", help="size label printed on the pieces, e.g. 170/88A")
    ] = None,
    order_line: Annotated[
        str | None, typer.Option("--order-line", help="order line printed on the pieces")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="machine-readable output on stdout")] = False,
) -> None:
    """Draft PRODUCT and write pattern.svg, pattern-a4.pdf, pattern-plot.pdf, pattern.dxf, pattern.plt,
    pieces.json and report.json into --out."""
    from yuefang.pattern.export import export_all
    from yuefang.pattern.products import UnknownProductError, get_product

    inputs = _read_json(input_file, "input")
    options = _read_json(options_file, "options") if options_file else None
    try:
        prod = get_product(product)
    except UnknownProductError as exc:
        raise _fail(str(exc)) from None
    if getattr(prod, "kind", None) == "garment":
        _check_body(inputs)
    try:
        with _err.status(f"drafting {product} ...", spinner="dots"):
            pattern = prod.draft(inputs, options, size=size, order_line=order_line)
            files = export_all(pattern)
    except ValueError as exc:
        raise _fail(str(exc)) from None
    written = _write(files, out)
    summary = {
        "product": pattern.product,
        "size": pattern.size,
        "ok": bool(pattern.report.get("ok", True)),
        "pieces": [{"name": p.name, "label": p.label, "quantity": p.quantity} for p in pattern.pieces],
        "files": written,
    }
    if as_json:
        print(json.dumps(summary, ensure_ascii=False, indent=1))
    else:
        state = (
            "[green]self-checks pass[/green]"
            if summary["ok"]
            else "[yellow]self-checks FAIL: see report.json[/yellow]"
        )
        _out.print(f"{product}: {len(pattern.pieces)} pieces, {state}; wrote {len(written)} files to {out}")
    if not summary["ok"]:
        raise typer.Exit(1)


@app.command("grade")
def grade_cmd(
    product: Annotated[str, typer.Argument(help="garment id, e.g. shirt")],
    sex: Annotated[str, typer.Option("--sex", help="male or female")],
    out: Annotated[Path, typer.Option("--out", "-o", help="SVG file to write")],
    sizes: Annotated[
        str | None, typer.Option("--sizes", help="comma-separated GB/T 1335 labels; default: the range")
    ] = None,
    options_file: Annotated[Path | None, typer.Option("--options", help="JSON: style options")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="machine-readable output on stdout")] = False,
) -> None:
    """Draft a garment over GB/T 1335 sizes and write the graded stack as one SVG (1:1, mm)."""
    from yuefang.pattern.grading import BOTTOM_PRODUCTS, graded_stack_svg
    from yuefang.pattern.products import UnknownProductError

    options = _read_json(options_file, "options") if options_file else None
    try:
        if sizes:
            labels = [s.strip() for s in sizes.split(",") if s.strip()]
        else:
            from yuefang.measure import size_range

            part = "bottom" if product in BOTTOM_PRODUCTS else "top"
            all_labels = size_range(sex, part=part)
            labels = all_labels[:: max(1, len(all_labels) // 6)]
        svg = graded_stack_svg(product, labels, sex, options)
    except (ValueError, UnknownProductError) as exc:
        raise _fail(str(exc)) from None
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(svg, encoding="utf-8")
    if as_json:
        print(json.dumps({"product": product, "sizes": labels, "file": str(out)}, ensure_ascii=False))
    else:
        _out.print(f"{product}: graded stack of {len(labels)} sizes ({', '.join(labels)}) written to {out}")


@app.command("import")
def import_cmd(
    dxf: Annotated[Path, typer.Argument(help="a DXF-AAMA file")],
    out: Annotated[
        Path, typer.Option("--out", "-o", help="folder to write pieces.json and the exports into")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="machine-readable output on stdout")] = False,
) -> None:
    """Read a DXF-AAMA piece set (from any apparel CAD) and write pieces.json and every export."""
    from yuefang.pattern.dxf_import import read_dxf_aama
    from yuefang.pattern.export import export_all

    try:
        data = dxf.read_bytes()
    except FileNotFoundError:
        raise _fail(f"dxf: file {str(dxf)!r} not found") from None
    try:
        pattern = read_dxf_aama(data)
        files = export_all(pattern)
    except ValueError as exc:
        raise _fail(str(exc)) from None
    written = _write(files, out)
    summary = {
        "product": pattern.product,
        "size": pattern.size,
        "pieces": [p.name for p in pattern.pieces],
        "warnings": pattern.report.get("warnings", []),
        "files": written,
    }
    if as_json:
        print(json.dumps(summary, ensure_ascii=False, indent=1))
    else:
        _out.print(f"{dxf}: {len(pattern.pieces)} pieces read; wrote {len(written)} files to {out}")
        for w in summary["warnings"]:  # type: ignore[attr-defined]  # read_dxf_aama reports a list of str
            _err.print(f"[yellow]warning:[/yellow] {w}")


@app.command("export")
def export_cmd(
    pieces: Annotated[Path, typer.Argument(help="a pieces.json")],
    out: Annotated[Path, typer.Option("--out", "-o", help="folder to write the exports into")],
    as_json: Annotated[bool, typer.Option("--json", help="machine-readable output on stdout")] = False,
) -> None:
    """Write every export of a pieces.json (e.g. after editing it)."""
    from pydantic import ValidationError

    from yuefang.pattern.export import export_all
    from yuefang.pattern.model import Pattern

    try:
        pattern = Pattern.from_json(pieces.read_bytes())
    except FileNotFoundError:
        raise _fail(f"pieces: file {str(pieces)!r} not found") from None
    except (ValidationError, ValueError) as exc:
        raise _fail(
            f"pieces: {str(pieces)!r} is not a valid pieces.json ({str(exc).splitlines()[0]})"
        ) from None
    written = _write(export_all(pattern), out)
    if as_json:
        print(json.dumps({"files": written}, ensure_ascii=False))
    else:
        _out.print(f"wrote {len(written)} files to {out}")
