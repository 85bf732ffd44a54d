"""Terrain inclines (geo.network.elevation): what ``app.py info`` says about inclines measured on the DEM
and about incline tags the terrain disputes (``docs/terrain.md``)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # app.py info, after the known attributes (labels padded like the other info lines)
    "cli.info.terrain": ("terén:       sklon z výškového modelu u "
                         "{edges, plural, one {# úseku} few {# úseků} other {# úseků}} "
                         "(okno {window_m} m, vzorek po {step_m} m)",
                         "terrain:     incline from the elevation model on "
                         "{edges, plural, one {# edge} other {# edges}} "
                         "({window_m} m window, a sample every {step_m} m)"),
    "cli.info.incline_disputed": ("  sporný sklon (OSM incline=up/down proti terénu, sklon neznámý): "
                                  "{n, plural, one {# úsek} few {# úseky} other {# úseků}}",
                                  "  incline disputed (OSM incline=up/down against the terrain, incline "
                                  "unknown): {n, plural, one {# edge} other {# edges}}"),
}
