"""Liberec bez bariér: OpenStreetMap → accessibility network → barrier-free routing.

Pipeline stages, in order: :mod:`geo.osm` (load) → :mod:`geo.attributes` (enrich) →
:mod:`geo.graph` (simplify) → :mod:`geo.elevation` → :mod:`geo.network` (arrays) →
:mod:`geo.profiles` / :mod:`geo.routing` / analysis. :mod:`geo.pipeline` runs them in order and
:mod:`geo.cache` stores the result.
"""
