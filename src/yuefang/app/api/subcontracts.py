"""Subcontracts: orders shared with another enterprise, seen without personal or body data.

``offered -> accepted | declined`` (by the receiver's enterprise_admin or planner) and
``-> withdrawn`` (by the offerer's, while offered or accepted). Anyone else: 404, as for a
missing id; an action the state does not allow: 409 naming the state and what it allows.
"""

from __future__ import annotations

from fastapi import APIRouter

from yuefang.app.api.deps import EnterpriseUser, IdPath, Limit, Offset, SessionDep
from yuefang.app.models import SubcontractStatus
from yuefang.app.schemas.subcontracts import (
    SubcontractCreate,
    SubcontractList,
    SubcontractPublic,
    SubcontractView,
)
from yuefang.app.services import subcontracts as svc

router = APIRouter(prefix="/subcontracts", tags=["subcontracts"])


@router.post("", response_model=SubcontractPublic, status_code=201)
def subcontract_order(
    body: SubcontractCreate, user: EnterpriseUser, session: SessionDep
) -> SubcontractPublic:
    """Offer work on one of the enterprise's orders to another enterprise (state ``offered``)."""
    return SubcontractPublic.model_validate(svc.subcontract_order(session=session, actor=user, data=body))


@router.get("", response_model=SubcontractList)
def list_subcontracts(
    user: EnterpriseUser, session: SessionDep, status: SubcontractStatus | None = None, limit: Limit = 100,
    offset: Offset = 0,
) -> SubcontractList:  # fmt: skip
    """Subcontracts given or received, newest first; ``status`` keeps one state."""
    rows, count = svc.list_subcontracts(session=session, actor=user, status=status.value if status else None,
                                        limit=limit, offset=offset)  # fmt: skip
    return SubcontractList(data=[SubcontractPublic.model_validate(r) for r in rows], count=count)


@router.get("/{subcontract_id}", response_model=SubcontractView)
def get_subcontract(subcontract_id: IdPath, user: EnterpriseUser, session: SessionDep) -> SubcontractView:
    """The shared view of the order (no customer, wearer or body data)."""
    return SubcontractView.model_validate(
        svc.subcontract_view(session=session, actor=user, subcontract_id=subcontract_id)
    )


def _decided(action: str, subcontract_id: int, user: EnterpriseUser, session: SessionDep) -> SubcontractPublic:
    sub = svc.decide(session=session, actor=user, subcontract_id=subcontract_id, action=action)
    return SubcontractPublic.model_validate(sub)


@router.post("/{subcontract_id}/accept", response_model=SubcontractPublic)
def accept_subcontract(subcontract_id: IdPath, user: EnterpriseUser, session: SessionDep) -> SubcontractPublic:
    """The receiver accepts an offered subcontract: its sewing lines may now plan the order."""
    return _decided("accept", subcontract_id, user, session)


@router.post("/{subcontract_id}/decline", response_model=SubcontractPublic)
def decline_subcontract(subcontract_id: IdPath, user: EnterpriseUser, session: SessionDep) -> SubcontractPublic:
    """The receiver declines an offered subcontract."""
    return _decided("decline", subcontract_id, user, session)


@router.post("/{subcontract_id}/withdraw", response_model=SubcontractPublic)
def withdraw_subcontract(subcontract_id: IdPath, user: EnterpriseUser, session: SessionDep) -> SubcontractPublic:
    """The offerer withdraws an offered or accepted subcontract; a plan on the receiver's lines is
    discarded (409 once the order is in production there)."""
    return _decided("withdraw", subcontract_id, user, session)
