"""``check-data`` as a function: every curated file validated together, one summary per file, and the
first problem named — a broken programme link, a curated source without a public URL, a clash with the
store of imported flats."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from geo import settings
from geo.errors import DataError
from geo.layers.checks import check_curated

TODAY = date(2026, 11, 30)


def copy_to(tmp_path: Path, source: Path, change=None) -> Path:
    data = json.loads(source.read_text(encoding="utf-8"))
    if change is not None:
        change(data)
    path = tmp_path / source.name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_the_shipped_files_pass_and_are_summarised() -> None:
    checks, sources = check_curated(today=TODAY)
    by_file = {Path(c.file).name: c for c in checks}
    assert set(by_file) == {"services.geojson", "city_flats.geojson", "programme.json"}
    services = json.loads(settings.SERVICES_FILE.read_text(encoding="utf-8"))
    assert by_file["services.geojson"].values["records"] == len(services["features"])
    assert by_file["services.geojson"].values["facts"] == sum(len(f["properties"]["provenance"])
                                                              for f in services["features"])
    assert by_file["programme.json"].key == "check.programme" and by_file["programme.json"].values["links"] > 0
    assert sources >= max(c.values["sources"] for c in checks)


def test_a_stale_status_is_counted(tmp_path: Path) -> None:
    (old,) = [c for c in check_curated(today=TODAY)[0] if c.file.endswith("services.geojson")]
    (later,) = [c for c in check_curated(today=date(2040, 1, 1))[0] if c.file.endswith("services.geojson")]
    assert later.values["stale"] >= old.values["stale"] and later.values["stale"] > 0


def test_a_broken_link_and_a_source_without_url_are_refused(tmp_path: Path) -> None:
    def drop_record(data: dict) -> None:
        data["features"] = [f for f in data["features"] if f["properties"]["id"] != "palac-liebieg"]

    services = copy_to(tmp_path, settings.SERVICES_FILE, drop_record)
    with pytest.raises(DataError) as err:
        check_curated(services=services, today=TODAY)
    assert err.value.key == "programme.unknown_record" and err.value.details["id"] == "palac-liebieg"

    programme = copy_to(tmp_path, settings.PROGRAMME_FILE, lambda d: d["sources"][0].update(url=None))
    with pytest.raises(DataError) as err:
        check_curated(programme=programme, today=TODAY)
    assert err.value.key == "layers.source_without_url" and err.value.details["file"] == str(programme)


def test_the_store_of_imported_flats_is_checked_when_it_exists(tmp_path: Path) -> None:
    assert len(check_curated(store=tmp_path / "missing.geojson", today=TODAY)[0]) == 3
    store = copy_to(tmp_path, settings.FLATS_FILE)
    with pytest.raises(DataError) as err:
        check_curated(store=store, today=TODAY)
    assert err.value.key == "flats.ids_clash"
