"""Subcontracts: orders shared with another enterprise, seen without personal or body data."""

from __future__ import annotations

from fastapi import APIRouter

from yuefang.app.api.deps import EnterpriseUser, IdPath, Limit, Offset, SessionDep
from yuefang.app.schemas.orders import SubcontractCreate, SubcontractList, SubcontractPublic, SubcontractView
from yuefang.app.services import subcontracts as svc

router = APIRouter(prefix="/subcontracts", tags=["subcontracts"])


@router.post("", response_model=SubcontractPublic, status_code=201)
def subcontract_order(
    body: SubcontractCreate, user: EnterpriseUser, session: SessionDep
) -> SubcontractPublic:
    """Share one of the enterprise's orders with another enterprise."""
    return SubcontractPublic.model_validate(svc.subcontract_order(session=session, actor=user, data=body))


@router.get("", response_model=SubcontractList)
def list_subcontracts(
    user: EnterpriseUser, session: SessionDep, limit: Limit = 100, offset: Offset = 0
) -> SubcontractList:
    """Subcontracts given or received."""
    rows, count = svc.list_subcontracts(session=session, actor=user, limit=limit, offset=offset)
    return SubcontractList(data=[SubcontractPublic.model_validate(r) for r in rows], count=count)


@router.get("/{subcontract_id}", response_model=SubcontractView)
def get_subcontract(subcontract_id: IdPath, user: EnterpriseUser, session: SessionDep) -> SubcontractView:
    """The shared view of the order (no customer, wearer or body data)."""
    return SubcontractView.model_validate(
        svc.subcontract_view(session=session, actor=user, subcontract_id=subcontract_id)
    )
