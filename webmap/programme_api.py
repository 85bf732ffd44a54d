"""The programme tracker (``/api/programme``): every commitment of the city's social-affairs programme with
its records on the map, targets and their progress, status with evidence and sources.

* ``GET /api/programme`` — sections with their commitments (texts in the request's language), the
  programme's context figures with their sources, counts by status, and ``notice``: what the page says
  when the curated Liberec records cannot be placed on the loaded map (listed, not drawn).
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue

from geo.layers.programme import programme_view
from geo.layers.query import placement_notice
from webmap import resources
from webmap.i18n import api_lang
from webmap.openapi import AnyObject, doc

bp = Blueprint("programme_api", __name__, url_prefix="/api")


@bp.get("/programme")
@doc(tags=("layers",), resp={"HTTP_200": AnyObject})
def programme() -> ResponseReturnValue:
    """The programme tracker."""
    layers = resources.layers()
    lang = api_lang()
    placement = layers.placement()
    return jsonify(programme_view(resources.programme(), layers.services, layers.flats, lang=lang,
                                  today=date.today(), notice=placement_notice(placement, lang), placement=placement))
