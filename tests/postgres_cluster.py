"""A PostgreSQL server for the tests: the one named by ``$LBB_TEST_POSTGRES_URL``, else a throwaway
cluster started from the installed server binaries (``pg_config --bindir`` or ``/usr/lib/postgresql/*/bin``).

* ``LBB_TEST_POSTGRES_URL=postgresql+psycopg://user@host:port/db`` — use that server (``.ci/run`` starts
  one and sets it); every test gets its own schema in that database and drops it afterwards.
* unset — start a cluster in a temporary folder on a free loopback port (as the ``postgres`` OS user
  when running as root, since ``initdb`` refuses root), stopped when the test session ends.
* ``LBB_TEST_POSTGRES_URL=off`` — no PostgreSQL: the PostgreSQL variants are skipped, saying why.

When neither a URL nor the binaries are there, the PostgreSQL variants are skipped with that reason.
Run as a script (``python tests/postgres_cluster.py start DIR`` / ``stop DIR``) it prints the URL of a
cluster in ``DIR`` — what ``.ci/run`` does.
"""

from __future__ import annotations

import glob
import os
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ENV = "LBB_TEST_POSTGRES_URL"
DRIVER = "postgresql+psycopg"


def bindir() -> Path | None:
    """The folder of the PostgreSQL server binaries, if installed."""
    candidates = []
    if shutil.which("pg_config"):
        out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=False)
        candidates.append(out.stdout.strip())
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    return next((Path(c) for c in candidates if c and (Path(c) / "initdb").is_file()
                 and (Path(c) / "pg_ctl").is_file()), None)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_postgres(cmd: list[str]) -> list[str]:
    """Run ``cmd`` as the ``postgres`` OS user when we are root (initdb refuses root)."""
    if os.geteuid() != 0:
        return cmd
    runuser = shutil.which("runuser")
    return [runuser, "-u", "postgres", "--", *cmd] if runuser else ["su", "postgres", "-c", shlex.join(cmd)]


class Cluster:
    """A throwaway cluster in ``folder``: ``start()`` returns its URL, ``stop()`` ends it."""

    def __init__(self, folder: Path, bin_dir: Path) -> None:
        self.folder = Path(folder)
        self.bin = bin_dir
        self.data = self.folder / "data"
        self.port = 0

    def start(self) -> str:
        """initdb, start on a free loopback port (socket in the folder), wait until ready; the URL."""
        self.folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        self.folder.chmod(0o700)
        subprocess.run(_as_postgres([str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres",
                                     "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C.UTF-8"]),
                       check=True, capture_output=True)
        self.port = _free_port()
        opts = (f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off "
                "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
        subprocess.run(_as_postgres([str(self.bin / "pg_ctl"), "-D", str(self.data), "-l",
                                     str(self.folder / "server.log"), "-o", opts, "-w", "-t", "60", "start"]),
                       check=True, capture_output=True)
        return f"{DRIVER}://postgres@127.0.0.1:{self.port}/postgres"

    def stop(self) -> None:
        """Stop the server (immediately: the data is thrown away)."""
        subprocess.run(_as_postgres([str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w",
                                     "stop"]), check=False, capture_output=True)


def reachable(url: str, timeout_s: float = 10.0) -> str | None:
    """``None`` when ``url`` answers, else why not."""
    import sqlalchemy as sa

    try:
        engine = sa.create_engine(url, connect_args={"connect_timeout": int(timeout_s)})
    except Exception as exc:  # driver missing, bad URL
        return f"{type(exc).__name__}: {exc}"
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                with engine.connect() as conn:
                    conn.execute(sa.text("SELECT 1"))
                return None
            except sa.exc.OperationalError as exc:
                if time.monotonic() > deadline:
                    return str(exc.orig).strip().splitlines()[0]
                time.sleep(0.2)
    finally:
        engine.dispose()


def main(argv: list[str]) -> int:
    """``start DIR`` prints the URL of a new cluster in DIR; ``stop DIR`` stops it."""
    if len(argv) != 2 or argv[0] not in ("start", "stop"):
        print("usage: postgres_cluster.py start|stop DIR", file=sys.stderr)
        return 2
    found = bindir()
    if found is None:
        print("no PostgreSQL server binaries found", file=sys.stderr)
        return 1
    cluster = Cluster(Path(argv[1]), found)
    if argv[0] == "stop":
        cluster.stop()
        return 0
    print(cluster.start())
    return 0


def start_throwaway() -> tuple[Cluster | None, str | None, str]:
    """A cluster in a new temporary folder: (cluster, url, why not)."""
    found = bindir()
    if found is None:
        return None, None, "no PostgreSQL server binaries (pg_config --bindir) and no $" + ENV
    folder = Path(tempfile.mkdtemp(prefix="lbb-pg-"))
    cluster = Cluster(folder, found)
    try:
        url = cluster.start()
    except (subprocess.CalledProcessError, OSError) as exc:
        detail = getattr(exc, "stderr", b"") or b""
        cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)
        return None, None, f"could not start a PostgreSQL cluster: {exc} {detail.decode(errors='replace')[-300:]}"
    return cluster, url, ""


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
