"""The cluster office's API: register and indicator imports, figure history, progress, ranking, flags, exports.

Thin: parse, check the role (in the service), call one service, return its typed result.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, File, Query, Response, UploadFile

from yuefang.app.api.deps import CurrentUser, IdPath, SessionDep
from yuefang.app.errors import InvalidInput, field_error
from yuefang.app.services import cluster as svc
from yuefang.cluster.progress import ProgressReport
from yuefang.cluster.scope import DEFAULT_PLAN_ID, load_plans

router = APIRouter(prefix="/cluster", tags=["cluster"])

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
PlanQ = Annotated[str, Query(max_length=80, description="plan id")]
YearQ = Annotated[int, Query(ge=1990, le=2100, description="year")]


async def _read(file: UploadFile) -> bytes:
    content = await file.read(MAX_UPLOAD_BYTES + 1)
    if len(content) > MAX_UPLOAD_BYTES:
        raise InvalidInput([field_error("file", f"{len(content)} bytes", f"at most {MAX_UPLOAD_BYTES} bytes")])
    return content


@router.get("/plans")
def list_plans(user: CurrentUser) -> list[dict[str, Any]]:
    """The plans shipped: id, name, years, targets, number of industry classes in scope."""
    return [{"id": p.id, "name": p.name, "name_en": p.name_en, "start_year": p.start_year, "end_year": p.end_year,
             "targets": [asdict(t) for t in p.targets], "scope": p.scope.summary(), "core_cities": list(p.core_cities)}
            for p in load_plans().values()]


@router.post("/enterprises/import", response_model=svc.EnterpriseImport, status_code=201)
async def import_enterprises(user: CurrentUser, session: SessionDep, file: UploadFile = File(...)) -> svc.EnterpriseImport:
    """Import the enterprise register from CSV or Excel (cluster office): bad rows reported, good rows kept."""
    return svc.import_enterprises(session=session, actor=user, filename=file.filename or "", content=await _read(file))


@router.post("/indicators/import", response_model=svc.IndicatorImport, status_code=201)
async def import_indicators(
    user: CurrentUser,
    session: SessionDep,
    file: UploadFile = File(...),
    unit: Annotated[str, Query(max_length=12, description="money unit: yuan, 千元, 万元")] = "yuan",
    ytd: Annotated[bool, Query(description="figures are year-to-date cumulative")] = False,
) -> svc.IndicatorImport:
    """Import monthly indicators (cluster office: any enterprise; enterprise admin: its own)."""
    return svc.import_indicators(session=session, actor=user, filename=file.filename or "",
                                 content=await _read(file), unit=unit, ytd=ytd)


@router.get("/enterprises/{enterprise_id}/figures", response_model=list[svc.FigureRevision])
def figure_history(
    enterprise_id: IdPath, user: CurrentUser, session: SessionDep,
    year: Annotated[int | None, Query(ge=1990, le=2100)] = None,
) -> list[svc.FigureRevision]:
    """Every revision of an enterprise's figures (enterprise users: only their own)."""
    return svc.figure_history(session=session, actor=user, enterprise_id=enterprise_id, year=year)


@router.get("/progress", response_model=ProgressReport)
def progress(user: CurrentUser, session: SessionDep, year: YearQ, plan: PlanQ = DEFAULT_PLAN_ID) -> ProgressReport:
    """Actual, target, progress, like-for-like growth, projection; by city and by industry class."""
    return svc.cluster_progress(session=session, actor=user, plan_id=plan, year=year)


@router.get("/rank")
def rank(
    user: CurrentUser, session: SessionDep, year: YearQ, plan: PlanQ = DEFAULT_PLAN_ID,
    top: Annotated[int, Query(ge=1, le=500)] = 20,
) -> dict[str, Any]:
    """Key enterprises: scores with their components, ranks and tiers, best first."""
    scores = svc.rank_enterprises(session=session, actor=user, plan_id=plan, year=year)
    return {"count": len(scores), "data": [asdict(s) for s in scores[:top]]}


@router.get("/flags")
def flags(
    user: CurrentUser, session: SessionDep,
    status: Annotated[str | None, Query(pattern="^(open|accepted|corrected)$")] = "open",
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[dict[str, Any]]:
    """Figures flagged for review (kept, never dropped), newest first."""
    return svc.list_flags(session=session, actor=user, status=status, limit=limit)


@router.get("/export")
def export(
    user: CurrentUser, session: SessionDep, year: YearQ, plan: PlanQ = DEFAULT_PLAN_ID,
    format: Annotated[str, Query(pattern="^(xlsx|csv|parquet)$")] = "xlsx",
) -> Response:
    """The dashboard's tables as Excel, or a zip of CSV or Parquet files (synthetic data labelled)."""
    content, filename, media = svc.export_dashboard(session=session, actor=user, plan_id=plan, year=year, fmt=format)
    return Response(content, media_type=media, headers={"Content-Disposition": f'attachment; filename="{filename}"'})
