"""Fast import of large indicator files: the checks of :func:`~yuefang.cluster.imports.parse_indicators`, vectorised.

:func:`parse_indicator_table` takes the file as an Arrow table of strings (every column read as
text, one row per line after the header, blank lines kept so that row ``i`` is line ``i + 2``) and
checks every row with Arrow/numpy kernels. The rows that fail a check are parsed again, alone, by
the row-by-row parser, so the messages are the same; the good rows come back as one wide Arrow
table (:data:`BATCH_SCHEMA`) instead of millions of Python objects. Year-to-date files are
differenced per enterprise and year as :func:`~yuefang.cluster.imports.derive_from_ytd` does; a
file whose year-to-date columns have gaps inside a year falls back to the row-by-row parser.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from yuefang.cluster.codes import USCC_CHARSET, USCC_WEIGHTS
from yuefang.cluster.imports import (
    DEFAULT_ESTIMATED,
    Row,
    RowIssue,
    _norm_header,
    parse_indicators,
)
from yuefang.cluster.model import (
    CUMULATIVE_INDICATORS,
    MONEY_INDICATORS,
    Figure,
    Indicator,
    MoneyUnit,
    Period,
    Source,
)

__all__ = [
    "BATCH_SCHEMA",
    "TableImport",
    "parse_indicator_table",
    "figures_from_batch",
    "read_csv_as_text",
    "batch_sources",
]

#: Good rows: one per enterprise and period; ``source`` is the row's stated source (null: the
#: defaults), ``derived`` marks periods differenced from year-to-date figures; ``line`` is the
#: file line the row came from.
BATCH_SCHEMA = pa.schema(
    [("uscc", pa.string()), ("year", pa.int16()), ("first_month", pa.int8()), ("last_month", pa.int8()),
     ("source", pa.string()), ("derived", pa.bool_()), ("line", pa.int32())]
    + [(i.value, pa.float64()) for i in Indicator]
)

_NUMBER_RE = r"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$"
_PERIOD_RE = r"^(?P<y>[0-9]{4})-(?P<a>[0-9]{2})(?:(?:\.\.|/|~)(?P<b>[0-9]{2}))?$"
_LUT = np.full(256, 99, dtype=np.int64)
for _i, _ch in enumerate(USCC_CHARSET):
    _LUT[ord(_ch)] = _i
_W = np.array(USCC_WEIGHTS, dtype=np.int64)


@dataclass(frozen=True)
class TableImport:
    """Result of :func:`parse_indicator_table`: good rows as a table, issues as in ImportResult."""

    batch: pa.Table
    errors: tuple[RowIssue, ...]
    warnings: tuple[RowIssue, ...]
    rows_read: int
    rows_rejected: int

    @property
    def figures_count(self) -> int:
        """Number of figures (non-null indicator cells) in the good rows."""
        return sum(self.batch.num_rows - self.batch.column(i.value).null_count for i in Indicator)


def read_csv_as_text(data: bytes) -> pa.Table:
    """A CSV file's content as an Arrow table of strings (headers normalised, blank lines kept)."""
    import csv as _csv

    import pyarrow.csv as pacsv

    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    first_line = data.split(b"\n", 1)[0].decode("utf-8").rstrip("\r")
    names = [_norm_header(h) for h in next(_csv.reader([first_line]))]
    opts = pacsv.ReadOptions(column_names=names, skip_rows=1, block_size=1 << 22)
    conv = pacsv.ConvertOptions(column_types={n: pa.string() for n in names}, strings_can_be_null=False)
    return pacsv.read_csv(pa.BufferReader(data), read_options=opts,
                          parse_options=pacsv.ParseOptions(ignore_empty_lines=False), convert_options=conv)


def _text(t: pa.Table, name: str) -> pa.Array:
    if name not in t.column_names:
        return pa.nulls(t.num_rows, pa.string())
    col = t.column(name).combine_chunks()
    if not pa.types.is_string(col.type):
        col = pc.cast(col, pa.string())
    return pc.utf8_trim_whitespace(col)


def _np_bool(a: pa.Array | pa.ChunkedArray) -> np.ndarray:
    return np.asarray(pc.fill_null(a, False).to_numpy(zero_copy_only=False), dtype=bool)


def _uscc_ok(codes: pa.Array) -> np.ndarray:
    n = len(codes)
    ok = _np_bool(pc.and_kleene(pc.equal(pc.utf8_length(codes), 18), pc.string_is_ascii(codes)))
    if not ok.any():
        return ok
    idx = np.nonzero(ok)[0]
    sub = pc.take(codes, pa.array(idx))
    sub = sub.combine_chunks() if isinstance(sub, pa.ChunkedArray) else sub
    # every value is 18 ASCII bytes: the data buffer, from the first offset, is an (n, 18) byte matrix
    offsets = np.frombuffer(sub.buffers()[1], dtype=np.int32, count=len(sub) + 1, offset=4 * sub.offset)
    data = np.frombuffer(sub.buffers()[2], dtype=np.uint8)
    b = data[offsets[0]:offsets[0] + 18 * len(sub)].reshape(len(sub), 18)
    vals = _LUT[b]
    good = (vals < 31).all(axis=1)
    check = (31 - (vals[:, :17] * _W).sum(axis=1) % 31) % 31
    good &= vals[:, 17] == check
    digits = b[:, 2:8]
    good &= ((digits >= ord("0")) & (digits <= ord("9"))).all(axis=1)
    out = np.zeros(n, dtype=bool)
    out[idx[good]] = True
    return out


def parse_indicator_table(
    table: pa.Table,
    *,
    unit: MoneyUnit | str = MoneyUnit.YUAN,
    ytd: bool = False,
    estimated: frozenset[Indicator] = DEFAULT_ESTIMATED,
    known_uscc: frozenset[str] | None = None,
    first_line: int = 2,
    unknown_reason: str = "not in the enterprise register",
) -> TableImport:
    """Check an indicator file given as a table of strings; same rules and messages as ``parse_indicators``.

    Parameters
    ----------
    table : pyarrow.Table
        Columns ``uscc``, ``period``, indicator codes (or short names), optional ``source``; row
        ``i`` is line ``first_line + i``.
    unit, ytd, estimated, known_uscc, unknown_reason
        As for :func:`~yuefang.cluster.imports.parse_indicators`.
    """
    unit = MoneyUnit.parse(unit) if isinstance(unit, str) else unit
    table = table.rename_columns([_norm_header(c) for c in table.column_names])
    n = table.num_rows
    lines = np.arange(first_line, first_line + n, dtype=np.int32)
    # blank lines: every cell empty
    cells_empty = np.ones(n, dtype=bool)
    for name in table.column_names:
        col = _text(table, name)
        cells_empty &= _np_bool(pc.or_kleene(pc.is_null(col), pc.equal(col, "")))
    uscc = pc.utf8_upper(_text(table, "uscc"))
    bad = ~_uscc_ok(uscc)
    if known_uscc is not None:
        bad |= ~_np_bool(pc.is_in(uscc, value_set=pa.array(sorted(known_uscc), pa.string())))
    period = _text(table, "period")
    parts = pc.extract_regex(pc.fill_null(period, ""), _PERIOD_RE)
    matched = _np_bool(pc.is_valid(parts))
    y = np.asarray(pc.cast(pc.fill_null(pc.struct_field(parts, "y"), "0"), pa.int32()).to_numpy(zero_copy_only=False))
    a_s = pc.fill_null(pc.struct_field(parts, "a"), "0")
    b_raw = pc.fill_null(pc.struct_field(parts, "b"), "")
    a = np.asarray(pc.cast(a_s, pa.int32()).to_numpy(zero_copy_only=False))
    b_s = pc.if_else(pc.equal(b_raw, ""), a_s, b_raw)
    bm = np.asarray(pc.cast(b_s, pa.int32()).to_numpy(zero_copy_only=False))
    pok = matched & (y >= 1900) & (y <= 2100) & (a >= 1) & (a <= bm) & (bm <= 12)
    if ytd:
        pok &= a == bm
    bad |= ~pok
    source = pc.utf8_lower(_text(table, "source"))
    src_ok = _np_bool(pc.or_kleene(pc.is_null(source), pc.is_in(source, value_set=pa.array(["", "reported", "estimated"]))))
    bad |= ~src_ok
    values: dict[Indicator, np.ndarray] = {}
    any_value = np.zeros(n, dtype=bool)
    for ind in Indicator:
        col = _text(table, ind.value)
        if ind.value not in table.column_names:
            v = np.full(n, np.nan)
            values[ind] = v
            continue
        empty = _np_bool(pc.or_kleene(pc.is_null(col), pc.equal(col, "")))
        nonempty = pc.if_else(pa.array(empty), pa.scalar(None, pa.string()), col)
        try:  # the common case: every cell a plain number
            v = np.asarray(pc.cast(nonempty, pa.float64()).to_numpy(zero_copy_only=False), dtype=float)
            num_ok = empty | np.isfinite(v)  # Arrow reads "nan" and "inf"; the row parser does not
        except pa.ArrowInvalid:  # thousands separators or bad cells: check each cell as the row parser does
            col = pc.replace_substring(pc.replace_substring(nonempty, ",", ""), "，", "")
            num_ok = _np_bool(pc.match_substring_regex(col, _NUMBER_RE)) | empty
            clean = pc.if_else(pa.array(num_ok & ~empty), col, pa.scalar(None, pa.string()))
            v = np.asarray(pc.cast(clean, pa.float64()).to_numpy(zero_copy_only=False), dtype=float)
        bad |= ~num_ok
        v = np.where(num_ok & ~empty, v, np.nan)
        present = ~np.isnan(v)
        if ind is Indicator.DIGITAL_MATURITY_LEVEL:
            bad |= present & ~((v == np.round(v)) & (v >= 1) & (v <= 5))
        elif ind is Indicator.EMPLOYEES:
            bad |= present & (v != np.round(v))
        if ind in MONEY_INDICATORS:
            v = np.round(v * unit.yuan, 2)
        values[ind] = v
        any_value |= present
    bad |= ~any_value
    skip = cells_empty
    bad &= ~skip
    # duplicates of (uscc, period) among otherwise good rows: the later ones are errors
    good_idx = np.nonzero(~bad & ~skip)[0]
    code_no = np.asarray(pc.dictionary_encode(pc.take(uscc, pa.array(good_idx))).indices, dtype=np.int64)
    keys = code_no * 10_000_000 + y[good_idx].astype(np.int64) * 10_000 + a[good_idx] * 100 + bm[good_idx]
    _, first_pos, inverse = np.unique(keys, return_index=True, return_inverse=True)
    dup = np.arange(len(good_idx)) != first_pos[inverse]
    dup_rows = good_idx[dup]
    dup_of = good_idx[first_pos[inverse][dup]]
    good = good_idx[~dup]

    errors: list[RowIssue] = []
    bad_idx = np.nonzero(bad)[0]
    if len(bad_idx):
        cols = table.column_names
        sub = table.take(pa.array(bad_idx)).to_pylist()
        rows = [Row(int(lines[i]), {c: ("" if r[c] is None else str(r[c])) for c in cols}) for i, r in zip(bad_idx, sub, strict=True)]
        errors.extend(parse_indicators(rows, unit=unit, ytd=ytd, estimated=estimated, known_uscc=known_uscc,
                                       unknown_reason=unknown_reason).errors)
    for i, j in zip(dup_rows, dup_of, strict=True):
        u = uscc[int(i)].as_py()
        p = str(Period(int(y[i]), int(bm[i]), int(a[i])))
        errors.append(RowIssue(int(lines[i]), "period", p, f"{u} {p} repeats line {int(lines[j])}"))
    errors.sort(key=lambda e: e.line)
    rejected = len(bad_idx) + len(dup_rows)
    rows_read = int(n - skip.sum())

    take = pa.array(good)
    batch = pa.table(
        {
            "uscc": pc.take(uscc, take),
            "year": pa.array(y[good].astype(np.int16)),
            "first_month": pa.array(a[good].astype(np.int8)),
            "last_month": pa.array(bm[good].astype(np.int8)),
            "source": pc.if_else(pc.equal(pc.take(source, take), ""), pa.scalar(None, pa.string()), pc.take(source, take)),
            "derived": pa.array(np.zeros(len(good), dtype=bool)),
            "line": pa.array(lines[good]),
            **{ind.value: pa.array(values[ind][good], mask=np.isnan(values[ind][good])) for ind in Indicator},
        },
        schema=BATCH_SCHEMA,
    )
    warnings: list[RowIssue] = []
    if ytd and batch.num_rows:
        derived = _derive_ytd(batch)
        if derived is None:  # gaps inside a year: the row-by-row parser handles them
            rows = [Row(int(r["line"]), {"uscc": r["uscc"], "period": f"{r['year']}-{r['last_month']:02d}",
                                         "source": r["source"] or "",
                                         **{i.value: ("" if r[i.value] is None else repr(r[i.value])) for i in Indicator}})
                    for r in batch.to_pylist()]
            res = parse_indicators(rows, unit=MoneyUnit.YUAN, ytd=True, estimated=estimated)
            return TableImport(_batch_from_figures(res.records), tuple(errors), res.warnings, rows_read, rejected)
        batch, warnings = derived
    return TableImport(batch, tuple(errors), tuple(warnings), rows_read, rejected)


def _derive_ytd(batch: pa.Table) -> tuple[pa.Table, list[RowIssue]] | None:
    order = pc.sort_indices(batch, sort_keys=[("uscc", "ascending"), ("year", "ascending"), ("last_month", "ascending")])
    t = batch.take(order)
    n = t.num_rows
    u = t.column("uscc").combine_chunks()
    yr = t.column("year").to_numpy()
    m = t.column("last_month").to_numpy().astype(np.int64)
    same = np.zeros(n, dtype=bool)
    same[1:] = _np_bool(pc.equal(u[1:], u[:-1])) & (yr[1:] == yr[:-1])
    starts = np.nonzero(~same)[0]
    group = np.cumsum(~same) - 1
    cols = {}
    warnings: list[RowIssue] = []
    lines = t.column("line").to_numpy()
    for ind in Indicator:
        v = t.column(ind.value).to_numpy(zero_copy_only=False).astype(float)
        nan = np.isnan(v)
        n_nan = np.add.reduceat(nan.astype(np.int64), starts)
        sizes = np.diff(np.append(starts, n))
        if ((n_nan > 0) & (n_nan < sizes)).any():
            return None
        if ind in CUMULATIVE_INDICATORS:
            prev = np.concatenate([[0.0], v[:-1]])
            d = np.where(same, np.round(v - prev, 2), v)
            if ind is not Indicator.TOTAL_PROFIT_YUAN:
                for i in np.nonzero(same & (d < 0))[0]:
                    warnings.append(RowIssue(0, ind.value, f"{v[i]}", f"{u[i].as_py()} {yr[i]}-{m[i]:02d}: year-to-date figure below the previous month's ({prev[i]}); derived period is negative"))
            v = d
        cols[ind.value] = pa.array(v, mask=nan)
    del group, lines
    first = np.where(same, np.concatenate([[0], m[:-1]]) + 1, 1).astype(np.int8)
    out = pa.table(
        {"uscc": u, "year": t.column("year"), "first_month": pa.array(first), "last_month": t.column("last_month"),
         "source": t.column("source"), "derived": pa.array(same), "line": t.column("line"), **cols},
        schema=BATCH_SCHEMA,
    )
    return out, warnings


def _batch_from_figures(figures) -> pa.Table:
    rows: dict[tuple[str, int, int, int], dict] = {}
    for f in figures:
        r = rows.setdefault((f.uscc, f.period.year, f.period.first_month, f.period.last_month),
                            {"source": None, "derived": False, "line": 0})
        r[f.indicator.value] = f.value
        if f.source is Source.DERIVED:
            r["derived"] = True
    data = [{"uscc": k[0], "year": k[1], "first_month": k[2], "last_month": k[3], **v} for k, v in rows.items()]
    return pa.Table.from_pylist(data, schema=BATCH_SCHEMA)


def figures_from_batch(batch: pa.Table, estimated: frozenset[Indicator] = DEFAULT_ESTIMATED) -> Iterator[Figure]:
    """The figures of a batch, with their sources (as ``parse_indicators`` would give them)."""
    for r in batch.to_pylist():
        p = Period(r["year"], r["last_month"], r["first_month"])
        for ind in Indicator:
            v = r[ind.value]
            if v is None:
                continue
            if r["derived"] and ind in CUMULATIVE_INDICATORS:
                src = Source.DERIVED
            elif r["source"]:
                src = Source(r["source"])
            else:
                src = Source.ESTIMATED if ind in estimated else Source.REPORTED
            yield Figure(r["uscc"], p, ind, v, src)


def batch_sources(batch: pa.Table, estimated: frozenset[Indicator] = DEFAULT_ESTIMATED) -> dict[Indicator, pa.Array]:
    """Each figure's source in a batch, per indicator column (as :func:`figures_from_batch` gives them)."""
    derived = batch.column("derived").combine_chunks()
    row_src = batch.column("source").combine_chunks()
    out = {}
    for ind in Indicator:
        default = Source.ESTIMATED if ind in estimated else Source.REPORTED
        src = pc.if_else(pc.is_null(row_src), pa.scalar(default.value), row_src)
        if ind in CUMULATIVE_INDICATORS:
            src = pc.if_else(derived, pa.scalar(Source.DERIVED.value), src)
        out[ind] = src
    return out
