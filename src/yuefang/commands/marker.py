"""`yuefang marker ...` commands: a thin caller of yuefang.marker.

``yuefang marker nest INPUT... --time-limit S [--width-mm W] [--seed N] [--out DIR] [--json]``
``yuefang marker plan batch.csv --width-mm W [...] --out DIR [--json]``
"""

from __future__ import annotations

import csv
import importlib
import json
import sys
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from yuefang.marker import (
    Fabric,
    Marker,
    MarkerInputError,
    fabric_from_dict,
    marker_to_dxf,
    marker_to_hpgl,
    marker_to_pdf,
    marker_to_svg,
    nest,
    nest_instance,
)
from yuefang.pattern.model import Pattern

app = typer.Typer(help="Markers: nest pieces on the fabric, cut order planning.", no_args_is_help=True)

_err = Console(stderr=True)


def _fail(message: str, code: int = 2) -> NoReturn:
    _err.print(f"[red]error:[/red] {escape(message)}", soft_wrap=True, highlight=False)
    raise typer.Exit(code)


def _split_count(arg: str) -> tuple[Path, int]:
    """``path`` or ``path@N`` (N garments of that pattern in the marker)."""
    path = Path(arg)
    if not path.exists() and "@" in arg:
        head, _, tail = arg.rpartition("@")
        try:
            return Path(head), int(tail)
        except ValueError:
            pass
    return path, 1


def _read_pattern(path: Path) -> Pattern:
    data = path.read_bytes()
    if path.suffix.lower() == ".dxf":
        try:
            reader = importlib.import_module("yuefang.pattern.dxf_import").read_dxf_aama
        except (ImportError, AttributeError):
            _fail(f"INPUT: {path}: DXF-AAMA import (yuefang.pattern.dxf_import) is not available in this build")
        return reader(data)
    return Pattern.from_json(data)


def _load_input(paths: list[str]) -> tuple[str, Any]:
    """('instance', dict) or ('order', [(Pattern, n), ...])."""
    order: list[tuple[Pattern, int]] = []
    for arg in paths:
        path, count = _split_count(arg)
        if not path.is_file():
            _fail(f"INPUT: {arg!r} is not a file; allowed: a pieces.json, a pattern .dxf or a nesting instance .json")
        if path.suffix.lower() == ".json":
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                _fail(f"INPUT: {path}: not valid JSON ({exc})")
            if isinstance(data, dict) and "items" in data and "strip_height" in data:
                if len(paths) > 1:
                    _fail("INPUT: a nesting instance must be the only input")
                return "instance", data
            try:
                order.append((Pattern.model_validate(data), count))
            except ValueError as exc:
                _fail(f"INPUT: {path}: not a pieces.json ({str(exc).splitlines()[0]})")
        else:
            order.append((_read_pattern(path), count))
    return "order", order


def _progress_bar(quiet: bool) -> Progress:
    return Progress(
        TextColumn("[bold]nesting"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeElapsedColumn(),
        console=_err,
        disable=quiet,
        transient=True,
    )


def write_marker_files(marker: Marker, out: Path, stem: str = "marker") -> list[Path]:
    """Write ``<stem>.json/.svg/.pdf/.dxf/.plt`` into ``out``; returns the paths."""
    out.mkdir(parents=True, exist_ok=True)
    files = {
        f"{stem}.json": marker.to_json().encode(),
        f"{stem}.svg": marker_to_svg(marker).encode(),
        f"{stem}.pdf": marker_to_pdf(marker),
        f"{stem}.dxf": marker_to_dxf(marker),
        f"{stem}.plt": marker_to_hpgl(marker).encode(),
    }
    written = []
    for name, data in files.items():
        (out / name).write_bytes(data)
        written.append(out / name)
    return written


@app.command("nest")
def nest_cmd(
    inputs: Annotated[
        list[str],
        typer.Argument(
            metavar="INPUT...",
            help="pieces.json, pattern .dxf (DXF-AAMA) or a nesting instance .json; PATH@N for N garments",
        ),
    ],
    time_limit: Annotated[float, typer.Option("--time-limit", help="engine time budget, s")],
    width_mm: Annotated[float | None, typer.Option("--width-mm", help="fabric width, mm (instance: strip height)")] = None,
    selvedge_mm: Annotated[float, typer.Option("--selvedge-mm", help="taken off each side, mm")] = 0.0,
    seed: Annotated[int, typer.Option("--seed")] = 0,
    gap_mm: Annotated[float, typer.Option("--gap-mm", help="minimum gap between pieces, mm")] = 0.0,
    spreading: Annotated[str, typer.Option("--spreading", help="face_up or face_to_face")] = "face_up",
    nap: Annotated[str, typer.Option("--nap", help="none or one_way")] = "none",
    cross_grain: Annotated[bool, typer.Option("--cross-grain/--no-cross-grain")] = False,
    shrink_warp_pct: Annotated[float, typer.Option("--shrink-warp-pct")] = 0.0,
    shrink_weft_pct: Annotated[float, typer.Option("--shrink-weft-pct")] = 0.0,
    out: Annotated[Path | None, typer.Option("--out", help="folder for marker.json/.svg/.pdf/.dxf/.plt")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print length, utilisation and placements as JSON")] = False,
) -> None:
    """Nest pieces on the fabric width and write the marker."""
    if width_mm is not None and not width_mm > 0:
        _fail(f"--width-mm: got {width_mm}; allowed: the usable fabric width in mm, a number > 0")
    if not time_limit > 0:
        _fail(f"--time-limit: got {time_limit}; allowed: seconds, a number > 0")
    kind, data = _load_input(inputs)
    try:
        with _progress_bar(quiet=False) as bar:
            task = bar.add_task("nest", total=1.0)

            def tick(fraction: float) -> None:
                bar.update(task, completed=fraction)

            if kind == "instance":
                marker = nest_instance(data, time_limit_s=time_limit, seed=seed, strip_height=width_mm, progress=tick)
            else:
                if width_mm is None:
                    _fail("--width-mm: missing; allowed: the fabric width in mm (required for pieces.json / .dxf)")
                fabric = fabric_from_dict(
                    {
                        "width_mm": width_mm,
                        "selvedge_mm": selvedge_mm,
                        "nap": nap,
                        "cross_grain_allowed": cross_grain,
                        "shrinkage_warp_pct": shrink_warp_pct,
                        "shrinkage_weft_pct": shrink_weft_pct,
                    }
                )
                marker = nest(
                    data, fabric, time_limit_s=time_limit, seed=seed, gap_mm=gap_mm, spreading=spreading, progress=tick
                )
    except MarkerInputError as exc:
        _fail(str(exc))
    if out is not None:
        write_marker_files(marker, out)
    if as_json:
        sys.stdout.write(json.dumps(marker.summary(), ensure_ascii=False) + "\n")
    else:
        _err.print(
            f"length {marker.length_mm:.1f} {marker.units}, width {marker.width_mm:.1f}, "
            f"utilisation {100 * marker.utilisation:.2f}%, {len(marker.placements)} pieces"
            + (f" -> {out}" if out else "")
        )


def _fabric(width_mm: float | None, selvedge_mm: float, nap: str, cross_grain: bool, colour: str = "") -> Fabric:
    if width_mm is None:
        _fail("--width-mm: missing; allowed: the fabric width in mm")
    return fabric_from_dict(
        {"width_mm": width_mm, "selvedge_mm": selvedge_mm, "nap": nap, "cross_grain_allowed": cross_grain, "colour": colour}
    )


def _read_batch(
    path: Path, patterns_opt: list[str], *, need_patterns: bool = True
) -> tuple[dict[str, dict[str, int]], dict[str, Pattern]]:
    """batch.csv: columns colour, size, quantity and optionally pattern (a pieces.json path)."""
    if not path.is_file():
        _fail(f"BATCH: {path} is not a file; allowed: a CSV with columns colour,size,quantity[,pattern]")
    demand: dict[str, dict[str, int]] = {}
    pattern_paths: dict[str, Path] = {}
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        cols = {c.strip().lower() for c in (reader.fieldnames or [])}
        missing = {"colour", "size", "quantity"} - cols
        if missing:
            _fail(f"BATCH: columns {sorted(cols)}; allowed: colour, size, quantity (and pattern); missing {sorted(missing)}")
        for line, row in enumerate(reader, start=2):
            row = {k.strip().lower(): (v or "").strip() for k, v in row.items() if k}
            try:
                qty = int(row["quantity"])
            except ValueError:
                _fail(f"BATCH line {line}: quantity {row['quantity']!r}; allowed: an integer >= 0")
            if qty < 0:
                _fail(f"BATCH line {line}: quantity {qty}; allowed: an integer >= 0")
            demand.setdefault(row["colour"], {})
            demand[row["colour"]][row["size"]] = demand[row["colour"]].get(row["size"], 0) + qty
            if row.get("pattern"):
                pattern_paths[row["size"]] = (path.parent / row["pattern"]).resolve()
    for spec in patterns_opt:
        size, sep, path_text = spec.partition("=")
        if not sep:
            _fail(f"--pattern: {spec!r}; allowed: SIZE=PATH")
        pattern_paths[size] = Path(path_text)
    sizes = {s for per in demand.values() for s in per}
    if not need_patterns:
        return demand, {}
    missing_sizes = sorted(sizes - set(pattern_paths))
    if missing_sizes:
        _fail(f"--pattern: no pieces.json for sizes {missing_sizes}; allowed: a pattern column or --pattern SIZE=PATH")
    patterns = {}
    for size in sorted(sizes):
        p = pattern_paths[size]
        if not p.is_file():
            _fail(f"pattern for size {size}: {p} is not a file")
        patterns[size] = _read_pattern(p)
    return demand, patterns


@app.command("plan")
def plan_cmd(
    batch: Annotated[Path, typer.Argument(metavar="BATCH.csv", help="colour,size,quantity[,pattern] per line")],
    width_mm: Annotated[float | None, typer.Option("--width-mm", help="fabric width, mm")] = None,
    pattern: Annotated[list[str] | None, typer.Option("--pattern", help="SIZE=pieces.json (repeatable)")] = None,
    selvedge_mm: Annotated[float, typer.Option("--selvedge-mm")] = 0.0,
    nap: Annotated[str, typer.Option("--nap", help="none or one_way")] = "none",
    max_plies: Annotated[int, typer.Option("--max-plies")] = 80,
    min_plies: Annotated[int, typer.Option("--min-plies", help="fewest plies worth spreading")] = 1,
    share_colours: Annotated[
        bool, typer.Option("--share-colours", help="plies of several colours may share a lay")
    ] = False,
    consumption: Annotated[
        list[str] | None,
        typer.Option(
            "--consumption-mm",
            help="SIZE=MM marker length per garment (repeatable): plan on these lengths, no patterns, no nesting",
        ),
    ] = None,
    max_length_mm: Annotated[float, typer.Option("--max-length-mm", help="cutting table length, mm")] = 8000.0,
    end_allowance_mm: Annotated[float, typer.Option("--end-allowance-mm")] = 20.0,
    cost_per_lay: Annotated[float, typer.Option("--cost-per-lay")] = 0.0,
    cost_per_marker: Annotated[float, typer.Option("--cost-per-marker")] = 0.0,
    fabric_cost_per_m: Annotated[float, typer.Option("--fabric-cost-per-m")] = 1.0,
    over_cut_pct: Annotated[float, typer.Option("--over-cut-pct")] = 0.0,
    max_garments: Annotated[int, typer.Option("--max-garments", help="garments per marker, at most")] = 6,
    time_limit: Annotated[float, typer.Option("--time-limit", help="planning solver time, s")] = 10.0,
    nest_time_limit: Annotated[float, typer.Option("--nest-time-limit", help="per chosen marker, s")] = 5.0,
    seed: Annotated[int, typer.Option("--seed")] = 0,
    gap_mm: Annotated[float, typer.Option("--gap-mm")] = 0.0,
    out: Annotated[Path | None, typer.Option("--out", help="folder for plan.json and one marker set per marker")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the plan as JSON")] = False,
) -> None:
    """Cut order planning: markers, plies and lays for a batch, then the markers nested."""
    from yuefang.marker.planning import plan_cuts

    if consumption:
        _plan_on_lengths(batch, consumption, max_plies=max_plies, min_plies=min_plies, share_colours=share_colours,
                         max_length_mm=max_length_mm, end_allowance_mm=end_allowance_mm, cost_per_lay=cost_per_lay,
                         cost_per_marker=cost_per_marker, fabric_cost_per_m=fabric_cost_per_m,
                         over_cut_pct=over_cut_pct, max_garments=max_garments, time_limit=time_limit, seed=seed,
                         out=out, as_json=as_json)
        return
    demand, patterns = _read_batch(batch, pattern or [])
    try:
        fabric = _fabric(width_mm, selvedge_mm, nap, False)
        with Progress(
            TextColumn("[bold]{task.description}"), BarColumn(), TimeElapsedColumn(), console=_err, transient=True
        ) as bar:
            task = bar.add_task("planning", total=1.0)

            def tick(stage: str, fraction: float) -> None:
                bar.update(task, description=stage, completed=fraction)

            plan = plan_cuts(
                patterns,
                demand,
                fabric,
                max_plies=max_plies,
                min_plies=min_plies,
                colours_share_lays=share_colours,
                max_marker_length_mm=max_length_mm,
                end_allowance_mm=end_allowance_mm,
                cost_per_lay=cost_per_lay,
                cost_per_marker=cost_per_marker,
                fabric_cost_per_m=fabric_cost_per_m,
                over_cut_pct=over_cut_pct,
                max_garments_per_marker=max_garments,
                time_limit_s=time_limit,
                nest_time_limit_s=nest_time_limit,
                seed=seed,
                gap_mm=gap_mm,
                progress=tick,
            )
    except MarkerInputError as exc:
        _fail(str(exc))
    data = plan.to_dict()
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        (out / "plan.json").write_text(json.dumps(plan.to_dict(with_markers=True), indent=1, ensure_ascii=False))
        for pm in plan.markers:
            if pm.marker is not None:
                write_marker_files(pm.marker, out, stem=pm.marker_id)
    if as_json:
        sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
    else:
        for pm in plan.markers:
            length = pm.planned_length_mm
            _err.print(f"{pm.marker_id}: {pm.sizes} length {length:.0f} mm")
        for lay in plan.lays:
            _err.print(f"  lay {lay.marker_id} {lay.colour}: {lay.plies} plies")
        _err.print(
            f"fabric {plan.fabric_length_mm / 1000:.2f} m, cost {plan.cost['total']:.2f}, "
            f"lower bound {plan.lower_bound_cost:.2f} (gap {100 * plan.gap:.1f}%, on estimated lengths)"
        )


def _plan_on_lengths(batch: Path, consumption: list[str], *, out: Path | None, as_json: bool, max_length_mm: float,
                     max_garments: int, time_limit: float, share_colours: bool, **kw: float) -> None:
    """`marker plan --consumption-mm`: the lay plan on marker lengths per garment (linear model)."""
    from yuefang.marker.lays import plan_lays

    demand, _ = _read_batch(batch, [], need_patterns=False)
    lengths: dict[str, float] = {}
    for spec in consumption:
        size, sep, value = spec.partition("=")
        try:
            lengths[size.strip()] = float(value)
        except ValueError:
            _fail(f"--consumption-mm: {spec!r}; allowed: SIZE=MM, e.g. M=1150")
        if not sep or not size.strip():
            _fail(f"--consumption-mm: {spec!r}; allowed: SIZE=MM, e.g. M=1150")
    try:
        with Progress(TextColumn("[bold]planning lays"), TimeElapsedColumn(), console=_err, transient=True) as bar:
            bar.add_task("plan", total=None)
            plan = plan_lays(lengths, demand, max_marker_length_mm=max_length_mm, max_garments_per_marker=max_garments,
                             time_limit_s=time_limit, colours_share_lays=share_colours, **kw)  # type: ignore[arg-type]
    except MarkerInputError as exc:
        _fail(str(exc))
    data = plan.to_dict()
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        (out / "plan.json").write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")
    if as_json:
        sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
        return
    for m in plan.markers:
        _err.print(f"{m.marker_id}: {m.sizes} length {m.estimated_length_mm:.0f} mm")
    for lay in plan.lays:
        _err.print(f"  lay {lay.lay_id} {lay.marker_id} {lay.colour}: {lay.plies} plies")
    _err.print(
        f"{plan.lay_count} lays, fabric {plan.fabric_length_mm / 1000:.2f} m, cost {plan.cost['total']:.2f}, "
        f"lower bound {plan.lower_bound_cost:.2f} (gap {100 * plan.gap:.1f}%, {plan.status})"
    )
