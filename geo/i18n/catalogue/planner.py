"""Planner analytics: barrier ranking, what-if, packages, norm compliance, coverage — page, API and CLI texts."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # errors and empty answers
    "planner.unknown_barrier": ("bariéra {id} v žebříčku pro tento dotaz není",
                                "barrier {id} is not in the ranking of this request"),
    "planner.unknown_barriers": ("{count, plural, one {tuto bariéru} few {tyto bariéry} other {tyto bariéry}} "
                                 "v žebříčku pro tento dotaz nejsou: {list}",
                                 "{count, plural, one {this barrier is} other {these barriers are}} not in the "
                                 "ranking of this request: {list}"),
    "planner.too_many": ("výběr smí mít nejvýše {max} bariér, má {count}",
                         "a selection may have at most {max} barriers, this one has {count}"),
    "planner.barriers_list": ("barriers: očekává se seznam identifikátorů bariér",
                              "barriers must be a list of barrier ids"),
    "planner.out_format": ("{file}: žebříček lze zapsat jen do souboru .csv nebo .geojson",
                           "{file}: the ranking can only be written to a .csv or .geojson file"),
    "planner.reason.no_barriers": ("Žádná bariéra pro zvolený profil nic nemění – není co řadit.",
                                   "No barrier changes anything for this profile: there is nothing to rank."),
    "planner.reason.no_origins": ("Nejsou žádné domovy (obytné budovy ani městské byty na mapě) – není odkud "
                                  "počítat dostupnost.",
                                  "There are no homes (residential buildings or placed city flats): nothing to "
                                  "measure access from."),
    "planner.reason.no_destinations": ("Nejsou žádné cíle (služby ani bezbariérové zastávky na mapě) – není kam "
                                       "počítat dostupnost.",
                                       "There are no destinations (placed services or accessible stops): nothing "
                                       "to measure access to."),
    "planner.category.inaccessible_way": ("Cesta nepřístupná pro vozíky", "Way closed to wheelchairs"),
    "planner.method": (
        "Zisk bariéry je počet dvojic domov → cíl (vážený počtem adres nebo bytů), které dnes nejsou bezbariérově "
        "dosažitelné do {minutes} min a po odstranění té bariéry budou. Spočteno přesně jedním hledáním z každého "
        "domova a do každého cíle; balíček je hladový (po každém výběru se zisky přepočítají).",
        "A barrier's gain is the number of home → destination pairs (weighted by addresses or flats) that are not "
        "barrier-free reachable within {minutes} min today and will be once that barrier is removed. Computed "
        "exactly from one search from every home and to every destination; the package is greedy (gains are "
        "recomputed after each pick)."),
    # command line
    "cli.rank.stage.snap": ("umisťuji domovy a cíle", "placing homes and destinations"),
    "cli.rank.stage.candidates": ("bariéry", "barriers"),
    "cli.rank.stage.origins": ("cesty z domovů", "searches from homes"),
    "cli.rank.stage.destinations": ("cesty do cílů", "searches to destinations"),
    "cli.rank.stage.rank": ("zisk bariér", "barrier gains"),
    "cli.rank.stage.package": ("balíček", "package"),
    "cli.rank.summary": ("{barriers, plural, one {# bariéra seřazena} few {# bariéry seřazeny} "
                         "other {# bariér seřazeno}} pro {origins, plural, one {# domov} few {# domovy} "
                         "other {# domovů}} a {destinations, plural, one {# cíl} few {# cíle} other {# cílů}} "
                         "({profile}, {minutes} min).",
                         "{barriers, plural, one {# barrier} other {# barriers}} ranked for "
                         "{origins, plural, one {# home} other {# homes}} and {destinations, plural, "
                         "one {# destination} other {# destinations}} ({profile}, {minutes} min)."),
    "cli.rank.columns": ("pořadí;bariéra;kategorie;závažnost;zisk;dvojic;domovů;cílů;ušetřeno (s)",
                         "rank;barrier;category;severity;gain;pairs;homes;destinations;saved (s)"),
    "cli.rank.package_heading": ("Balíček {k} oprav (hladový výběr: vždy ta s největším ziskem po předchozích):",
                                 "Package of {k} fixes (greedy: each time the largest gain given the ones before):"),
    "cli.rank.package_step": ("{step}. {barrier} – zisk {gain} (samotná {alone}), celkem {total}",
                              "{step}. {barrier} – gain {gain} (alone {alone}), total {total}"),
    "cli.rank.package_stopped": ("Žádná další oprava už nic neotevře.", "No further fix opens anything more."),
    "cli.rank.written": ("Žebříček ({n, plural, one {# bariéra} few {# bariéry} other {# bariér}}) zapsán do {file}.",
                         "Ranking ({n, plural, one {# barrier} other {# barriers}}) written to {file}."),
    # the page
    "planner.title": ("Které bariéry odstranit nejdřív", "Which barriers to remove first"),
    "planner.nav": ("Pro plánovače", "For planners"),
    "planner.skip": ("Přejít na žebříček bariér", "Skip to the barrier ranking"),
    "planner.method_short": (
        "Bariéry jsou seřazené podle toho, kolik domovů by po jejich odstranění nově bezbariérově dosáhlo na služby "
        "v zadaném čase. Vybrané bariéry lze spočítat dohromady; balíček oprav je hladový výběr.",
        "Barriers are ranked by how many homes would newly reach services barrier-free within the time set, once "
        "the barrier is removed. Selected barriers can be computed together; the package of fixes is a greedy "
        "choice."),
    "planner.minutes": ("Časový limit (min)", "Time limit (min)"),
    "planner.minutes_hint": ("{min}–{max} minut", "{min}–{max} minutes"),
    "planner.origins": ("Odkud (domovy)", "From (homes)"),
    "planner.origins_buildings": ("Obytné budovy (OSM)", "Residential buildings (OSM)"),
    "planner.origins_flats": ("Městské byty", "City flats"),
    "planner.origins_both": ("Obytné budovy i městské byty", "Residential buildings and city flats"),
    "planner.destinations": ("Kam (cíle)", "To (destinations)"),
    "planner.destinations_services": ("Služby", "Services"),
    "planner.destinations_stops": ("Bezbariérové zastávky MHD", "Accessible public-transport stops"),
    "planner.destinations_both": ("Služby i bezbariérové zastávky", "Services and accessible stops"),
    "planner.category": ("Kategorie bariéry", "Barrier category"),
    "planner.min_severity": ("Závažnost", "Severity"),
    "planner.any_severity": ("Jakákoli", "Any"),
    "planner.severity_at_least": ("alespoň {s}", "at least {s}"),
    "planner.in_view": ("Jen bariéry ve výřezu mapy", "Only barriers in the map view"),
    "planner.rank": ("Seřadit bariéry", "Rank barriers"),
    "planner.computing": ("Počítám dostupnost… (poprvé to může trvat i desítky sekund)",
                          "Computing access… (the first time may take tens of seconds)"),
    "planner.ranked": ("{shown, plural, one {Zobrazena # bariéra} few {Zobrazeny # bariéry} "
                       "other {Zobrazeno # bariér}} z {total}; "
                       "{origins, plural, one {# domov} few {# domovy} other {# domovů}}, "
                       "{destinations, plural, one {# cíl} few {# cíle} other {# cílů}}.",
                       "Showing {shown} of {total, plural, one {# barrier} other {# barriers}}; "
                       "{origins, plural, one {# home} other {# homes}}, "
                       "{destinations, plural, one {# destination} other {# destinations}}."),
    "planner.error": ("Chyba: {message}", "Error: {message}"),
    "planner.download": ("Stáhnout žebříček:", "Download the ranking:"),
    "planner.download_csv": ("CSV", "CSV"),
    "planner.download_geojson": ("GeoJSON", "GeoJSON"),
    "planner.table_caption": ("Žebříček bariér podle zisku", "Barriers ranked by gain"),
    "planner.select": ("Vybrat", "Select"),
    "planner.select_barrier": ("Vybrat bariéru {label} do výpočtu dohromady", "Select barrier {label} for the "
                               "combined computation"),
    "planner.col_rank": ("Pořadí", "Rank"),
    "planner.col_barrier": ("Bariéra", "Barrier"),
    "planner.col_severity": ("Závažnost", "Severity"),
    "planner.col_gain": ("Zisk", "Gain"),
    "planner.col_origins": ("Domovů", "Homes"),
    "planner.col_destinations": ("Cílů", "Destinations"),
    "planner.col_time_saved": ("Ušetřený čas", "Time saved"),
    "planner.no_rows": ("Žádná bariéra neodpovídá filtru.", "No barrier matches the filter."),
    "planner.detail_heading": ("{rank}. {label}", "{rank}. {label}"),
    "planner.gain": ("Zisk", "Gain"),
    "planner.pairs_opened": ("Nově dosažitelné dvojice", "Pairs opened"),
    "planner.origins_helped": ("Domovy, kterým pomůže", "Homes helped"),
    "planner.destinations_opened": ("Nově dosažitelné cíle", "Destinations opened"),
    "planner.time_saved": ("Ušetřený čas (dnes dosažitelné dvojice)", "Time saved (pairs reachable today)"),
    "planner.source": ("Zdroj", "Source"),
    "planner.source_osm": ("OpenStreetMap ({id})", "OpenStreetMap ({id})"),
    "planner.source_report": ("Nahlášení č. {id}", "Report {id}"),
    "planner.examples": ("Příklady", "Examples"),
    "planner.example_times": ("dnes {before}, potom {after}", "today {before}, then {after}"),
    "planner.unreachable": ("nedosažitelné", "unreachable"),
    "planner.no_examples": ("Odstranění této bariéry nic neotevře ani nezrychlí.",
                            "Removing this barrier opens and speeds up nothing."),
    "planner.whatif_heading": ("Vybrané bariéry dohromady", "Selected barriers together"),
    "planner.whatif_help": ("Zaškrtněte bariéry v žebříčku; zisk se spočítá pro jejich odstranění najednou "
                            "(zisky jednotlivých bariér se nesčítají).",
                            "Tick barriers in the ranking; the gain is computed for removing them all at once "
                            "(single gains do not add up)."),
    "planner.selected": ("{n, plural, =0 {Nic není vybráno.} one {Vybrána # bariéra.} few {Vybrány # bariéry.} "
                         "other {Vybráno # bariér.}}",
                         "{n, plural, =0 {Nothing selected.} one {# barrier selected.} other {# barriers selected.}}"),
    "planner.whatif_button": ("Spočítat vybrané dohromady", "Compute the selection together"),
    "planner.clear_selection": ("Zrušit výběr", "Clear the selection"),
    "planner.whatif_result": ("Dohromady: zisk {gain} ({pairs, plural, one {# dvojice} few {# dvojice} "
                              "other {# dvojic}}); součet samostatných zisků {single}.",
                              "Together: gain {gain} ({pairs, plural, one {# pair} other {# pairs}}); "
                              "the single gains add up to {single}."),
    "planner.whatif_empty": ("Nejdřív zaškrtněte bariéry v žebříčku.", "Tick barriers in the ranking first."),
    "planner.package_heading": ("Balíček oprav", "Package of fixes"),
    "planner.package_help": ("Hladový výběr: vždy bariéra s největším ziskem po odstranění těch předchozích. "
                             "Rychlý a přesný krok za krokem, ale nemusí najít nejlepší možnou sadu.",
                             "Greedy: each time the barrier with the largest gain once the ones before are removed. "
                             "Exact step by step, but it may miss the best possible set."),
    "planner.package_k": ("Počet oprav", "Number of fixes"),
    "planner.package_button": ("Sestavit balíček", "Build the package"),
    "planner.package_step": ("{label} – zisk {gain} (samotná {alone})", "{label} – gain {gain} (alone {alone})"),
    "planner.package_total": ("Balíček celkem: zisk {gain}, {pairs, plural, one {# dvojice} few {# dvojice} "
                              "other {# dvojic}}.", "Package total: gain {gain}, {pairs, plural, one {# pair} "
                              "other {# pairs}}."),
    "planner.package_stopped": ("Balíček má jen {n}: další oprava už nic neotevře.",
                                "The package has only {n}: no further fix opens anything."),
    "planner.norms_heading": ("Soulad s vyhláškou", "Compliance with the regulation"),
    "planner.norms_help": ("Každý úsek sítě posouzený podle pravidel bezbariérového užívání ({law}). Příčný sklon "
                           "OpenStreetMap neuvádí, takže „vyhovuje“ znamená: vyhovuje všem pravidlům, která data "
                           "dovolují posoudit.",
                           "Every stretch of the network judged against the barrier-free rules ({law}). "
                           "OpenStreetMap has no cross slope, so “compliant” means: meets every rule the data "
                           "can judge."),
    "planner.norms_caption": ("Délka sítě (km) podle pravidla", "Network length (km) per rule"),
    "planner.norms_rule": ("Pravidlo", "Rule"),
    "planner.norms_limit": ("Limit", "Limit"),
    "planner.norms_total": ("Celkem {total} km: vyhovuje {compliant} km, nevyhovuje {not_compliant} km, "
                            "nelze posoudit {unknown} km.",
                            "Total {total} km: compliant {compliant} km, not compliant {not_compliant} km, "
                            "cannot be judged {unknown} km."),
    "planner.result_ok": ("Vyhovuje", "Meets"),
    "planner.result_fail": ("Nevyhovuje", "Fails"),
    "planner.result_unknown": ("Neznámé", "Unknown"),
    "planner.rule.longitudinal_slope": ("Podélný sklon", "Longitudinal slope"),
    "planner.rule.cross_slope": ("Příčný sklon", "Cross slope"),
    "planner.rule.width": ("Průchozí šířka", "Clear width"),
    "planner.rule.crossing_kerb": ("Obrubník na přechodu", "Kerb at a crossing"),
    "planner.rule.steps": ("Schody bez rampy", "Steps without a ramp"),
    "planner.limit.longitudinal_slope": ("nejvýše {max_pct} %", "at most {max_pct} %"),
    "planner.limit.cross_slope": ("nejvýše {max_pct} % (v datech není)", "at most {max_pct} % (not in the data)"),
    "planner.limit.width": ("alespoň {min_m} m, v zúžení {min_pinch_m} m", "at least {min_m} m, {min_pinch_m} m at "
                            "a pinch point"),
    "planner.limit.crossing_kerb": ("nejvýše {max_cm} cm", "at most {max_cm} cm"),
    "planner.limit.steps": ("jen s rampou pro vozík", "only with a wheelchair ramp"),
    "planner.status_compliant": ("Vyhovuje (známým pravidlům)", "Compliant (with the rules known)"),
    "planner.status_not_compliant": ("Nevyhovuje", "Not compliant"),
    "planner.status_unknown": ("Nelze posoudit (chybí údaje)", "Cannot be judged (data missing)"),
    "planner.status_line": ("{status}{failed}", "{status}{failed}"),
    "planner.coverage_heading": ("Pokrytí daty", "Data coverage"),
    "planner.coverage_caption": ("Podíl délky sítě se známým údajem (%)", "Share of network length with the "
                                 "attribute known (%)"),
    "planner.coverage_district": ("Podle částí města (hranice z OpenStreetMap).", "By city part (boundaries from "
                                  "OpenStreetMap)."),
    "planner.coverage_grid": ("Podle čtverců 500 m (výřez OpenStreetMap hranice částí města nemá).",
                              "By 500 m squares (the OpenStreetMap extract has no city-part boundaries)."),
    "planner.coverage_zone": ("{name}: známé údaje {pct} %", "{name}: {pct} % known"),
    "planner.zone": ("Část", "Part"),
    "planner.length": ("Délka (km)", "Length (km)"),
    "planner.attr_surface": ("Povrch", "Surface"),
    "planner.attr_incline": ("Sklon", "Incline"),
    "planner.attr_kerb": ("Obrubník", "Kerb"),
    "planner.attr_width": ("Šířka", "Width"),
    "planner.legend_barrier": ("Vybraná bariéra", "Selected barrier"),
    "planner.legend_home": ("Domov, kterému pomůže", "Home it helps"),
    "planner.legend_destination": ("Nově dosažitelný cíl", "Destination it opens"),
    "planner.layer_selected": ("Vybraná bariéra a její dopad", "Selected barrier and its effect"),
    "planner.layer_ranking": ("Seřazené bariéry", "Ranked barriers"),
    "planner.layer_norms": ("Soulad s vyhláškou", "Compliance with the regulation"),
    "planner.layer_coverage": ("Pokrytí daty podle částí", "Data coverage by part"),
    "planner.zoom_in": ("Soulad s vyhláškou se ukazuje po přiblížení na úroveň ulic.",
                        "Compliance shows once you zoom in to street level."),
}
