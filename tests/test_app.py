"""The command line (app.py): info output and one-line errors for bad input."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.network.test_elevation import write_plane

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "app.py"), *args], capture_output=True, text=True,
                          timeout=300, cwd=cwd or ROOT, check=False)


def assert_one_line_error(proc: subprocess.CompletedProcess[str], needle: str) -> None:
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, proc.stderr
    assert needle in errors[0]
    assert proc.stderr.strip().splitlines()[-1] == errors[0]


def test_info_prints_counts_and_coverage(tag_rules_osm: Path, tmp_path: Path) -> None:
    proc = run("info", "--osm-file", str(tag_rules_osm), "--cache-dir", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "network:     25 nodes, 27 edges" in out
    assert "surface" in out and "incline" in out and "kerb" in out and "width" in out
    assert "steps: 3" in out


def test_info_json(tag_rules_osm: Path, tmp_path: Path) -> None:
    import json

    proc = run("info", "--osm-file", str(tag_rules_osm), "--cache-dir", str(tmp_path), "--json")
    data = json.loads(proc.stdout)
    assert data["nodes"] == 25 and data["coverage"]["steps"] == 3


def test_missing_file(tmp_path: Path) -> None:
    assert_one_line_error(run("info", "--osm-file", str(tmp_path / "nope.osm.pbf"), "--cache-dir", str(tmp_path)),
                          "not found")


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


def run_with_input(text: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "app.py"), *args], input=text, capture_output=True, text=True,
                          timeout=300, cwd=ROOT, check=False)


def test_init_db_and_create_moderator(tmp_path: Path) -> None:
    from geo.reports.store import ReportStore

    url = f"sqlite:///{tmp_path / 'lbb.sqlite3'}"
    proc = run("init-db", "--database-url", url)
    assert proc.returncode == 0, proc.stderr
    assert "schema version 1" in proc.stdout
    proc = run_with_input("correct horse battery\n", "create-moderator", "alice", "--password-stdin",
                          "--database-url", url)
    assert proc.returncode == 0, proc.stderr
    assert "moderator alice created" in proc.stdout and "correct horse" not in proc.stdout + proc.stderr
    store = ReportStore(url, photo_dir=tmp_path)
    assert store.authenticate("alice", "correct horse battery", client="t", now=_now()) is not None
    assert_one_line_error(run_with_input("another password\n", "create-moderator", "alice", "--password-stdin",
                                         "--database-url", url), "already exists")
    proc = run_with_input("another password\n", "create-moderator", "alice", "--password-stdin", "--reset-password",
                          "--database-url", url)
    assert proc.returncode == 0, proc.stderr
    assert store.authenticate("alice", "another password", client="t", now=_now()) is not None
    store.close()


def test_create_moderator_errors_are_one_line(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'lbb.sqlite3'}"
    assert_one_line_error(run_with_input("short\n", "create-moderator", "bob", "--password-stdin",
                                         "--database-url", url), "at least 8")
    assert_one_line_error(run_with_input("", "create-moderator", "bob", "--database-url", url), "--password-stdin")
    assert_one_line_error(run("init-db", "--database-url", "nosuchdb://x"), "cannot use database")


def _now():
    from geo.reports.model import utcnow

    return utcnow()
