"""The command line (app.py): info output and one-line errors for bad input, in the CLI's language."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from geo import i18n
from tests.network.test_elevation import write_plane
from tests.terrain_ways import dtm_path, terrain_ways

ROOT = Path(__file__).resolve().parents[1]


def _env(lang: str) -> dict[str, str]:
    return {**os.environ, "LBB_LANG": lang}


def run(*args: str, cwd: Path | None = None, lang: str = "en") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "app.py"), *args], capture_output=True, text=True,
                          timeout=300, cwd=cwd or ROOT, check=False, env=_env(lang))


def assert_one_line_error(proc: subprocess.CompletedProcess[str], needle: str, prefix: str = "error:") -> None:
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    errors = [line for line in proc.stderr.splitlines() if line.startswith(prefix)]
    assert len(errors) == 1, proc.stderr
    assert needle in errors[0]
    assert proc.stderr.strip().splitlines()[-1] == errors[0]


@pytest.mark.parametrize(("environ", "lang"), [
    ({}, "en"),
    ({"LANG": "cs_CZ.UTF-8"}, "cs"),
    ({"LANG": "en_US.UTF-8", "LC_MESSAGES": "cs_CZ.UTF-8"}, "cs"),
    ({"LANG": "cs_CZ.UTF-8", "LC_ALL": "C"}, "en"),
    ({"LC_ALL": "cs_CZ.UTF-8"}, "cs"),
    ({"LANG": "cs_CZ.UTF-8", "LBB_LANG": "en"}, "en"),
    ({"LANG": "C.UTF-8", "LBB_LANG": "cs"}, "cs"),
    ({"LANG": "cs_CZ.UTF-8", "LBB_LANG": "de"}, "cs"),
])
def test_the_cli_language(environ: dict[str, str], lang: str) -> None:
    import app

    assert app.cli_lang(environ) == lang


def test_info_prints_counts_and_coverage(tag_rules_osm: Path, tmp_path: Path) -> None:
    proc = run("info", "--osm-file", str(tag_rules_osm), "--cache-dir", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "network:     25 nodes, 30 edges" in out
    assert "surface" in out and "incline" in out and "kerb" in out and "width" in out
    assert "steps: 3" in out
    czech = run("info", "--osm-file", str(tag_rules_osm), "--cache-dir", str(tmp_path), lang="cs")
    assert czech.returncode == 0, czech.stderr
    assert "síť:         25 uzlů, 30 úseků" in czech.stdout and "schody: 3" in czech.stdout
    assert "povrch" in czech.stdout and "sklon" in czech.stdout and "šířka" in czech.stdout


def test_info_json(tag_rules_osm: Path, tmp_path: Path) -> None:
    import json

    proc = run("info", "--osm-file", str(tag_rules_osm), "--cache-dir", str(tmp_path), "--json")
    data = json.loads(proc.stdout)
    assert data["nodes"] == 25 and data["coverage"]["steps"] == 3


def test_info_counts_inclines_the_terrain_disputes(tmp_path: Path) -> None:
    ways = terrain_ways(tmp_path / "ways.osm")
    args = ("info", "--osm-file", str(ways), "--dem", dtm_path(), "--cache-dir", str(tmp_path / "c"))
    proc = run(*args)
    assert proc.returncode == 0, proc.stderr
    assert "terrain:     incline from the elevation model on 12 edges (10 m window, a sample every 1 m)" in proc.stdout
    assert "elevation:   bubenec.gpkg:dtm, 1 m pixels" in proc.stdout
    assert "incline disputed (OSM incline=up/down against the terrain, incline unknown): 1 edge\n" in proc.stdout
    czech = run(*args, lang="cs").stdout
    assert "terén:       sklon z výškového modelu u 12 úseků (okno 10 m, vzorek po 1 m)" in czech
    assert "sporný sklon (OSM incline=up/down proti terénu, sklon neznámý): 1 úsek\n" in czech


def test_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.osm.pbf"
    assert_one_line_error(run("info", "--osm-file", str(missing), "--cache-dir", str(tmp_path)),
                          f"error: OSM file not found: {missing}")
    assert_one_line_error(run("info", "--osm-file", str(missing), "--cache-dir", str(tmp_path), lang="cs"),
                          f"chyba: soubor OSM {missing} neexistuje", prefix="chyba:")


def test_not_an_osm_file(tmp_path: Path) -> None:
    f = tmp_path / "page.osm"
    f.write_text("<html><body>404</body></html>")
    assert_one_line_error(run("info", "--osm-file", str(f), "--cache-dir", str(tmp_path)), "not an OSM XML file")


def test_empty_extract(tmp_path: Path) -> None:
    f = tmp_path / "empty.osm"
    f.write_text('<?xml version="1.0"?><osm version="0.6"></osm>')
    assert_one_line_error(run("info", "--osm-file", str(f), "--cache-dir", str(tmp_path)), "no OSM ways")


def test_dem_outside_the_area(tag_rules_osm: Path, tmp_path: Path) -> None:
    dem = write_plane(tmp_path / "far.tif", west=200000, north=5000000, size_m=500, grade_north_pct=1)
    proc = run("info", "--osm-file", str(tag_rules_osm), "--dem", str(dem), "--cache-dir", str(tmp_path / "c"))
    assert_one_line_error(proc, "does not cover the area")


def test_unwritable_cache_dir(tag_rules_osm: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    proc = run("info", "--osm-file", str(tag_rules_osm), "--cache-dir", str(blocker / "cache"))
    assert_one_line_error(proc, "not writable")


@pytest.mark.parametrize("args", [["--port", "notanumber"], ["info", "--bogus"]])
def test_bad_arguments_are_usage_errors(args: list[str]) -> None:
    proc = run(*args)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and "usage:" in proc.stderr


def run_with_input(text: str, *args: str, lang: str = "en") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "app.py"), *args], input=text, capture_output=True, text=True,
                          timeout=300, cwd=ROOT, check=False, env=_env(lang))


def test_init_db_and_create_moderator(tmp_path: Path) -> None:
    from geo.reports.accounts import ModeratorAccounts
    from geo.reports.database import MIGRATIONS, Database

    url = f"sqlite:///{tmp_path / 'lbb.sqlite3'}"
    proc = run("init-db", "--database-url", url)
    assert proc.returncode == 0, proc.stderr
    latest = MIGRATIONS[-1][0]
    assert f"schema version {latest}" in proc.stdout
    proc = run("init-db", "--database-url", url, lang="cs")
    assert proc.returncode == 0, proc.stderr
    assert "databáze je připravena" in proc.stdout and f"verze schématu {latest}" in proc.stdout
    proc = run_with_input("correct horse battery\n", "create-moderator", "alice", "--password-stdin",
                          "--database-url", url)
    assert proc.returncode == 0, proc.stderr
    assert "moderator alice created" in proc.stdout and "correct horse" not in proc.stdout + proc.stderr
    db = Database(url)
    accounts = ModeratorAccounts(db)
    assert accounts.authenticate("alice", "correct horse battery", client="t", now=_now()) is not None
    assert_one_line_error(run_with_input("another password\n", "create-moderator", "alice", "--password-stdin",
                                         "--database-url", url), "already exists")
    proc = run_with_input("another password\n", "create-moderator", "alice", "--password-stdin", "--reset-password",
                          "--database-url", url)
    assert proc.returncode == 0, proc.stderr
    assert "moderator alice updated" in proc.stdout
    assert accounts.authenticate("alice", "another password", client="t", now=_now()) is not None
    db.close()


def test_api_keys_are_issued_listed_and_revoked_from_the_command_line(tmp_path: Path) -> None:
    from geo.reports.apikeys import ApiKeys
    from geo.reports.database import Database

    url = f"sqlite:///{tmp_path / 'lbb.sqlite3'}"
    proc = run("create-api-key", "partner-app", "--limit", "500", "--window-s", "600", "--database-url", url)
    assert proc.returncode == 0, proc.stderr
    head, secret = proc.stdout.strip().splitlines()
    assert "key partner-app issued" in head and "at most 500 requests per 600 s" in head
    db = Database(url)
    keys = ApiKeys(db)
    assert keys.verify(secret).limit == 500
    listed = run("list-api-keys", "--database-url", url, lang="cs")
    assert listed.returncode == 0 and "partner-app  500 hlášení / 600 s" in listed.stdout and "platný" in listed.stdout
    assert secret not in listed.stdout + listed.stderr  # the key is shown once, when issued
    assert_one_line_error(run("create-api-key", "partner-app", "--database-url", url), "already exists")
    proc = run("revoke-api-key", "partner-app", "--database-url", url)
    assert proc.returncode == 0 and "key partner-app revoked since" in proc.stdout
    assert keys.verify(secret) is None and "revoked" in run("list-api-keys", "--database-url", url).stdout
    assert_one_line_error(run("revoke-api-key", "nobody", "--database-url", url), "no key named nobody")
    assert_one_line_error(run("create-api-key", "x", "--limit", "0", "--database-url", url), "must be positive")
    db.close()


def test_create_moderator_errors_are_one_line(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'lbb.sqlite3'}"
    assert_one_line_error(run_with_input("short\n", "create-moderator", "bob", "--password-stdin",
                                         "--database-url", url), "at least 8")
    assert_one_line_error(run_with_input("", "create-moderator", "bob", "--database-url", url),
                          "error: no terminal to ask for the password: pipe it in with --password-stdin")
    assert_one_line_error(run_with_input("", "create-moderator", "bob", "--database-url", url, lang="cs"),
                          "chyba: není terminál, kde se zeptat na heslo", prefix="chyba:")
    assert_one_line_error(run("init-db", "--database-url", "nosuchdb://x"), "cannot use database")


def _now():
    from geo.reports.model import utcnow

    return utcnow()


def test_rank_barriers_prints_the_ranking_the_package_and_writes_files(planner_osm: Path, tmp_path: Path) -> None:
    base = ("rank-barriers", "--osm-file", str(planner_osm), "--cache-dir", str(tmp_path), "--database-url",
            f"sqlite:///{tmp_path / 'db.sqlite3'}", "--minutes", "5", "--origins", "buildings")
    proc = run(*base, "--package", "2", "--out", str(tmp_path / "ranking.csv"), lang="cs")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout.splitlines()
    assert out[0] == "3 bariéry seřazeny pro 4 domovy a 2 cíle (Mechanický vozík, 5 min)."
    assert out[1].split() == ["pořadí", "bariéra", "kategorie", "závažnost", "zisk", "dvojic", "domovů", "cílů",
                              "ušetřeno", "(s)"]
    assert out[2].split()[:5] == ["1", "edge-1-steps", "Schody", "3", "6"]
    assert "Balíček 2 oprav" in proc.stdout and "Žádná další oprava už nic neotevře." in proc.stdout
    assert "cesty z domovů" in proc.stderr and "100 %" in proc.stderr  # the progress bar
    rows = (tmp_path / "ranking.csv").read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("rank,barrier_id,category") and rows[1].startswith("1,edge-1-steps,steps,Schody,3,osm")
    geo = run(*base, "--top", "1", "--out", str(tmp_path / "ranking.geojson"))
    assert geo.returncode == 0, geo.stderr
    assert len(geo.stdout.splitlines()) == 4  # summary, header, one row, written
    fc = json.loads((tmp_path / "ranking.geojson").read_text(encoding="utf-8"))
    assert [f["properties"]["rank"] for f in fc["features"]] == [1, 2, 3]


@pytest.mark.parametrize(("args", "needle"), [
    (["--minutes", "99"], "minutes: must be at most 60"),
    (["--out", "ranking.xlsx"], "ranking.xlsx: the ranking can only be written to a .csv or .geojson file"),
])
def test_rank_barriers_bad_input_is_one_line(planner_osm: Path, tmp_path: Path, args: list[str], needle: str) -> None:
    proc = run("rank-barriers", "--osm-file", str(planner_osm), "--cache-dir", str(tmp_path), *args)
    assert_one_line_error(proc, needle)


def test_reach_cards_of_every_home(housing_osm: Path, tmp_path: Path) -> None:
    base = ("reach-cards", "--osm-file", str(housing_osm), "--cache-dir", str(tmp_path), "--database-url",
            f"sqlite:///{tmp_path / 'db.sqlite3'}")
    proc = run(*base, "--homes", "both", "--out", str(tmp_path / "cards.csv"), lang="cs")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[0].startswith("7 karet dostupnosti (Mechanický vozík): medián skóre ")
    assert "hledání z cílů" in proc.stderr and "100 %" in proc.stderr  # the progress bar
    rows = list(csv.DictReader(io.StringIO((tmp_path / "cards.csv").read_text(encoding="utf-8"))))
    kinds = [r["kind"] for r in rows]
    assert kinds.count("building") == 4 and kinds.count("flat") == 3  # residential buildings and placed flats
    home = next(r for r in rows if r["name"] == "Nad Sokolovnou 616")
    assert home["entrance"] == "step_free" and home["pharmacy_min"] == "" and home["grocery_min"] == "5.0"
    walk = run(*base, "--profile", "walking", "--out", str(tmp_path / "cards.geojson"))
    assert walk.returncode == 0, walk.stderr
    fc = json.loads((tmp_path / "cards.geojson").read_text(encoding="utf-8"))
    assert fc["profile"] == "walking" and {f["properties"]["score"] for f in fc["features"]} == {100}


@pytest.mark.parametrize(("args", "needle"), [
    (["--out", "cards.xlsx"], "cards.xlsx: cards can only be written to a .csv or .geojson file"),
    (["--out", "cards.csv", "--profile", "rocket"], "unknown profile rocket"),
    (["--out", "cards.csv", "--homes", "castles"], "castles"),
])
def test_reach_cards_bad_input_is_one_line(housing_osm: Path, tmp_path: Path, args: list[str], needle: str) -> None:
    proc = run("reach-cards", "--osm-file", str(housing_osm), "--cache-dir", str(tmp_path), *args)
    assert_one_line_error(proc, needle)


# --------------------------------------------------------------------------- check-data (runs in CI with the suite)


def test_check_data_validates_the_shipped_files() -> None:
    """The curated files pass: one summary line per file and a last line, in English and Czech."""
    for lang, ok in (("en", ": ok – "), ("cs", ": v pořádku – ")):
        proc = run("check-data", lang=lang)
        assert proc.returncode == 0, proc.stderr
        lines = proc.stdout.strip().splitlines()
        names = ("services.geojson", "city_flats.geojson", "programme.json")
        assert [next(n for n in names if n in line) for line in lines[:3]] == list(names)
        assert all(ok in line for line in lines[:3])
        assert lines[-1] == i18n.text("check.done", lang, count=3, sources=int(lines[-1].split()[-2]))


def test_check_data_names_the_first_problem_in_one_line(tmp_path: Path) -> None:
    data = json.loads((ROOT / "data" / "layers" / "services.geojson").read_text(encoding="utf-8"))
    data["features"][0]["properties"]["provenance"].pop("address")
    bad = tmp_path / "services.geojson"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    proc = run("check-data", "--services", str(bad))
    assert proc.returncode == 2
    assert_one_line_error(proc, f"error: {bad}: feature #0 (palac-liebieg): address: a value without a source")


@pytest.mark.parametrize(("argv", "dem"), [(["serve"], "auto"), (["serve", "--no-dem"], None),
                                          (["info", "--dem", "x.tif"], "x.tif"), (["info", "--sample"], "auto")])
def test_a_downloaded_place_gets_terrain_unless_told_otherwise(argv: list[str], dem: str | None) -> None:
    import app

    assert app._dem(app.parser().parse_args(argv)) == dem  # "auto" is ignored for files and the sample


def test_update_builds_again(tag_rules_osm: Path, tmp_path: Path) -> None:
    proc = run("update", "--osm-file", str(tag_rules_osm), "--cache-dir", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "updated: tag_rules – 25 nodes, 30 edges, data as of 2024-05-01"
    again = run("info", "--osm-file", str(tag_rules_osm), "--cache-dir", str(tmp_path))
    assert "warm start from" in again.stderr and "old) — `python app.py update` downloads it again" in again.stderr


@pytest.mark.parametrize("port", ["0", "99999", "-1"])
def test_a_port_outside_the_range_is_an_error_before_anything_loads(port: str) -> None:
    assert_one_line_error(run("serve", "--port", port), f"error: port {port} cannot be used")


def test_a_missing_dem_is_an_error_before_a_download_or_a_fallback(tmp_path: Path) -> None:
    missing = tmp_path / "missing.tif"
    # a place (no file, no sample): without the check it would download, fail offline and fall back to the sample
    proc = run("info", "--place", "Nowhere, Czechia", "--dem", str(missing), "--cache-dir", str(tmp_path / "c"))
    assert_one_line_error(proc, f"error: DEM file not found: {missing}")
    assert "SAMPLE" not in proc.stderr and "loading OpenStreetMap" not in proc.stderr


def test_info_defines_a_known_kerb_as_places_not_length(tag_rules_osm: Path, tmp_path: Path) -> None:
    proc = run("info", "--osm-file", str(tag_rules_osm), "--cache-dir", str(tmp_path))
    data = json.loads(run("info", "--osm-file", str(tag_rules_osm), "--cache-dir", str(tmp_path), "--json").stdout)
    k = data["coverage"]["kerb_places"]
    assert (f"crossings with a known kerb height {k['crossings_known']} of {k['crossings']}, kerb nodes with a "
            f"known height {k['kerbs_known']} of {k['kerbs']}") in proc.stdout
    assert "a known kerb is a crossing or kerb node with a kerb or kerb:height value" in proc.stdout
    assert f"crossings: {k['crossings']}," in proc.stdout and f"kerb nodes: {k['kerbs']}" in proc.stdout
