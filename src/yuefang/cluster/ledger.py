"""Revisions of figures: re-importing changes nothing; a corrected figure becomes a new revision.

The rule is pure (:func:`plan_changes`); :class:`Ledger` keeps every revision in memory for the
command line and tests, and the app's service applies the same rule to its tables.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from yuefang.cluster.model import Figure, Indicator, Period

__all__ = ["FigureKey", "key_of", "ChangeKind", "Change", "Revision", "plan_changes", "same_figure", "Ledger"]

FigureKey = tuple[str, Period, Indicator]


def key_of(f: Figure) -> FigureKey:
    """(uscc, period, indicator) of a figure."""
    return (f.uscc, f.period, f.indicator)


class ChangeKind(StrEnum):
    """What an incoming figure does to the store."""

    NEW = "new"
    REVISED = "revised"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class Revision:
    """A stored figure with its revision number (1 for the first) and the import batch that brought it."""

    figure: Figure
    revision: int
    batch: str = ""


@dataclass(frozen=True)
class Change:
    """The effect of one incoming figure: ``revision`` is the number it gets (or keeps)."""

    kind: ChangeKind
    figure: Figure
    revision: int
    previous: Figure | None = None


def same_figure(a: Figure, b: Figure) -> bool:
    """Equal value (to the fen: 0.01 of the unit) and source.

    >>> from yuefang.cluster.model import Figure, Indicator, Period
    >>> f = Figure("91350100M000100Y43", Period.month(2024, 3), Indicator.EMPLOYEES, 10.0)
    >>> same_figure(f, f), same_figure(f, Figure(f.uscc, f.period, f.indicator, 11.0))
    (True, False)
    """
    return math.isclose(a.value, b.value, rel_tol=0.0, abs_tol=0.005) and a.source == b.source


def plan_changes(current: Mapping[FigureKey, Revision], incoming: Iterable[Figure]) -> list[Change]:
    """What storing ``incoming`` does, given the ``current`` revision of each key.

    A figure equal to the current one is unchanged (re-importing a file changes nothing); a
    different value or source gives revision ``current + 1``; the old revision is kept by the caller.
    Within ``incoming`` the last figure of a key wins.
    """
    last: dict[FigureKey, Figure] = {}
    for f in incoming:
        last[key_of(f)] = f
    changes: list[Change] = []
    for k, f in last.items():
        cur = current.get(k)
        if cur is None:
            changes.append(Change(ChangeKind.NEW, f, 1))
        elif same_figure(cur.figure, f):
            changes.append(Change(ChangeKind.UNCHANGED, f, cur.revision, cur.figure))
        else:
            changes.append(Change(ChangeKind.REVISED, f, cur.revision + 1, cur.figure))
    return changes


class Ledger:
    """Every revision of every figure, in memory.

    Examples
    --------
    >>> from yuefang.cluster.model import Figure, Indicator, Period
    >>> led = Ledger()
    >>> f = Figure("91350100M000100Y43", Period.month(2024, 3), Indicator.EMPLOYEES, 10.0)
    >>> [c.kind.value for c in led.apply([f], batch="a")], [c.kind.value for c in led.apply([f], batch="b")]
    (['new'], ['unchanged'])
    >>> _ = led.apply([Figure(f.uscc, f.period, f.indicator, 12.0)], batch="c")
    >>> [(r.revision, r.figure.value, r.batch) for r in led.history(f.uscc, f.period, f.indicator)]
    [(1, 10.0, 'a'), (2, 12.0, 'c')]
    """

    def __init__(self) -> None:
        self._history: dict[FigureKey, list[Revision]] = {}

    def current(self) -> dict[FigureKey, Revision]:
        """The latest revision of each key."""
        return {k: v[-1] for k, v in self._history.items()}

    def figures(self) -> list[Figure]:
        """The current figures."""
        return [v[-1].figure for v in self._history.values()]

    def history(self, uscc: str, period: Period, indicator: Indicator | str) -> list[Revision]:
        """All revisions of one figure, oldest first."""
        return list(self._history.get((uscc, period, Indicator(indicator)), []))

    def apply(self, incoming: Iterable[Figure], batch: str = "") -> list[Change]:
        """Store ``incoming``; returns the changes (new, revised, unchanged)."""
        changes = plan_changes(self.current(), incoming)
        for c in changes:
            if c.kind is not ChangeKind.UNCHANGED:
                self._history.setdefault(key_of(c.figure), []).append(Revision(c.figure, c.revision, batch))
        return changes
