"""`yuefang measure ...` commands: a thin caller of yuefang.measure.

Verbs: ``complete`` (a CSV of people -> every measurement with intervals and GB/T 1335 sizes),
``fit`` (refit the completion model on an enterprise's own measurements), ``designate`` (GB/T 1335
size of a body), ``body`` (the body of a designation), ``chart-fit`` (a body against a size chart),
``garment`` (a body from a garment that fits).
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import Any, NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress
from rich.table import Table

from yuefang.measure import (
    MEASUREMENTS,
    BodyValidationError,
    CompletionModel,
    SizeChart,
    body_from_garment,
    complete_designation,
    complete_many,
    default_model,
    designate,
    fit_size_chart,
    normalise_sex,
)
from yuefang.measure.sizechart import SizeChartError

app = typer.Typer(help="Bodies and sizes: complete bodies, GB/T 1335 designations, size charts.", no_args_is_help=True)
err = Console(stderr=True, soft_wrap=True)
_CHUNK = 5000


def _fail(message: str, code: int = 1) -> NoReturn:
    err.print(f"[red]error:[/red] {escape(message)}", highlight=False)
    raise typer.Exit(code)


def _read_text(path: Path) -> str:
    if not path.is_file():
        _fail(f"INPUT: {path} does not exist or is not a file; allowed: a readable file")
    return path.read_text(encoding="utf-8-sig")


def _read_json(path: Path) -> Any:
    try:
        return json.loads(_read_text(path))
    except json.JSONDecodeError as exc:
        _fail(f"INPUT: {path} is not valid JSON ({exc}); allowed: a JSON file")


def _load_model(path: Path | None) -> CompletionModel:
    if path is None:
        return default_model()
    try:
        return CompletionModel.from_json(_read_text(path))
    except (ValueError, KeyError) as exc:
        _fail(f"--model: {path} is not a completion model ({exc}); allowed: a file written by `yuefang measure fit`")


def _output_columns() -> list[str]:
    cols = ["id", "sex", "weight_kg", "age_years"]
    for name in MEASUREMENTS:
        cols += [name, f"{name}_low", f"{name}_high"]
    return cols + ["designation_top", "designation_bottom", "body_type", "given", "notes"]


@app.command()
def complete(
    input: Path = typer.Argument(..., help="CSV with id,sex,stature,weight_kg[,age_years][,measurement columns (mm)]"),
    out: Path | None = typer.Option(None, "--out", help="Output CSV (default: stdout)"),
    model: Path | None = typer.Option(None, "--model", help="A model JSON from `yuefang measure fit`"),
    series: str = typer.Option("5.4", "--series", help="GB/T 1335 series of the bottoms: 5.4 or 5.2"),
    as_json: bool = typer.Option(False, "--json", help="Print a JSON summary on stdout"),
) -> None:
    """Complete every person of a CSV: every measurement, its 90% interval, GB/T 1335 sizes."""
    if series not in ("5.4", "5.2"):
        _fail(f"--series: {series!r} is not allowed; allowed: 5.4, 5.2")
    m = _load_model(model)
    rows = list(csv.DictReader(io.StringIO(_read_text(input))))
    if not rows:
        _fail(f"INPUT: {input} has no data rows; allowed: a CSV with a header and one row per person")
    missing = [c for c in ("sex", "stature") if c not in rows[0]]
    if missing:
        _fail(f"{missing[0]}: column missing in {input}; allowed columns: id, sex, stature, weight_kg, age_years "
              "and measurement names")
    known_cols = {"id", "sex", "weight_kg", "age_years", *MEASUREMENTS}
    ignored = [c for c in rows[0] if c not in known_cols]
    if ignored:
        err.print(f"ignored columns (not measurement names of yuefang.measure.MEASUREMENTS): {', '.join(ignored)}",
                  markup=False)
        rows_in = [{k: v for k, v in r.items() if k in known_cols} for r in rows]
    else:
        rows_in = rows
    bodies: list = []
    errors: list = []
    with Progress(console=err, disable=len(rows) <= _CHUNK, transient=True) as progress:
        task = progress.add_task("completing bodies", total=len(rows))
        for start in range(0, len(rows), _CHUNK):
            res = complete_many(rows_in[start:start + _CHUNK], model=m)
            bodies += res.bodies
            errors += [(e.index + start, e.message) for e in res.errors]
            progress.advance(task, len(res.bodies))
    sink = io.StringIO()
    writer = csv.writer(sink, lineterminator="\n")
    writer.writerow(_output_columns())
    names = list(MEASUREMENTS)
    for row, body in zip(rows, bodies, strict=True):
        if body is None:
            continue
        d = designate(body.values, body.sex, series) if series != "5.4" else body.designation
        rec: list[Any] = [row.get("id", ""), body.sex, f"{body.weight_kg:.1f}", row.get("age_years", "")]
        v, lo, hi = body.values, body.low, body.high
        for name in names:
            if name in v:
                rec += [f"{v[name]:.0f}", f"{lo[name]:.0f}", f"{hi[name]:.0f}"]
            else:
                rec += ["", "", ""]
        rec += [d.top, d.bottom, d.body_type, " ".join(sorted(body.given)), " | ".join(body.notes + d.notes)]
        writer.writerow(rec)
    if out is None and not as_json:
        sys.stdout.write(sink.getvalue())
    elif out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(sink.getvalue(), encoding="utf-8")
    for idx, message in errors:
        err.print(f"line {idx + 2}: {message}", highlight=False, markup=False)
    if as_json:
        typer.echo(json.dumps({"rows": len(rows), "completed": len(rows) - len(errors),
                               "errors": [{"line": i + 2, "message": msg} for i, msg in errors],
                               "out": str(out) if out else None}, ensure_ascii=False))
    elif out is not None:
        err.print(f"completed {len(rows) - len(errors)} of {len(rows)} people -> {out}")
    if errors:
        raise typer.Exit(1)


@app.command()
def fit(
    input: Path = typer.Argument(..., help="CSV with sex,stature,weight_kg[,age_years] and measurement columns (mm)"),
    out: Path = typer.Option(..., "--out", help="Where to write the model JSON"),
    folds: int = typer.Option(5, "--folds", help="Cross-validation folds that calibrate the intervals"),
    as_json: bool = typer.Option(False, "--json", help="Print a JSON summary on stdout"),
) -> None:
    """Refit the completion model on an enterprise's own measurements."""
    rows = list(csv.DictReader(io.StringIO(_read_text(input))))
    for i, row in enumerate(rows):
        try:
            normalise_sex(row.get("sex"))
        except ValueError as exc:
            _fail(f"line {i + 2}: {exc}")
    unknown = [c for c in (rows[0] if rows else {}) if c not in MEASUREMENTS
               and c not in ("id", "sex", "weight_kg", "age_years")]
    try:
        model = CompletionModel(n_folds=folds).fit(rows)
    except ValueError as exc:
        _fail(str(exc))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(model.to_json(), separators=(",", ":")), encoding="utf-8")
    summary = {"out": str(out), "n_samples": model.n_samples_, "from_base": model.from_base_,
               "ignored_columns": unknown, "invalid_rows": model.invalid_rows_}
    if as_json:
        typer.echo(json.dumps(summary, ensure_ascii=False))
    else:
        err.print(f"fitted on {model.n_samples_} people -> {out}")
        for sex, names in model.from_base_.items():
            if names:
                err.print(f"{sex}: taken from the shipped model (not in the data): {', '.join(names)}")
        if unknown:
            err.print(f"ignored columns: {', '.join(unknown)}")
        for line in model.invalid_rows_:
            err.print(f"left out: {line}", markup=False)


def _body_from_json(data: Any) -> tuple[dict, str | None]:
    if isinstance(data, dict) and isinstance(data.get("values"), dict):
        return dict(data["values"]), data.get("sex")
    if isinstance(data, dict):
        return {k: v for k, v in data.items() if k != "sex"}, data.get("sex")
    _fail("INPUT: a body JSON must be an object of measurement name -> mm (or a completed body with 'values')")


@app.command("designate")
def designate_cmd(
    input: Path = typer.Argument(..., help="Body JSON: {sex, stature, chest_girth|bust_girth, waist_girth} in mm"),
    sex: str | None = typer.Option(None, "--sex", help="female or male (default: the body's 'sex')"),
    series: str = typer.Option("5.4", "--series", help="5.4 or 5.2"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """GB/T 1335 designation (号/型 and body type) of a body."""
    body, body_sex = _body_from_json(_read_json(input))
    try:
        s = normalise_sex(sex or body_sex)
        d = designate(body, s, series)
    except ValueError as exc:
        _fail(str(exc))
    if as_json:
        typer.echo(json.dumps(d.to_dict(), ensure_ascii=False))
    else:
        typer.echo(f"top {d.top}  bottom {d.bottom}  body type {d.body_type} (drop {d.drop_cm:.1f} cm)")
        for n in d.notes:
            typer.echo(f"note: {n}")


def _print_body(body, as_json: bool, out: Path | None) -> None:
    text = json.dumps(body.to_dict(), ensure_ascii=False, indent=None if as_json else 2)
    if out is not None:
        out.write_text(text, encoding="utf-8")
    if as_json:
        typer.echo(text)
        return
    table = Table(title=f"{body.sex} body · {body.designation.top} / {body.designation.bottom}")
    for col in ("measurement", "中文", "value mm", "90% interval mm"):
        table.add_column(col)
    for name, v in body.values.items():
        given = name in body.given or body.low[name] == body.high[name]
        table.add_row(name, MEASUREMENTS[name].name_zh, f"{v:.0f}",
                      "given" if given else f"{body.low[name]:.0f}–{body.high[name]:.0f}")
    Console().print(table)
    for n in body.notes:
        typer.echo(f"note: {n}")


@app.command()
def body(
    label: str = typer.Argument(..., help="GB/T 1335 designation, e.g. 170/88A"),
    sex: str = typer.Option(..., "--sex", help="female or male"),
    part: str = typer.Option("top", "--part", help="top (型 = chest) or bottom (型 = waist)"),
    out: Path | None = typer.Option(None, "--out", help="Also write the body JSON here"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Every measurement of a body for a GB/T 1335 designation."""
    try:
        b = complete_designation(label, sex, part)
    except ValueError as exc:
        _fail(str(exc))
    _print_body(b, as_json, out)


@app.command()
def garment(
    garment_type: str = typer.Argument(..., help="shirt, tshirt, jacket, bodice, trousers, jeans or skirt"),
    input: Path = typer.Argument(..., help="JSON of the garment's finished measurements (mm), by body name"),
    sex: str = typer.Option(..., "--sex"),
    stature: float | None = typer.Option(None, "--stature", help="mm"),
    weight_kg: float | None = typer.Option(None, "--weight-kg"),
    out: Path | None = typer.Option(None, "--out"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """A body from a garment that fits: its finished measurements minus the garment's ease."""
    finished = _read_json(input)
    try:
        b = body_from_garment(garment_type, finished, sex, stature=stature, weight_kg=weight_kg)
    except ValueError as exc:
        _fail(str(exc))
    _print_body(b, as_json, out)


@app.command("chart-fit")
def chart_fit(
    chart: Path = typer.Argument(..., help="Size chart: CSV (size, measurement columns, <name>_tolerance) or JSON"),
    body_path: Path = typer.Argument(..., metavar="BODY", help="Body JSON (measurements in mm, or a completed body)"),
    basis: str = typer.Option("body", "--basis", help="CSV charts: body or garment"),
    garment_type: str | None = typer.Option(None, "--garment-type", help="CSV garment charts: the garment type"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Recommend a size of an enterprise's chart for a body, with the fit of each measurement."""
    try:
        if chart.suffix.lower() == ".json":
            c = SizeChart.from_dict(_read_json(chart))
        else:
            c = SizeChart.from_csv_text(_read_text(chart), basis=basis, garment_type=garment_type, name=chart.stem)
        b, _sex = _body_from_json(_read_json(body_path))
        result = fit_size_chart(c, b)
    except (SizeChartError, BodyValidationError, ValueError) as exc:
        _fail(str(exc))
    if as_json:
        typer.echo(json.dumps(result.to_dict(), ensure_ascii=False))
        return
    table = Table(title=f"recommended size: {result.recommended}")
    for col in ("measurement", "body mm", "size mm", "± mm", "fit", "by mm"):
        table.add_column(col)
    for f in result.fits:
        table.add_row(f.name, f"{f.body_mm:.0f}", f"{f.size_mm:.0f}", f"{f.tolerance_mm:.0f}", f.fit, f"{f.by_mm:.0f}")
    Console().print(table)
    for n in result.notes:
        typer.echo(f"note: {n}")
