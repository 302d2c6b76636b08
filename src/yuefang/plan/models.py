"""Operation bulletins: a product's sewing operations with SMV, machine type, skill and precedence."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = ["MachineType", "Operation", "Bulletin"]


class MachineType(StrEnum):
    """Workstation machine types of a sewing line."""

    LOCKSTITCH = "lockstitch"
    OVERLOCK = "overlock"
    COVERSTITCH = "coverstitch"
    BUTTONHOLE = "buttonhole"
    BUTTON_SEW = "button_sew"
    BARTACK = "bartack"
    IRON = "iron"
    MANUAL = "manual"


class Operation(BaseModel):
    """One operation of a bulletin.

    Attributes
    ----------
    op_id : str
        Identifier unique within the bulletin.
    name : str
        What the operator does.
    machine_type : MachineType
        The machine the operation needs.
    smv_min : float
        Standard minute value, minutes per piece (> 0).
    skill_grade : int
        Skill needed, 1 (basic) to 4 (expert).
    predecessors : tuple[str, ...]
        Operations that must be done before this one.
    """

    model_config = ConfigDict(frozen=True)

    op_id: str = Field(min_length=1, max_length=40)
    name: str = Field(min_length=1, max_length=200)
    machine_type: MachineType
    smv_min: float = Field(gt=0, le=600)
    skill_grade: int = Field(default=2, ge=1, le=4)
    predecessors: tuple[str, ...] = ()

    @property
    def smv_s(self) -> float:
        """Standard time in seconds per piece."""
        return self.smv_min * 60.0


class Bulletin(BaseModel):
    """A product's operation bulletin.

    Examples
    --------
    >>> b = Bulletin(product_id="x", operations=(
    ...     Operation(op_id="a", name="seam", machine_type="lockstitch", smv_min=0.5),
    ...     Operation(op_id="b", name="press", machine_type="iron", smv_min=0.25, predecessors=("a",))))
    >>> b.total_smv_min
    0.75
    """

    model_config = ConfigDict(frozen=True)

    product_id: str = Field(min_length=1, max_length=60)
    name: str = ""
    operations: tuple[Operation, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _check_graph(self) -> Bulletin:
        ids = [op.op_id for op in self.operations]
        seen: set[str] = set()
        for i in ids:
            if i in seen:
                raise ValueError(f"operations.op_id: {i!r} appears twice; allowed: unique ids")
            seen.add(i)
        for op in self.operations:
            for p in op.predecessors:
                if p not in seen:
                    raise ValueError(
                        f"operations[{op.op_id}].predecessors: {p!r} is not an operation; allowed: {sorted(seen)}"
                    )
                if p == op.op_id:
                    raise ValueError(f"operations[{op.op_id}].predecessors: itself; allowed: other operations")
        # acyclic (Kahn)
        indeg = {op.op_id: len(set(op.predecessors)) for op in self.operations}
        succ: dict[str, list[str]] = {i: [] for i in ids}
        for op in self.operations:
            for p in set(op.predecessors):
                succ[p].append(op.op_id)
        queue = [i for i in ids if indeg[i] == 0]
        done = 0
        while queue:
            i = queue.pop()
            done += 1
            for s in succ[i]:
                indeg[s] -= 1
                if indeg[s] == 0:
                    queue.append(s)
        if done != len(ids):
            raise ValueError("operations.predecessors: the precedence graph has a cycle; allowed: acyclic")
        return self

    @property
    def total_smv_min(self) -> float:
        """Sum of the operations' SMV, minutes per piece."""
        return round(sum(op.smv_min for op in self.operations), 6)

    def operation(self, op_id: str) -> Operation:
        """The operation with ``op_id`` (KeyError naming the id otherwise)."""
        for op in self.operations:
            if op.op_id == op_id:
                return op
        raise KeyError(f"op_id: {op_id!r} not in bulletin {self.product_id!r}")
