"""Read SALBP instances in the ``.alb`` format of Otto, Otto & Scholl (2013).

The SALBP data sets of Otto et al. (n = 20, 50, 100, 1000 tasks; assembly-line-balancing.de) use
tagged sections instead of Scholl's bare ``.IN2`` layout, and carry a cycle time::

    <number of tasks>
    20
    <cycle time>
    1000
    <order strength>
    0,268
    <task times>
    1 142
    2 34
    ...
    <precedence relations>
    1,6
    ...
    <end>

:func:`read_alb` returns the instance (the same :class:`~yuefang.plan.salbp.SalbpInstance` as
:func:`~yuefang.plan.salbp.read_in2`) and the file's cycle time.
"""

from __future__ import annotations

import re

from yuefang.plan.salbp import SalbpInstance

__all__ = ["read_alb", "looks_like_alb"]

_TAG = re.compile(r"^<\s*([a-z ]+?)\s*>$", re.IGNORECASE)


def looks_like_alb(text: str) -> bool:
    """True when the text starts with an ``.alb`` section tag."""
    for line in text.splitlines():
        if line.strip():
            return bool(_TAG.match(line.strip()))
    return False


def read_alb(text: str, name: str = "") -> tuple[SalbpInstance, int | None]:
    """Read an ``.alb`` file: the instance and its cycle time (None when the file gives none).

    Examples
    --------
    >>> inst, c = read_alb("<number of tasks>\\n3\\n<cycle time>\\n10\\n<task times>\\n1 2\\n2 3\\n3 4\\n"
    ...                    "<precedence relations>\\n1,2\\n1,3\\n<end>\\n")
    >>> inst.task_times, inst.precedences, c
    ((2, 3, 4), ((1, 2), (1, 3)), 10)
    """
    sections: dict[str, list[tuple[int, str]]] = {}
    current: str | None = None
    for k, raw in enumerate(text.replace("\r", "\n").split("\n"), start=1):
        line = raw.strip().strip("\x1a")
        if not line:
            continue
        m = _TAG.match(line)
        if m:
            current = m.group(1).lower()
            if current == "end":
                break
            sections[current] = []
        elif current is not None:
            sections[current].append((k, line))
        else:
            raise ValueError(f"alb line {k}: {line!r}; allowed: a section tag such as <number of tasks>")
    for need in ("number of tasks", "task times"):
        if need not in sections:
            raise ValueError(f"alb: no <{need}> section; allowed: the sections of Otto et al. (2013)")

    def one_int(section: str) -> int | None:
        rows = sections.get(section)
        if not rows:
            return None
        k, line = rows[0]
        try:
            return int(line)
        except ValueError:
            raise ValueError(f"alb line {k}: {line!r}; allowed: an integer for <{section}>") from None

    n = one_int("number of tasks")
    assert n is not None
    if n < 1:
        raise ValueError(f"alb: <number of tasks> {n}; allowed: at least 1")
    times: dict[int, int] = {}
    for k, line in sections["task times"]:
        parts = line.replace(",", " ").split()
        try:
            task, t = int(parts[0]), int(parts[1])
        except (ValueError, IndexError):
            raise ValueError(f"alb line {k}: {line!r}; allowed: 'task time' (two integers)") from None
        if not 1 <= task <= n:
            raise ValueError(f"alb line {k}: task {task}; allowed: 1..{n}")
        times[task] = t
    missing = [i for i in range(1, n + 1) if i not in times]
    if missing:
        raise ValueError(f"alb: no task time for tasks {missing[:10]}; allowed: one time per task 1..{n}")
    prec: list[tuple[int, int]] = []
    for k, line in sections.get("precedence relations", []):
        parts = line.replace(";", ",").split(",")
        try:
            a, b = int(parts[0]), int(parts[1])
        except (ValueError, IndexError):
            raise ValueError(f"alb line {k}: {line!r}; allowed: 'i,j'") from None
        prec.append((a, b))
    inst = SalbpInstance(tuple(times[i] for i in range(1, n + 1)), tuple(prec), name)
    return inst, one_int("cycle time")
