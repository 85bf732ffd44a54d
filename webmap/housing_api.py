"""The housing API (``/api/housing``): what a person can reach without barriers from a home.

* ``GET /api/housing/reach?at=LAT,LON&profile=`` (or ``flat=ID`` instead of ``at``) — the reach card of any point
  (a prospective flat) or city flat: per essential category the nearest destination, its minutes, the route's
  verified share and worst warning, or why it is not reachable and the nearest relaxation; the score;
* ``GET /api/housing/flats?profile=&min_score=&format=json|geojson|csv`` — every city flat (shipped and imported)
  with its card's figures, best score first.

The cards come from :class:`geo.analysis.cards.Housing` (:func:`webmap.resources.housing`): one search per
category for the whole city, kept per profile and state of the confirmed reports.
"""

from __future__ import annotations

from typing import Any, Literal

from flask import Blueprint, Response, jsonify, request
from flask.typing import ResponseReturnValue
from pydantic import Field

from geo import i18n
from geo.analysis import cards
from geo.errors import BadRequestError
from geo.routing.profiles import PROFILES, get_profile
from webmap import resources
from webmap.i18n import api_lang
from webmap.openapi import LATLON, FeatureCollection, LangQuery, Loose, doc, errors
from webmap.params import parse_int, parse_latlon

bp = Blueprint("housing_api", __name__, url_prefix="/api/housing")

FORMATS: tuple[str, ...] = ("json", "geojson", "csv")
MAX_SCORE = 100
DEFAULT_PROFILE = "manual_wheelchair"


def _literal(values: Any) -> Any:
    return Literal[tuple(values)]  # type: ignore[valid-type]


class ReachQuery(LangQuery):
    """A point (``at``) or a city flat (``flat``), and the profile (default: manual wheelchair)."""

    at: str | None = Field(default=None, pattern=LATLON, description="LAT,LON (required unless flat is given)")
    flat: str | None = Field(default=None, max_length=200, description="a city flat's id instead of at")
    profile: _literal(list(PROFILES)) | None = None  # type: ignore[valid-type]


class FlatsQuery(LangQuery):
    """The profile, the lowest score to list (0–100) and the format."""

    profile: _literal(list(PROFILES)) | None = None  # type: ignore[valid-type]
    min_score: int | None = Field(default=None, ge=0, le=MAX_SCORE)
    format: _literal(FORMATS) | None = None  # type: ignore[valid-type]


class ReachCard(Loose):
    """A home's reach card: the home and its entrance, the score with its formula, one entry per category."""

    home: dict[str, Any]
    profile: str
    score: dict[str, Any]
    categories: list[dict[str, Any]]


class FlatsAnswer(FeatureCollection):
    """City flats with their cards' figures (GeoJSON), best score first; unplaced flats have no geometry."""

    profile: str
    total: int
    count: int


def _format(value: str | None) -> str:
    if value is None or value == "":
        return "json"
    if value not in FORMATS:
        raise BadRequestError("request.unknown_choice", field="format", value=value, choices=", ".join(FORMATS))
    return value


@bp.get("/reach")
@doc(tags=("housing",), query=ReachQuery, resp={"HTTP_200": ReachCard, **errors(400, 404, 422)})
def reach() -> ResponseReturnValue:
    """The reach card of a point (``at``) or city flat (``flat``) for ``profile``."""
    args = request.args
    profile = get_profile(args.get("profile") or DEFAULT_PROFILE)
    flat = args.get("flat") or None
    lon, lat = parse_latlon(args.get("at"), "at") if flat is None else (0.0, 0.0)
    card = resources.housing().card(lon, lat, profile, resources.overlay(), api_lang(), flat_id=flat)
    return jsonify(card)


@bp.get("/flats")
@doc(tags=("housing",), query=FlatsQuery, resp={"HTTP_200": FlatsAnswer, **errors(400)},
     content={200: "application/json|application/geo+json|text/csv"})
def flats() -> ResponseReturnValue:
    """Every city flat with its card's figures, best score first; ``min_score`` keeps placed flats scoring at
    least that; JSON/GeoJSON or CSV."""
    args = request.args
    profile = get_profile(args.get("profile") or DEFAULT_PROFILE)
    min_score = parse_int(args.get("min_score"), "min_score", default=-1, lo=0, hi=MAX_SCORE)
    fmt = _format(args.get("format"))
    lang = api_lang()
    rows = resources.housing().flats_table(profile, resources.overlay(), lang)
    chosen = [r for r in rows if min_score < 0 or (r["score"] is not None and r["score"] >= min_score)]
    name = f"flats-reach-{profile.name}"
    if fmt == "csv":
        return Response(cards.to_csv(chosen), mimetype="text/csv",
                        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})
    body = cards.to_geojson(chosen, profile=profile.name, total=len(rows), count=len(chosen),
                            min_score=None if min_score < 0 else min_score,
                            score_definition=i18n.text("housing.score.definition", lang))
    resp = jsonify(body)
    if fmt == "geojson":
        resp.mimetype = "application/geo+json"
        resp.headers["Content-Disposition"] = f'attachment; filename="{name}.geojson"'
    return resp
