"""Liberec bez bariér: OpenStreetMap → accessibility network → barrier-free routing.

Pipeline stages, in order: :mod:`geo.network.osm` (load) → :mod:`geo.network.attributes` (enrich) →
:mod:`geo.network.graph` (simplify) → :mod:`geo.network.elevation` → :mod:`geo.network.model` (arrays) →
:mod:`geo.routing.profiles` / :mod:`geo.routing.router` / analysis. :mod:`geo.network.pipeline` runs them in order and
:mod:`geo.network.cache` stores the result.
"""
