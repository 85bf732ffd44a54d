"""The production server for real: gunicorn processes serving ``webmap.wsgi:app`` from a prepared network
folder. Two servers on one PostgreSQL database agree (a confirmation routes on the other within 1 s,
a rate limit holds across them, a worker killed mid-load loses no acknowledged report), and 500
concurrent submissions survive a SIGKILL of the whole server on SQLite and PostgreSQL."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from geo.network.pipeline import SourceSpec, cache_entry
from geo.reports.database import Database
from geo.reports.store import ReportStore
from tests.conftest import MODERATOR, ROOT
from tests.webmap.test_reports_api import ROUTE, on_route  # noqa: F401  (on_route is a fixture)

SECRET = "wsgi-test-" + "s" * 40


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LiveServer:
    """``gunicorn webmap.wsgi:app`` in its own process group, configured by environment variables."""

    def __init__(self, env: dict[str, str], log: Path, workers: int = 1) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log
        cmd = [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--threads", "4", "--preload",
               "--bind", f"127.0.0.1:{self.port}", "--graceful-timeout", "2", "webmap.wsgi:app"]
        with open(log, "ab") as out:
            self.proc = subprocess.Popen(cmd, env={**os.environ, **env}, cwd=ROOT, stdout=out,
                                         stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"server exited: {log.read_text()[-2000:]}")
            try:
                if self.get("/healthz")[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise AssertionError(f"server did not start: {log.read_text()[-2000:]}")

    def request(self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None,
                timeout: float = 30) -> tuple[int, Any, dict[str, str]]:
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method,
                                     headers={"Content-Type": "application/json", **(headers or {})})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                raw, status, hdrs = resp.read(), resp.status, dict(resp.headers)
        except urllib.error.HTTPError as err:
            raw, status, hdrs = err.read(), err.code, dict(err.headers)
        return status, (json.loads(raw) if raw and hdrs.get("Content-Type", "").startswith("application/json")
                        else raw), hdrs

    def get(self, path: str, **kw: Any) -> tuple[int, Any, dict[str, str]]:
        return self.request("GET", path, **kw)

    def post(self, path: str, body: Any, **kw: Any) -> tuple[int, Any, dict[str, str]]:
        return self.request("POST", path, body, **kw)

    def login(self) -> dict[str, str]:
        status, body, headers = self.post("/api/auth/login", {"name": MODERATOR[0], "password": MODERATOR[1]})
        assert status == 200, body
        cookie = headers["Set-Cookie"].split(";")[0]
        return {"Cookie": cookie, "X-CSRF-Token": body["csrf_token"]}

    def workers(self) -> list[int]:
        children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text().split()
        return [int(c) for c in children]

    def kill(self) -> None:
        """SIGKILL the master and its workers (this test's own process group)."""
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def server_env(helsinki_net: Any, cache_root: Path, database_url: str, tmp_path: Path) -> dict[str, str]:
    """The environment of a production server on the Helsinki sample and the test's database."""
    from geo.reports.accounts import ModeratorAccounts
    from geo.reports.model import utcnow

    db = Database(database_url)
    db.migrate()
    ModeratorAccounts(db).create(*MODERATOR, now=utcnow())
    db.close()
    return {"LBB_NETWORK_DIR": str(cache_entry(SourceSpec.sample(), cache_dir=cache_root)),
            "LBB_DATABASE_URL": database_url, "LBB_SECRET_KEY": SECRET, "LBB_ENV": "production",
            "LBB_UPLOAD_DIR": str(tmp_path / "uploads"), "LBB_TILE_URL": "", "LBB_DOWNLOAD": "0",
            "LBB_CACHE_DIR": str(tmp_path / "cache"), "LBB_REPORTS_RATE_LIMIT": "100000",
            "LBB_REPORTS_POLL_INTERVAL_S": "0.2", "LBB_LOGIN_LIMIT": "4"}


@pytest.fixture
def servers(server_env: dict[str, str], tmp_path: Path) -> Iterator[list[LiveServer]]:
    started: list[LiveServer] = []

    def start(workers: int = 1) -> LiveServer:
        started.append(LiveServer(server_env, tmp_path / f"server{len(started)}.log", workers=workers))
        return started[-1]

    yield start  # type: ignore[misc]
    for s in started:
        s.stop()


def submit_many(server: LiveServer, n: int, threads: int, acked: list[int], after: Any = None) -> None:
    """``n`` submissions from ``threads`` clients; ids of the acknowledged ones go to ``acked``."""
    lock = threading.Lock()
    todo = iter(range(n))

    def client() -> None:
        while True:
            with lock:
                i = next(todo, None)
            if i is None:
                return
            body = {"lat": 60.17 + (i % 50) * 1e-4, "lon": 24.945, "category": "obstacle", "severity": 2,
                    "description": f"load {i}"}
            try:
                status, answer, _ = server.post("/api/reports", body, timeout=20)
            except (OSError, http.client.HTTPException):
                continue  # no (whole) answer: not acknowledged
            if status == 201:
                with lock:
                    acked.append(int(answer["id"]))
                    if after is not None:
                        after(len(acked))

    pool = [threading.Thread(target=client) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()


def stored(database_url: str, ids: list[int]) -> set[int]:
    db = Database(database_url)
    try:
        found, _ = ReportStore(db, photo_dir=Path("unused")).list_reports(ids=ids, limit=len(ids) + 1)
        return {r.id for r in found}
    finally:
        db.close()


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_two_servers_on_one_postgresql_database_agree(servers: Any, server_env: dict[str, str], database_url: str,
                                                      on_route: tuple[float, float]) -> None:  # noqa: F811
    a, b = servers(), servers()
    # a confirmation through one is routed by the other's next request once a poll interval has passed
    before = b.get(ROUTE)[1]["features"][0]["geometry"]["coordinates"]
    status, report, _ = a.post("/api/reports", {"lat": on_route[1], "lon": on_route[0], "category": "steps",
                                                "severity": 3})
    assert status == 201
    assert a.post(f"/api/reports/{report['id']}/status", {"status": "confirmed"}, headers=a.login())[0] == 200
    time.sleep(float(server_env["LBB_REPORTS_POLL_INTERVAL_S"]) + 0.05)  # every worker polls on its request path
    assert b.get(ROUTE)[1]["features"][0]["geometry"]["coordinates"] != before
    # a rate limit holds across the two servers (failed logins: 4 per window)
    answers = [(a if i % 2 else b).post("/api/auth/login", {"name": "nobody", "password": "guess"})[0]
               for i in range(7)]
    assert answers == [401] * 4 + [429] * 3
    # a worker killed with SIGKILL mid-load loses no acknowledged report (its master starts a new one)
    acked: list[int] = []
    victim = a.workers()[0]

    def kill_once(count: int) -> None:
        if count == 60:
            os.kill(victim, signal.SIGKILL)

    submit_many(a, 200, 12, acked, after=kill_once)
    assert len(acked) >= 60 and victim not in a.workers()
    assert stored(database_url, acked) == set(acked)
    assert a.get("/healthz")[0] == 200  # the master replaced the killed worker


def test_a_killed_server_loses_no_acknowledged_report(servers: Any, database_url: str) -> None:
    server = servers(workers=2)
    acked: list[int] = []
    killed = threading.Event()

    def kill_midway(count: int) -> None:
        if count >= 200 and not killed.is_set():
            killed.set()
            server.kill()

    submit_many(server, 500, 16, acked, after=kill_midway)
    assert killed.is_set() and 200 <= len(acked) < 500
    again = servers(workers=2)  # restart on the same database
    assert stored(database_url, acked) == set(acked)
    status, body, _ = again.post("/api/reports", {"lat": 60.17, "lon": 24.945, "category": "steps", "severity": 1})
    assert status == 201 and body["id"] > max(acked)
