"""Every table of the platform; importing this package registers them all on ``Base.metadata``.

Domain engineers' model modules (e.g. ``cluster``) are imported when present.
"""

from __future__ import annotations

import importlib
import importlib.util

from yuefang.app.models.audit import AuditEvent
from yuefang.app.models.bulletins import EnterpriseBulletin
from yuefang.app.models.jobs import Job, JobState
from yuefang.app.models.orders import (
    STEP_ORDER,
    Artifact,
    Nap,
    Order,
    OrderLine,
    OrderStatus,
    OrderStep,
    StepName,
    StepStatus,
    Subcontract,
    SubcontractStatus,
    Ticket,
)
from yuefang.app.models.production_lines import Factory, SewingLine
from yuefang.app.models.tenancy import ENTERPRISE_ROLES, ApiToken, Enterprise, Role, User

__all__ = [
    "AuditEvent",
    "EnterpriseBulletin",
    "Job",
    "JobState",
    "STEP_ORDER",
    "Artifact",
    "Nap",
    "Order",
    "OrderLine",
    "OrderStatus",
    "OrderStep",
    "StepName",
    "StepStatus",
    "Subcontract",
    "SubcontractStatus",
    "Ticket",
    "Factory",
    "SewingLine",
    "ENTERPRISE_ROLES",
    "ApiToken",
    "Enterprise",
    "Role",
    "User",
]

# Optional model modules owned by other domains: registered when they exist.
for _name in ("cluster",):
    if importlib.util.find_spec(f"yuefang.app.models.{_name}") is not None:
        importlib.import_module(f"yuefang.app.models.{_name}")
