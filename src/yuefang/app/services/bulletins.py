"""An enterprise's operation bulletins: its own per product when stored, else the shipped default.

Every function is keyword-only, works on the actor's own enterprise, runs in one transaction and
records a change in the audit trail. ``enterprise_admin`` and ``planner`` read and change.
A bulletin is stored as CSV text, validated with :func:`yuefang.plan.read_bulletin_csv` first.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from yuefang.app.errors import InvalidInput, NotFound, field_error
from yuefang.app.models import EnterpriseBulletin, Role, User
from yuefang.app.services.audit import record_change
from yuefang.app.services.orders import _tenant, require_role

__all__ = [
    "BULLETIN_ROLES",
    "MAX_CSV_CHARS",
    "parse_bulletin_csv",
    "stored_bulletin_csv",
    "enterprise_bulletin",
    "get_bulletin",
    "save_bulletin",
    "reset_bulletin",
]

BULLETIN_ROLES = frozenset({Role.enterprise_admin, Role.planner})
MAX_CSV_CHARS = 200_000
_ROW = re.compile(r"row (\d+): (\w+) (.*?); allowed: (.*)$")


def _product(product_id: str) -> str:
    from yuefang.plan import DEFAULT_PRODUCTS

    if product_id not in DEFAULT_PRODUCTS:
        raise NotFound("bulletin", product_id)
    return product_id


def parse_bulletin_csv(text: str, *, product_id: str, field: str = "bulletin_csv") -> Any:
    """Read a bulletin CSV; a bad one raises :class:`InvalidInput` (422) naming row, field, value, allowed.

    The error's ``field`` is ``bulletin_csv.row<N>.<column>`` when a row is at fault, else ``bulletin_csv``.
    """
    from yuefang.plan import read_bulletin_csv

    if len(text) > MAX_CSV_CHARS:
        raise InvalidInput([field_error(field, f"{len(text)} characters", f"at most {MAX_CSV_CHARS} characters")])
    try:
        return read_bulletin_csv(text, product_id=product_id)
    except ValueError as exc:
        msg = str(exc)
        m = _ROW.search(msg)
        if m:
            name = f"{field}.row{m.group(1)}.{m.group(2)}"
            raise InvalidInput([field_error(name, m.group(3), m.group(4), f"{name}: {msg}")]) from None
        allowed = msg.split("allowed: ", 1)[1] if "allowed: " in msg else "a bulletin CSV"
        value = msg.split(": ", 1)[-1].split(";", 1)[0]
        raise InvalidInput([field_error(field, value, allowed, f"{field}: {msg}")]) from None


def _row(session: Session, enterprise_id: int, product_id: str) -> EnterpriseBulletin | None:
    return session.scalar(
        select(EnterpriseBulletin).where(
            EnterpriseBulletin.enterprise_id == enterprise_id, EnterpriseBulletin.product_id == product_id
        )
    )


def stored_bulletin_csv(*, session: Session, actor: User, product_id: str) -> str | None:
    """The actor's enterprise's own bulletin CSV of ``product_id``, or ``None`` when it uses the default."""
    row = _row(session, _tenant(actor), product_id)
    return row.csv_text if row is not None else None


def enterprise_bulletin(*, session: Session, actor: User, product_id: str) -> tuple[Any, str]:
    """The :class:`yuefang.plan.Bulletin` the enterprise balances ``product_id`` with, and its source
    (``"enterprise"`` or ``"default"``)."""
    from yuefang.plan import default_bulletin, read_bulletin_csv

    _product(product_id)
    text = stored_bulletin_csv(session=session, actor=actor, product_id=product_id)
    if text is None:
        return default_bulletin(product_id), "default"
    return read_bulletin_csv(text, product_id=product_id), "enterprise"


def _out(bulletin: Any, source: str, row: EnterpriseBulletin | None) -> dict[str, Any]:
    from yuefang.plan import bulletin_to_csv

    data = bulletin.model_dump(mode="json")
    data["total_smv_min"] = bulletin.total_smv_min
    data["csv"] = bulletin_to_csv(bulletin)
    data["source"] = source
    data["updated_at"] = row.updated_at.isoformat() if row is not None else None
    data["updated_by_id"] = row.updated_by_id if row is not None else None
    return data


def get_bulletin(*, session: Session, actor: User, product_id: str) -> dict[str, Any]:
    """The enterprise's bulletin of ``product_id`` as JSON with its CSV and ``source`` (404: unknown product)."""
    require_role(actor, BULLETIN_ROLES, "read bulletins")
    bulletin, source = enterprise_bulletin(session=session, actor=actor, product_id=product_id)
    row = _row(session, _tenant(actor), product_id) if source == "enterprise" else None
    return _out(bulletin, source, row)


def save_bulletin(*, session: Session, actor: User, product_id: str, csv_text: str) -> dict[str, Any]:
    """Store the enterprise's own bulletin of ``product_id`` from CSV text (422 naming row/field/value)."""
    from yuefang.plan import bulletin_to_csv

    ent = _tenant(actor)
    require_role(actor, BULLETIN_ROLES, "change bulletins")
    _product(product_id)
    bulletin = parse_bulletin_csv(csv_text, product_id=product_id)
    text = bulletin_to_csv(bulletin)
    row = _row(session, ent, product_id)
    old = row.csv_text if row is not None else None
    if row is None:
        row = EnterpriseBulletin(enterprise_id=ent, product_id=product_id, csv_text=text, updated_by_id=actor.id)
        session.add(row)
    else:
        row.csv_text, row.updated_by_id = text, actor.id
    session.flush()
    record_change(session, actor=actor, entity="enterprise_bulletin", entity_id=row.id,
                  action="import" if old is None else "update",
                  changes={"product_id": {"old": product_id, "new": product_id},
                           "operations": {"old": None if old is None else old.count("\n") - 1,
                                          "new": len(bulletin.operations)},
                           "total_smv_min": {"old": None, "new": round(bulletin.total_smv_min, 4)}},
                  enterprise_id=ent)  # fmt: skip
    session.commit()
    session.refresh(row)
    return _out(bulletin, "enterprise", row)


def reset_bulletin(*, session: Session, actor: User, product_id: str) -> dict[str, Any]:
    """Drop the enterprise's own bulletin of ``product_id``: it balances with the default again."""
    ent = _tenant(actor)
    require_role(actor, BULLETIN_ROLES, "reset bulletins")
    _product(product_id)
    row = _row(session, ent, product_id)
    if row is not None:
        record_change(session, actor=actor, entity="enterprise_bulletin", entity_id=row.id, action="reset",
                      changes={"product_id": {"old": product_id, "new": None}}, enterprise_id=ent)  # fmt: skip
        session.delete(row)
        session.commit()
    return get_bulletin(session=session, actor=actor, product_id=product_id)
