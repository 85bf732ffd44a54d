"""Routes people can trust and a map that reads at a glance: connected pieces of the network, snapping to
where a route can go, terrain downloads, which limits a route could check, the base map, start-up, and the
planner's flows."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # app.py info: connected pieces (labels padded like the other info lines)
    "cli.info.pieces": ("souvislost:  {pieces, plural, one {# souvislá část} few {# souvislé části} "
                        "other {# souvislých částí}}; mimo největší z nich "
                        "{outside, plural, one {# uzel} few {# uzly} other {# uzlů}} ({pct} %)",
                        "pieces:      {pieces, plural, one {# connected piece} other {# connected pieces}}; "
                        "{outside, plural, one {# node} other {# nodes}} outside the largest ({pct} %)"),
    "cli.info.areas": ("plochy:      {areas, plural, one {# pěší plocha nebo nástupiště} few {# pěší plochy "
                       "nebo nástupiště} other {# pěších ploch nebo nástupišť}} v síti "
                       "({across, plural, one {# přímé spojení} few {# přímá spojení} other {# přímých spojení}} "
                       "přes ně)",
                       "areas:       {areas, plural, one {# pedestrian area or platform} other {# pedestrian areas "
                       "or platforms}} in the network ({across, plural, one {# straight connection} "
                       "other {# straight connections}} across them)"),
}
