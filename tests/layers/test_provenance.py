"""Field-level provenance: a factual value needs a source, dates are real and not in the future, a status
older than three years is "last confirmed YEAR", and the compact summary of a record."""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path

import pytest

from geo import settings
from geo.errors import DataError
from geo.layers.provenance import confirmation, latest_day, legacy_source, newest, summary
from geo.layers.schemas import SERVICE_FACTS, read_flats, read_services

TODAY = date(2026, 11, 30)


@pytest.fixture(scope="module")
def services_data() -> dict:
    return json.loads(settings.SERVICES_FILE.read_text(encoding="utf-8"))


def write(tmp_path: Path, data: dict, name: str = "services.geojson") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def refused(tmp_path: Path, data: dict, reader=read_services) -> DataError:
    with pytest.raises(DataError) as err:
        reader(write(tmp_path, data), today=TODAY)
    return err.value


def _record(data: dict, **values) -> dict:
    """A copy of ``data`` whose first record states nothing (every fact unknown, no provenance), then ``values``."""
    out = copy.deepcopy(data)
    props = out["features"][0]["properties"]
    props.update({**dict.fromkeys(SERVICE_FACTS), "status": "unknown", "wheelchair": "unknown", "locate": "none",
                  "note": None, "provenance": {}, **values})
    return out


@pytest.mark.parametrize("field", [f for f in SERVICE_FACTS if f != "status"])
def test_a_factual_value_without_a_source_is_refused(tmp_path: Path, services_data: dict, field: str) -> None:
    value = "https://example.org" if field == "web" else "yes" if field == "wheelchair" else "some value"
    data = _record(services_data)
    data["features"][0]["properties"][field] = value
    err = refused(tmp_path, data)
    assert err.details["problem"] == "layers.fact_without_source" and err.details["field"] == field
    assert err.details["feature"] == 0
    assert f"{field}: a value without a source" in err.message("en")


def test_unknown_values_need_no_source(tmp_path: Path, services_data: dict) -> None:
    data = _record(services_data)
    assert read_services(write(tmp_path, data), today=TODAY).features[0].properties.provenance == {}


def test_a_known_status_needs_a_source_and_unknown_is_a_status(tmp_path: Path, services_data: dict) -> None:
    data = _record(services_data, status="operating")
    assert refused(tmp_path, data).details["field"] == "status"


def test_the_flats_facts_are_checked_too(tmp_path: Path) -> None:
    data = json.loads(settings.FLATS_FILE.read_text(encoding="utf-8"))
    props = data["features"][0]["properties"]
    props["lift"] = True
    props["provenance"].pop("lift", None)
    err = refused(tmp_path, data, read_flats)
    assert err.details["problem"] == "layers.fact_without_source" and err.details["field"] == "lift"


@pytest.mark.parametrize(("change", "problem", "field"), [
    (lambda d: d["sources"][0].update(published="2027-01"), "layers.future_date", "sources.0.published"),
    (lambda d: d["sources"][0].update(published="2019-13"), "layers.bad_date", "sources.0.published"),
    (lambda d: d["sources"][0].update(url="ftp://example.org"), "validation.url_scheme", "sources.0.url"),
    (lambda d: d["sources"].append(dict(d["sources"][0])), "layers.duplicate_source", "sources"),
    (lambda d: d["features"][0]["properties"]["provenance"]["status"].update(checked_on="2026-12-01"),
     "layers.future_date", "provenance.status.checked_on"),
    (lambda d: d["features"][0]["properties"]["provenance"]["status"].update(sources=["no-such-source"]),
     "layers.unknown_source", "provenance.status"),
    (lambda d: d["features"][0]["properties"]["provenance"]["status"].update(sources=[]),
     "validation.too_short", "provenance.status.sources"),
    (lambda d: d["features"][0]["properties"]["provenance"].update(
        colour={"sources": [d["sources"][0]["id"]], "checked_on": "2026-01-01"}),
     "layers.provenance_field", "provenance.colour"),
    (lambda d: d["features"][0]["properties"].update(address=None, locate="address"),
     "layers.locate_needs_address", "locate"),
])
def test_bad_provenance_is_refused_naming_the_field(tmp_path: Path, services_data: dict, change, problem: str,
                                                    field: str) -> None:
    data = copy.deepcopy(services_data)
    change(data)
    err = refused(tmp_path, data)
    assert err.details["problem"] == problem and err.details["field"].startswith(field)


def test_a_status_older_than_three_years_is_stale() -> None:
    def fact(*published: str) -> dict:
        return {"checked_on": "2026-11-30", "sources": [{"published": p} for p in published]}

    assert confirmation(fact("2015-11-27", "undated"), TODAY) == {"date": "2015-11-27", "year": 2015, "stale": True}
    assert confirmation(fact("2023-12-11"), TODAY)["stale"] is False
    assert confirmation(fact("2023-11-29"), TODAY)["stale"] is True
    # a partial date counts up to its last day (2023 and 2023-11 reach the cut-off day, 2023-10 does not)
    assert confirmation(fact("2023"), TODAY)["stale"] is False
    assert confirmation(fact("2023-11"), TODAY)["stale"] is False and confirmation(fact("2023-10"), TODAY)["stale"]
    assert confirmation(fact("undated"), TODAY) == {"date": None, "year": None, "stale": None}
    assert confirmation(None, TODAY)["stale"] is None
    assert confirmation(fact("2021"), date(2024, 2, 29))["stale"] is False


def test_dates_and_the_newest_source() -> None:
    assert latest_day("2021-02") == date(2021, 2, 28) and latest_day("2024") == date(2024, 12, 31)
    assert latest_day("undated") is None and latest_day("2019-13") is None
    assert newest(["2019-03", "2019", "undated", "2018-12-31"]) == "2019"
    assert newest(["undated", None]) is None


def test_the_summary_of_a_record_counts_distinct_sources() -> None:
    a = {"id": "a", "url": "https://a.example", "title": "A", "published": "2020"}
    b = {"id": "b", "url": "https://b.example", "title": "B", "published": "undated"}
    prov = {"address": {"checked_on": "2026-11-02", "sources": [a]},
            "status": {"checked_on": "2026-11-30", "sources": [a, b]}}
    assert summary(prov) == {"checked_on": "2026-11-30", "sources": 2, "newest_source": "2020", "fields": 2}
    assert summary({}) == {"checked_on": None, "sources": 0, "newest_source": None, "fields": 0}
    assert legacy_source(prov) == ("https://a.example https://b.example", "2020")
