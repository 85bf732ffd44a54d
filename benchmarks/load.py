"""Benchmark: mixed traffic against the production server, and Werkzeug's development server in the same run.

Both serve the Helsinki sample from a prepared network folder (``app.py build``) with a SQLite
reports database, on loopback:

* production: ``gunicorn --workers W --threads T --preload webmap.wsgi:app`` (threads are reused, so
  per-thread set-up such as pyproj's transformer is paid once per thread);
* baseline: ``python app.py serve --dev`` (Werkzeug, a new thread per request).

The machine is shared, so the two servers run side by side and take turns in short rounds (6 × 10 s
each by default); throughput is the median of the rounds.

C concurrent clients (keep-alive where the server allows it) send for S seconds a mix of route
requests with custom limits, isochrones, network layers by bounding box, search and report
submissions; the script prints requests per second, p50 / p95 / p99 per endpoint and the errors
(any answer other than the expected statuses, or no answer).

    python -m benchmarks.load                       # 60 s per server in 6 rounds, 8 clients, 2 workers × 4 threads
    python -m benchmarks.load --seconds 20 --clients 16 --workers 3
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import quote

import numpy as np

from geo.network import pipeline

ROOT = Path(__file__).resolve().parents[1]
CACHE = Path(__file__).resolve().parent / ".data" / "cache"
#: Endpoint → share of the traffic.
MIX = {"route": 0.35, "isochrone": 0.10, "layers": 0.25, "search": 0.20, "report": 0.10}
#: Answers that are not errors (no route, a point off the map and a full rate limit are answers).
EXPECTED = {"route": {200, 404, 422}, "isochrone": {200, 422}, "layers": {200}, "search": {200},
            "report": {201, 422, 429}}
SEARCHES = ["Man", "Aleks", "Kaup", "Hels", "Esp", "Mik", "Bul", "Yrj", "Ann", "Fre", "Kai", "Lönn"]


def free_port() -> int:
    """A free loopback port."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Target:
    """A server process of the benchmark (its own process group, stopped at the end)."""

    def __init__(self, name: str, cmd: list[str], env: dict[str, str], port: int, log: Path) -> None:
        self.name, self.port = name, port
        with open(log, "wb") as out:
            self.proc = subprocess.Popen(cmd, env={**os.environ, **env}, cwd=ROOT, stdout=out,
                                         stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"{name} did not start:\n{log.read_text()[-3000:]}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    return
            except OSError:
                time.sleep(0.3)
        raise SystemExit(f"{name} did not answer within 180 s")

    def stop(self) -> None:
        """SIGTERM the process group, SIGKILL if it lingers."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)


def requests_for(rng: np.random.Generator, pts: np.ndarray, kind: str) -> tuple[str, str, bytes | None]:
    """One request of ``kind``: method, path, body."""
    a = pts[rng.integers(len(pts))]
    if kind == "route":
        b = a + rng.uniform(-0.012, 0.012, 2)
        limits = f"&max_uphill_pct={rng.uniform(5, 12):.1f}&max_kerb_cm={rng.uniform(2, 10):.0f}"
        profile = ("manual_wheelchair", "electric_wheelchair", "pram")[rng.integers(3)]
        return "GET", f"/api/route?from={a[1]:.6f},{a[0]:.6f}&to={b[1]:.6f},{b[0]:.6f}&profile={profile}{limits}", None
    if kind == "isochrone":
        return "GET", f"/api/isochrone?at={a[1]:.6f},{a[0]:.6f}&minutes={rng.integers(3, 11)}&profile=pram", None
    if kind == "layers":
        d = 0.004
        return "GET", f"/api/layers/network?bbox={a[0] - d:.5f},{a[1] - d:.5f},{a[0] + d:.5f},{a[1] + d:.5f}", None
    if kind == "search":
        return "GET", f"/api/search?q={quote(SEARCHES[rng.integers(len(SEARCHES))])}", None
    body = {"lat": float(a[1]), "lon": float(a[0]), "category": "obstacle", "severity": int(rng.integers(1, 4)),
            "description": "benchmark"}
    return "POST", "/api/reports", json.dumps(body).encode()


def run_load(port: int, pts: np.ndarray, seconds: float, clients: int) -> dict[str, Any]:
    """Mixed traffic from ``clients`` threads for ``seconds``: latencies per endpoint, errors, total time."""
    kinds, weights = list(MIX), np.array(list(MIX.values()))
    lat: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client(seed: int) -> None:
        rng = np.random.default_rng(seed)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() < stop_at:
            kind = kinds[rng.choice(len(kinds), p=weights / weights.sum())]
            method, path, body = requests_for(rng, pts, kind)
            t0 = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers={"Content-Type": "application/json"})
                resp = conn.getresponse()
                resp.read()
                ok = resp.status in EXPECTED[kind]
                if resp.getheader("Connection", "").lower() == "close" or resp.version == 10:
                    conn.close()
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            dt = time.perf_counter() - t0
            with lock:
                lat[kind].append(dt)
                if not ok:
                    errors[kind] += 1

    t0 = time.monotonic()
    pool = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return {"lat": lat, "errors": errors, "elapsed": time.monotonic() - t0}


def merge(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    """The rounds of one server as one result; ``rates``: requests per second of each round."""
    lat: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    for r in rounds:
        for k, v in r["lat"].items():
            lat[k] += v
        for k, v in r["errors"].items():
            errors[k] += v
    rates = [sum(len(v) for v in r["lat"].values()) / r["elapsed"] for r in rounds]
    return {"lat": lat, "errors": errors, "elapsed": sum(r["elapsed"] for r in rounds), "rates": rates}


def report(name: str, result: dict[str, Any]) -> float:
    """Print one server's figures; returns its requests per second."""
    lat, errors, elapsed = result["lat"], result["errors"], result["elapsed"]
    total = sum(len(v) for v in lat.values())
    rps = float(np.median(result["rates"]))
    every = np.concatenate([np.asarray(v) for v in lat.values()]) * 1000
    print(f"\n{name}: {total} requests in {elapsed:.0f} s, median of rounds {rps:.1f} req/s, "
          f"errors {sum(errors.values())}, "
          f"p50 {np.percentile(every, 50):.0f} ms, p95 {np.percentile(every, 95):.0f} ms, "
          f"p99 {np.percentile(every, 99):.0f} ms")
    print(f"  {'endpoint':<10} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for kind in MIX:
        v = np.asarray(lat.get(kind, [0.0])) * 1000
        print(f"  {kind:<10} {len(lat.get(kind, [])):>8} {np.percentile(v, 50):>8.1f} {np.percentile(v, 95):>8.1f} "
              f"{np.percentile(v, 99):>8.1f} {errors.get(kind, 0):>7}")
    return rps


def main() -> None:
    """Start both servers, load them in turns, print the figures and the ratio."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--rounds", type=int, default=6, help="turns per server (default: %(default)s)")
    args = ap.parse_args()
    net = pipeline.load_or_build(pipeline.SourceSpec.sample(), cache_dir=CACHE)
    entry = pipeline.cache_entry(pipeline.SourceSpec.sample(), cache_dir=CACHE)
    pts = net.nodes[["lon", "lat"]].to_numpy()
    tmp = Path(tempfile.mkdtemp(prefix="lbb-load-"))
    env = {"LBB_NETWORK_DIR": str(entry), "LBB_CACHE_DIR": str(CACHE), "LBB_TILE_URL": "", "LBB_DOWNLOAD": "0",
           "LBB_SECRET_KEY": "load-benchmark-" + "k" * 32, "LBB_UPLOAD_DIR": str(tmp / "uploads"),
           "LBB_REPORTS_RATE_LIMIT": "1000000"}
    print(f"Helsinki sample ({net.n_nodes} nodes), {args.clients} clients, {args.seconds:.0f} s per server, "
          f"{os.cpu_count()} CPUs; mix {MIX}")
    servers = [
        (f"gunicorn {args.workers} workers × {args.threads} threads (production)",
         [sys.executable, "-m", "gunicorn", "--workers", str(args.workers), "--threads", str(args.threads),
          "--preload", "--bind", "127.0.0.1:{port}", "webmap.wsgi:app"], "prod"),
        ("Werkzeug development server (baseline)",
         [sys.executable, "app.py", "serve", "--dev", "--sample", "--cache-dir", str(CACHE), "--port", "{port}"],
         "dev"),
    ]
    targets: list[tuple[str, str, int, Target]] = []
    try:
        for name, cmd, key in servers:
            port = free_port()
            targets.append((name, key, port, Target(name, [c.replace("{port}", str(port)) for c in cmd],
                                                    {**env, "LBB_DATABASE_URL": f"sqlite:///{tmp / f'{key}.sqlite3'}"},
                                                    port, tmp / f"{key}.log")))
        for _, _, port, _ in targets:
            run_load(port, pts, min(5.0, args.seconds), args.clients)  # warm-up (JIT, caches, threads)
        # the machine is shared: the servers take turns in short rounds, so both see the same background load
        rounds: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for _ in range(args.rounds):
            for _, key, port, _ in targets:
                rounds[key].append(run_load(port, pts, args.seconds / args.rounds, args.clients))
        results = {key: report(name, merge(rounds[key])) for name, key, _, _ in targets}
    finally:
        for *_, target in targets:
            target.stop()
    print(f"\nproduction / development server throughput: {results['prod'] / results['dev']:.2f}×")


if __name__ == "__main__":
    main()
