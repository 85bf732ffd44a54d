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
    # snapping: an end on a piece of the network cut off from the rest
    "route.no_route.cut_off.from": ("Nejbližší cesta u startu není propojená se zbytkem sítě. Nejbližší propojené "
                                    "místo je {distance_m} m daleko.",
                                    "The nearest path to the start is not connected to the rest of the network. "
                                    "The nearest connected place is {distance_m} m away."),
    "route.no_route.cut_off.to": ("Nejbližší cesta u cíle není propojená se zbytkem sítě. Nejbližší propojené "
                                  "místo je {distance_m} m daleko.",
                                  "The nearest path to the destination is not connected to the rest of the network. "
                                  "The nearest connected place is {distance_m} m away."),
    "route.no_route.cut_off.both": ("Nejbližší cesty u startu i u cíle nejsou propojené se zbytkem sítě.",
                                    "The nearest paths to the start and to the destination are not connected to the "
                                    "rest of the network."),
    "route.reason.cut_off": ("spojení s oddělenou částí sítě", "a link to a cut-off part of the network"),
    # route warnings: an end snapped past a nearer path
    "route.warning.moved_from.piece": ("Trasa začíná {distance} od zvoleného bodu: bližší cesta ({nearest}) není "
                                       "propojená se zbytkem sítě.",
                                       "The route starts {distance} from the chosen point: the nearer path "
                                       "({nearest} away) is not connected to the rest of the network."),
    "route.warning.moved_from.profile": ("Trasa začíná {distance} od zvoleného bodu: bližší cestu ({nearest}) "
                                         "profil nesjede nebo z ní nevede sjízdná cesta dál.",
                                         "The route starts {distance} from the chosen point: the nearer path "
                                         "({nearest} away) is impassable for the profile or leads nowhere it can go."),
    "route.warning.moved_to.piece": ("Trasa končí {distance} od zvoleného cíle: bližší cesta ({nearest}) není "
                                     "propojená se zbytkem sítě.",
                                     "The route ends {distance} from the chosen destination: the nearer path "
                                     "({nearest} away) is not connected to the rest of the network."),
    "route.warning.moved_to.profile": ("Trasa končí {distance} od zvoleného cíle: bližší cestu ({nearest}) profil "
                                       "nesjede nebo na ni nevede sjízdná cesta.",
                                       "The route ends {distance} from the chosen destination: the nearer path "
                                       "({nearest} away) is impassable for the profile or cannot be reached with it."),
    # the planner: move a cut-off end to the nearest connected place
    "ui.use_connected_from": ("Začít na nejbližším propojeném místě ({distance} odtud)",
                              "Start at the nearest connected place ({distance} away)"),
    "ui.use_connected_to": ("Skončit na nejbližším propojeném místě ({distance} odtud)",
                            "End at the nearest connected place ({distance} away)"),
    # downloads (geo.network.download) and terrain models (geo.network.terrain_source)
    "download.timed_out": ("{what}: stahování nedoběhlo do {limit_s} s", "{what}: the download did not finish "
                           "within {limit_s} s"),
    "download.failed": ("{what}: stahování selhalo ({error})", "{what}: the download failed ({error})"),
    "download.too_large": ("{what}: soubor je větší než {max_mb} MB", "{what}: the file is larger than {max_mb} MB"),
    "terrain.download_failed": ("výškový model se nepodařilo stáhnout ({error}); sklon zůstane neznámý tam, kde ho "
                                "neuvádí OpenStreetMap",
                                "could not download a terrain model ({error}); the incline stays unknown where "
                                "OpenStreetMap does not give it"),
    "terrain.not_a_tiff": ("{what}: odpověď není GeoTIFF ({start})", "{what}: the answer is not a GeoTIFF ({start})"),
    "terrain.no_tiles": ("oblast nemá žádnou dlaždici výškového modelu", "no terrain tile covers the area"),
    # app.py info: where the terrain came from
    "cli.info.terrain_source": ("výškopis:    {label}, pixel {resolution_m} m", "elevation:   {label}, "
                                "{resolution_m} m pixels"),
    "cli.info.terrain_none": ("výškopis:    žádný výškový model (sklon jen z OpenStreetMap)",
                              "elevation:   no elevation model (incline from OpenStreetMap only)"),
    "cli.info.terrain_failed": ("výškopis:    výškový model se nepodařilo stáhnout, sklon jen z OpenStreetMap "
                                "({error})",
                                "elevation:   the elevation model could not be downloaded, incline from "
                                "OpenStreetMap only ({error})"),
}
