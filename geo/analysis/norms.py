"""Every network edge judged against the Czech barrier-free rules for pedestrian ways.

Limits (vyhláška č. 398/2009 Sb., o obecných technických požadavcích zabezpečujících bezbariérové užívání
staveb, as amended by vyhláška č. 146/2024 Sb.; the table and the method are in ``docs/planner.md``):

=====================  =========================================  =============================
rule                   limit                                      read from
=====================  =========================================  =============================
longitudinal_slope     at most 8.33 % (1 : 12)                    ``incline`` or the DEM
cross_slope            at most 2 % (1 : 50)                       — (OpenStreetMap has no cross slope)
width                  clear width 1.5 m; 0.9 m only at a pinch   ``width`` / ``est_width``
crossing_kerb          kerb at a crossing at most 2 cm            ``kerb`` / ``kerb:height``
steps                  no steps without a wheelchair ramp         ``highway=steps``, ``ramp:wheelchair``
=====================  =========================================  =============================

Per rule an edge is ``ok``, ``fail``, ``pinch`` (width between 0.9 and 1.5 m: allowed only at a pinch
point, which OSM does not tell), ``unknown`` or ``na`` (the rule does not apply: the crossing kerb outside
crossings, steps on other ways). The edge as a whole is ``not_compliant`` when any rule fails, ``unknown``
when a rule is unknown or a pinch, else ``compliant``. The cross slope is unknown everywhere, so
``compliant`` means "meets every rule the data can judge"; the totals say so.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from geo.network.model import Network

MAX_LONGITUDINAL_PCT = 8.33
MAX_CROSS_PCT = 2.0
MIN_WIDTH_M = 1.5
MIN_PINCH_WIDTH_M = 0.9
MAX_CROSSING_KERB_CM = 2.0
#: The legal reference of the limits.
LAW = "vyhláška č. 398/2009 Sb. ve znění vyhlášky č. 146/2024 Sb."

RULES: tuple[str, ...] = ("longitudinal_slope", "cross_slope", "width", "crossing_kerb", "steps")
RESULTS: tuple[str, ...] = ("ok", "fail", "pinch", "unknown", "na")
STATUSES: tuple[str, ...] = ("compliant", "not_compliant", "unknown")
#: The limit of each rule (for the API and the page legend).
LIMITS: dict[str, dict[str, Any]] = {
    "longitudinal_slope": {"max_pct": MAX_LONGITUDINAL_PCT},
    "cross_slope": {"max_pct": MAX_CROSS_PCT},
    "width": {"min_m": MIN_WIDTH_M, "min_pinch_m": MIN_PINCH_WIDTH_M},
    "crossing_kerb": {"max_cm": MAX_CROSSING_KERB_CM},
    "steps": {"ramp": "ramp:wheelchair=yes"},
}


def _directed_max(net: Network, values: np.ndarray) -> np.ndarray:
    """Per undirected edge, the larger of its two directions' values (NaN when either is NaN)."""
    fwd, back = net.directed(np.arange(len(net.edges)))
    with np.errstate(invalid="ignore"):
        return np.where(np.isnan(values[fwd]) | np.isnan(values[back]), np.nan, np.maximum(values[fwd], values[back]))


def judge(net: Network) -> pd.DataFrame:
    """Per undirected edge (same index as ``net.edges``): one column per rule with its result, ``status``
    and ``failed`` (the failed rules, ``;``-separated)."""
    e = net.edges
    n = len(e)
    a = net.arrays
    with np.errstate(invalid="ignore"):
        steepest = np.fmax(e["up_pct"].to_numpy(float), e["down_pct"].to_numpy(float))
        slope = np.where(~e["incline_known"].to_numpy(bool), "unknown",
                         np.where(steepest <= MAX_LONGITUDINAL_PCT, "ok", "fail"))
        width_m = e["width_m"].to_numpy(float)
        width = np.select([~e["width_known"].to_numpy(bool), width_m >= MIN_WIDTH_M, width_m >= MIN_PINCH_WIDTH_M],
                          ["unknown", "ok", "pinch"], "fail")
        kerb_cm = _directed_max(net, np.where(a.kerb_known, a.kerb_cm.astype(float), np.nan))
        crossing = e["is_crossing"].to_numpy(bool)
        kerb = np.select([~crossing, np.isnan(kerb_cm), kerb_cm <= MAX_CROSSING_KERB_CM],
                         ["na", "unknown", "ok"], "fail")
    steps_edge = e["is_steps"].to_numpy(bool)
    steps = np.select([~steps_edge, e["ramp_wheelchair"].to_numpy(bool)], ["na", "ok"], "fail")
    out = pd.DataFrame({"longitudinal_slope": slope, "cross_slope": np.full(n, "unknown"), "width": width,
                        "crossing_kerb": kerb, "steps": steps}, index=e.index)
    judged = out[["longitudinal_slope", "width", "crossing_kerb", "steps"]].to_numpy()
    failed = judged == "fail"
    doubtful = (judged == "unknown") | (judged == "pinch")
    out["status"] = np.select([failed.any(axis=1), doubtful.any(axis=1)], ["not_compliant", "unknown"], "compliant")
    names = np.array(["longitudinal_slope", "width", "crossing_kerb", "steps"], dtype=object)
    out["failed"] = [";".join(names[row]) for row in failed]
    return out


def totals(net: Network, judged: pd.DataFrame) -> dict[str, Any]:
    """Kilometres of network per status and, per rule, per result; the limits and the legal reference."""
    length = net.edges["length_m"].to_numpy(float)
    km = lambda mask: round(float(length[mask].sum()) / 1000, 2)  # noqa: E731
    return {
        "length_km": km(np.ones(len(length), bool)),
        "status_km": {s: km(judged["status"].to_numpy() == s) for s in STATUSES},
        "rules_km": {r: {res: km(judged[r].to_numpy() == res) for res in RESULTS} for r in RULES},
        "limits": LIMITS,
        "law": LAW,
        "cross_slope_known": False,
    }
