"""The routing overlay of one worker process, kept fresh from the reports database.

:class:`OverlayProvider` checks the database change counter (``overlay_state.version``, bumped in
the same transaction as every status change and every verdict on a verification question) at most
once per ``poll_interval_s`` (default 0.5 s) and rebuilds the overlay — report effects and verified
attribute values — when it changed, or as soon as the earliest ``valid_until`` of an active report
passes. So a confirmation, a fix, a verified answer or its rollback reaches every worker within about
``poll_interval_s`` plus one rebuild, without a restart. While the database is unreachable, routing
keeps the last known state.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime

from geo.errors import StorageError
from geo.network.model import Network
from geo.reports.audit_store import AuditStore
from geo.reports.model import utcnow
from geo.reports.placement import NODE_RADIUS_M, SNAP_TOLERANCE_M, ReportsView, reports_view
from geo.reports.store import ReportStore
from geo.routing.overlay import Overlay

log = logging.getLogger(__name__)


class OverlayProvider:
    """The current overlay of one process: polls the change counter, rebuilds when it moves.

    ``current()`` costs nothing between polls; a poll is one single-row query; a rebuild (a few
    milliseconds per hundred reports) happens once per change in each process.
    """

    def __init__(self, store: ReportStore, net: Network, *, audits: AuditStore | None = None,
                 poll_interval_s: float = 0.5,
                 tolerance_m: float = SNAP_TOLERANCE_M, node_radius_m: float = NODE_RADIUS_M,
                 clock: Callable[[], datetime] = utcnow, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.store = store
        self.audits = audits
        self.net = net
        self.poll_interval_s = poll_interval_s
        self.tolerance_m = tolerance_m
        self.node_radius_m = node_radius_m
        self.clock = clock
        self.monotonic = monotonic
        self._view: ReportsView | None = None
        self._checked = -float("inf")
        self._lock = threading.Lock()

    def current(self) -> Overlay:
        """The overlay for routing now."""
        return self.view().overlay

    def view(self) -> ReportsView:
        """The active reports and their overlay, refreshed if the database changed."""
        view = self._view
        if view is not None and not self._due(view):
            return view
        with self._lock:
            view = self._view
            if view is not None and not self._due(view):
                return view
            self._checked = self.monotonic()
            now = self.clock()
            try:
                # the counter is read before the reports: a change in between only causes one more rebuild
                db_version = self.store.overlay_version()
                if view is not None and db_version == view.db_version and not self._expired(view):
                    return view
                reports = self.store.active_reports(now)
                verdicts = self.audits.verdicts() if self.audits is not None else []
            except StorageError as exc:  # keep routing on the last known state while the database is away
                log.warning("report overlay not refreshed: %s", exc)
                db_version = view.db_version if view is not None else -1
                reports = list(view.reports) if view is not None else []
                verdicts = list(view.verdicts) if view is not None else []
            view = reports_view(self.net, reports, db_version=db_version, now=now, verdicts=verdicts,
                                tolerance_m=self.tolerance_m, node_radius_m=self.node_radius_m)
            log.info("report overlay rebuilt: %d active reports, %d placed, %d entries, %d verified attributes "
                     "(%d values) (db version %d)", len(view.reports), len(view.placed), len(view.overlay.edges),
                     len(view.verdicts), len(view.overlay.patches), db_version)
            self._view = view
            return view

    def _due(self, view: ReportsView) -> bool:
        return self.monotonic() - self._checked >= self.poll_interval_s or self._expired(view)

    def _expired(self, view: ReportsView) -> bool:
        return view.next_expiry is not None and self.clock() >= view.next_expiry
