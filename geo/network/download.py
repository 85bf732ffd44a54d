"""Downloads that never hang a start: a connect timeout, an overall limit, progress in the log.

:class:`Deadline` is the time one download step may take (``$LBB_DOWNLOAD_LIMIT_S``, default
:data:`geo.settings.DOWNLOAD_LIMIT_S`); :func:`fetch` reads one HTTP answer in chunks and gives up when the
deadline passes — also against a server that accepts the connection and never answers — and
:func:`within` runs a library call (osmnx) in a worker thread and stops waiting for it at the deadline,
logging how long it has been waiting meanwhile.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from typing import Any, TypeVar

from geo import settings
from geo.errors import DownloadError

log = logging.getLogger(__name__)
T = TypeVar("T")

#: Read the answer in pieces of this size (bytes), checking the deadline between them.
CHUNK_BYTES = 1 << 16
#: Say how a long download is going this often (seconds).
PROGRESS_EVERY_S = 10.0
USER_AGENT = "liberec-bez-barier (+https://www.openstreetmap.org/copyright)"


@dataclass
class Deadline:
    """The time left for one download step (a network, a terrain model, a feed)."""

    limit_s: float = field(default_factory=settings.download_limit_s)
    started: float = field(default_factory=time.monotonic)

    def elapsed(self) -> float:
        """Seconds since the step started."""
        return time.monotonic() - self.started

    def remaining(self) -> float:
        """Seconds left (never below zero)."""
        return max(0.0, self.limit_s - self.elapsed())

    def check(self, what: str) -> None:
        """Raise :class:`DownloadError` when the time is up."""
        if self.remaining() <= 0:
            raise DownloadError("download.timed_out", what=what, limit_s=round(self.limit_s))

    def timeout(self) -> tuple[float, float]:
        """``(connect, read)`` timeouts for one request: at most :data:`geo.settings.CONNECT_TIMEOUT_S` to
        connect, and never past the deadline."""
        left = max(self.remaining(), 0.1)
        return min(settings.CONNECT_TIMEOUT_S, left), left


def _error_text(exc: BaseException) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def fetch(url: str, *, deadline: Deadline, what: str, params: Mapping[str, Any] | None = None,
          max_bytes: int = 1 << 30) -> bytes:
    """The body of ``GET url`` (raises :class:`DownloadError` on any failure or when the deadline passes)."""
    import requests

    deadline.check(what)
    try:
        with requests.get(url, params=params, stream=True, timeout=deadline.timeout(),
                          headers={"User-Agent": USER_AGENT}) as resp:
            resp.raise_for_status()
            chunks: list[bytes] = []
            size = 0
            said = time.monotonic()
            for chunk in resp.iter_content(CHUNK_BYTES):
                chunks.append(chunk)
                size += len(chunk)
                if size > max_bytes:
                    raise DownloadError("download.too_large", what=what, max_mb=max_bytes >> 20)
                deadline.check(what)
                if time.monotonic() - said >= PROGRESS_EVERY_S:
                    said = time.monotonic()
                    log.info("%s: %.1f MB in %.0f s …", what, size / 1e6, deadline.elapsed())
    except requests.Timeout as exc:
        raise DownloadError("download.timed_out", what=what, limit_s=round(deadline.limit_s)) from exc
    except requests.RequestException as exc:
        raise DownloadError("download.failed", what=what, error=_error_text(exc)) from exc
    return b"".join(chunks)


def check_connection(url: str, *, deadline: Deadline, what: str) -> None:
    """Fail fast when the server of ``url`` does not take a TCP connection within the connect timeout."""
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        with socket.create_connection((parts.hostname or "", port), timeout=deadline.timeout()[0]):
            pass
    except OSError as exc:
        raise DownloadError("download.failed", what=what, error=_error_text(exc)) from exc


def within(call: Callable[[], T], *, deadline: Deadline, what: str) -> T:
    """The result of ``call()`` run in a worker thread, or :class:`DownloadError` once the deadline passes (the
    worker is left to finish on its own: its requests time out by themselves soon after)."""
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="download")
    future = pool.submit(call)
    pool.shutdown(wait=False)
    stop = threading.Event()

    def progress() -> None:
        while not stop.wait(PROGRESS_EVERY_S):
            log.info("%s: still waiting after %.0f s (at most %.0f s) …", what, deadline.elapsed(), deadline.limit_s)

    threading.Thread(target=progress, daemon=True, name="download-progress").start()
    try:
        return future.result(timeout=max(deadline.remaining(), 0.0))
    except FutureTimeout as exc:
        raise DownloadError("download.timed_out", what=what, limit_s=round(deadline.limit_s)) from exc
    finally:
        stop.set()
