"""Default operation bulletins for every product, and reading bulletins from CSV text.

CSV columns: ``op_id,name,machine_type,smv_min,skill_grade,predecessors``; predecessors are
op ids separated by ``;`` (or spaces); ``skill_grade`` may be empty (then 2).
"""

from __future__ import annotations

import csv
import io
from importlib import resources

from pydantic import ValidationError

from yuefang.plan.models import Bulletin, MachineType, Operation

__all__ = ["default_bulletin", "read_bulletin_csv", "bulletin_to_csv", "DEFAULT_PRODUCTS"]

DEFAULT_PRODUCTS: tuple[str, ...] = (
    "shirt", "trousers", "bodice", "skirt", "curtain", "duvet_cover", "fitted_sheet",
)
_REQUIRED = ("op_id", "name", "machine_type", "smv_min")


def read_bulletin_csv(text: str, product_id: str = "custom", name: str = "") -> Bulletin:
    """Parse a bulletin from CSV text.

    Raises ``ValueError`` naming the row, the field, the value and what is allowed.

    Examples
    --------
    >>> b = read_bulletin_csv("op_id,name,machine_type,smv_min,skill_grade,predecessors\\n"
    ...                       "a,seam,lockstitch,0.5,2,\\nb,press,iron,0.3,1,a\\n")
    >>> [op.op_id for op in b.operations], b.operations[1].predecessors
    (['a', 'b'], ('a',))
    """
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in _REQUIRED if c not in header]
    if missing:
        raise ValueError(f"bulletin csv header: missing {missing}; allowed columns: "
                         "op_id,name,machine_type,smv_min,skill_grade,predecessors")
    ops = []
    allowed_mt = ", ".join(m.value for m in MachineType)
    for row_no, raw in enumerate(reader, start=2):
        row = {(k or "").strip(): (v or "").strip() for k, v in raw.items()}
        if not any(row.values()):
            continue
        mt = row["machine_type"].lower()
        if mt not in {m.value for m in MachineType}:
            raise ValueError(f"bulletin csv row {row_no}: machine_type {row['machine_type']!r}; allowed: {allowed_mt}")
        try:
            smv = float(row["smv_min"])
        except ValueError:
            raise ValueError(f"bulletin csv row {row_no}: smv_min {row['smv_min']!r}; allowed: minutes > 0") from None
        skill_txt = row.get("skill_grade", "")
        try:
            skill = int(skill_txt) if skill_txt else 2
        except ValueError:
            raise ValueError(f"bulletin csv row {row_no}: skill_grade {skill_txt!r}; allowed: 1..4") from None
        preds = tuple(p for p in row.get("predecessors", "").replace(";", " ").replace(",", " ").split() if p)
        try:
            ops.append(Operation(op_id=row["op_id"], name=row["name"], machine_type=MachineType(mt),
                                 smv_min=smv, skill_grade=skill, predecessors=preds))
        except ValidationError as exc:
            err = exc.errors()[0]
            field = ".".join(str(x) for x in err["loc"])
            raise ValueError(f"bulletin csv row {row_no}: {field} {err.get('input')!r}: {err['msg']}") from None
    if not ops:
        raise ValueError("bulletin csv: no operations; allowed: at least one row")
    try:
        return Bulletin(product_id=product_id, name=name, operations=tuple(ops))
    except ValidationError as exc:
        raise ValueError(f"bulletin csv: {exc.errors()[0]['msg']}") from None


def bulletin_to_csv(bulletin: Bulletin) -> str:
    """The bulletin as CSV text (the format :func:`read_bulletin_csv` reads)."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["op_id", "name", "machine_type", "smv_min", "skill_grade", "predecessors"])
    for op in bulletin.operations:
        w.writerow([op.op_id, op.name, op.machine_type.value, f"{op.smv_min:g}", op.skill_grade,
                    ";".join(op.predecessors)])
    return out.getvalue()


def default_bulletin(product_id: str) -> Bulletin:
    """The bulletin shipped for ``product_id`` (one of :data:`DEFAULT_PRODUCTS`).

    SMVs are typical industry values (see docs/plan.md); enterprises edit their own copy.

    Examples
    --------
    >>> round(default_bulletin("shirt").total_smv_min, 2)
    19.35
    """
    if product_id not in DEFAULT_PRODUCTS:
        raise ValueError(f"product_id: {product_id!r}; allowed: {', '.join(DEFAULT_PRODUCTS)}")
    text = resources.files("yuefang.plan.data.bulletins").joinpath(f"{product_id}.csv").read_text("utf-8")
    names = {"shirt": "Men's long-sleeve shirt", "trousers": "Trousers", "bodice": "Fitted bodice",
             "skirt": "Straight skirt", "curtain": "Curtain panel", "duvet_cover": "Duvet cover",
             "fitted_sheet": "Fitted sheet"}
    return read_bulletin_csv(text, product_id=product_id, name=names[product_id])
