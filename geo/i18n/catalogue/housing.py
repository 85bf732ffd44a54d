"""Housing: reach cards of homes (what can a person reach without barriers), the score, the "Bydlení" panel, the
``reach-cards`` command."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # essential categories
    "housing.category.stop": ("Zastávka s bezbariérovým nástupem", "Stop with wheelchair boarding"),
    "housing.category.doctor": ("Praktický lékař / zdravotní středisko", "GP / health centre"),
    "housing.category.pharmacy": ("Lékárna", "Pharmacy"),
    "housing.category.grocery": ("Potraviny (supermarket, večerka)", "Groceries (supermarket, convenience store)"),
    "housing.category.social_services": ("Sociální služby", "Social services"),
    "housing.category.community_centre": ("Komunitní centrum", "Community centre"),
    "housing.category.school": ("Základní škola", "School"),
    "housing.category.kindergarten": ("Mateřská škola", "Kindergarten"),
    "housing.category.post_office": ("Pošta", "Post office"),
    # one category of a card
    "housing.reachable": ("{name} – {minutes} min", "{name} – {minutes} min"),
    "housing.unreachable": ("Bez bariér nedosažitelné", "Not reachable without barriers"),
    "housing.no_data": ("V datech mapy žádné takové místo není – do skóre se nepočítá.",
                        "No such place in the map's data – not counted in the score."),
    "housing.relaxation": ("Nejbližší úleva: dosažitelné, když {change} ({minutes} min).",
                           "Nearest relaxation: reachable if you {change} ({minutes} min)."),
    "housing.source.gtfs": ("jízdní řád GTFS, zastávka {ref}", "GTFS timetable, stop {ref}"),
    "housing.source.osm": ("OpenStreetMap {ref}", "OpenStreetMap {ref}"),
    "housing.source.curated": ("ověřený záznam služby {ref}", "curated service record {ref}"),
    # the home's own entrance
    "housing.entrance.step_free": ("Vstup bez schodů", "Step-free entrance"),
    "housing.entrance.limited": ("Vstup s omezením (částečně přístupný)", "Entrance with limits (partly accessible)"),
    "housing.entrance.steps": ("Vstup se schody", "Entrance with steps"),
    "housing.entrance.unknown": ("Vstup: nevíme", "Entrance: unknown"),
    "housing.entrance.from_record": ("podle záznamu bytu (schod {cm} cm)", "from the flat's record (step {cm} cm)"),
    "housing.entrance.from_osm": ("podle OpenStreetMap ({n, plural, one {# vstup} few {# vstupy} "
                                  "other {# vstupů}} na obrysu budovy)",
                                  "from OpenStreetMap ({n, plural, one {# entrance} other {# entrances}} on the "
                                  "building's outline)"),
    "housing.entrance.none_mapped": ("vstup do budovy v OpenStreetMap zakreslený není",
                                     "no entrance of the building is mapped in OpenStreetMap"),
    "housing.entrance.no_building": ("bod neleží v žádné budově", "the point is in no building"),
    # the score
    "housing.score.definition": (
        "Skóre = (počet kategorií dosažitelných bez bariér do 10 min + počet do 15 min) ÷ (2 × počet kategorií, "
        "pro které mapa má data) × 100, zaokrouhleno. Kategorie do 10 min tedy platí dvakrát, do 15 min jednou; "
        "všechny kategorie váží stejně.",
        "Score = (categories reachable without barriers within 10 min + those within 15 min) ÷ (2 × categories "
        "the map has data for) × 100, rounded. A category within 10 min counts twice, within 15 min once; every "
        "category weighs the same."),
    "housing.score.formula": ("({within_10} + {within_15}) ÷ (2 × {counted}) × 100 = {value}",
                              "({within_10} + {within_15}) ÷ (2 × {counted}) × 100 = {value}"),
    "housing.score.none": ("Skóre nelze spočítat: mapa nemá data pro žádnou kategorii.",
                           "No score: the map has no data for any category."),
    "housing.method": (
        "Pro každou kategorii nejbližší místo podle času bezbariérové cesty pro zvolený profil – z jednoho hledání "
        "ze všech míst kategorie najednou; trasa, ověřený podíl a nejhorší varování jen pro zobrazené místo.",
        "For each category the nearest place by barrier-free travel time for the chosen profile – from one search "
        "out of all the category's places at once; the route, verified share and worst warning only for the place "
        "shown."),
    # errors
    "housing.unknown_flat": ("byt {id} v seznamu městských bytů není", "flat {id} is not in the list of city flats"),
    "housing.flat_unplaced": ("byt {id} nemá na této mapě polohu", "flat {id} has no position on this map"),
    "housing.out_format": ("{file}: karty lze zapsat jen do souboru .csv nebo .geojson",
                           "{file}: cards can only be written to a .csv or .geojson file"),
    # the panel
    "housing.ui.tab": ("Bydlení", "Housing"),
    "housing.ui.heading": ("Co dosáhnu z domova bez bariér", "What can I reach from home without barriers"),
    "housing.ui.help": ("Karta dostupnosti ukáže, kam se z domova dostanete bez bariér a za kolik minut. Vyberte "
                        "byt ze seznamu, nebo klikněte do mapy (kliknutí teď otevírá kartu místa).",
                        "A reach card shows where you get from home without barriers and in how many minutes. Pick "
                        "a flat from the list, or click the map (a click now opens the card of that place)."),
    "housing.ui.profile": ("Kdo se pohybuje", "Who is travelling"),
    "housing.ui.min_score": ("Nejnižší skóre (0–100)", "Lowest score (0–100)"),
    "housing.ui.flats_heading": ("Městské byty podle skóre", "City flats by score"),
    "housing.ui.flats_count": ("{n, plural, one {# byt} few {# byty} other {# bytů}} se skóre aspoň {min}.",
                               "{n, plural, one {# flat} other {# flats}} with a score of at least {min}."),
    "housing.ui.flats_unplaced": ("{n, plural, one {# byt nemá} few {# byty nemají} other {# bytů nemá}} na této "
                                  "mapě polohu – bez karty.",
                                  "{n, plural, one {# flat has} other {# flats have}} no position on this map – no "
                                  "card."),
    "housing.ui.open_card": ("Karta dostupnosti", "Reach card"),
    "housing.ui.compare_add": ("Přidat k porovnání", "Add to comparison"),
    "housing.ui.compare_heading": ("Porovnání dvou domovů", "Two homes compared"),
    "housing.ui.compare_hint": ("Přidejte k porovnání dva domovy (byty nebo místa na mapě).",
                                "Add two homes to compare (flats or places on the map)."),
    "housing.ui.compare_one": ("Přidán jeden domov – přidejte druhý.", "One home added – add a second one."),
    "housing.ui.compare_clear": ("Vyprázdnit porovnání", "Clear the comparison"),
    "housing.ui.compare_caption": ("Porovnání: {a} a {b} ({profile})", "Comparison: {a} and {b} ({profile})"),
    "housing.ui.category": ("Kategorie", "Category"),
    "housing.ui.card_heading": ("Karta dostupnosti: {home}", "Reach card: {home}"),
    "housing.ui.point": ("místo {lat}, {lon}", "place {lat}, {lon}"),
    "housing.ui.score": ("Skóre dostupnosti", "Reach score"),
    "housing.ui.score_value": ("{value} ze 100", "{value} of 100"),
    "housing.ui.score_none": ("bez skóre", "no score"),
    "housing.ui.within": ("do 10 min: {within_10}, do 15 min: {within_15} z {counted}",
                          "within 10 min: {within_10}, within 15 min: {within_15} of {counted}"),
    "housing.ui.entrance": ("Vstup do domu", "Entrance of the house"),
    "housing.ui.lift": ("Výtah", "Lift"),
    "housing.ui.lift_yes": ("ano", "yes"),
    "housing.ui.lift_no": ("ne", "no"),
    "housing.ui.lift_unknown": ("nevíme", "unknown"),
    "housing.ui.precision_street": ("Poloha bytu je známá jen podle ulice – časy jsou přibližné.",
                                    "The flat's position is known by its street only – times are approximate."),
    "housing.ui.verified": ("ověřeno {pct} % cesty", "{pct} % of the way verified"),
    "housing.ui.worst": ("nejhorší: {message}", "worst: {message}"),
    "housing.ui.no_warning": ("bez varování", "no warnings"),
    "housing.ui.route_link": ("Trasa", "Route"),
    "housing.ui.route_relaxed": ("Trasa s úlevou", "Route with the relaxation"),
    "housing.ui.source": ("zdroj: {source}", "source: {source}"),
    "housing.ui.loading_card": ("Počítám kartu dostupnosti…", "Computing the reach card…"),
    "housing.ui.card_ready": ("Karta dostupnosti: {home}, skóre {score}.", "Reach card: {home}, score {score}."),
    "housing.ui.legend": ("Barva a vzor bytů na mapě: skóre pro zvolený profil", "Colour and pattern of the flats on "
                          "the map: the score for the chosen profile"),
    "housing.ui.band_good": ("75–100 (plná zelená)", "75–100 (solid green)"),
    "housing.ui.band_fair": ("50–74 (čárkovaná oranžová)", "50–74 (dashed orange)"),
    "housing.ui.band_poor": ("0–49 (tečkovaná červená)", "0–49 (dotted red)"),
    "housing.ui.band_none": ("bez skóre (šedá)", "no score (grey)"),
    "housing.ui.marker": ("{name}: skóre {score}", "{name}: score {score}"),
    "housing.ui.card_start": ("Karta dostupnosti výchozího bodu trasy", "Reach card of the route's start point"),
    "housing.ui.need_start": ("Nejdřív zadejte výchozí bod na kartě Trasa – adresou, kliknutím do mapy nebo polohou.",
                              "First set the start point on the Route tab – by address, map click or your location."),
    "housing.ui.click_card": ("kartu dostupnosti místa", "the reach card of the place"),
    # command line
    "cli.reach.stage.snap": ("umisťuji domovy a cíle", "placing homes and destinations"),
    "cli.reach.stage.search": ("hledání z cílů", "searches from destinations"),
    "cli.reach.stage.cards": ("karty", "cards"),
    "cli.reach.summary": ("{n, plural, one {# karta} few {# karty} other {# karet}} dostupnosti ({profile}): "
                          "medián skóre {median}, bez skóre {none}.",
                          "{n, plural, one {# reach card} other {# reach cards}} ({profile}): median score "
                          "{median}, without a score {none}."),
    "cli.reach.written": ("Karty zapsány do {file}.", "Cards written to {file}."),
}
