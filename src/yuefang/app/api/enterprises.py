"""Enterprises of the cluster: the register (cluster office) and each enterprise's own entry."""

from __future__ import annotations

from fastapi import APIRouter

from yuefang.app.api.deps import CurrentUser, IdPath, Limit, Offset, SessionDep
from yuefang.app.schemas.tenancy import EnterpriseCreate, EnterpriseList, EnterprisePublic, EnterpriseUpdate
from yuefang.app.services import tenancy

router = APIRouter(prefix="/enterprises", tags=["enterprises"])


@router.get("", response_model=EnterpriseList)
def list_enterprises(
    user: CurrentUser, session: SessionDep, limit: Limit = 100, offset: Offset = 0
) -> EnterpriseList:
    """The register (cluster office) or the user's own enterprise."""
    rows, count = tenancy.list_enterprises(session=session, actor=user, limit=limit, offset=offset)
    return EnterpriseList(data=[EnterprisePublic.model_validate(r) for r in rows], count=count)


@router.post("", response_model=EnterprisePublic, status_code=201)
def register_enterprise(body: EnterpriseCreate, user: CurrentUser, session: SessionDep) -> EnterprisePublic:
    """Register an enterprise (cluster office only)."""
    return EnterprisePublic.model_validate(
        tenancy.register_enterprise(session=session, actor=user, data=body)
    )


@router.get("/{enterprise_id}", response_model=EnterprisePublic)
def get_enterprise(enterprise_id: IdPath, user: CurrentUser, session: SessionDep) -> EnterprisePublic:
    """One enterprise (404 for another enterprise's user)."""
    return EnterprisePublic.model_validate(
        tenancy.get_enterprise(session=session, actor=user, enterprise_id=enterprise_id)
    )


@router.patch("/{enterprise_id}", response_model=EnterprisePublic)
def update_enterprise(
    enterprise_id: IdPath, body: EnterpriseUpdate, user: CurrentUser, session: SessionDep
) -> EnterprisePublic:
    """Change an enterprise's entry (cluster office, or its enterprise admin)."""
    ent = tenancy.update_enterprise(session=session, actor=user, enterprise_id=enterprise_id, data=body)
    return EnterprisePublic.model_validate(ent)
