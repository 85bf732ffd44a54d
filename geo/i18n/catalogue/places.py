"""Map layers: the curated layer files and their schema, public-transport stops (GTFS), matching
addresses to OpenStreetMap, and importing the city's flat registry (``app.py import-flats``).

Values: ``file`` (the path), ``row`` (a line of a CSV file, from 1, the header being 1), ``feature``
(a feature's index in a GeoJSON file, from 0), ``field``, ``error`` (an underlying exception as the
library words it). Coordinates are passed as text in their machine form.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # layer files (geo.layers.schemas); {problem} is a validation.* or layers.* message about {field}
    "layers.file_not_found": ("soubor vrstvy {file} neexistuje", "layer file not found: {file}"),
    "layers.file_unreadable": ("soubor vrstvy {file} nelze přečíst ({error})",
                               "cannot read layer file {file} ({error})"),
    "layers.bad_json": ("{file}: neplatný JSON (řádek {line}, sloupec {column}: {error})",
                        "{file}: not valid JSON (line {line}, column {column}: {error})"),
    "layers.not_geojson": ("{file}: není to GeoJSON FeatureCollection ({error})",
                           "{file}: not a GeoJSON FeatureCollection ({error})"),
    "layers.invalid": ("{file}: {problem}{more}", "{file}: {problem}{more}"),
    "layers.invalid_feature": ("{file}: prvek #{feature}: {problem}{more}",
                               "{file}: feature #{feature}: {problem}{more}"),
    "layers.invalid_feature_id": ("{file}: prvek #{feature} ({feature_id}): {problem}{more}",
                                  "{file}: feature #{feature} ({feature_id}): {problem}{more}"),
    "layers.more_problems": (" (a ještě {count, plural, one {# problém} few {# problémy} other {# problémů}})",
                             " (+{count, plural, one {# more problem} other {# more problems}})"),
    "layers.coordinates": ("{field}: souřadnice musí být [délka, šířka] ve stupních, zadáno {value}",
                           "{field}: coordinates must be [lon, lat] in degrees, got {value}"),
    "layers.null_geometry_precision": ("{field}: musí být unknown, když je geometry null",
                                       "{field}: must be 'unknown' when geometry is null"),
    "layers.coordinates_precision": ("{field}: záznam se souřadnicemi potřebuje jinou hodnotu než unknown",
                                     "{field}: a record with coordinates needs a value other than 'unknown'"),
    "layers.coordinates_source": ("{field}: u záznamu se souřadnicemi je povinný údaj (odkud souřadnice pocházejí)",
                                  "{field}: is required for a record with coordinates (where they come from)"),
    "layers.accessible_over_total": ("{field}: {accessible} je víc než units_total ({total})",
                                     "{field}: {accessible} is more than units_total ({total})"),
    "layers.duplicate_id": ("duplicitní id {id} (má ho už prvek #{other})",
                            "duplicate id {id} (also feature #{other})"),
    "layers.bbox_required": ("vrstva {layer} potřebuje bbox=minlon,minlat,maxlon,maxlat",
                             "the {layer} layer needs a bbox=minlon,minlat,maxlon,maxlat"),
    # public-transport stops (geo.layers.stops)
    "stops.file_not_found": ("soubor zastávek {file} neexistuje", "stops file not found: {file}"),
    "stops.unreadable": ("{file} nelze přečíst ({error})", "cannot read {file} ({error})"),
    "stops.folder_without_stops": ("{file} je složka bez stops.txt (není to GTFS)",
                                   "{file} is a folder without stops.txt (not a GTFS feed)"),
    "stops.unknown_type": ("neznámý typ souboru zastávek {suffix} u {file} (očekává se GTFS jako .zip nebo složka, "
                           "stops.txt, .csv nebo .geojson)",
                           "unknown stops file type {suffix} for {file} (expected a GTFS .zip or folder, stops.txt, "
                           ".csv or .geojson)"),
    "stops.missing_columns": ("{file}: {count, plural, one {chybí sloupec} other {chybí sloupce}} {columns} "
                              "(očekávají se id, code, name, lat, lon, zone, wheelchair, routes)",
                              "{file}: missing {count, plural, one {column} other {columns}} {columns} "
                              "(expected id, code, name, lat, lon, zone, wheelchair, routes)"),
    "stops.bad_coordinates": ("{file}: řádek {row} (stop_id „{stop_id}“): neplatné souřadnice lat „{lat}“, "
                              "lon „{lon}“",
                              "{file}: row {row} (stop_id '{stop_id}'): invalid coordinates lat '{lat}', lon '{lon}'"),
    "stops.bad_wheelchair": ("{file}: řádek {row} (stop_id „{stop_id}“): wheelchair_boarding musí být prázdné, 0, 1 "
                             "nebo 2, zadáno „{value}“",
                             "{file}: row {row} (stop_id '{stop_id}'): wheelchair_boarding must be empty, 0, 1 or 2, "
                             "got '{value}'"),
    "stops.bad_id": ("{file}: řádek {row}: stop_id „{stop_id}“ je prázdné nebo se opakuje",
                     "{file}: row {row}: stop_id '{stop_id}' is empty or repeated"),
    "stops.not_a_point": ("{file}: prvek #{feature} (stop_id „{stop_id}“): geometrie musí být bod (Point)",
                          "{file}: feature #{feature} (stop_id '{stop_id}'): geometry must be a Point"),
    "gtfs.missing_columns": ("{file}: {count, plural, one {chybí sloupec} other {chybí sloupce}} GTFS {columns} "
                             "(je to opravdu stops.txt z GTFS?)",
                             "{file}: missing GTFS {count, plural, one {column} other {columns}} {columns} "
                             "(is this a GTFS stops.txt?)"),
    "gtfs.no_member": ("{file} neobsahuje {member} (není to GTFS)", "{file} contains no {member} (not a GTFS feed)"),
    "gtfs.not_zip": ("{file} není soubor zip ({error})", "{file} is not a zip file ({error})"),
    "gtfs.not_utf8": ("{file}:{member} není text v UTF-8 ({error})", "{file}:{member} is not UTF-8 text ({error})"),
    "gtfs.download_failed": ("jízdní řád GTFS {url} nelze stáhnout ({error})",
                             "cannot download the GTFS feed {url} ({error})"),
    "gtfs.not_a_zip_download": ("jízdní řád GTFS {url} nevrátil soubor zip ({size, plural, one {# bajt} "
                                "few {# bajty} other {# bajtů}})",
                                "the GTFS feed {url} did not return a zip file ({size, plural, one {# byte} "
                                "other {# bytes}})"),
    "gtfs.write_failed": ("{file} nelze zapsat ({error})", "cannot write {file} ({error})"),
    # matching addresses to OpenStreetMap (geo.layers.addresses)
    "address.no_street": ("v adrese chybí název ulice", "no street name in the address"),
    "address.street_not_found": ("ulice „{street}“ ve výřezu OpenStreetMap není",
                                 "street '{street}' not found in the extract"),
    "address.no_number": ("chybí číslo domu", "no house number given"),
    "address.number_not_found": ("číslo {number} v ulici {street} není", "house number {number} not found on {street}"),
    "address.ambiguous": ("číslo {number} odpovídá {count, plural, one {# místu} other {# místům}} v ulici {street}",
                          "{number} fits {count, plural, one {# place} other {# places}} on {street}"),
    "address.range_incomplete": ("v ulici {street} chybí {count, plural, one {číslo} other {čísla}} {numbers} "
                                 "z rozsahu",
                                 "{count, plural, one {number} other {numbers}} {numbers} of the range not found "
                                 "on {street}"),
    # importing the flat registry (geo.layers.flats_import, app.py import-flats)
    "flats.file_not_found": ("soubor k importu {file} neexistuje", "import file not found: {file}"),
    "flats.not_utf8": ("{file} nelze přečíst jako text v UTF-8 ({error})",
                       "cannot read {file} as UTF-8 text ({error})"),
    "flats.file_empty": ("soubor k importu {file} je prázdný", "import file {file} is empty"),
    "flats.unknown_type": ("neznámý typ souboru k importu {suffix} u {file} (očekává se .csv nebo .geojson)",
                           "unknown import file type {suffix} for {file} (expected .csv or .geojson)"),
    "flats.no_rows": ("soubor k importu {file} nemá žádné řádky s daty", "import file {file} has no data rows"),
    "flats.no_address_column": ("{file}: záhlaví nemá sloupec address (nalezeno: {found})",
                                "{file}: the header has no 'address' column (found: {found})"),
    "flats.write_failed": ("importované byty nelze zapsat do {file} ({error})",
                           "cannot write the imported flats to {file} ({error})"),
    "flats.ids_clash": ("{file}: id {ids} jsou i v dodávané vrstvě bytů",
                        "{file}: ids {ids} are also in the shipped flats layer"),
    "flats.import_failed": ("import selhal: v souboru {file} {failed, plural, one {je # řádek z {rows} neplatný nebo "
                            "nepřiřazený} few {jsou # řádky z {rows} neplatné nebo nepřiřazené} other {je # řádků "
                            "z {rows} neplatných nebo nepřiřazených}}; nic nebylo importováno",
                            "import failed: {failed} of {rows, plural, one {# row} other {# rows}} invalid or "
                            "unmatched in {file}; nothing imported"),
    "flats.imported": ("importováno do {store}: {count, plural, one {# místo} few {# místa} other {# míst}} "
                       "s městskými byty",
                       "imported {count, plural, one {# flat site} other {# flat sites}} into {store}"),
    # the row report of an import
    "flats.report": ("import souboru {source}: {rows, plural, one {# řádek} few {# řádky} other {# řádků}}",
                     "import of {source}: {rows, plural, one {# row} other {# rows}}"),
    "flats.ignored_columns": ("nepoužité sloupce: {columns}", "ignored columns: {columns}"),
    "flats.summary": ("v pořádku: {ok}, s chybou: {failed}", "{ok} ok, {failed} failed"),
    "flats.row": ("řádek {row}: {status} — {message}", "row {row}: {status} — {message}"),
    "flats.row_id": ("řádek {row} (id {id}): {status} — {message}", "row {row} (id {id}): {status} — {message}"),
    "flats.ok": ("v pořádku", "ok"),
    "flats.error": ("CHYBA", "ERROR"),
    "flats.got": (" (zadáno „{value}“)", " (got '{value}')"),
    "flats.by_coordinates": ("umístěno podle souřadnic v souboru ({lon}, {lat})",
                             "placed by the coordinates in the file ({lon}, {lat})"),
    "flats.matched_building": ("přiřazeno k adrese {labels} (budova {buildings})",
                               "matched {labels} (building {buildings})"),
    "flats.matched": ("přiřazeno k adrese {labels} ({osm_ids})", "matched {labels} ({osm_ids})"),
    "flats.not_matched_imported": ("nepřiřazeno ({reason}); importováno bez polohy",
                                   "not matched ({reason}); imported without a position"),
    "flats.unmatched": ("adresa „{address}“ nebyla nalezena: {reason}", "unmatched address '{address}': {reason}"),
    "flats.id_repeats": ("id „{id}“ se opakuje (už na řádku {first_row})", "id '{id}' repeats row {first_row}"),
    "flats.id_shipped": ("id „{id}“ už používá dodávaná vrstva bytů",
                         "id '{id}' is already used by the shipped flats layer"),
}
