"""yuefang.plan: operation bulletins, sewing-line balancing, scheduling across the cluster, promises.

Pure: values in, values out. See docs/plan.md.
"""

from yuefang.plan.balance import (
    LineBalance,
    OperationShare,
    OperatorLoad,
    balance_line,
    bulletin_to_salbp,
    check_balance,
    takt_from_output,
)
from yuefang.plan.bulletins import DEFAULT_PRODUCTS, bulletin_to_csv, default_bulletin, read_bulletin_csv
from yuefang.plan.fjsp import (
    FjspInstance,
    FjspSchedule,
    FjspTask,
    check_fjsp,
    greedy_fjsp,
    read_fjs,
    solve_fjsp,
)
from yuefang.plan.models import Bulletin, MachineType, Operation
from yuefang.plan.promise import Promise, Quote, promise_date, quote
from yuefang.plan.salbp import (
    BalanceResult,
    SalbpInstance,
    check_salbp,
    read_in2,
    salbp_lower_bound,
    solve_salbp1,
    solve_salbp2,
)
from yuefang.plan.schedule import (
    Factory,
    Line,
    Order,
    PlannedOrder,
    Schedule,
    Subcontract,
    check_schedule,
    edd_schedule,
    eligible_lines,
    order_duration_min,
    order_smv_min,
    planned_step,
    schedule_orders,
)
from yuefang.plan.svg import gantt_svg, operator_load_svg
from yuefang.plan.synthetic import synthetic_cluster

__all__ = [
    "BalanceResult", "Bulletin", "DEFAULT_PRODUCTS", "Factory", "FjspInstance", "FjspSchedule", "FjspTask",
    "Line", "LineBalance", "MachineType", "Operation", "OperationShare", "OperatorLoad", "Order",
    "PlannedOrder", "Promise", "Quote", "SalbpInstance", "Schedule", "Subcontract", "balance_line",
    "bulletin_to_csv", "bulletin_to_salbp", "check_balance", "check_fjsp", "check_salbp", "check_schedule",
    "default_bulletin", "edd_schedule", "eligible_lines", "gantt_svg", "greedy_fjsp", "operator_load_svg",
    "order_duration_min", "order_smv_min", "planned_step", "promise_date", "quote", "read_bulletin_csv",
    "read_fjs", "read_in2", "salbp_lower_bound", "schedule_orders", "solve_fjsp", "solve_salbp1",
    "solve_salbp2", "synthetic_cluster", "takt_from_output",
]
