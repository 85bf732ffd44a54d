"""Import the city's flat registry (CSV or GeoJSON) — every row validated, all rows or nothing.

Each row must be a valid flats record (:class:`geo.layers.schemas.FlatProperties`) and must be placed:
either by coordinates in the file (GeoJSON geometry or ``lon``/``lat`` columns) or by matching its
address to an OpenStreetMap address of the loaded extract (house number on the street, see
:mod:`geo.layers.addresses`; the building that contains the matched address is reported). Rows that are
invalid, unmatched or ambiguous are reported one per line and *nothing* is imported; with
``allow_unmatched`` unmatched rows are imported without a position (listed, not drawn).

The imported records are stored, replacing the previous import, as one GeoJSON file written
atomically (default ``instance/city_flats_imported.geojson``, see
:func:`geo.settings.imported_flats_path`); the app loads it next to ``data/layers/city_flats.geojson``.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from geo import i18n
from geo.errors import DataError
from geo.layers.addresses import AddressIndex, Reason, fold
from geo.layers.provenance import unknown
from geo.layers.schemas import FLAT_FACTS, FlatCollection, FlatFeature, FlatProperties
from geo.validation import describe

#: Columns read from a registry file (others are ignored and reported).
REGISTRY_COLUMNS: tuple[str, ...] = (
    "id", "name", "address", "units_total", "units_accessible", "lift", "entrance_step_cm", "status",
    "programme", "source", "source_date", "position_precision", "note", "lon", "lat",
)
_YES_NO = {"ano": "yes", "ne": "no", "a": "yes", "n": "no"}


@dataclass
class RegistryRow:
    """One row of a registry file: its number (CSV line / GeoJSON feature), values and coordinates."""

    row: int
    values: dict[str, Any]
    lonlat: tuple[float, float] | None = None


@dataclass
class RowReport:
    """The outcome for one row: a catalogue ``key`` (``flats.*``, ``validation.*`` …) and its ``values``;
    a value may be a :class:`~geo.layers.addresses.Reason` (rendered in the same language), ``got`` is
    the text of a refused cell."""

    row: int
    id: str | None
    ok: bool
    key: str
    values: dict[str, Any] = field(default_factory=dict)
    got: str | None = None

    def message(self, lang: str | None = None) -> str:
        """What happened to the row, in ``lang`` (Czech by default)."""
        values = {k: v.text(lang) if isinstance(v, Reason) else v for k, v in self.values.items()}
        text = i18n.text(self.key, lang, **values)
        return text + i18n.text("flats.got", lang, value=self.got) if self.got is not None else text

    def line(self, lang: str | None = None) -> str:
        """The report line."""
        status = i18n.text("flats.ok" if self.ok else "flats.error", lang)
        return i18n.text("flats.row_id" if self.id else "flats.row", lang, row=self.row, id=self.id, status=status,
                         message=self.message(lang))


@dataclass
class ImportReport:
    """Per-row outcomes and, when every row is fine, the collection to store."""

    source: str
    rows: list[RowReport] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    collection: dict[str, Any] | None = None

    @property
    def ok(self) -> bool:
        """True when there are rows and all of them passed."""
        return bool(self.rows) and all(r.ok for r in self.rows)

    @property
    def failed(self) -> list[RowReport]:
        """The rows that did not pass."""
        return [r for r in self.rows if not r.ok]

    def lines(self, lang: str | None = None) -> list[str]:
        """The whole report in ``lang``, one line per row plus a summary."""
        out = [i18n.text("flats.report", lang, source=self.source, rows=len(self.rows))]
        if self.ignored_columns:
            out.append(i18n.text("flats.ignored_columns", lang, columns=", ".join(self.ignored_columns)))
        out.extend(r.line(lang) for r in self.rows)
        out.append(i18n.text("flats.summary", lang, ok=len(self.rows) - len(self.failed), failed=len(self.failed)))
        return out


# --------------------------------------------------------------------------- reading (I/O)


def read_registry(path: str | Path) -> tuple[list[RegistryRow], list[str]]:
    """Rows of a registry CSV (``,`` ``;`` or tab separated, UTF-8) or GeoJSON, and the ignored columns."""
    p = Path(path)
    if not p.is_file():
        raise DataError("flats.file_not_found", file=str(p))
    try:
        text = p.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError("flats.not_utf8", file=str(p), error=str(exc)) from exc
    if not text.strip():
        raise DataError("flats.file_empty", file=str(p))
    if p.suffix.lower() in (".geojson", ".json"):
        rows, ignored = _geojson_rows(text, p)
    elif p.suffix.lower() in (".csv", ".txt"):
        rows, ignored = _csv_rows(text, p)
    else:
        raise DataError("flats.unknown_type", file=str(p), suffix=p.suffix or p.name)
    if not rows:
        raise DataError("flats.no_rows", file=str(p))
    return rows, ignored


def _csv_rows(text: str, path: Path) -> tuple[list[RegistryRow], list[str]]:
    first = text.splitlines()[0]
    delimiter = max((";", ",", "\t"), key=first.count)
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    if "address" not in header:
        raise DataError("flats.no_address_column", file=str(path), field="address", found=", ".join(header) or "–")
    ignored = [h for h in header if h not in REGISTRY_COLUMNS]
    rows: list[RegistryRow] = []
    for raw in reader:
        values = {k.strip().lower(): v for k, v in raw.items() if k is not None}
        if not any((v or "").strip() for v in values.values() if isinstance(v, str)):
            continue  # blank line
        lonlat = _lonlat(values.get("lon"), values.get("lat"))
        rows.append(RegistryRow(reader.line_num, {k: v for k, v in values.items() if k in REGISTRY_COLUMNS}, lonlat))
    return rows, ignored


def _geojson_rows(text: str, path: Path) -> tuple[list[RegistryRow], list[str]]:
    try:
        data = json.loads(text)
        features = data["features"]
    except (json.JSONDecodeError, KeyError, TypeError) as exc:
        error = f"{type(exc).__name__}: {exc}"
        raise DataError("layers.not_geojson", file=str(path), error=error) from exc
    rows: list[RegistryRow] = []
    ignored: set[str] = set()
    for i, f in enumerate(features, start=1):
        props = dict((f or {}).get("properties") or {})
        ignored.update(k for k in props if k not in REGISTRY_COLUMNS)
        geom = (f or {}).get("geometry")
        lonlat = None
        if isinstance(geom, dict) and geom.get("type") == "Point":
            coords = geom.get("coordinates") or []
            lonlat = _lonlat(*(coords[:2] if len(coords) >= 2 else (None, None)))
            if lonlat is None:
                lonlat = (float("nan"), float("nan"))  # reported as invalid coordinates
        rows.append(RegistryRow(i, {k: v for k, v in props.items() if k in REGISTRY_COLUMNS}, lonlat))
    return rows, sorted(ignored)


def _lonlat(lon: Any, lat: Any) -> tuple[float, float] | None:
    if lon in (None, "") and lat in (None, ""):
        return None
    try:
        return float(str(lon).replace(",", ".")), float(str(lat).replace(",", "."))
    except (TypeError, ValueError):
        return (float("nan"), float("nan"))


# --------------------------------------------------------------------------- validation (pure)


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in values.items():
        if k in ("lon", "lat"):
            continue
        if isinstance(v, str):
            v = v.strip()
            if v == "":
                continue
            if k == "lift":
                v = _YES_NO.get(v.lower(), v)
            if k in ("units_total", "units_accessible") and re.fullmatch(r"\d+\.0+", v):
                v = v.split(".")[0]
            if k == "entrance_step_cm":
                v = v.replace(",", ".")
        if v is None:
            continue
        out[k] = v
    return out


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")[:60] or "row"


def _with_provenance(props: dict[str, Any], sources: dict[tuple[str, str], dict[str, Any]], day: str) -> None:
    """Name the row's source (its ``source`` and ``source_date`` columns, one entry per distinct pair in the
    collection's ``sources``) as the source of every factual value of the row, checked on the import day."""
    key = (str(props["source"]), str(props["source_date"]))
    if key not in sources:
        text = key[0]
        url = text if text.startswith(("http://", "https://")) else None
        sources[key] = {"id": f"import-{len(sources) + 1}", "url": url, "title": text, "publisher": None,
                        "published": key[1], "note": None}
    sid = sources[key]["id"]
    props["provenance"] = {f: {"sources": [sid], "checked_on": day} for f in FLAT_FACTS if not unknown(props.get(f))}


def _refused(row: RegistryRow, fid: str, exc: ValidationError) -> RowReport:
    """The report of a row that breaks the flats schema: the first problem, naming the field (and
    repeating the refused text of the cell)."""
    key, values = describe(exc)
    err = exc.errors()[0]
    loc = [str(p) for p in err["loc"] if p != "properties"]
    given = (err.get("ctx") or {}).get("field")
    values["field"] = given or ".".join(loc) or "properties"
    got = err["input"] if loc and not given and isinstance(err.get("input"), str) else None
    return RowReport(row.row, fid, False, key, values, got)


def validate_registry(rows: list[RegistryRow], index: AddressIndex, *, source_name: str,
                      existing_ids: set[str] | frozenset[str] = frozenset(), default_date: str | None = None,
                      allow_unmatched: bool = False, ignored_columns: list[str] | None = None) -> ImportReport:
    """Validate and place every row; the report holds the collection only when all rows pass."""
    report = ImportReport(source_name, ignored_columns=list(ignored_columns or []))
    day = default_date or date.today().isoformat()
    features: list[dict[str, Any]] = []
    sources: dict[tuple[str, str], dict[str, Any]] = {}
    seen: dict[str, int] = {}
    for r in rows:
        props = _clean(r.values)
        address = str(props.get("address") or "")
        props.setdefault("id", f"registry-{_slug(address)}" if address else f"registry-row-{r.row}")
        props.setdefault("source", f"city flat registry ({source_name})")
        props.setdefault("source_date", day)
        props["id"] = str(props["id"]).lower()
        fid = props["id"]
        _with_provenance(props, sources, date.today().isoformat())
        geometry: dict[str, Any] | None = None
        done: tuple[str, dict[str, Any]] = ("flats.ok", {})
        if r.lonlat is not None:
            lon, lat = r.lonlat
            geometry = {"type": "Point", "coordinates": [lon, lat]}
            props.setdefault("position_precision", "exact")
            props["position_source"] = "coordinates in the registry file"
            done = ("flats.by_coordinates", {"lon": f"{lon:.6f}", "lat": f"{lat:.6f}"})
        elif address:
            m = index.match(address)
            labels = ", ".join(m.labels[:3])
            if m.status == "exact":
                lon, lat = m.point  # type: ignore[misc]
                geometry = {"type": "Point", "coordinates": [round(lon, 7), round(lat, 7)]}
                props["position_precision"] = "exact"
                props["position_source"] = f"OpenStreetMap address match ({labels})"
                done = (("flats.matched_building", {"labels": labels, "buildings": ", ".join(m.building_ids)})
                        if m.building_ids else ("flats.matched", {"labels": labels, "osm_ids": ", ".join(m.osm_ids)}))
            elif allow_unmatched:
                props["position_precision"] = "unknown"
                done = ("flats.not_matched_imported", {"reason": m.reason})
            else:
                report.rows.append(RowReport(r.row, fid, False, "flats.unmatched",
                                             {"address": address, "reason": m.reason}))
                continue
        try:
            FlatProperties.model_validate(props)
            feature = FlatFeature.model_validate({"type": "Feature", "geometry": geometry, "properties": props})
        except ValidationError as exc:
            report.rows.append(_refused(r, fid, exc))
            continue
        if fid in seen:
            report.rows.append(RowReport(r.row, fid, False, "flats.id_repeats", {"id": fid, "first_row": seen[fid]}))
            continue
        if fid in existing_ids:
            report.rows.append(RowReport(r.row, fid, False, "flats.id_shipped", {"id": fid}))
            continue
        seen[fid] = r.row
        features.append(feature.model_dump(mode="json", exclude_none=False))
        report.rows.append(RowReport(r.row, fid, True, *done))
    if report.ok:
        collection = {
            "type": "FeatureCollection", "name": "city_flats_imported",
            "description": "City flats imported from the city's registry with `python app.py import-flats`.",
            "imported_from": source_name, "imported_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "sources": [sources[k] for k in sorted(sources, key=lambda k: sources[k]["id"])], "features": features,
        }
        FlatCollection.model_validate(collection)
        report.collection = collection
    return report


# --------------------------------------------------------------------------- storing (I/O)


def write_store(collection: dict[str, Any], path: str | Path) -> Path:
    """Write the imported flats atomically (temporary file + rename)."""
    p = Path(path)
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{p.name}-", dir=p.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(collection, fh, ensure_ascii=False, indent=1)
        os.replace(tmp, p)
    except OSError as exc:
        raise DataError("flats.write_failed", file=str(p), error=exc.strerror or str(exc)) from exc
    return p


def import_flats(path: str | Path, index: AddressIndex, store: str | Path, *,
                 existing_ids: set[str] | frozenset[str] = frozenset(), allow_unmatched: bool = False) -> ImportReport:
    """Read, validate and match a registry file; store it only when every row passed."""
    p = Path(path)
    rows, ignored = read_registry(p)
    mtime = datetime.fromtimestamp(p.stat().st_mtime, UTC).date().isoformat()
    report = validate_registry(rows, index, source_name=p.name, existing_ids=existing_ids, default_date=mtime,
                               allow_unmatched=allow_unmatched, ignored_columns=ignored)
    if report.ok and report.collection is not None:
        write_store(report.collection, store)
    return report
