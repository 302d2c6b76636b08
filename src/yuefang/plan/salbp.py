"""Simple assembly line balancing (SALBP-1 and SALBP-2) on precedence graphs.

SALBP-1: given a cycle time ``c``, assign every task to a station so that the stations'
loads stay within ``c``, precedence runs forward along the line, and the number of
stations is as small as possible. SALBP-2: given a number of stations, minimise ``c``.

The method is branch, bound and remember (BB&R; Sewell & Jacobson 2012, INFORMS Journal
on Computing 24:433-442): a station-oriented depth-first search over maximal station
loads, pruned by lower bounds (total time, tasks above half the cycle, earliest/latest
stations from the precedence graph) and by memory of every set of assigned tasks already
proven not to complete. It runs forward and on the reversed graph, and starts from the
best of several priority-rule heuristics. Solutions with one station fewer than the best so
far are looked for by bounded breadth-first searches (Bautista & Pereira's bounded dynamic
programming) whose children come from a depth-first enumeration of the tight station loads
(idle time within the budget ``m * c - sum t``, must-go tasks first, longest first); this is
what finds the optimum on most instances where it equals the lower bound with almost no idle
time (Scholl's 297-task graph, Wee-mag). When the search ends without running out of
time it is a proof: ``optimal`` is then true. Times are in the instance's own unit
(seconds for sewing bulletins); tasks are numbered from 1, as in the ``.IN2`` files
(Scholl 1993).
"""

from __future__ import annotations

import math
import random
import time
from dataclasses import dataclass, field

__all__ = [
    "SalbpInstance",
    "BalanceResult",
    "read_in2",
    "salbp_lower_bound",
    "solve_salbp1",
    "solve_salbp2",
    "check_salbp",
]


@dataclass(frozen=True)
class SalbpInstance:
    """A precedence graph with task times.

    Attributes
    ----------
    task_times : tuple[int, ...]
        Time of task ``i + 1`` at index ``i`` (instance unit; seconds for bulletins).
    precedences : tuple[tuple[int, int], ...]
        Direct relations ``(i, j)``: task ``i`` before task ``j`` (1-based).
    name : str
        Free label (file name).
    """

    task_times: tuple[int, ...]
    precedences: tuple[tuple[int, int], ...] = ()
    name: str = ""

    def __post_init__(self) -> None:
        n = len(self.task_times)
        if n == 0:
            raise ValueError("task_times: empty; allowed: at least one task")
        for i, t in enumerate(self.task_times, start=1):
            if not isinstance(t, int) or t < 0:
                raise ValueError(f"task_times[{i}]: {t!r}; allowed: integers >= 0")
        for a, b in self.precedences:
            if not (1 <= a <= n and 1 <= b <= n) or a == b:
                raise ValueError(f"precedences: ({a}, {b}); allowed: distinct tasks 1..{n}")
        _topological_order(n, self.precedences)  # raises on a cycle

    @property
    def n_tasks(self) -> int:
        """Number of tasks."""
        return len(self.task_times)

    @property
    def total_time(self) -> int:
        """Sum of the task times."""
        return sum(self.task_times)


@dataclass(frozen=True)
class BalanceResult:
    """A SALBP solution.

    Attributes
    ----------
    stations : int
        Number of stations used.
    cycle_time : int
        Cycle time (given for SALBP-1, found for SALBP-2), instance unit.
    station_tasks : tuple[tuple[int, ...], ...]
        Tasks (1-based) of station 1, 2, ...
    optimal : bool
        True when the search proved that no better solution exists.
    lower_bound : int
        Proven lower bound on the objective (stations for SALBP-1, cycle time for SALBP-2).
    elapsed_s : float
        Wall-clock seconds spent.
    """

    stations: int
    cycle_time: int
    station_tasks: tuple[tuple[int, ...], ...]
    optimal: bool
    lower_bound: int
    elapsed_s: float = 0.0
    station_loads: tuple[int, ...] = field(default=())

    @property
    def assignment(self) -> dict[int, int]:
        """Task (1-based) -> station (1-based)."""
        return {t: s for s, tasks in enumerate(self.station_tasks, start=1) for t in tasks}

    @property
    def line_efficiency(self) -> float:
        """Sum of task times / (stations x cycle time), in [0, 1]."""
        total = sum(self.station_loads)
        return total / (self.stations * self.cycle_time) if self.stations and self.cycle_time else 0.0


def read_in2(text: str, name: str = "") -> SalbpInstance:
    """Read a Scholl ``.IN2`` file: n, n task times, ``i,j`` relations, optional ``-1,-1``.

    Text after the ``-1,-1`` end mark (notes in several originals) is ignored.

    Examples
    --------
    >>> inst = read_in2("3\\n2\\n3\\n4\\n1,2\\n1,3\\n-1,-1\\nnote")
    >>> inst.task_times, inst.precedences
    ((2, 3, 4), ((1, 2), (1, 3)))
    """
    lines = [ln.strip().strip("\x1a") for ln in text.replace("\r", "\n").split("\n")]
    lines = [ln for ln in lines if ln]
    if not lines:
        raise ValueError("in2: empty input; allowed: n, then n task times, then i,j relations")
    try:
        n = int(lines[0])
    except ValueError:
        raise ValueError(f"in2 line 1: {lines[0]!r}; allowed: the number of tasks") from None
    if len(lines) < n + 1:
        raise ValueError(f"in2: {len(lines) - 1} task times for n={n}; allowed: n task times")
    times = []
    for k in range(n):
        try:
            times.append(int(lines[1 + k]))
        except ValueError:
            raise ValueError(f"in2 line {k + 2}: {lines[1 + k]!r}; allowed: an integer task time") from None
    prec: list[tuple[int, int]] = []
    for k, ln in enumerate(lines[n + 1 :], start=n + 2):
        parts = ln.replace(";", ",").split(",")
        try:
            a, b = int(parts[0]), int(parts[1])
        except (ValueError, IndexError):
            raise ValueError(f"in2 line {k}: {ln!r}; allowed: 'i,j' or the end mark '-1,-1'") from None
        if a == -1 and b == -1:
            break
        prec.append((a, b))
    return SalbpInstance(tuple(times), tuple(prec), name)


# ---------------------------------------------------------------------------
# graph helpers (0-based internally, bitmasks as Python ints)


def _topological_order(n: int, prec: tuple[tuple[int, int], ...]) -> list[int]:
    succ: list[list[int]] = [[] for _ in range(n)]
    indeg = [0] * n
    for a, b in prec:
        succ[a - 1].append(b - 1)
        indeg[b - 1] += 1
    order = [i for i in range(n) if indeg[i] == 0]
    k = 0
    while k < len(order):
        for j in succ[order[k]]:
            indeg[j] -= 1
            if indeg[j] == 0:
                order.append(j)
        k += 1
    if len(order) != n:
        raise ValueError("precedences: the graph has a cycle; allowed: an acyclic graph")
    return order


class _Graph:
    """Topologically renumbered graph: task k (0-based, new) has predecessors < k."""

    def __init__(self, times: list[int], prec: list[tuple[int, int]]) -> None:
        n = len(times)
        order = _topological_order(n, tuple((a + 1, b + 1) for a, b in prec))
        new = {old: k for k, old in enumerate(order)}
        self.n = n
        self.orig = order  # new index -> old 0-based index
        self.t = [times[o] for o in order]
        self.pred = [0] * n
        self.succ: list[list[int]] = [[] for _ in range(n)]
        for a, b in set(prec):
            na, nb = new[a], new[b]
            self.pred[nb] |= 1 << na
            self.succ[na].append(nb)
        # transitive predecessors / successors
        self.all_pred = [0] * n
        for k in range(n):
            m = self.pred[k]
            acc = m
            while m:
                low = m & -m
                i = low.bit_length() - 1
                acc |= self.all_pred[i]
                m ^= low
            self.all_pred[k] = acc
        self.all_succ = [0] * n
        for k in range(n - 1, -1, -1):
            acc = 0
            for j in self.succ[k]:
                acc |= (1 << j) | self.all_succ[j]
            self.all_succ[k] = acc
        self.full = (1 << n) - 1
        self.total = sum(self.t)
        # time of each byte value of a mask, per byte position (mask_time by table look-up)
        self._nbytes = (n + 7) // 8
        self._tab: list[list[int]] = []
        for k in range(self._nbytes):
            chunk = self.t[8 * k : 8 * k + 8]
            tab = [0] * 256
            for x in range(1, 256):
                low = x & -x
                b = low.bit_length() - 1
                tab[x] = tab[x ^ low] + (chunk[b] if b < len(chunk) else 0)
            self._tab.append(tab)
        self.windows: dict[int, tuple[list[int], list[int]]] = {}

    def mask_time(self, m: int) -> int:
        s = 0
        tab = self._tab
        for k, b in enumerate(m.to_bytes(self._nbytes, "little")):
            if b:
                s += tab[k][b]
        return s


def _reverse(times: list[int], prec: list[tuple[int, int]]) -> list[tuple[int, int]]:
    return [(b, a) for a, b in prec]


def _lb(times: list[int], c: int) -> int:
    """Bin-packing lower bounds LB1 (total time), LB2 (halves), LB3 (thirds)."""
    total = sum(times)
    lb1 = -(-total // c) if total else 0
    big = sum(1 for x in times if 2 * x > c)
    half = sum(1 for x in times if 2 * x == c)
    lb2 = big + -(-half // 2)
    # Johnson's thirds: weights 1 (>2c/3), 2/3 (=2c/3), 1/2 (c/3<t<2c/3), 1/3 (=c/3), 0 else
    w6 = 0
    for x in times:
        if 3 * x > 2 * c:
            w6 += 6
        elif 3 * x == 2 * c:
            w6 += 4
        elif 3 * x > c:
            w6 += 3
        elif 3 * x == c:
            w6 += 2
    lb3 = -(-w6 // 6)
    return max(lb1, lb2, lb3)


def _station_windows(g: _Graph, c: int) -> tuple[list[int], list[int]]:
    """Earliest station E_j (1-based) and tail_j: stations needed from j's station to the end."""
    if c in g.windows:
        return g.windows[c]
    e = [-(-(g.t[j] + g.mask_time(g.all_pred[j])) // c) for j in range(g.n)]
    tail = [-(-(g.t[j] + g.mask_time(g.all_succ[j])) // c) for j in range(g.n)]
    g.windows[c] = ([max(1, x) for x in e], [max(1, x) for x in tail])
    return g.windows[c]


def salbp_lower_bound(instance: SalbpInstance, cycle_time: int) -> int:
    """Lower bound on the number of stations for ``cycle_time``.

    The best of the bin-packing bounds (total time, tasks above half and a third of the
    cycle) and the precedence bound ``max_j E_j + tail_j - 1``.

    Examples
    --------
    >>> salbp_lower_bound(SalbpInstance((6, 6, 6)), 10)
    3
    """
    _check_cycle(instance, cycle_time)
    g = _Graph(list(instance.task_times), [(a - 1, b - 1) for a, b in instance.precedences])
    e, tail = _station_windows(g, cycle_time)
    return max(_lb(g.t, cycle_time), max(e[j] + tail[j] - 1 for j in range(g.n)))


def _check_cycle(instance: SalbpInstance, c: int) -> None:
    tmax = max(instance.task_times)
    if not isinstance(c, int) or c < max(tmax, 1):
        raise ValueError(f"cycle_time: {c!r}; allowed: an integer >= the longest task time ({tmax})")


# ---------------------------------------------------------------------------
# heuristics


def _greedy(g: _Graph, c: int, prio: list[float]) -> list[int]:
    """Station-oriented priority rule; returns station masks."""
    t, succ = g.t, g.succ
    waiting = [p.bit_count() for p in g.pred]  # unassigned direct predecessors
    avail = [j for j in range(g.n) if waiting[j] == 0]
    stations: list[int] = []
    while avail:
        load = 0
        cap = c
        while True:
            best, bp = -1, -math.inf
            for j in avail:
                if t[j] <= cap and prio[j] > bp:
                    best, bp = j, prio[j]
            if best < 0:
                break
            avail.remove(best)
            load |= 1 << best
            cap -= t[best]
            for s2 in succ[best]:
                waiting[s2] -= 1
                if waiting[s2] == 0:
                    avail.append(s2)
        stations.append(load)
    return stations


def _heuristic(g: _Graph, c: int, seed: int, extra: int) -> list[int]:
    pw = [g.t[j] + g.mask_time(g.all_succ[j]) for j in range(g.n)]
    nsucc = [g.all_succ[j].bit_count() for j in range(g.n)]
    rules = [
        pw,
        list(map(float, g.t)),
        [nsucc[j] + g.t[j] / (c + 1) for j in range(g.n)],
        [g.t[j] * (1 + nsucc[j]) for j in range(g.n)],
        [pw[j] / (1 + g.all_pred[j].bit_count()) for j in range(g.n)],
    ]
    best = None
    for prio in rules:
        s = _greedy(g, c, prio)
        if best is None or len(s) < len(best):
            best = s
    rng = random.Random(seed)
    for _ in range(extra):
        prio = [pw[j] * (0.7 + 0.6 * rng.random()) for j in range(g.n)]
        s = _greedy(g, c, prio)
        if len(s) < len(best):  # type: ignore[arg-type]
            best = s
    assert best is not None
    return best


# ---------------------------------------------------------------------------
# branch, bound and remember


def _subset_fill(items: list[int], t: list[int], cap: int, rng: random.Random) -> list[int]:
    """Items (in random order) whose times sum closest to ``cap`` from below (bitset subset sum)."""
    order = list(items)
    rng.shuffle(order)
    limit = (1 << (cap + 1)) - 1
    reach = 1
    history = []
    for j in order:
        history.append(reach)
        reach = (reach | (reach << t[j])) & limit
    best = reach.bit_length() - 1
    chosen = []
    for k in range(len(order) - 1, -1, -1):
        if (history[k] >> best) & 1:
            continue
        chosen.append(order[k])
        best -= t[order[k]]
    return chosen


class _Timeout(Exception):
    pass


class _Search:
    """Depth-first search for a balance with at most ``target`` stations."""

    def __init__(self, g: _Graph, c: int, target: int, deadline: float, max_memo: int = 3_000_000,
                 seed: int | None = None) -> None:
        self.g, self.c, self.target, self.deadline = g, c, target, deadline
        self.allowed_idle = target * c - g.total
        e, tail = _station_windows(g, c)
        # tasks that must be done by station k (latest station L_j = target + 1 - tail_j)
        self.must = [0] * (target + 2)
        self.elig = [0] * (target + 2)  # tasks allowed in station k (E_j <= k)
        for j in range(g.n):
            lj = target + 1 - tail[j]
            for k in range(max(lj, 0), target + 2):
                self.must[k] |= 1 << j
            for k in range(e[j], target + 2):
                self.elig[k] |= 1 << j
        self.big = 0
        self.w6 = [0, 0, 0, 0]  # masks of tasks weighing 6, 4, 3, 2 sixths in the thirds bound
        for j in range(g.n):
            if 2 * g.t[j] > c:
                self.big |= 1 << j
            x = 3 * g.t[j]
            if x > 2 * c:
                self.w6[0] |= 1 << j
            elif x == 2 * c:
                self.w6[1] |= 1 << j
            elif x > c:
                self.w6[2] |= 1 << j
            elif x == c:
                self.w6[3] |= 1 << j
        self.memo: dict[int, int] = {}
        self.max_memo = max_memo
        self.complete = True
        self.nodes = 0
        self.solution: list[int] | None = None
        self.max_loads = 4000
        self.pw = [g.t[j] + g.mask_time(g.all_succ[j]) for j in range(g.n)]
        self.rng = random.Random(seed or 0)
        self.rank = lambda kv: kv[1][:2]
        self.tries = 12
        self.want = 0
        self.node_limit = 200
        self.noise = 0.25
        if seed is not None:  # a restart: perturbed tie-breaking among loads of equal time
            rng = random.Random(seed)
            self.pw = [round(w * rng.uniform(0.7, 1.3)) for w in self.pw]

    def run(self) -> bool | None:
        """True: found; False: proven impossible; None: out of time (or incomplete)."""
        if self.allowed_idle < 0:
            return False
        try:
            found = self._dfs(0, 0, [])
        except _Timeout:
            return None
        if found:
            return True
        return False if self.complete else None

    def _loads(self, mask: int, k: int) -> list[tuple[int, int]]:
        """Maximal loads for station k+1 with load time >= the idle budget allows."""
        g, c = self.g, self.c
        t, pred, succ = g.t, g.pred, g.succ
        idle_used = k * c - g.mask_time(mask)
        min_load = c - (self.allowed_idle - idle_used)
        elig = self.elig[k + 1]
        must_next = self.must[k + 1] & ~mask
        unassigned = g.full & ~mask
        reach = []  # tasks that could join this station with all their unassigned predecessors
        for j in range(g.n):
            if (unassigned >> j) & 1 and (elig >> j) & 1 and t[j] + self.pred_time_cap(j, unassigned) <= c:
                reach.append(j)
        reach_set = 0
        for j in reach:
            reach_set |= 1 << j
        # suffix[j]: total time of reachable tasks with index > j
        suffix = [0] * (g.n + 1)
        acc = 0
        ri = len(reach) - 1
        for j in range(g.n - 1, -1, -1):
            suffix[j] = acc
            while ri >= 0 and reach[ri] >= j:
                if reach[ri] == j:
                    acc += t[j]
                ri -= 1
        avail = [j for j in reach if pred[j] & ~mask == 0]
        out: list[tuple[int, int]] = []
        limit = self.max_loads
        deadline = self.deadline
        calls = [0]

        def rec(load: int, ltime: int, cand: list[int], start: int) -> None:
            calls[0] += 1
            if calls[0] & 1023 == 0 and time.monotonic() > deadline:
                raise _Timeout
            cap = c - ltime
            # maximality: no available task (any index) fits
            maximal = True
            for j in cand:
                if t[j] <= cap and not (load >> j) & 1:
                    maximal = False
                    break
            if maximal:
                if ltime >= min_load and must_next & ~load == 0:
                    out.append((ltime, load))
                    if len(out) >= limit:
                        raise _Stop
                return
            for idx in range(start, len(cand)):
                j = cand[idx]
                if t[j] > cap or (load >> j) & 1:
                    continue
                # bound: even adding every reachable task after j cannot reach min_load
                if ltime + t[j] + suffix[j] < min_load:
                    continue
                nl = load | (1 << j)
                cur = mask | nl
                newc = cand
                add = [s for s in succ[j] if pred[s] & ~cur == 0 and (reach_set >> s) & 1]
                if add:
                    # keep candidates sorted by index so each subset is generated once
                    newc = sorted(cand + add)
                    nstart = newc.index(j) + 1
                else:
                    nstart = idx + 1
                rec(nl, ltime + t[j], newc, nstart)

        try:
            rec(0, 0, avail, 0)
        except _Stop:
            self.complete = False
        pw = self.pw
        out.sort(key=lambda x: (-x[0], -self._tb(x[1], pw)))
        return out

    def _dfs(self, mask: int, k: int, path: list[int]) -> bool:
        g = self.g
        if mask == g.full:
            self.solution = list(path)
            return True
        self.nodes += 1
        if self.nodes & 63 == 0 and time.monotonic() > self.deadline:
            raise _Timeout
        if k >= self.target:
            return False
        seen = self.memo.get(mask)
        if seen is not None and seen <= k:
            return False
        if self._prune(mask, k):
            return False
        for _ltime, load in self._loads(mask, k):
            path.append(load)
            if self._dfs(mask | load, k + 1, path):
                return True
            path.pop()
        if len(self.memo) < self.max_memo:
            self.memo[mask] = k
        else:
            self.complete = False
        return False

    def beam(self, width: int) -> bool | None:
        """Bounded breadth-first search (Bautista & Pereira's bounded dynamic programming):
        station by station, keep the ``width`` states with the least idle time. Finds; never proves."""
        g, c = self.g, self.c
        pw = self.pw
        # state: mask -> (idle, -tie_break, path)
        layer: dict[int, tuple[int, int, list[int]]] = {0: (0, 0, [])}
        try:
            for k in range(self.target):
                children: dict[int, tuple[int, int, list[int]]] = {}
                for mask, (idle0, tb0, path) in layer.items():
                    self.nodes += 1
                    if self.nodes & 15 == 0 and time.monotonic() > self.deadline:
                        raise _Timeout
                    loads = (self._dfs_loads(mask, k, self.want, self.node_limit, self.rng) if self.want
                             else self._sample_loads(mask, k, self.tries, self.rng))
                    for ltime, load in loads:
                        child = mask | load
                        if child == g.full:
                            self.solution = path + [load]
                            return True
                        if child in children or self._prune(child, k + 1):
                            continue
                        children[child] = (idle0 + c - ltime, tb0 - self._tb(load, pw), path + [load])
                if not children:
                    return None
                layer = dict(sorted(children.items(), key=self.rank)[:width])
        except _Timeout:
            return None
        return None

    def _sample_loads(self, mask: int, k: int, tries: int, rng: random.Random) -> list[tuple[int, int]]:
        """Maximal loads built by randomised priority fills (fast; for the beam, not for proofs)."""
        g, c = self.g, self.c
        t, pred, succ = g.t, g.pred, g.succ
        idle_used = k * c - g.mask_time(mask)
        min_load = c - (self.allowed_idle - idle_used)
        elig = self.elig[k + 1]
        must_next = self.must[k + 1] & ~mask
        avail0 = [j for j in range(g.n) if not (mask >> j) & 1 and pred[j] & ~mask == 0 and (elig >> j) & 1]
        pw = self.pw
        seen: set[int] = set()
        out: list[tuple[int, int]] = []
        for r in range(tries):
            load, ltime = 0, 0
            avail = list(avail0)
            # from the third try on, a random part then an exact subset-sum fill of what is available
            switch = c * rng.random() * 0.6 if r >= 2 else -1.0
            while True:
                cap = c - ltime
                fit = [j for j in avail if t[j] <= cap]
                if not fit:
                    break
                if switch >= 0 and ltime >= switch:
                    switch = -1.0
                    chosen = _subset_fill(fit, t, cap, rng)
                    if chosen:
                        for j in chosen:
                            load |= 1 << j
                            ltime += t[j]
                            avail.remove(j)
                        cur = mask | load
                        for j in chosen:
                            for s2 in succ[j]:
                                if pred[s2] & ~cur == 0 and (elig >> s2) & 1 and s2 not in avail:
                                    avail.append(s2)
                        continue
                if r == 0:
                    j = max(fit, key=lambda x: (t[x], pw[x]))
                elif r == 1:
                    j = max(fit, key=lambda x: (pw[x], t[x]))
                elif 3 * cap < c:  # closing the station: best fit, to leave little idle time
                    j = max(fit, key=lambda x: (t[x], rng.random()))
                else:
                    j = max(fit, key=lambda x: t[x] * rng.random() + pw[x] * rng.random() * 0.2)
                load |= 1 << j
                ltime += t[j]
                avail.remove(j)
                cur = mask | load
                for s2 in succ[j]:
                    if pred[s2] & ~cur == 0 and (elig >> s2) & 1:
                        avail.append(s2)
            if load in seen:
                continue
            seen.add(load)
            if ltime >= min_load and must_next & ~load == 0:
                out.append((ltime, load))
        return out

    def _dfs_loads(self, mask: int, k: int, want: int, node_limit: int,
                   rng: random.Random) -> list[tuple[int, int]]:
        """Up to ``want`` loads for station k+1 within the idle budget, by an include/exclude
        depth-first search over the available tasks, longest (randomly perturbed) first."""
        g, c = self.g, self.c
        t, pred, succ = g.t, g.pred, g.succ
        idle_used = k * c - g.mask_time(mask)
        min_load = c - (self.allowed_idle - idle_used)
        elig = self.elig[k + 1]
        must_next = self.must[k + 1] & ~mask
        unassigned = g.full & ~mask
        key = [0.0] * g.n
        avail = []
        later = 0  # time of tasks that may become available within this station
        m = unassigned & elig
        while m:
            low = m & -m
            j = low.bit_length() - 1
            m ^= low
            key[j] = -t[j] * (1.0 + self.noise * rng.random()) - (3 * c if (must_next >> j) & 1 else 0)
            if pred[j] & unassigned == 0:
                avail.append(j)
            elif t[j] + self.pred_time_cap(j, unassigned) <= c:
                later += t[j]
        kf = key.__getitem__
        avail.sort(key=kf)
        out: list[tuple[int, int]] = []
        nodes = 0

        def rec(cand: list[int], load: int, ltime: int, csum: int) -> bool:
            nonlocal nodes
            cap = c - ltime
            i = 0
            n_c = len(cand)
            while i < n_c and t[cand[i]] > cap:
                csum -= t[cand[i]]
                i += 1
            if i == n_c:
                if ltime >= min_load and must_next & ~load == 0:
                    out.append((ltime, load))
                    return len(out) >= want
                return False
            if ltime + csum + later < min_load:
                return False
            nodes += 1
            if nodes > node_limit:
                return True
            j = cand[i]
            rest = cand[i + 1 :]
            nl = load | (1 << j)
            rem = unassigned & ~nl
            add = [s2 for s2 in succ[j] if pred[s2] & rem == 0 and (elig >> s2) & 1]
            if add:
                if rec(sorted(rest + add, key=kf), nl, ltime + t[j], csum - t[j] + sum(t[a] for a in add)):
                    return True
            elif rec(rest, nl, ltime + t[j], csum - t[j]):
                return True
            if (must_next >> j) & 1:
                return False
            return rec(rest, load, ltime, csum - t[j])

        rec(avail, 0, 0, sum(t[j] for j in avail))
        if len(out) > 1:
            out.sort(key=lambda x: -x[0])
        return out

    def pred_time_cap(self, j: int, unassigned: int) -> int:
        """Time of j's unassigned predecessors (0 when the direct ones are all assigned)."""
        if not self.g.pred[j] & unassigned:
            return 0
        return self.g.mask_time(self.g.all_pred[j] & unassigned)

    def _prune(self, mask: int, k: int) -> bool:
        rem = self.g.full & ~mask
        if k + (self.big & rem).bit_count() > self.target:
            return True
        w = self.w6
        sixths = (6 * (w[0] & rem).bit_count() + 4 * (w[1] & rem).bit_count() + 3 * (w[2] & rem).bit_count()
                  + 2 * (w[3] & rem).bit_count())
        if k + -(-sixths // 6) > self.target:
            return True
        return bool(self.must[k] & rem)

    @staticmethod
    def _tb(mask: int, pw: list[int]) -> int:
        s = 0
        while mask:
            low = mask & -mask
            s += pw[low.bit_length() - 1]
            mask ^= low
        return s


class _Stop(Exception):
    pass


def _to_result(g: _Graph, stations: list[int], c: int, optimal: bool, lb: int, t0: float,
               reversed_: bool) -> BalanceResult:
    st = []
    loads = []
    for m in stations:
        tasks = sorted(g.orig[j] + 1 for j in range(g.n) if (m >> j) & 1)
        st.append(tuple(tasks))
        loads.append(g.mask_time(m))
    if reversed_:
        st.reverse()
        loads.reverse()
    return BalanceResult(len(st), c, tuple(st), optimal, lb, time.monotonic() - t0, tuple(loads))


def solve_salbp1(instance: SalbpInstance, cycle_time: int, time_limit_s: float = 10.0, *,
                 seed: int = 0) -> BalanceResult:
    """Fewest stations for ``cycle_time`` (SALBP-1), by BB&R within ``time_limit_s``.

    Parameters
    ----------
    instance : SalbpInstance
        Task times and precedences.
    cycle_time : int
        Cycle time in the instance's unit; at least the longest task time.
    time_limit_s : float
        Wall-clock limit in seconds.
    seed : int
        Seed of the randomised heuristic restarts.

    Returns
    -------
    BalanceResult
        ``optimal`` is true when the search proved that fewer stations are impossible.

    Examples
    --------
    >>> inst = read_in2("4\\n5\\n5\\n5\\n5\\n1,2\\n3,4")
    >>> r = solve_salbp1(inst, 10, 1.0)
    >>> r.stations, r.optimal
    (2, True)
    """
    _check_cycle(instance, cycle_time)
    if time_limit_s <= 0:
        raise ValueError(f"time_limit_s: {time_limit_s!r}; allowed: > 0")
    t0 = time.monotonic()
    deadline = t0 + time_limit_s
    c = cycle_time
    times = list(instance.task_times)
    prec = [(a - 1, b - 1) for a, b in instance.precedences]
    gf = _Graph(times, prec)
    gb = _Graph(times, _reverse(times, prec))
    ef, tf = _station_windows(gf, c)
    lb = max(_lb(gf.t, c), max(ef[j] + tf[j] - 1 for j in range(gf.n)))
    best_f = _heuristic(gf, c, seed, 6)
    best_b = _heuristic(gb, c, seed + 1, 6)
    if len(best_b) < len(best_f):
        best, g_best, rev = best_b, gb, True
    else:
        best, g_best, rev = best_f, gf, False
    ub = len(best)
    proven_lb = lb

    def dfs(target: int, until: float) -> bool | None:
        """Depth-first BB&R for ``target`` stations, both directions, restarts with doubling slices."""
        nonlocal best, g_best, rev, ub
        slice_s, tried = 0.15, 0
        while time.monotonic() < until:
            for g, r in ((gf, False), (gb, True)):
                now = time.monotonic()
                if now >= until:
                    break
                # the first pair of searches is plain, later ones perturb the tie-breaking
                s = _Search(g, c, target, min(until, now + slice_s), seed=None if tried == 0 else seed + tried)
                outcome = s.run()
                if outcome is True:
                    assert s.solution is not None
                    best, g_best, rev, ub = s.solution, g, r, target
                    return True
                if outcome is False:
                    return False
            tried += 1
            slice_s = min(2.0, slice_s * 2)
        return None

    def beams(target: int, until: float) -> bool:
        """Bounded breadth-first searches for ``target`` stations (find, never prove)."""
        nonlocal best, g_best, rev, ub
        # two kinds, interleaved by growing width (one pass; the BB&R gets what is left): children from a
        # depth-first enumeration of tight loads (must-go tasks first, longest first with random
        # perturbation; "tight"), and children from randomised priority fills ("fill")
        schedule = [("fill", 4), ("tight", 4), ("fill", 16), ("tight", 16), ("fill", 64), ("fill", 256),
                    ("tight", 64), ("fill", 1024), ("fill", 4096)]
        for kind, width in schedule:
            dirs = ((gb, True), (gf, False)) if kind == "tight" else ((gf, False), (gb, True))
            for g, r in dirs:
                if time.monotonic() >= until:
                    return False
                sb = _Search(g, c, target, until, seed=seed + width + r)
                if kind == "tight":
                    sb.want, sb.node_limit = 30, 1000
                else:
                    sb.max_loads = 400
                if sb.beam(width) is True:
                    assert sb.solution is not None
                    best, g_best, rev, ub = sb.solution, g, r, target
                    return True
        return False

    # 1. short depth-first BB&R runs: they often prove a bound below the optimum infeasible
    # at once (or find a solution at the bound)
    while proven_lb < ub and time.monotonic() < deadline:
        now = time.monotonic()
        outcome = dfs(proven_lb, min(deadline, now + min(0.5, (deadline - now) / 20)))
        if outcome is False:
            proven_lb += 1
        else:
            break
    # 2. bounded breadth-first searches for one station fewer than the best so far, then fewer
    # again (three quarters of the remaining time at most for each target)
    while proven_lb < ub and time.monotonic() < deadline:
        now = time.monotonic()
        if not beams(ub - 1, now + (deadline - now) * 0.75):
            break
    # 3. the depth-first BB&R proof (or a find) at the lowest open target with the rest
    while proven_lb < ub and time.monotonic() < deadline:
        outcome = dfs(proven_lb, deadline)
        if outcome is False:
            proven_lb += 1
        else:
            break
    optimal = proven_lb >= ub
    return _to_result(g_best, best, c, optimal, min(proven_lb, ub), t0, rev)


def solve_salbp2(instance: SalbpInstance, stations: int, time_limit_s: float = 10.0, *,
                 seed: int = 0) -> BalanceResult:
    """Shortest cycle time for ``stations`` stations (SALBP-2).

    A search over the cycle time with SALBP-1 decisions: from the lower bound
    ``max(longest task, ceil(total / stations))`` upward (bisection between the bound and
    a heuristic's cycle). ``optimal`` holds when every smaller cycle was proven infeasible.

    Examples
    --------
    >>> inst = read_in2("4\\n5\\n5\\n5\\n5\\n1,2\\n3,4")
    >>> r = solve_salbp2(inst, 2, 1.0)
    >>> r.cycle_time, r.optimal
    (10, True)
    """
    if not isinstance(stations, int) or stations < 1:
        raise ValueError(f"stations: {stations!r}; allowed: an integer >= 1")
    if time_limit_s <= 0:
        raise ValueError(f"time_limit_s: {time_limit_s!r}; allowed: > 0")
    t0 = time.monotonic()
    deadline = t0 + time_limit_s
    times = list(instance.task_times)
    lo = max(max(times), -(-sum(times) // stations), 1)
    # an upper bound: grow the cycle until the heuristic fits in `stations`
    g = _Graph(times, [(a - 1, b - 1) for a, b in instance.precedences])
    hi = lo
    while len(_heuristic(g, hi, seed, 3)) > stations:
        hi = max(hi + 1, int(hi * 1.05))
    best = solve_salbp1(instance, hi, max(0.01, min(1.0, deadline - time.monotonic())), seed=seed)
    while best.stations > stations:  # pragma: no cover - heuristic already fits
        hi += 1
        best = solve_salbp1(instance, hi, 0.2, seed=seed)
    proven_lo = lo
    # bisection on the cycle time; infeasibility only counts when proven
    while lo < hi and time.monotonic() < deadline:
        mid = (lo + hi) // 2
        remaining = deadline - time.monotonic()
        r = solve_salbp1(instance, mid, max(0.01, remaining / 3), seed=seed)
        if r.stations <= stations:
            hi, best = mid, r
        elif r.lower_bound > stations:
            lo = mid + 1
            proven_lo = lo
        else:
            lo = mid + 1  # not proven: keep searching above, bound stays unproven
    optimal = proven_lo >= best.cycle_time
    return BalanceResult(best.stations, best.cycle_time, best.station_tasks, optimal, proven_lo,
                         time.monotonic() - t0, best.station_loads)


def check_salbp(instance: SalbpInstance, result: BalanceResult, cycle_time: int | None = None) -> list[str]:
    """Independent check of a SALBP solution: every task once, loads <= cycle, precedence forward.

    Returns a list of human-readable violations (empty when valid).

    Examples
    --------
    >>> inst = SalbpInstance((3, 4), ((1, 2),))
    >>> bad = BalanceResult(2, 5, ((2,), (1,)), False, 1)
    >>> check_salbp(inst, bad)
    ['precedence 1 -> 2: task 1 in station 2 after task 2 in station 1']
    """
    c = result.cycle_time if cycle_time is None else cycle_time
    errors: list[str] = []
    station_of: dict[int, int] = {}
    for s, tasks in enumerate(result.station_tasks, start=1):
        load = 0
        for t in tasks:
            if not 1 <= t <= instance.n_tasks:
                errors.append(f"station {s}: unknown task {t}")
                continue
            if t in station_of:
                errors.append(f"task {t}: in stations {station_of[t]} and {s}")
            station_of[t] = s
            load += instance.task_times[t - 1]
        if load > c:
            errors.append(f"station {s}: load {load} > cycle time {c}")
    missing = [t for t in range(1, instance.n_tasks + 1) if t not in station_of]
    if missing:
        errors.append(f"tasks not assigned: {missing}")
    for a, b in instance.precedences:
        if a in station_of and b in station_of and station_of[a] > station_of[b]:
            errors.append(
                f"precedence {a} -> {b}: task {a} in station {station_of[a]} after task {b} in station {station_of[b]}"
            )
    if result.stations != len(result.station_tasks):
        errors.append(f"stations: {result.stations} but {len(result.station_tasks)} station lists")
    return errors
