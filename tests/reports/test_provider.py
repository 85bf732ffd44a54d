"""The overlay provider: polls the database change counter, rebuilds on change or expiry, survives outages."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from geo.network.model import Network
from geo.reports.audit_model import TaskRef
from geo.reports.audit_store import AuditStore
from geo.reports.database import Database
from geo.reports.model import NewReport
from geo.reports.provider import OverlayProvider
from geo.reports.store import ReportStore
from geo.routing.overlay import EMPTY_OVERLAY
from tests.reports.test_placement import T0


class Clocks:
    def __init__(self) -> None:
        self.now = T0
        self.mono = 100.0


def test_provider_polls_the_counter_and_rebuilds_on_change(tag_rules_net: Network, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'r.sqlite3'}"
    store = ReportStore(Database(url), photo_dir=tmp_path)
    store.db.migrate()
    c = Clocks()
    worker = OverlayProvider(store, tag_rules_net, poll_interval_s=0.5, clock=lambda: c.now, monotonic=lambda: c.mono)
    other_store = ReportStore(Database(url), photo_dir=tmp_path)
    other = OverlayProvider(other_store, tag_rules_net, poll_interval_s=0.5, clock=lambda: c.now,
                            monotonic=lambda: c.mono)
    assert worker.current() is EMPTY_OVERLAY and other.current() is EMPTY_OVERLAY
    r = store.add_report(NewReport(lat=50.7700, lon=15.0505, category="steps", severity=3), source="web",
                         client="c", now=T0)
    c.mono += 1.0
    assert worker.current() is EMPTY_OVERLAY  # submitted: the counter did not move
    store.change_status(r.id, "confirmed", actor="m", now=T0)
    first = worker.view()
    assert first.overlay is EMPTY_OVERLAY  # within the poll interval: not checked yet
    c.mono += 0.5
    confirmed = worker.current()
    assert len(confirmed.edges) == 2 and confirmed.version != 0
    assert other.current().edges.tolist() == confirmed.edges.tolist()  # the other worker sees it too
    c.mono += 0.6
    assert worker.current() is confirmed  # no change: no rebuild
    store.change_status(r.id, "in_progress", actor="m", now=T0)
    c.mono += 0.6
    again = worker.current()
    assert again is not confirmed and again.version != confirmed.version and len(again.edges) == 2
    store.change_status(r.id, "fixed", actor="m", now=T0)
    c.mono += 0.6
    assert worker.current() is EMPTY_OVERLAY
    store.db.close()
    other_store.db.close()


def test_provider_drops_expired_reports_without_a_status_change(tag_rules_net: Network, tmp_path: Path) -> None:
    store = ReportStore(Database(f"sqlite:///{tmp_path / 'r.sqlite3'}"), photo_dir=tmp_path)
    store.db.migrate()
    c = Clocks()
    provider = OverlayProvider(store, tag_rules_net, poll_interval_s=60, clock=lambda: c.now,
                               monotonic=lambda: c.mono)
    r = store.add_report(NewReport(lat=50.7700, lon=15.0505, category="construction", severity=3,
                                   valid_until=T0 + timedelta(hours=2)), source="web", client="c", now=T0)
    store.change_status(r.id, "confirmed", actor="m", now=T0)
    assert len(provider.current().edges) == 2
    c.now = T0 + timedelta(hours=1, minutes=59)
    assert len(provider.current().edges) == 2
    c.now = T0 + timedelta(hours=2)  # no poll is due (60 s interval), yet the barrier ends now
    assert provider.current() is EMPTY_OVERLAY
    store.db.close()


def test_routing_keeps_the_last_reports_while_the_database_is_away(tag_rules_net: Network, tmp_path: Path,
                                                                   caplog: pytest.LogCaptureFixture) -> None:
    db = tmp_path / "r.sqlite3"
    store = ReportStore(Database(f"sqlite:///{db}"), photo_dir=tmp_path)
    store.db.migrate()
    c = Clocks()
    provider = OverlayProvider(store, tag_rules_net, poll_interval_s=0.5, clock=lambda: c.now,
                               monotonic=lambda: c.mono)
    for valid in (None, T0 + timedelta(hours=1)):
        r = store.add_report(NewReport(lat=50.7700, lon=15.0505 + (0.0003 if valid else 0), category="steps",
                                       severity=3, valid_until=valid), source="web", client="c", now=T0)
        store.change_status(r.id, "confirmed", actor="m", now=T0)
    assert len(provider.view().reports) == 2
    store.db.close()
    for path in tmp_path.glob("r.sqlite3*"):
        path.rename(path.with_suffix(".moved" + path.suffix))  # the database file is gone
    c.mono += 1.0
    assert len(provider.view().reports) == 2  # no error: the last known reports still apply
    assert "report overlay not refreshed" in caplog.text
    c.now = T0 + timedelta(hours=2)
    assert len(provider.view().reports) == 1  # and the temporary one still expires on time


def test_verified_answers_reach_every_worker_with_the_counter(tag_rules_net: Network, db: Database,
                                                             tmp_path: Path) -> None:
    store = ReportStore(db, photo_dir=tmp_path)
    audits = AuditStore(db, photo_dir=tmp_path)
    c = Clocks()
    worker = OverlayProvider(store, tag_rules_net, audits=audits, poll_interval_s=0.5, clock=lambda: c.now,
                             monotonic=lambda: c.mono)
    assert worker.current() is EMPTY_OVERLAY
    task = TaskRef("node", 36, "kerb")
    for client in ("a", "b"):
        audits.add_answer(task, "raised_10", client=client, now=T0, needed=2, where=(15.0525, 50.771))
    c.mono += 0.6
    view = worker.view()
    assert [v.task for v in view.verdicts] == [task] and len(view.overlay.patches) > 0
    assert len(view.overlay.edges) == 0  # no report: attribute values only
    assert worker.current().arrays(tag_rules_net.arrays).kerb_known.sum() > tag_rules_net.arrays.kerb_known.sum()
    audits.decide(task, "rollback", actor="m", now=T0, where=(15.0525, 50.771))
    c.mono += 0.6
    assert worker.view().verdicts == () and worker.current().arrays(tag_rules_net.arrays) is tag_rules_net.arrays
