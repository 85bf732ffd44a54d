"""gunicorn run from Python (``python app.py serve``): the app object built in this process, so the
forked workers share its loaded network; workers with threads (gthread), access log on stdout."""

from __future__ import annotations

from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication


class Server(BaseApplication):  # type: ignore[misc]
    """gunicorn serving ``app`` with ``workers`` processes of ``threads`` threads each."""

    def __init__(self, app: Flask, *, bind: str, workers: int, threads: int, **options: Any) -> None:
        self.application = app
        self.options = {"bind": bind, "workers": max(1, workers), "threads": max(1, threads),
                        "worker_class": "gthread", "preload_app": True, "accesslog": "-", "timeout": 60,
                        "graceful_timeout": 10, **options}
        super().__init__()

    def load_config(self) -> None:
        """Hand the options to gunicorn."""
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        """The app (already built)."""
        return self.application
