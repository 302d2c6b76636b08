"""An enterprise's factories and sewing lines (what the ``planned`` step schedules orders on).

``enterprise_admin`` and ``planner`` register, change and remove; every enterprise role reads.
Another enterprise's id answers 404, as a missing one does.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from yuefang.app.api.deps import EnterpriseUser, IdPath, Limit, Offset, SessionDep
from yuefang.app.schemas.common import ID_MAX
from yuefang.app.schemas.lines import (
    FactoryCreate,
    FactoryList,
    FactoryPublic,
    FactoryUpdate,
    SewingLineCreate,
    SewingLineList,
    SewingLinePublic,
    SewingLineUpdate,
)
from yuefang.app.services import lines as svc

router = APIRouter(tags=["sewing lines"])


@router.get("/factories", response_model=FactoryList)
def list_factories(user: EnterpriseUser, session: SessionDep, limit: Limit = 100, offset: Offset = 0) -> FactoryList:
    """The enterprise's factories."""
    rows, count = svc.list_factories(session=session, actor=user, limit=limit, offset=offset)
    return FactoryList(data=[FactoryPublic.model_validate(r) for r in rows], count=count)


@router.post("/factories", response_model=FactoryPublic, status_code=201)
def register_factory(body: FactoryCreate, user: EnterpriseUser, session: SessionDep) -> FactoryPublic:
    """Register a factory of the enterprise."""
    return FactoryPublic.model_validate(svc.register_factory(session=session, actor=user, data=body))


@router.get("/factories/{factory_id}", response_model=FactoryPublic)
def get_factory(factory_id: IdPath, user: EnterpriseUser, session: SessionDep) -> FactoryPublic:
    """One factory."""
    return FactoryPublic.model_validate(svc.get_factory(session=session, actor=user, factory_id=factory_id))


@router.patch("/factories/{factory_id}", response_model=FactoryPublic)
def change_factory(factory_id: IdPath, body: FactoryUpdate, user: EnterpriseUser, session: SessionDep
                   ) -> FactoryPublic:  # fmt: skip
    """Rename a factory or change its city."""
    row = svc.change_factory(session=session, actor=user, factory_id=factory_id, data=body)
    return FactoryPublic.model_validate(row)


@router.delete("/factories/{factory_id}", status_code=204)
def remove_factory(factory_id: IdPath, user: EnterpriseUser, session: SessionDep) -> Response:
    """Remove a factory with its sewing lines."""
    svc.remove_factory(session=session, actor=user, factory_id=factory_id)
    return Response(status_code=204)


@router.get("/sewing-lines", response_model=SewingLineList)
def list_lines(user: EnterpriseUser, session: SessionDep, factory_id: Annotated[int | None, Query(ge=1, le=ID_MAX)] = None,
               active: bool | None = None,
               limit: Limit = 100, offset: Offset = 0) -> SewingLineList:  # fmt: skip
    """The enterprise's sewing lines (optionally of one factory, or only active ones)."""
    rows, count = svc.list_lines(session=session, actor=user, factory_id=factory_id, active=active,
                                 limit=limit, offset=offset)  # fmt: skip
    return SewingLineList(data=[SewingLinePublic.model_validate(r) for r in rows], count=count)


@router.post("/sewing-lines", response_model=SewingLinePublic, status_code=201)
def register_line(body: SewingLineCreate, user: EnterpriseUser, session: SessionDep) -> SewingLinePublic:
    """Register a sewing line in one of the enterprise's factories."""
    return SewingLinePublic.model_validate(svc.register_line(session=session, actor=user, data=body))


@router.get("/sewing-lines/{line_id}", response_model=SewingLinePublic)
def get_line(line_id: IdPath, user: EnterpriseUser, session: SessionDep) -> SewingLinePublic:
    """One sewing line."""
    return SewingLinePublic.model_validate(svc.get_line(session=session, actor=user, line_id=line_id))


@router.patch("/sewing-lines/{line_id}", response_model=SewingLinePublic)
def change_line(line_id: IdPath, body: SewingLineUpdate, user: EnterpriseUser, session: SessionDep
                ) -> SewingLinePublic:  # fmt: skip
    """Change a sewing line's capacity, products, learning curve or changeover; switch it off or on."""
    return SewingLinePublic.model_validate(svc.change_line(session=session, actor=user, line_id=line_id, data=body))


@router.delete("/sewing-lines/{line_id}", status_code=204)
def remove_line(line_id: IdPath, user: EnterpriseUser, session: SessionDep) -> Response:
    """Remove a sewing line."""
    svc.remove_line(session=session, actor=user, line_id=line_id)
    return Response(status_code=204)
