"""Several barriers together: a planner's own selection (what-if) and the greedy best package of K.

Gains do not add up: two barriers on one path are worth nothing alone and everything together, and two
barriers on parallel paths share their gain. So a selection is judged on its true combined effect: every
barrier of it removed at once, the searches redone from the origins (and destinations) whose times can
change — those that reach a changed arc within the limit today — and the times compared pair by pair.

The package of K is **greedy**: take the barrier with the largest gain, remove it, recompute the gain of
every barrier whose numbers can have changed (near the origins and destinations it affected, or on the
same edge), take the best again, K times (stopping early when nothing opens another pair). Each step's gain
is exact given the steps before it, and their sum is the package's exact combined gain; but greedy is not
guaranteed to find the best possible set of K.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from geo.analysis.candidates import Candidates
from geo.analysis.gain import Change, Effect, Situation, change_of, compare, effect, rank_order
from geo.analysis.graph import Columns, Progress, collect, no_progress


def _reaching(columns: Columns, nodes: np.ndarray, cost: np.ndarray, limit_s: float) -> np.ndarray:
    """Rows whose distance to ``nodes[i]`` plus ``cost[i]`` is within the limit, for some ``i``."""
    found = [rows[d + c <= limit_s] for x, c in zip(nodes.tolist(), cost.tolist(), strict=True)
             for rows, d in (columns.column(x),)]
    return np.unique(np.concatenate(found)) if found else np.zeros(0, np.int64)


def apply_change(s: Situation, change: Change) -> tuple[Situation, np.ndarray, np.ndarray]:
    """The situation with ``change`` made, and the origins and destinations whose searches were redone."""
    if len(change) == 0:
        return s, np.zeros(0, np.int64), np.zeros(0, np.int64)
    g = s.graph
    cost = s.cost.copy()
    cost[change.arcs] = change.cost
    origins = _reaching(s.forward, g.tail[change.arcs], change.cost, s.limit_s)
    dests = _reaching(s.backward, g.head[change.arcs], change.cost, s.limit_s)
    times = s.times.copy()
    forward = replace(s.forward)
    forward.update(collect(g, g.origin_node[origins], origins, forward.keys, s.limit_s, cost=cost, dest_times=times),
                    drop_rows=origins)
    backward = replace(s.backward)
    backward.update(collect(g, g.dest_node[dests], dests, backward.keys, s.limit_s, cost=cost, reverse=True),
                     drop_rows=dests)
    return replace(s, cost=cost, times=times, forward=forward, backward=backward), origins, dests


def combined_effect(s: Situation, candidates: Candidates, rows: np.ndarray, *, detail: bool = True
                    ) -> tuple[Effect, Situation]:
    """The exact effect of removing the barriers of ``rows`` together, and the situation after."""
    change = change_of(s.graph, candidates, rows, s.cost)
    after, origins, _ = apply_change(s, change)
    if len(origins) == 0:
        return Effect(), after
    cols = np.arange(s.times.shape[1])
    return compare(s, origins, cols, after.times[origins], detail), after


@dataclass
class Step:
    """One pick of the greedy package: the barrier (candidate row) and its gain given the picks before."""

    row: int
    effect: Effect


def _touched(columns: Columns, rows: np.ndarray) -> np.ndarray:
    """Per key column: whether any of ``rows`` reaches it."""
    mark = np.zeros(int(max(columns.rows.max(initial=-1), rows.max(initial=-1))) + 1, bool)
    mark[rows] = True
    hit = mark[columns.rows].astype(np.int64)
    sums = np.concatenate([[0], np.cumsum(hit)])
    return sums[columns.ptr[1:]] - sums[columns.ptr[:-1]] > 0


def greedy_package(s: Situation, candidates: Candidates, effects: list[Effect], k: int, *,
                   pool: np.ndarray | None = None, changes: list[Change] | None = None,
                   progress: Progress = no_progress) -> list[Step]:
    """Up to ``k`` barriers picked greedily by their gain given the earlier picks (``effects``: each
    candidate's effect alone on ``s``; ``changes``: each one's change alone, reused while no pick shares an
    edge with it; ``pool``: the candidate rows allowed, by default all)."""
    g = s.graph
    pool = np.arange(len(candidates)) if pool is None else np.asarray(pool, np.int64)
    current = {int(r): effects[r] for r in pool}
    severity = candidates.frame["severity"].to_numpy()
    ids = candidates.frame["barrier_id"].to_numpy(str)
    arcs_of = {r: g.arcs_on(candidates.directed[r]) for r in current}
    tails = {r: np.searchsorted(s.forward.keys, g.tail[a]) for r, a in arcs_of.items()}
    heads = {r: np.searchsorted(s.backward.keys, g.head[a]) for r, a in arcs_of.items()}
    steps: list[Step] = []
    picked: list[int] = []
    touched: set[int] = set()  # directed edges of the picks
    while len(steps) < k and current:
        rows = np.array(list(current), np.int64)
        gains = np.array([current[r].gain for r in rows])
        best = int(rows[rank_order(gains, severity[rows], ids[rows])[0]])
        if current[best].gain <= 0:
            break
        change = change_of(g, candidates, np.array([*picked, best]), s.cost, on=np.array([best]))
        steps.append(Step(best, current.pop(best)))
        picked.append(best)
        touched |= set(candidates.directed[best].tolist())
        s, origins, dests = apply_change(s, change)
        near_o = _touched(s.forward, origins)
        near_d = _touched(s.backward, dests)
        for r in list(current):
            shares = not touched.isdisjoint(candidates.directed[r].tolist())
            if shares or near_o[tails[r]].any() or near_d[heads[r]].any():
                if shares or changes is None:
                    ch = change_of(g, candidates, np.array([*picked, r]), s.cost, on=np.array([r]))
                else:  # no pick is on its edges: its arcs and their costs are as they were
                    ch = changes[r]
                current[r] = effect(s, ch)
        progress("package", len(steps), k)
    progress("package", k, k)
    return steps
