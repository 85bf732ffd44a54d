"""Tag parsing rules (geo.network.attributes) — unit cases and the hand-made fixture."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from geo.network import attributes as A
from geo.network.model import Network


@pytest.mark.parametrize(
    ("value", "pct", "sign"),
    [("5%", 5.0, 1.0), ("-10 %", -10.0, -1.0), ("5", 5.0, 1.0), ("12,5%", 12.5, 1.0),
     ("1:12", 100 / 12, 1.0), ("10°", math.tan(math.radians(10)) * 100, 1.0)],
)
def test_numeric_incline_is_percent_in_way_direction(value: str, pct: float, sign: float) -> None:
    got_pct, got_sign = A.parse_incline(value)
    assert got_pct == pytest.approx(pct)
    assert got_sign == sign


@pytest.mark.parametrize(("value", "sign"), [("up", 1.0), ("down", -1.0), ("Up", 1.0)])
def test_up_down_gives_sign_without_magnitude(value: str, sign: float) -> None:
    pct, got = A.parse_incline(value)
    assert math.isnan(pct)
    assert got == sign


@pytest.mark.parametrize("value", ["steep", "yes", "", "500%", "95°", "up-ish"])
def test_garbage_incline_is_unknown(value: str) -> None:
    assert all(math.isnan(x) for x in A.parse_incline(value))


@pytest.mark.parametrize(
    ("value", "metres"),
    [("2", 2.0), ("2 m", 2.0), ("2m", 2.0), ("1,5", 1.5), ("150 cm", 1.5), ("2 m;3", 2.0),
     ("3'6\"", 3 * 0.3048 + 6 * 0.0254), ("1-2", 1.0), ("0.9", 0.9)],
)
def test_width_parsing(value: str, metres: float) -> None:
    assert A.parse_length_m(value) == pytest.approx(metres)


@pytest.mark.parametrize("value", ["narrow", "wide", "", "2 m wide", "-1"])
def test_garbage_width_is_nan(value: str) -> None:
    assert math.isnan(A.parse_length_m(value))


@pytest.mark.parametrize(("value", "cm"), [("5 cm", 5.0), ("0.05", 5.0), ("5", 5.0), ("0,03", 3.0),
                                          ("0.04 m", 4.0), ("30 mm", 3.0)])
def test_kerb_height_units(value: str, cm: float) -> None:
    assert A.parse_kerb_height_cm(value) == pytest.approx(cm)


@pytest.mark.parametrize(("value", "cm"), [("flush", 0.0), ("lowered", 3.0), ("raised", 15.0), ("no", 0.0)])
def test_kerb_types_map_like_openrouteservice(value: str, cm: float) -> None:
    assert A.parse_kerb_type_cm(value) == cm


@pytest.mark.parametrize(("value", "count"), [("12", 12.0), ("10-12", 12.0), ("many", math.nan), ("0", math.nan)])
def test_step_count(value: str, count: float) -> None:
    got = A.parse_count(value)
    assert (math.isnan(got) and math.isnan(count)) or got == count


@pytest.mark.parametrize(
    ("value", "cls"),
    [("asphalt", "paved_smooth"), ("sett", "paved_rough"), ("cobblestone:flattened", "paved_rough"),
     ("compacted", "unpaved_compact"), ("gravel", "unpaved_loose"), ("paving_stones:30", "paved_smooth")],
)
def test_surface_classes(value: str, cls: str) -> None:
    surface = A.parse_surface(value)
    assert surface is not None
    frame = pd.DataFrame({"surface": [value], "highway": ["footway"]})
    assert A.way_attributes(frame)["surface_class"].iloc[0] == cls


def test_unparsed_values_are_counted_not_raised() -> None:
    frame = pd.DataFrame({
        "osm_way_id": [1, 2, 3],
        "highway": ["footway", "steps", "path"],
        "incline": ["steep", "up", "3%"],
        "width": ["2 m;3", "narrow", None],
        "step_count": [None, "many", None],
        "surface": ["foo", "asphalt", None],
    })
    report = A.ParseReport()
    out = A.way_attributes(frame, report)
    assert report.unparsed == {"incline": 1, "width": 1, "step_count": 1, "surface": 1}
    assert out["incline_known"].tolist() == [False, False, True]
    assert out["incline_sign"].iloc[1] == 1.0
    assert out["width_m"].iloc[0] == 2.0


def _edge(net: Network, way: int) -> pd.Series:
    rows = net.edges[net.edges["osm_way_id"] == way]
    assert len(rows) >= 1, f"way {way} is not in the network"
    return rows.iloc[0]


def test_fixture_way_attributes(tag_rules_net: Network) -> None:
    net = tag_rules_net
    assert _edge(net, 101)["incline_pct"] == pytest.approx(5.0)
    assert _edge(net, 101)["surface_class"] == "paved_smooth"
    e102 = _edge(net, 102)
    assert (e102["surface_class"], e102["width_m"], e102["incline_pct"]) == ("paved_rough", 2.0, -10.0)
    e103 = _edge(net, 103)
    assert e103["is_steps"] and e103["step_count"] == 12 and e103["ramp_wheelchair"] and e103["ramp_stroller"]
    assert e103["incline_sign"] == 1.0 and not e103["incline_known"]
    e104 = _edge(net, 104)
    assert e104["is_steps"] and np.isnan(e104["step_count"]) and not e104["ramp_stroller"]
    e105 = _edge(net, 105)
    assert e105["ramp_stroller"] and not e105["ramp_wheelchair"] and e105["step_count"] == 12
    e106 = _edge(net, 106)
    assert e106["surface_class"] == "unpaved_loose" and not e106["incline_known"] and not e106["width_known"]
    e107 = _edge(net, 107)
    assert (e107["surface_class"], int(e107["smoothness"]), e107["width_m"]) == ("paved_rough", 3, 1.5)
    assert _edge(net, 112)["is_elevator"]
    assert _edge(net, 113)["wheelchair"] == A.WHEELCHAIR_CODES["no"]
    assert _edge(net, 114)["width_m"] == pytest.approx(0.8)
    e122 = _edge(net, 122)
    assert e122["bridge"] and e122["incline_pct"] == pytest.approx(100 / 12)
    assert _edge(net, 123)["width_m"] == pytest.approx(1.0668)
    assert _edge(net, 124)["incline_pct"] == pytest.approx(17.63, abs=0.01)
    assert _edge(net, 127)["surface_class"] == "unpaved_compact" and _edge(net, 127)["lit"] == 1.0


def test_fixture_parse_report_counts_each_bad_value(tag_rules_net: Network) -> None:
    report = tag_rules_net.meta["parse_report"]
    assert {k: v["count"] for k, v in report.items()} == {
        "incline": 1, "width": 1, "step_count": 1, "surface": 1, "kerb:height": 1,
    }
    assert report["incline"]["examples"] == ["steep"]


def test_fixture_node_attributes(tag_rules_net: Network) -> None:
    nodes = tag_rules_net.nodes.set_index("osmid")
    assert nodes.loc[2, "kerb_cm"] == 3.0
    assert nodes.loc[12, "kerb_cm"] == 15.0
    assert nodes.loc[14, "kerb_cm"] == 0.0 and nodes.loc[14, "kerb_known"]
    assert nodes.loc[33, "kerb_cm"] == pytest.approx(5.0)
    assert nodes.loc[34, "kerb_cm"] == pytest.approx(5.0)
    assert nodes.loc[35, "kerb_cm"] == pytest.approx(5.0)
    assert nodes.loc[15, "kerb_tagged"] and not nodes.loc[15, "kerb_known"]
    assert nodes.loc[32, "barrier_class"] == 3
    assert nodes.loc[24, "is_elevator_node"]
    assert nodes.loc[36, "is_crossing_node"]


def test_surface_level_rules() -> None:
    import geopandas as gpd

    from geo.network.attributes import way_attributes

    tags = pd.DataFrame({
        "highway": ["footway", "footway", "footway", "footway", "footway", "footway", "corridor", "footway",
                    "footway"],
        "tunnel": [None, "yes", "building_passage", None, None, None, None, None, None],
        "layer": [None, "-1", None, "-2", "1", "1", None, None, None],
        "bridge": [None, None, None, None, None, "yes", None, None, None],
        "level": [None, None, None, None, None, None, None, "-1", "0;1"],
        "indoor": [None, None, None, None, None, None, None, None, None],
    })
    out = way_attributes(gpd.GeoDataFrame(tags, geometry=[None] * len(tags)))
    # ground, tunnel, passage, underground, raised deck, bridge, corridor, basement level, ground level
    assert out["on_surface"].tolist() == [True, False, True, False, False, True, False, False, True]
