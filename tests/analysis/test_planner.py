"""The planner's questions end to end: requests, empty answers with a reason, details, what-ifs, caching."""

from __future__ import annotations

from dataclasses import replace

import pytest

from geo.analysis.origins import Places, residential_buildings
from geo.analysis.planner import AnalysisCache, PlannerInputs, PlannerRequest, analyse
from geo.errors import BadRequestError, NotFoundError
from geo.layers.barriers import osm_barriers
from geo.network.model import Network
from geo.reports.model import Report
from geo.reports.placement import ReportsView, reports_view
from geo.routing.router import Router
from geo.validation import validate
from tests.analysis.conftest import NOW, fixture_services


@pytest.fixture(scope="module")
def inputs(planner_net: Network) -> PlannerInputs:
    return PlannerInputs(planner_net, Router(planner_net), osm_barriers(planner_net),
                         residential_buildings(planner_net), Places.empty(), fixture_services(planner_net),
                         Places.empty())


@pytest.mark.parametrize(("data", "field"), [
    ({"minutes": "4"}, "minutes"), ({"minutes": 61}, "minutes"), ({"minutes": "nan"}, "minutes"),
    ({"profile": "rocket"}, "profile"), ({"origins": "castles"}, "origins"), ({"destinations": "moon"}, "destinations"),
])
def test_bad_requests_name_the_field(data: dict, field: str) -> None:
    with pytest.raises(BadRequestError) as err:
        validate(PlannerRequest, data)
    assert err.value.details["field"] == field


def test_no_homes_no_destinations_no_barriers_answer_with_a_reason(inputs: PlannerInputs) -> None:
    assert analyse(inputs, PlannerRequest(origins="flats")).reason == "no_origins"
    assert analyse(inputs, PlannerRequest(destinations="stops")).reason == "no_destinations"
    no_barriers = analyse(replace(inputs, osm_barriers=inputs.osm_barriers.iloc[:0]), PlannerRequest())
    assert no_barriers.reason == "no_barriers" and len(no_barriers.ranking()) == 0
    assert no_barriers.package(3)["steps"] == [] and no_barriers.what_if([])["gain"] == 0.0


def test_detail_what_if_and_package(inputs: PlannerInputs) -> None:
    a = analyse(inputs, PlannerRequest(minutes=5, origins="buildings"))
    ranking = a.ranking()
    top, flights = ranking["barrier_id"].iat[0], list(ranking["barrier_id"].iloc[1:])
    d = a.detail(top)
    assert d["rank"] == 1 and d["gain"] == 6.0 and len(d["origins"]) == 2 and len(d["destinations"]) == 2
    assert 1 <= len(d["examples"]) <= 5 and all(x["before_s"] is None and x["after_s"] <= 300 for x in d["examples"])
    w = a.what_if(flights)
    assert (w["gain"], w["sum_of_single_gains"]) == (2.0, 0.0) and [o["name"] for o in w["origins"]] == ["Terasa 7"]
    p = a.package(2)
    assert [s["barrier_id"] for s in p["steps"]] == [top] and p["stopped"] == "no_more_gain" and p["gain"] == 6.0
    with pytest.raises(NotFoundError):
        a.detail("edge-0-nothing")
    with pytest.raises(BadRequestError) as err:
        a.what_if([top, "report-77"])
    assert err.value.details["ids"] == ["report-77"]
    with pytest.raises(BadRequestError):
        a.what_if([top] * 201)
    with pytest.raises(BadRequestError):
        a.package(51)


def test_a_confirmed_report_is_ranked_and_changes_the_others(inputs: PlannerInputs, planner_net: Network) -> None:
    """A report blocking the lower street near S2 takes S2 away from every home; removing it is a candidate."""
    cache = AnalysisCache(inputs)
    request = PlannerRequest(minutes=5, origins="buildings")
    before = cache.get(request, None)
    assert cache.get(request, None) is before  # cached
    s2 = fixture_services(planner_net)
    lon, lat = float(s2.lon[1]) - 0.0003, float(s2.lat[1]) + 0.00009  # on the lower street, west of S2
    view = _one_report(planner_net, lon, lat)
    after = cache.get(request, view)
    assert after is not before
    ranking = after.ranking().set_index("barrier_id")
    assert "report-1" in ranking.index and ranking.at["report-1", "gain"] > 0
    steps = before.ranking()["barrier_id"].iat[0]
    assert ranking.at[steps, "gain"] < before.ranking().set_index("barrier_id").at[steps, "gain"]


def _one_report(net: Network, lon: float, lat: float) -> ReportsView:
    r = Report(id=1, lat=lat, lon=lon, category="obstacle", severity=3, description="", contact=None, photo=None,
               valid_until=None, status="confirmed", duplicate_of=None, source="test", created_at=NOW, updated_at=NOW)
    return reports_view(net, [r], db_version=2, now=NOW)
