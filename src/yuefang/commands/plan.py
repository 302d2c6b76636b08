"""`yuefang plan ...` commands: a thin caller of yuefang.plan.

Verbs: ``bulletin`` (a product's default operation bulletin as CSV), ``balance`` (SALBP ``.IN2``
instance or a bulletin CSV), ``schedule`` (Brandimarte ``.fjs`` instance, or a JSON of orders
and lines).
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Any

import typer
from pydantic import TypeAdapter, ValidationError
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from yuefang.plan import (
    DEFAULT_PRODUCTS,
    Line,
    Order,
    PlannedOrder,
    Subcontract,
    balance_line,
    bulletin_to_csv,
    check_balance,
    check_fjsp,
    check_schedule,
    default_bulletin,
    gantt_svg,
    operator_load_svg,
    read_bulletin_csv,
    read_fjs,
    read_in2,
    schedule_orders,
    solve_fjsp,
    solve_salbp1,
    solve_salbp2,
)
from yuefang.plan.alb import looks_like_alb, read_alb

app = typer.Typer(help="Planning: line balancing, scheduling, promise dates.", no_args_is_help=True)
err = Console(stderr=True, soft_wrap=True)


def _fail(message: str, code: int = 1) -> None:
    err.print(f"[red]error:[/red] {escape(message)}", highlight=False)
    raise typer.Exit(code)


def _read(path: Path, encoding: str = "utf-8-sig") -> str:
    if not path.is_file():
        _fail(f"INPUT: {path} does not exist or is not a file; allowed: a readable file")
    return path.read_text(encoding=encoding)


def _spinner(json_out: bool, text: str) -> Progress:
    return Progress(SpinnerColumn(), TextColumn(text), TimeElapsedColumn(), console=err, transient=True,
                    disable=json_out)


@app.command()
def bulletin(
    product: str = typer.Argument(..., help=f"product id: {', '.join(DEFAULT_PRODUCTS)}"),
    out: Path | None = typer.Option(None, "--out", help="write the CSV here instead of stdout"),
    json_out: bool = typer.Option(False, "--json", help="machine-readable output on stdout"),
) -> None:
    """Print a product's default operation bulletin (CSV: op_id,name,machine_type,smv_min,skill_grade,predecessors)."""
    try:
        b = default_bulletin(product)
    except ValueError as exc:
        _fail(str(exc))
    if json_out:
        typer.echo(b.model_dump_json(indent=2))
        return
    text = bulletin_to_csv(b)
    if out:
        out.write_text(text, encoding="utf-8")
        err.print(f"wrote {out} ({len(b.operations)} operations, {b.total_smv_min:g} SMV min)")
    else:
        typer.echo(text, nl=False)


@app.command()
def balance(
    input: Path = typer.Argument(..., help="a SALBP .IN2 or .alb file, or an operation bulletin .csv"),
    cycle_time: int | None = typer.Option(None, "--cycle-time", help="cycle time (SALBP-1; for a bulletin: takt, s)"),
    stations: int | None = typer.Option(None, "--stations", help="number of stations (SALBP-2; bulletin: operators)"),
    time_limit: float = typer.Option(10.0, "--time-limit", help="seconds"),
    out: Path | None = typer.Option(None, "--out", help="bulletin only: write the operator-load chart (.svg)"),
    json_out: bool = typer.Option(False, "--json", help="machine-readable output on stdout"),
) -> None:
    """Balance a line: fewest stations for a cycle time, or shortest cycle for a number of stations.

    INPUT: Scholl's .IN2, the .alb format of Otto et al. (2013; its cycle time is the default for
    SALBP-1), or an operation bulletin .csv.
    """
    text = None if input.suffix.lower() == ".csv" else _read(input, "latin-1")
    alb_cycle = None
    if text is not None and looks_like_alb(text):
        try:
            inst, alb_cycle = read_alb(text, input.name)
        except ValueError as exc:
            _fail(f"INPUT: {exc}")
        if cycle_time is None and stations is None:
            cycle_time = alb_cycle
    if (cycle_time is None) == (stations is None):
        _fail("--cycle-time/--stations: give exactly one")
    if time_limit <= 0:
        _fail(f"--time-limit: {time_limit}; allowed: seconds > 0")
    if input.suffix.lower() == ".csv":
        _balance_bulletin(input, cycle_time, stations, time_limit, out, json_out)
        return
    if text is not None and not looks_like_alb(text):
        try:
            inst = read_in2(text, input.name)
        except ValueError as exc:
            _fail(f"INPUT: {exc}")
    try:
        with _spinner(json_out, "balancing") as prog:
            prog.add_task("balance")
            if cycle_time is not None:
                r = solve_salbp1(inst, cycle_time, time_limit)
            else:
                assert stations is not None
                r = solve_salbp2(inst, stations, time_limit)
    except ValueError as exc:
        _fail(str(exc))
    errors = check_balance(r, inst)
    if errors:
        _fail("internal: the balance fails its check: " + "; ".join(errors[:3]))
    data = {"problem": "SALBP-1" if cycle_time is not None else "SALBP-2", "stations": r.stations,
            "cycle_time": r.cycle_time, "optimal": r.optimal, "lower_bound": r.lower_bound,
            "line_efficiency": round(r.line_efficiency, 4), "elapsed_s": round(r.elapsed_s, 3),
            "station_tasks": [list(t) for t in r.station_tasks], "station_loads": list(r.station_loads)}
    if json_out:
        typer.echo(json.dumps(data))
        return
    what = "stations" if cycle_time is not None else "cycle time"
    typer.echo(f"{data['problem']} {input.name}: stations {r.stations}, cycle time {r.cycle_time}, "
               f"efficiency {100 * r.line_efficiency:.1f} %")
    typer.echo(f"{what} {'proven optimal' if r.optimal else 'not proven optimal'} (lower bound {r.lower_bound}) "
               f"in {r.elapsed_s:.2f} s")
    for k, (tasks, load) in enumerate(zip(r.station_tasks, r.station_loads, strict=True), start=1):
        typer.echo(f"station {k}: load {load}: tasks {' '.join(map(str, tasks))}")


def _balance_bulletin(path: Path, takt: int | None, operators: int | None, time_limit: float, out: Path | None,
                      json_out: bool) -> None:
    try:
        b = read_bulletin_csv(_read(path), product_id=path.stem)
        with _spinner(json_out, "balancing") as prog:
            prog.add_task("balance")
            lb = balance_line(b, takt_s=takt, operators=operators, time_limit_s=time_limit)
    except ValueError as exc:
        _fail(str(exc))
    errors = check_balance(lb, b)
    if errors:
        _fail("internal: the balance fails its check: " + "; ".join(errors[:3]))
    if out:
        out.write_text(operator_load_svg(lb), encoding="utf-8")
    data = {"product_id": lb.product_id, "takt_s": lb.takt_s, "operators": lb.n_operators,
            "cycle_time_s": lb.cycle_time_s, "line_efficiency": round(lb.line_efficiency, 4),
            "balance_loss": round(lb.balance_loss, 4), "optimal": lb.optimal, "lower_bound": lb.lower_bound,
            "output_per_hour": round(lb.output_per_hour, 2),
            "workstations": [{"operator": o.operator_no, "machine_type": o.machine_type.value,
                              "skill_grade": o.skill_grade, "load_s": o.load_s,
                              "operations": [asdict(s) for s in o.operations]} for o in lb.operators]}
    if json_out:
        typer.echo(json.dumps(data))
        return
    typer.echo(f"{lb.product_id}: {lb.n_operators} operators, takt {lb.takt_s:g} s, bottleneck {lb.cycle_time_s:g} s, "
               f"efficiency {100 * lb.line_efficiency:.1f} %, balance loss {100 * lb.balance_loss:.1f} % "
               f"({'proven optimal' if lb.optimal else 'not proven optimal'})")
    for o in lb.operators:
        ops = ", ".join(s.op_id + (f" {100 * s.share:.0f}%" if s.share < 0.999 else "") for s in o.operations)
        typer.echo(f"operator {o.operator_no:3d} {o.machine_type.value:11} grade {o.skill_grade} "
                   f"load {o.load_s:6.1f} s: {ops}")


@app.command()
def schedule(
    input: Path = typer.Argument(..., help="a Brandimarte .fjs file, or a JSON {start, orders, lines, ...}"),
    time_limit: float = typer.Option(60.0, "--time-limit", help="seconds"),
    out: Path | None = typer.Option(None, "--out", help="orders JSON only: write the Gantt chart (.svg)"),
    json_out: bool = typer.Option(False, "--json", help="machine-readable output on stdout"),
) -> None:
    """Schedule: a flexible job shop (.fjs), or orders on the cluster's lines (.json)."""
    if time_limit <= 0:
        _fail(f"--time-limit: {time_limit}; allowed: seconds > 0")
    if input.suffix.lower() == ".json":
        _schedule_orders(input, time_limit, out, json_out)
        return
    try:
        inst = read_fjs(_read(input), input.name)
    except ValueError as exc:
        _fail(f"INPUT: {exc}")
    with _spinner(json_out, "scheduling") as prog:
        prog.add_task("schedule")
        s = solve_fjsp(inst, time_limit)
    errors = check_fjsp(inst, s)
    if errors:
        _fail("internal: the schedule fails its check: " + "; ".join(errors[:3]))
    if json_out:
        typer.echo(json.dumps({"makespan": s.makespan, "optimal": s.optimal, "lower_bound": s.lower_bound,
                               "elapsed_s": round(s.elapsed_s, 3), "tasks": [asdict(t) for t in s.tasks]}))
        return
    typer.echo(f"makespan {s.makespan} ({'proven optimal' if s.optimal else f'lower bound {s.lower_bound}'})")
    typer.echo("job operation machine start end")
    for t in s.tasks:
        typer.echo(f"{t.job} {t.operation} {t.machine} {t.start} {t.end}")


def _schedule_orders(path: Path, time_limit: float, out: Path | None, json_out: bool) -> None:
    try:
        raw: Any = json.loads(_read(path))
    except json.JSONDecodeError as exc:
        _fail(f"INPUT: {path} is not valid JSON ({exc})")
    if not isinstance(raw, dict) or "orders" not in raw or "lines" not in raw or "start" not in raw:
        _fail("INPUT: JSON must be an object with start (ISO datetime), orders, lines[, subcontracts, frozen]")
    try:
        start = datetime.fromisoformat(raw["start"])
    except (TypeError, ValueError):
        _fail(f"INPUT: start: {raw['start']!r}; allowed: an ISO 8601 datetime")
    parsed: dict[str, list[Any]] = {}
    for key, model in (("orders", Order), ("lines", Line), ("subcontracts", Subcontract), ("frozen", PlannedOrder)):
        try:
            parsed[key] = TypeAdapter(list[model]).validate_python(raw.get(key, []))  # type: ignore[valid-type]
        except ValidationError as exc:
            e = exc.errors()[0]
            _fail(f"INPUT: {key}.{'.'.join(map(str, e['loc']))}: {e['msg']} (got {e.get('input')!r})")
    orders, lines, subs, frozen = parsed["orders"], parsed["lines"], parsed["subcontracts"], parsed["frozen"]
    try:
        with _spinner(json_out, f"scheduling {len(orders)} orders on {len(lines)} lines") as prog:
            prog.add_task("schedule")
            s = schedule_orders(orders, lines, start=start, time_limit_s=time_limit, frozen=frozen,
                                subcontracts=subs)
    except ValueError as exc:
        _fail(str(exc))
    errors = check_schedule(s, orders, lines, frozen=frozen, subcontracts=subs)
    if errors:
        _fail("internal: the schedule fails its check: " + "; ".join(errors[:3]))
    if out:
        out.write_text(gantt_svg(s), encoding="utf-8")
    if json_out:
        typer.echo(s.model_dump_json())
        return
    typer.echo(f"{len(s.planned)} orders planned by {s.method}; total tardiness {s.total_tardiness_days:.2f} days, "
               f"{s.late_orders} late; last end {s.makespan_end.isoformat()}")
    for oid, why in s.unscheduled.items():
        typer.echo(f"unscheduled {oid}: {why}")
    for p in s.planned:
        typer.echo(f"{p.order_id} {p.factory_id} {p.line_id} {p.start.isoformat()} {p.end.isoformat()} "
                   f"due {p.due_date.isoformat()} late {p.tardiness_days:.2f} d")
