"""The WSGI application for a production server: ``gunicorn --workers 4 --threads 4 --preload webmap.wsgi:app``.

Everything comes from the environment (:data:`webmap.ENVIRONMENT`): the network from
``LBB_NETWORK_DIR`` (a cache entry written by ``python app.py build``, read as it is — several
machines may share one read-only copy), else ``LBB_OSM_FILE``, ``LBB_SAMPLE=1`` or ``LBB_PLACE``
from ``LBB_CACHE_DIR`` (downloaded only if not cached and ``LBB_DOWNLOAD`` is not ``0``); the
database from ``LBB_DATABASE_URL``; the secret from ``LBB_SECRET_KEY`` (required with
``LBB_ENV=production``).

The network, router, layers and the "Help verify" question catalogue are loaded here, at import:
with ``--preload`` the master process loads them once and the forked workers share those pages
(copy-on-write) instead of loading N copies; a configuration error stops the server at start, not at
the first request. The database is opened lazily in each worker (connections are never shared across
a fork).
"""

from __future__ import annotations

import logging

from flask import Flask

from webmap import create_app, resources

log = logging.getLogger(__name__)


def build() -> Flask:
    """The app with its per-process objects loaded (what the workers inherit)."""
    application = create_app()
    with application.app_context():
        net = resources.network()
        resources.router()
        resources.layers()
        resources.service_targets()
        resources.audit_index()
    s = net.summary()
    log.info("serving %s (%s): %d nodes, %d edges", s["area"], s["source"], s["nodes"], s["edges"])
    return application


app = build()
