"""The flat-registry importer: every row validated and matched, all rows or nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from geo import settings
from geo.errors import DataError
from geo.layers.addresses import AddressIndex, address_index
from geo.layers.flats_import import import_flats, read_registry, validate_registry
from geo.layers.schemas import read_flats
from geo.network.model import Network

ROOT = Path(__file__).resolve().parents[2]
GOOD = """id;address;units_total;units_accessible;lift;entrance_step_cm;status;programme;district
reg-1;Žitavská 510/14;11;2;ano;0;existing;housing_fund;Liberec I
reg-2;Krejčího 1176;24;;ne;15;existing;housing_fund;Liberec X
reg-3;Česká 617;8;0;;;under_reconstruction;reconstruction_150;
"""
BAD = """id,address,units_total,units_accessible,lift,status,programme
bad-1,Žitavská 510/14,5,9,yes,existing,housing_fund
bad-2,Neexistující 12,5,0,no,existing,housing_fund
bad-3,Česká 617,x,0,no,existing,housing_fund
bad-4,U Sila 1201,4,0,maybe,existing,housing_fund
bad-5,Krajní 1575,4,0,no,rented,housing_fund
ok-6,Krajní 1576,4,0,no,existing,housing_fund
ok-6,Krajní 1577,4,0,no,existing,housing_fund
"""


@pytest.fixture(scope="module")
def index(liberec_net: Network) -> AddressIndex:
    return address_index(liberec_net.buildings, liberec_net.pois, liberec_net.edges)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_registry_is_matched_to_buildings_and_stored(tmp_path: Path, index: AddressIndex) -> None:
    store = tmp_path / "store.geojson"
    report = import_flats(write(tmp_path, "registry.csv", GOOD), index, store)
    assert report.ok and report.ignored_columns == ["district"]
    assert all(r.key == "flats.matched_building" and r.values["buildings"].startswith("way/") for r in report.rows)
    assert all("building way/" in r.message("en") and "budova way/" in r.message("cs") for r in report.rows)
    stored = read_flats(store)
    props = {f.properties.id: f.properties for f in stored.features}
    assert props["reg-1"].lift is True and props["reg-2"].lift is False and props["reg-3"].lift is None
    assert props["reg-2"].entrance_step_cm == 15 and props["reg-1"].units_accessible == 2
    assert all(p.position_precision == "exact" and p.position_source.startswith("OpenStreetMap address match")
               for p in props.values())
    assert props["reg-1"].source == "city flat registry (registry.csv)"
    assert stored.imported_from == "registry.csv"
    # every value the registry states is sourced to the registry file, checked on the import day
    (registry,) = stored.sources
    assert registry.title == "city flat registry (registry.csv)" and registry.url is None
    for p in props.values():
        known = {f for f in ("address", "status", "units_total", "units_accessible", "lift", "entrance_step_cm")
                 if getattr(p, f) is not None}
        assert set(p.provenance) == known and all(fact.sources == [registry.id] for fact in p.provenance.values())


def test_a_bad_registry_gives_a_row_report_and_imports_nothing(tmp_path: Path, index: AddressIndex) -> None:
    store = tmp_path / "store.geojson"
    store.write_text('{"previous": "import"}', encoding="utf-8")
    report = import_flats(write(tmp_path, "registry.csv", BAD), index, store)
    assert not report.ok and report.collection is None
    lines = {r.row: r for r in report.rows}
    assert lines[2].key == "layers.accessible_over_total"
    assert lines[2].values | {"field": "units_accessible", "accessible": 9, "total": 5} == lines[2].values
    assert lines[2].message("en") == "units_accessible: 9 is more than units_total (5)"
    assert lines[3].key == "flats.unmatched" and lines[3].values["address"] == "Neexistující 12"
    assert lines[3].values["reason"].key == "address.street_not_found"
    assert lines[3].message("cs") == "adresa „Neexistující 12“ nebyla nalezena: ulice „Neexistující“ ve výřezu " \
                                     "OpenStreetMap není"
    assert lines[4].key == "validation.int_parsing" and lines[4].values["field"] == "units_total"
    assert lines[4].got == "x" and lines[4].message("en") == "units_total: must be a whole number (got 'x')"
    assert lines[5].values["field"] == "lift" and lines[6].values["field"] == "status"
    assert lines[7].ok and lines[8].key == "flats.id_repeats" and lines[8].values == {"id": "ok-6", "first_row": 7}
    assert report.lines("en")[0] == "import of registry.csv: 7 rows" and report.lines("en")[-1] == "1 ok, 6 failed"
    assert report.lines("cs")[0] == "import souboru registry.csv: 7 řádků"
    assert report.lines("cs")[-1] == "v pořádku: 1, s chybou: 6"
    assert lines[7].line("cs").startswith("řádek 7 (id ok-6): v pořádku — přiřazeno k adrese ")
    assert store.read_text(encoding="utf-8") == '{"previous": "import"}'  # untouched


def test_geojson_registry_with_coordinates_and_unmatched_rows(tmp_path: Path, index: AddressIndex) -> None:
    data = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [15.05, 50.77]},
         "properties": {"id": "geo-1", "address": "Neznámá 3", "status": "planned", "programme": "cooperative_100",
                        "units_total": 30}},
        {"type": "Feature", "geometry": None,
         "properties": {"address": "Orlí 8", "status": "existing", "programme": "housing_fund"}},
    ]}
    path = write(tmp_path, "registry.geojson", json.dumps(data, ensure_ascii=False))
    strict = import_flats(path, index, tmp_path / "a.geojson")
    assert [r.ok for r in strict.rows] == [True, False]  # coordinates place row 1; row 2's number is not found
    assert not (tmp_path / "a.geojson").exists()
    lenient = import_flats(path, index, tmp_path / "b.geojson", allow_unmatched=True)
    assert lenient.ok
    feats = read_flats(tmp_path / "b.geojson").features
    assert feats[0].properties.position_source == "coordinates in the registry file"
    assert feats[1].geometry is None and feats[1].properties.id == "registry-orli-8"


def test_ids_of_the_shipped_layer_cannot_be_reused(index: AddressIndex) -> None:
    rows, _ = [], []
    from geo.layers.flats_import import RegistryRow

    rows = [RegistryRow(2, {"id": "flats-krajni", "address": "Krajní 1577", "status": "existing",
                            "programme": "housing_fund"})]
    shipped = {f.properties.id for f in read_flats(settings.FLATS_FILE).features}
    report = validate_registry(rows, index, source_name="x.csv", existing_ids=shipped)
    assert not report.ok and report.rows[0].key == "flats.id_shipped"
    assert report.rows[0].values == {"id": "flats-krajni"}
    assert report.rows[0].line("en") == "row 2 (id flats-krajni): ERROR — id 'flats-krajni' is already used by the " \
                                        "shipped flats layer"


@pytest.mark.parametrize(("name", "text", "key"), [
    ("empty.csv", "", "flats.file_empty"),
    ("noaddress.csv", "id,units_total\n1,2\n", "flats.no_address_column"),
    ("header.csv", "id,address\n", "flats.no_rows"),
    ("registry.xlsx", "x", "flats.unknown_type"),
])
def test_unreadable_registry_files(tmp_path: Path, name: str, text: str, key: str) -> None:
    with pytest.raises(DataError) as err:
        read_registry(write(tmp_path, name, text))
    assert err.value.key == key and err.value.details["file"] == str(tmp_path / name)


def run_cli(*args: str, lang: str = "en") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "app.py"), *args], capture_output=True, text=True,
                          timeout=300, cwd=ROOT, check=False, env={**os.environ, "LBB_LANG": lang})


def test_cli_import_flats(tmp_path: Path, liberec_osm: Path) -> None:
    store = tmp_path / "store.geojson"
    common = ["--osm-file", str(liberec_osm), "--cache-dir", str(tmp_path / "cache"), "--store", str(store)]
    ok = run_cli("import-flats", str(write(tmp_path, "good.csv", GOOD)), *common)
    assert ok.returncode == 0, ok.stderr
    assert "row 2 (id reg-1): ok" in ok.stdout and f"imported 3 flat sites into {store}" in ok.stdout
    before = store.read_bytes()
    bad = run_cli("import-flats", str(write(tmp_path, "bad.csv", BAD)), *common)
    assert bad.returncode != 0 and "Traceback" not in bad.stderr
    assert "row 3 (id bad-2): ERROR — unmatched address 'Neexistující 12'" in bad.stdout
    errors = [line for line in bad.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "6 of 7 rows invalid or unmatched" in errors[0] and "nothing imported" in errors[0]
    assert bad.stderr.strip().splitlines()[-1] == errors[0]
    assert store.read_bytes() == before
    czech = run_cli("import-flats", str(tmp_path / "bad.csv"), *common, lang="cs")
    assert czech.returncode == bad.returncode and "řádek 3 (id bad-2): CHYBA — adresa „Neexistující 12“" in czech.stdout
    assert czech.stderr.strip().splitlines()[-1] == (
        f"chyba: import selhal: v souboru {tmp_path / 'bad.csv'} je 6 řádků z 7 neplatných nebo nepřiřazených; "
        "nic nebylo importováno")


def test_the_app_loads_imported_flats(liberec_net: Network, tmp_path: Path, index: AddressIndex) -> None:
    from webmap import create_app

    store = tmp_path / "store.geojson"
    assert import_flats(write(tmp_path, "good.csv", GOOD), index, store).ok
    app = create_app({"TESTING": True, "NETWORK": liberec_net, "CACHE_DIR": str(tmp_path), "FLATS_STORE": str(store)})
    body = app.test_client().get("/api/layers/flats").get_json()
    origins = {f["properties"]["id"]: f["properties"]["origin"] for f in body["features"]}
    assert origins["reg-1"] == "registry" and origins["flats-krajni"] == "curated"
    recon = next(p for p in body["programme_progress"] if p["programme"] == "reconstruction_150")
    shipped = sum(f.properties.units_total or 0 for f in read_flats(settings.FLATS_FILE).features
                  if f.properties.programme == "reconstruction_150")
    assert recon["recorded_units"] == shipped + 8 and recon["recorded_units_by_status"]["under_reconstruction"] == 8
    store.write_text('{"type": "FeatureCollection", "features": [{"type": "Feature"}]}', encoding="utf-8")
    with pytest.raises(DataError) as err:
        create_app({"TESTING": True, "NETWORK": liberec_net, "CACHE_DIR": str(tmp_path), "FLATS_STORE": str(store)})
    assert err.value.details | {"file": str(store), "feature": 0, "field": "geometry"} == err.value.details
    assert str(err.value) == f"{store}: feature #0: geometry: is required (+1 more problem)"
