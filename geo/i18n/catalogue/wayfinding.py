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
    # route warnings: bad surfaces, ways and places marked wheelchair=no
    "route.warning.unpaved": ("{count, plural, one {Nezpevněný úsek} few {# nezpevněné úseky} "
                              "other {# nezpevněných úseků}}: {distance} ({what})",
                              "{count, plural, one {Unpaved stretch} other {# unpaved stretches}}: {distance} "
                              "({what})"),
    "route.warning.wheelchair_no": ("{count, plural, one {Úsek označený} few {# úseky označené} "
                                    "other {# úseků označených}} jako nepřístupné pro vozík (wheelchair=no): "
                                    "{distance}",
                                    "{count, plural, one {A stretch marked} other {# stretches marked}} as not "
                                    "wheelchair accessible (wheelchair=no): {distance}"),
    "route.warning.destination_wheelchair_no": ("U cíle je v OpenStreetMap označeno jako nepřístupné pro vozík: "
                                                "{what}",
                                                "At the destination, OpenStreetMap marks as not wheelchair "
                                                "accessible: {what}"),
    "route.place.entrance": ("vchod", "an entrance"),
    "route.place.place": ("místo", "a place"),
    # which limits a route could check (geo.routing.itinerary.checks)
    "route.check.kerb": ("Přechody a obrubníky se známou výškou obrubníku: {known} (celkem {total})",
                         "Crossings and kerbs with a known kerb height: {known} of {total}"),
    "route.check.kerb_unchecked": ("{text} – limit obrubníku {value} cm proto nešlo ověřit u {n} z nich.",
                                   "{text} – your {value} cm kerb limit could not be checked at {n} of them."),
    "route.check.incline": ("Sklon známe na {pct} % délky trasy", "Incline known on {pct} % of the route"),
    "route.check.width": ("Šířku známe na {pct} % délky trasy", "Width known on {pct} % of the route"),
    "route.check.surface": ("Povrch známe na {pct} % délky trasy", "Surface known on {pct} % of the route"),
    "route.check.max_uphill_pct_unchecked": ("{text} – limit stoupání {value} % proto nešlo ověřit na {distance}.",
                                             "{text} – your {value} % uphill limit could not be checked on "
                                             "{distance}."),
    "route.check.max_downhill_pct_unchecked": ("{text} – limit klesání {value} % proto nešlo ověřit na {distance}.",
                                               "{text} – your {value} % downhill limit could not be checked on "
                                               "{distance}."),
    "route.check.min_width_m_unchecked": ("{text} – nejmenší šířku {value} m proto nešlo ověřit na {distance}.",
                                          "{text} – your {value} m minimum width could not be checked on "
                                          "{distance}."),
    "route.check.surface_unchecked": ("{text} – nesjízdný povrch proto nešlo vyloučit na {distance}.",
                                      "{text} – an impassable surface could not be ruled out on {distance}."),
    # the planner: limits checked, warnings on the map
    "ui.checks": ("Co trasa ověřila", "What the route could check"),
    "ui.checks_all": ("Všechny limity profilu jsou ověřené na celé trase.",
                      "Every limit of the profile was checked along the whole route."),
    "ui.checks_none": ("Profil chůze nemá žádné limity k ověření.", "The walking profile has no limits to check."),
    "ui.try_verified": ("Zkusit trasu jen po ověřených úsecích", "Try a route on verified stretches only"),
    "ui.show_places": ("{n, plural, one {Ukázat na mapě} few {Ukázat # místa na mapě} other {Ukázat # míst na mapě}}",
                       "{n, plural, one {Show on the map} other {Show the # places on the map}}"),
    # app.py update
    "cli.updated": ("aktualizováno: {area} – {nodes, plural, one {# uzel} few {# uzly} other {# uzlů}}, "
                    "{edges, plural, one {# úsek} few {# úseky} other {# úseků}}, stav dat k {date}",
                    "updated: {area} – {nodes, plural, one {# node} other {# nodes}}, "
                    "{edges, plural, one {# edge} other {# edges}}, data as of {date}"),
    # the map: the offline base map
    "ui.layer_base": ("Podkladová mapa z dat OpenStreetMap (offline)",
                                 "Base map from the OpenStreetMap data (offline)"),
    # the map page on a phone: the panel under the map can be folded away
    "ui.panel_hide": ("Skrýt ovládací panel", "Hide the control panel"),
    "ui.panel_show": ("Zobrazit ovládací panel", "Show the control panel"),
    # app.py info: what a known kerb is (the same as a route's kerb check counts)
    "cli.info.kerb_known": ("obrubníky (% míst, ne délky): přechody se známou výškou obrubníku {crossings_known} z "
                            "{crossings}, uzly obrubníku se známou výškou {kerbs_known} z {kerbs} – celkem {pct} %; "
                            "známý obrubník = přechod nebo uzel obrubníku s hodnotou kerb nebo kerb:height",
                            "kerbs (% of places, not length): crossings with a known kerb height {crossings_known} of "
                            "{crossings}, kerb nodes with a known height {kerbs_known} of {kerbs} – {pct} % in all; "
                            "a known kerb is a crossing or kerb node with a kerb or kerb:height value"),
    "cli.bad_port": ("port {port} nelze použít: zadejte číslo od 1 do 65535",
                     "port {port} cannot be used: give a number from 1 to 65535"),
    # Open311 on data of another area than the city's (the sample): no agency is responsible
    "open311.no_agency": ("Ukázková data ({area}): hlášení nepřebírá žádný úřad",
                          "Sample data ({area}): no agency takes the reports"),
    # a map layer with nothing in the loaded area (listed, unchecked)
    "ui.layer_empty": ("{layer} – v této oblasti žádné", "{layer} – none in this area"),
    # the planner's flows
    "ui.no_position_yet": ("{name} zatím nemá na této mapě polohu, a tak nemůže být startem ani cílem.",
                           "{name} has no position on this map yet, so it cannot be a start or a destination."),
    "ui.no_position_short": ("zatím bez polohy na mapě", "no position on the map yet"),
    "ui.nearest_include_unknown": ("Zahrnout i služby s neznámou přístupností",
                                   "Include services whose accessibility is unknown"),
    "ui.report_point_set": ("Místo bariéry: {lat}, {lon}. Doplňte druh bariéry a popis.",
                            "Barrier location: {lat}, {lon}. Add the kind of barrier and a description."),
    "ui.report_map": ("Mapa místa hlášení č. {id}", "Map of the place of report no. {id}"),
}
