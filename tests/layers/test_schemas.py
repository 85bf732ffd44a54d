"""Curated layers: the schema, every system of the city programme, honest positions, OSM POIs."""

from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from geo import settings
from geo.errors import DataError
from geo.layers.addresses import address_index
from geo.layers.osm_pois import merge_services, name_similarity, osm_services
from geo.layers.programme import flats_targets, read_programme
from geo.layers.provenance import latest_day, missing_facts
from geo.layers.records import flats_frame, programme_progress, resolve_positions, services_frame
from geo.layers.schemas import read_flats, read_services
from geo.network.model import Network

ROOT = Path(__file__).resolve().parents[2]
URL = re.compile(r"https?://\S+")


@pytest.fixture(scope="module")
def services_data() -> dict:
    return json.loads(settings.SERVICES_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def services():
    return services_frame(read_services(settings.SERVICES_FILE))


def write(tmp_path: Path, data: dict, name: str = "services.geojson") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


# --------------------------------------------------------------------------- the shipped files


def test_shipped_layers_pass_the_schema_and_name_their_sources() -> None:
    for coll in (read_services(settings.SERVICES_FILE), read_flats(settings.FLATS_FILE)):
        assert coll.features and coll.sources
        assert all(s.url and URL.match(s.url) for s in coll.sources), "curated sources are public pages"
        for f in coll.features:
            values = f.properties.model_dump()
            # every known factual value names at least one of the file's sources (the schema refuses others)
            assert missing_facts(values, f.properties.provenance, f.properties.FACTS) == []


def test_no_coordinates_are_shipped(services_data: dict) -> None:
    for f in services_data["features"]:
        # positions come from OSM at load time, never from guesses
        assert f["geometry"] is None and f["properties"]["position_precision"] == "unknown"


def test_records_without_a_site_are_listed_not_drawn(liberec_services) -> None:
    unsited = liberec_services[(liberec_services["locate"].isin(["none", "name"]))
                               | liberec_services["address"].isna()]
    assert len(unsited) and unsited.geometry.isna().all()


def test_frames_derive_the_record_source_from_the_provenance(services) -> None:
    for row in services.itertuples():
        urls = {s["url"] for fact in row.provenance.values() for s in fact["sources"]}
        assert set(row.source.split()) == urls
        dated = [s["published"] for fact in row.provenance.values() for s in fact["sources"]
                 if s["published"] != "undated"]
        assert row.source_date == (max(dated, key=latest_day) if dated else "undated")


# --------------------------------------------------------------------------- bad files


@pytest.mark.parametrize(("change", "field"), [
    (lambda d: d["features"][2]["properties"].update(category="spa"), "category"),
    (lambda d: d["features"][0]["properties"]["name"].pop("en"), "name.en"),
    (lambda d: d["features"][1]["properties"].update(wheelchair="maybe"), "wheelchair"),
    (lambda d: d["features"][3]["properties"].update(source_date="last year"), "source_date"),
    (lambda d: d["features"][4]["properties"].update(colour="red"), "colour"),
    (lambda d: d["features"][5].update(geometry={"type": "Point", "coordinates": [15.05, 95.0]}), "geometry"),
])
def test_a_schema_error_names_file_feature_and_field(tmp_path: Path, services_data: dict, change, field: str) -> None:
    data = copy.deepcopy(services_data)
    change(data)
    path = write(tmp_path, data)
    with pytest.raises(DataError) as err:
        read_services(path)
    details = err.value.details
    assert details["file"] == str(path) and isinstance(details["feature"], int) and details["feature_id"]
    assert details["field"].startswith(field)
    for lang in ("cs", "en"):
        msg = err.value.message(lang)
        assert "\n" not in msg and msg.startswith(f"{path}: ")
        assert f"#{details['feature']} ({details['feature_id']})" in msg
        assert f": {details['field']}: " in msg


def test_coordinates_without_their_source_or_marked_unknown_are_refused(tmp_path: Path, services_data: dict) -> None:
    data = copy.deepcopy(services_data)
    data["features"][0]["geometry"] = {"type": "Point", "coordinates": [15.06, 50.77]}
    data["features"][0]["properties"]["position_precision"] = "exact"
    with pytest.raises(DataError) as err:
        read_services(write(tmp_path, data))
    assert err.value.details["problem"] == "layers.coordinates_source"
    assert err.value.details["field"] == "position_source" and err.value.details["feature"] == 0
    data["features"][0]["properties"]["position_precision"] = "unknown"
    data["features"][0]["properties"]["position_source"] = "a survey"
    with pytest.raises(DataError) as err:
        read_services(write(tmp_path, data))
    assert err.value.details["problem"] == "layers.coordinates_precision"
    assert err.value.details["field"] == "position_precision"


def test_duplicate_ids_and_bad_json_are_refused(tmp_path: Path, services_data: dict) -> None:
    data = copy.deepcopy(services_data)
    data["features"][1]["properties"]["id"] = data["features"][0]["properties"]["id"]
    with pytest.raises(DataError) as err:
        read_services(write(tmp_path, data))
    assert err.value.details["problem"] == "layers.duplicate_id" and err.value.details["id"] == "palac-liebieg"
    assert err.value.details["feature"] == 1 and err.value.details["other"] == 0
    assert "duplicate id palac-liebieg (also feature #0)" in str(err.value)
    broken = tmp_path / "broken.geojson"
    broken.write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    with pytest.raises(DataError) as err:
        read_services(broken)
    assert err.value.key == "layers.bad_json" and err.value.details["line"] == 1
    assert str(err.value).startswith(f"{broken}: not valid JSON (line 1")
    with pytest.raises(DataError) as err:
        read_services(tmp_path / "missing.geojson")
    assert err.value.key == "layers.file_not_found" and err.value.details["file"] == str(tmp_path / "missing.geojson")


def test_flats_schema_refuses_more_accessible_units_than_units(tmp_path: Path) -> None:
    data = json.loads(settings.FLATS_FILE.read_text(encoding="utf-8"))
    props = data["features"][0]["properties"]
    props.update(units_total=4, units_accessible=5)
    props["provenance"]["units_accessible"] = props["provenance"]["units_total"]
    with pytest.raises(DataError) as err:
        read_flats(write(tmp_path, data, "flats.geojson"))
    assert err.value.details["problem"] == "layers.accessible_over_total"
    assert err.value.details["field"] == "units_accessible" and err.value.details["accessible"] == 5
    assert "units_accessible: 5 is more than units_total (4)" in str(err.value)


def test_the_app_refuses_to_start_with_a_broken_layer_file(tmp_path: Path, services_data: dict,
                                                           helsinki_net: Network) -> None:
    from webmap import create_app

    data = copy.deepcopy(services_data)
    data["features"][7]["properties"]["status"] = "closed"
    path = write(tmp_path, data)
    with pytest.raises(DataError) as err:
        create_app({"TESTING": True, "NETWORK": helsinki_net, "CACHE_DIR": str(tmp_path), "SERVICES_FILE": str(path)})
    assert (err.value.details["feature"], err.value.details["feature_id"]) == (7, "debt-counselling-cvt")
    assert err.value.details["field"] == "status" and err.value.details["problem"] == "validation.literal_error"
    assert str(err.value).startswith(f"{path}: feature #7 (debt-counselling-cvt): status: must be one of ")


def test_serve_with_a_broken_layer_file_prints_one_error_line(tmp_path: Path, services_data: dict,
                                                              tag_rules_osm: Path) -> None:
    data = copy.deepcopy(services_data)
    data["features"][0]["properties"]["category"] = "castle"
    path = write(tmp_path, data)
    env = {"LBB_SERVICES_FILE": str(path), "PATH": "/usr/bin:/bin", "LBB_LANG": "en"}
    proc = subprocess.run([sys.executable, str(ROOT / "app.py"), "serve", "--osm-file", str(tag_rules_osm),
                           "--cache-dir", str(tmp_path / "c"), "--port", "65534"], capture_output=True, text=True,
                          timeout=300, cwd=ROOT, check=False, env=env)
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error:")]
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    assert len(errors) == 1 and f"error: {path}: feature #0 (palac-liebieg): category: must be one of " in errors[0]
    assert proc.stderr.strip().splitlines()[-1] == errors[0]


# --------------------------------------------------------------------------- positions from the extract


@pytest.fixture(scope="module")
def liberec_services(liberec_net: Network):
    index = address_index(liberec_net.buildings, liberec_net.pois, liberec_net.edges)
    return resolve_positions(services_frame(read_services(settings.SERVICES_FILE)), index).set_index("id")


def test_records_are_placed_by_osm_address_or_street_never_guessed(liberec_services) -> None:
    s = liberec_services
    assert s.loc["palac-liebieg", "position_precision"] == "exact"
    address = s.loc["palac-liebieg", "address"].split(",")[0]
    assert s.loc["palac-liebieg", "position_source"].startswith(f"OpenStreetMap address match ({address}")
    assert s.loc["palac-liebieg", "osm_ref"].startswith("way/")
    assert s.loc["cdz-fokus", "position_precision"] == "exact"  # split addr:conscription/streetnumber tags
    assert s.loc["hostel-pastyrska", "position_precision"] == "street"  # only the street is known
    assert s.loc["social-office", "position_precision"] == "street"  # locate: street, though no 1 exists
    for rid in ("housing-first", "senior-ombudsman", "sic", "social-ambulance", "furniture-bank"):
        assert s.loc[rid, "geometry"] is None and s.loc[rid, "position_precision"] == "unknown"
    exact = s[s["position_precision"] == "exact"]
    assert exact["position_source"].str.startswith("OpenStreetMap").all()


def test_osm_social_pois_are_a_second_source_deduplicated(liberec_net: Network, liberec_services) -> None:
    osm = osm_services(liberec_net.pois, data_date="2024-05-01")
    assert {"community_centre", "asylum_house", "public_office", "advice_centre"} <= set(osm["category"])
    merged = merge_services(liberec_services.reset_index(), osm).set_index("id")
    osm_only = merged[merged["origin"] == "osm"]
    assert list(osm_only["name_cs"]) == ["Komunitní centrum Vesec"]  # the three others duplicate curated records
    assert osm_only.iloc[0]["wheelchair"] == "yes" and "OpenStreetMap" in osm_only.iloc[0]["source"]
    # the unlocated curated record takes the position of the OSM POI with (nearly) its name
    kp = merged.loc["komunitni-prace"]
    assert kp["position_precision"] == "exact" and kp["position_source"].startswith("OpenStreetMap POI name match")
    # a street-level record is sharpened by its OSM POI; the department is not moved onto the city hall POI
    assert merged.loc["asylum-vekova", "position_precision"] == "exact"
    assert merged.loc["social-office", "position_precision"] == "street"
    assert merged.loc["social-office", "osm_ref"] is not None


def test_pois_of_other_kinds_are_no_services_when_the_extract_has_no_social_tags(housing_net: Network) -> None:
    """An extract without any ``social_facility`` or ``office`` tag: its pharmacy, shop and school stay POIs."""
    assert "social_facility" not in housing_net.pois and len(housing_net.pois) > 0
    assert osm_services(housing_net.pois).empty


def test_name_similarity_ignores_diacritics_and_word_order() -> None:
    assert name_similarity("Komunitní práce Liberec", "KOMUNITNI PRACE LIBEREC, o.p.s.") >= 0.95
    assert name_similarity("Palác Liebieg", "Nábytková banka") < 0.5


def test_programme_targets_against_recorded_units(liberec_net: Network) -> None:
    coll = read_flats(settings.FLATS_FILE)
    index = address_index(liberec_net.buildings, liberec_net.pois, liberec_net.edges)
    flats = resolve_positions(flats_frame(coll), index)
    targets = flats_targets(read_programme(settings.PROGRAMME_FILE))
    progress = {p["programme"]: p for p in programme_progress(flats, targets)}
    for t in targets:
        records = [f.properties for f in coll.features if f.properties.programme == t.programme]
        units = sum(p.units_total or 0 for p in records)
        assert progress[t.programme]["target_units"] == t.target_units
        assert progress[t.programme]["recorded_units"] == units and progress[t.programme]["sites"] == len(records)
        assert sum(progress[t.programme]["recorded_units_by_status"].values()) == units
    placed = flats.set_index("id")
    assert placed.loc["flats-krajni", "position_precision"] == "exact"  # all six houses of the run found
    assert placed.loc["flats-u-sila", "position_precision"] == "street"  # 1205, 1206 missing in the extract
