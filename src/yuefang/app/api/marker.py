"""Markers on the user's own patterns and fabric: ``POST /api/marker/nest`` queues a nesting job,
``POST /api/marker/plan`` a cut order plan."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response

from yuefang.app.api.deps import EnterpriseUser, IdPath, SessionDep
from yuefang.app.auth import require_roles
from yuefang.app.models import Role, User
from yuefang.app.schemas.marker import CutPlanRequest, NestRequest
from yuefang.app.schemas.orders import JobPublic
from yuefang.app.services import compute

router = APIRouter(prefix="/marker", tags=["marker"])

MARKER_ROLES = (Role.enterprise_admin, Role.planner, Role.cutting_room)
MarkerUser = Annotated[User, Depends(require_roles(*MARKER_ROLES))]  # no cluster_admin: enterprise users only


@router.post("/nest", response_model=JobPublic, status_code=202)
def nest_marker(body: NestRequest, user: MarkerUser, session: SessionDep) -> JobPublic:
    """Queue a marker of these patterns on this fabric; answers at once with the job.

    Fabric fields and pieces wider than the usable width are refused here (422); the job's
    result holds the summary (length, utilisation, placements), the full marker and its SVG.
    """
    return JobPublic.model_validate(compute.submit_nest(session=session, actor=user, body=body))


@router.post("/plan", response_model=JobPublic, status_code=202)
def plan_cuts(body: CutPlanRequest, user: MarkerUser, session: SessionDep) -> JobPublic:
    """Queue a cut order plan for a batch (markers, plies, lays); answers at once with the job.

    With ``patterns`` and ``fabric`` the chosen markers are nested for real (the job's result holds
    each marker's SVG); with ``consumption_mm`` the plan is made on those marker lengths. Sizes
    without a pattern or length, a bad fabric and pieces wider than the fabric are refused here (422);
    a batch the limits do not allow fails the job with the reason.
    """
    return JobPublic.model_validate(compute.submit_cut_plan(session=session, actor=user, body=body))


@router.get("/jobs/{job_id}/svg", response_class=Response)
def marker_svg(job_id: IdPath, user: EnterpriseUser, session: SessionDep) -> Response:
    """The finished marker as SVG (404 for another enterprise's job, 409 while it runs)."""
    svg = compute.job_svg(session=session, actor=user, job_id=job_id, kinds=(compute.NEST_KIND,))
    return Response(svg, media_type="image/svg+xml")
