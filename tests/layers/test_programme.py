"""The programme tracker: every commitment is listed with a record or a target, its links resolve, its
status is evidenced, and progress comes only from sourced figures."""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path

import geopandas as gpd
import pytest

from geo import i18n, settings
from geo.errors import DataError
from geo.layers.addresses import address_index
from geo.layers.programme import (
    PLACED_KINDS,
    Target,
    check_links,
    check_shared_sources,
    commitments_index,
    programme_view,
    read_programme,
    target_progress,
)
from geo.layers.provenance import Source
from geo.layers.records import as_frame, flats_frame, resolve_positions, services_frame
from geo.layers.schemas import FLAT_COLUMNS, read_flats, read_services
from geo.network.model import Network

TODAY = date(2026, 11, 30)


@pytest.fixture(scope="module")
def shipped():
    return (read_programme(settings.PROGRAMME_FILE), read_services(settings.SERVICES_FILE),
            read_flats(settings.FLATS_FILE))


@pytest.fixture(scope="module")
def programme_data() -> dict:
    return json.loads(settings.PROGRAMME_FILE.read_text(encoding="utf-8"))


def write(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "programme.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


# --------------------------------------------------------------------------- the shipped tracker


def test_every_commitment_is_tracked_and_every_link_resolves(shipped) -> None:
    programme, services, flats = shipped
    assert check_links(programme, services, flats, file=settings.PROGRAMME_FILE) == sum(
        len(c.records) for c in programme.commitments)
    for c in programme.commitments:
        if c.kind in PLACED_KINDS:
            assert c.records, f"{c.ref} ({c.kind}) has no record on the map"
        if c.kind == "target":
            assert c.targets, f"{c.ref} is a target without a target"
        if c.status.value != "unknown":
            assert c.status.evidence and c.status.sources, f"{c.ref}: a status without evidence"
    # every section's bullets are numbered 1…n without gaps, and every section has commitments
    for section in programme.sections:
        bullets = sorted(c.bullet for c in programme.commitments if c.section == section.number)
        assert bullets == list(range(1, len(bullets) + 1))


def test_summaries_are_written_in_both_languages(shipped) -> None:
    programme = shipped[0]
    for c in programme.commitments:
        assert c.summary.cs != c.summary.en and c.summary.cs and c.summary.en
        if c.status.evidence:
            assert c.status.evidence.cs != c.status.evidence.en


def test_a_source_shared_by_several_files_is_the_same_page(shipped) -> None:
    programme, services, flats = shipped
    files = {"programme": programme.sources, "services": services.sources, "flats": flats.sources}
    assert check_shared_sources(files) == len({s.id for sources in files.values() for s in sources})
    changed = programme.sources[0].model_copy(update={"title": "something else"})
    with pytest.raises(DataError) as err:
        check_shared_sources({**files, "other": [changed]})
    assert err.value.key == "layers.source_differs" and err.value.details["id"] == changed.id


def test_a_link_to_a_missing_record_is_refused(shipped) -> None:
    programme, services, flats = shipped
    broken = programme.model_copy(deep=True)
    c = next(c for c in broken.commitments if c.records)
    c.records[0].id = "no-such-record"
    with pytest.raises(DataError) as err:
        check_links(broken, services, flats, file="programme.json")
    assert err.value.key == "programme.unknown_record" and err.value.details["commitment"] == c.id
    assert "no-such-record" in err.value.message("en") and "no-such-record" in err.value.message("cs")


@pytest.mark.parametrize(("change", "problem", "field"), [
    (lambda d: d["commitments"][1].update(bullet=d["commitments"][0]["bullet"]), "programme.duplicate_bullet",
     "bullet"),
    (lambda d: d["commitments"][0].update(section=99), "programme.unknown_section", "section"),
    (lambda d: d["commitments"][0]["status"].update(value="done", evidence=None), "programme.status_without_evidence",
     "status"),
    (lambda d: d["commitments"][0]["status"].update(sources=["no-such-source"]), "layers.unknown_source", "sources"),
    (lambda d: d["commitments"][0]["status"].update(as_of="2027-01-01"), "layers.future_date", "status.as_of"),
    (lambda d: d["commitments"][0].update(kind="service", records=[]), "programme.no_record", "records"),
    (lambda d: d["commitments"][0].update(kind="target", targets=[]), "programme.no_target", "targets"),
    (lambda d: d["commitments"][0]["records"].insert(0, {"layer": "parks", "id": "x"}), "validation.literal_error",
     "records.0.layer"),
])
def test_a_broken_tracker_is_refused_naming_the_commitment(tmp_path: Path, programme_data: dict, change,
                                                           problem: str, field: str) -> None:
    data = copy.deepcopy(programme_data)
    change(data)
    with pytest.raises(DataError) as err:
        read_programme(write(tmp_path, data), today=TODAY)
    d = err.value.details
    assert d["problem"] == problem and d["field"].startswith(field)
    assert d["feature_id"] == data["commitments"][d["feature"]]["id"]
    assert f"({d['feature_id']})" in err.value.message("en") and "\n" not in err.value.message("cs")


def test_commitments_index_maps_records_to_their_items(shipped) -> None:
    programme = shipped[0]
    index = commitments_index(programme)
    for c in programme.commitments:
        for link in c.records:
            assert {"id": c.id, "ref": c.ref, "section": c.section, "bullet": c.bullet,
                    "interpretation": link.interpretation} in index[link.layer, link.id]
    assert commitments_index(None) == {}


# --------------------------------------------------------------------------- progress only from sourced figures


def _flats(*rows: tuple[str, str, int | None]) -> gpd.GeoDataFrame:
    return as_frame([{"id": f"f{i}", "programme": prog, "status": status, "units_total": units, "geometry": None}
                     for i, (prog, status, units) in enumerate(rows)], FLAT_COLUMNS)


def _target(**values) -> Target:
    base = {"id": "t", "label": {"cs": "cíl", "en": "target"}, "kind": "increase_by", "unit": "units",
            "sources": ["s"]}
    return Target.model_validate({**base, **values})


def test_a_flats_target_counts_the_units_of_its_records_by_status() -> None:
    t = _target(value=150, flats_programme="reconstruction_150")
    flats = _flats(("reconstruction_150", "existing", 30), ("reconstruction_150", "under_reconstruction", 10),
                   ("reconstruction_150", "planned", 9), ("reconstruction_150", "existing", None),
                   ("housing_fund", "existing", 100))
    p = target_progress(t, flats)
    assert p["has_data"] and (p["done"], p["under_way"], p["planned"]) == (30, 10, 9)
    assert p["share"] == pytest.approx(30 / 150) and p["records"] == ["f0", "f1", "f2"]
    assert not target_progress(_target(value=100, flats_programme="cooperative_100"), flats)["has_data"]
    assert not target_progress(t, _flats())["has_data"]


def test_a_target_without_a_sourced_figure_has_no_data() -> None:
    assert target_progress(_target(kind="multiply", value=3, unit="people"), _flats()) == {
        "has_data": False, "share": None, "done": None, "under_way": None, "planned": None, "current": None,
        "records": []}


@pytest.mark.parametrize(("values", "share"), [
    ({"kind": "increase_by", "value": 150, "current": 75}, 0.5),
    ({"kind": "increase_by", "value": 150, "current": 400}, 1.0),
    ({"kind": "multiply", "value": 3, "baseline": 10, "current": 20}, 0.5),
    ({"kind": "reduce", "baseline": 20_000_000, "current": 15_000_000}, 0.25),
    ({"kind": "increase", "current": 12}, None),
])
def test_a_sourced_current_figure_gives_the_share_reached(values: dict, share: float | None) -> None:
    figures = {k: {"value": values.pop(k), "as_of": "2025", "sources": ["s"]} for k in ("baseline", "current")
               if k in values}
    p = target_progress(_target(unit="people", **values, **figures), _flats())
    assert p["has_data"] and p["current"] == figures["current"]["value"]
    assert p["share"] == (pytest.approx(share) if share is not None else None)


def test_the_tracker_view_groups_commitments_by_section_in_the_request_language(shipped, liberec_net: Network) -> None:
    programme, services, flats = shipped
    index = address_index(liberec_net.buildings, liberec_net.pois, liberec_net.edges)
    svc = resolve_positions(services_frame(services), index)
    fl = resolve_positions(flats_frame(flats), index)
    views = {lang: programme_view(programme, svc, fl, lang=lang, today=TODAY) for lang in i18n.LANGS}
    cs, en = views["cs"], views["en"]
    assert [s["number"] for s in cs["sections"]] == sorted(s.number for s in programme.sections)
    listed = [c["id"] for s in cs["sections"] for c in s["commitments"]]
    assert sorted(listed) == sorted(c.id for c in programme.commitments)
    assert cs["counts"]["commitments"] == len(programme.commitments) == sum(cs["counts"]["by_status"].values())
    first_cs, first_en = cs["sections"][0]["commitments"][0], en["sections"][0]["commitments"][0]
    assert first_cs["summary"] != first_en["summary"]
    assert first_cs["status_label"] == i18n.text(f"programme.status.{first_cs['status']}", "cs")
    records = [r for s in cs["sections"] for c in s["commitments"] for r in c["records"]]
    placed = {r["id"] for r in records if r["placed"]}
    assert placed and placed <= set(svc.loc[svc.geometry.notna(), "id"]) | set(fl.loc[fl.geometry.notna(), "id"])
    assert all(r["name"] != r["id"] for r in records)  # every linked record was found and named
    assert all(src["url"] for f in cs["context"] for src in f["sources"])


def test_the_source_model_refuses_a_date_in_the_future() -> None:
    with pytest.raises(ValueError, match="future"):
        Source.model_validate({"id": "s", "title": "t", "published": "2030"}, context={"today": TODAY})
