"""``app.py check-data``: validate every curated file together — schemas and provenance (a factual value
needs a source, dates not in the future), the links between the programme tracker and the map records,
sources shared by several files meaning the same page, curated sources having a public URL — and say per
file what it holds.

The first problem is a :class:`~geo.errors.DataError` naming the file, the record and the field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from geo import settings
from geo.errors import DataError
from geo.layers.programme import check_links, check_shared_sources, read_programme
from geo.layers.provenance import Source, confirmation, resolve
from geo.layers.schemas import FlatCollection, ServiceCollection, check_no_clash, read_flats, read_services


@dataclass
class FileCheck:
    """What one valid file holds: a catalogue key (``check.file``, ``check.programme``) and its values."""

    file: str
    key: str
    values: dict[str, Any] = field(default_factory=dict)


def _public(sources: list[Source], file: Path) -> None:
    for s in sources:
        if not s.url:
            raise DataError("layers.source_without_url", file=str(file), id=s.id, field="sources")


def _layer_check(file: Path, coll: ServiceCollection | FlatCollection, today: date) -> FileCheck:
    by_id = {s.id: s for s in coll.sources}
    stale = 0
    for f in coll.features:
        status = resolve(f.properties.provenance, by_id).get("status")
        stale += bool(confirmation(status, today)["stale"])
    return FileCheck(str(file), "check.file", {
        "file": str(file), "records": len(coll.features), "sources": len(coll.sources),
        "facts": sum(len(f.properties.provenance) for f in coll.features), "stale": stale})


def check_curated(*, services: str | Path = settings.SERVICES_FILE, flats: str | Path = settings.FLATS_FILE,
                  programme: str | Path = settings.PROGRAMME_FILE, store: str | Path | None = None,
                  today: date | None = None) -> tuple[list[FileCheck], int]:
    """Validate the curated files (and the store of imported flats when it exists); the per-file checks
    and the number of distinct sources of the curated files."""
    today = today or date.today()
    paths = {"services": Path(services), "flats": Path(flats), "programme": Path(programme)}
    svc = read_services(paths["services"], today=today)
    fl = read_flats(paths["flats"], today=today)
    prog = read_programme(paths["programme"], today=today)
    for name, coll in (("services", svc), ("flats", fl), ("programme", prog)):
        _public(coll.sources, paths[name])
    links = check_links(prog, svc, fl, file=paths["programme"])
    distinct = check_shared_sources({str(paths[n]): c.sources for n, c in
                                     (("services", svc), ("flats", fl), ("programme", prog))})
    out = [_layer_check(paths["services"], svc, today), _layer_check(paths["flats"], fl, today),
           FileCheck(str(paths["programme"]), "check.programme", {
               "file": str(paths["programme"]), "commitments": len(prog.commitments), "links": links,
               "targets": sum(len(c.targets) for c in prog.commitments), "sources": len(prog.sources)})]
    if store is not None and Path(store).is_file():
        imported = read_flats(store, today=today)
        check_no_clash(imported, fl, file=store)
        out.append(_layer_check(Path(store), imported, today))
    return out, distinct
