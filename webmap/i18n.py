"""User-interface texts in Czech (default) and English.

Every string the pages show lives here; templates call ``t("key")`` and the map script gets the
whole table of the chosen language as JSON. The language comes from ``?lang=`` (remembered in a
cookie) and defaults to Czech.
"""

from __future__ import annotations

from urllib.parse import quote

from flask import Flask, Response, g, request

LANGS = ("cs", "en")
DEFAULT_LANG = "cs"

TEXTS: dict[str, tuple[str, str]] = {
    # page frame
    "app_title": ("Liberec bez bariér", "Liberec without barriers"),
    "app_tagline": ("Mapa bezbariérových tras, služeb a městských bytů",
                    "Map of barrier-free routes, services and city flats"),
    "skip_to_planner": ("Přeskočit na plánovač trasy", "Skip to the route planner"),
    "lang_switch": ("English", "Česky"),
    "lang_switch_label": ("Switch to English", "Přepnout do češtiny"),
    "sample_notice": ("Ukázková data: {area} (OpenStreetMap), ne Liberec.",
                      "Sample data: {area} (OpenStreetMap), not Liberec."),
    "data_source": ("Data: {source}, stav k {date}.", "Data: {source}, as of {date}."),
    "source_overpass": ("OpenStreetMap (Overpass)", "OpenStreetMap (Overpass)"),
    "source_file": ("OpenStreetMap (soubor)", "OpenStreetMap (file)"),
    "source_sample": ("OpenStreetMap (ukázka)", "OpenStreetMap (sample)"),
    "unknown_date": ("neznámé datum", "unknown date"),
    "osm_copyright": ("© přispěvatelé OpenStreetMap (ODbL)", "© OpenStreetMap contributors (ODbL)"),
    "map_label": ("Mapa. Šipkami posunete mapu, klávesami + a − měníte měřítko.",
                  "Map. Arrow keys pan, + and − zoom."),
    "panel_label": ("Ovládací panel", "Control panel"),
    "tab_route": ("Trasa", "Route"),
    "tab_services": ("Služby", "Services"),
    "tab_report": ("Nahlásit bariéru", "Report a barrier"),
    "moderation": ("Moderace", "Moderation"),
    "close": ("Zavřít", "Close"),
    "loading": ("Načítám…", "Loading…"),
    "error_generic": ("Něco se pokazilo: {message}", "Something went wrong: {message}"),
    # route planner
    "from": ("Odkud", "From"),
    "to": ("Kam", "To"),
    "search_placeholder": ("Adresa, místo nebo služba", "Address, place or service"),
    "search_hint": ("Pište a šipkami vyberte návrh, Enter potvrdí.",
                    "Type, pick a suggestion with the arrow keys, Enter confirms."),
    "no_suggestions": ("Nic nenalezeno", "Nothing found"),
    "suggestions_count": ("Návrhů: {n}", "{n} suggestions"),
    "my_location": ("Moje poloha", "My location"),
    "my_location_failed": ("Polohu se nepodařilo zjistit.", "Could not get your location."),
    "point_on_map": ("Bod na mapě {lat}, {lon}", "Point on the map {lat}, {lon}"),
    "swap": ("Prohodit odkud a kam", "Swap from and to"),
    "profile": ("Profil", "Profile"),
    "advanced": ("Pokročilé limity", "Advanced limits"),
    "max_uphill_pct": ("Největší stoupání (%)", "Maximum uphill (%)"),
    "max_downhill_pct": ("Největší klesání (%)", "Maximum downhill (%)"),
    "max_kerb_cm": ("Nejvyšší obrubník (cm)", "Highest kerb (cm)"),
    "min_width_m": ("Nejmenší šířka (m)", "Minimum width (m)"),
    "avoid_unknown": ("Vyhnout se neověřeným úsekům", "Avoid unverified stretches"),
    "allow_steps": ("Povolit schody", "Allow steps"),
    "reset_limits": ("Výchozí limity profilu", "Profile defaults"),
    "plan": ("Naplánovat trasu", "Plan route"),
    "need_from_to": ("Zadejte, odkud a kam.", "Enter where from and where to."),
    "click_sets": ("Kliknutí do mapy nastaví", "A click on the map sets"),
    "click_from": ("start", "start"),
    "click_to": ("cíl", "destination"),
    "click_report": ("místo bariéry", "barrier location"),
    "route_result": ("Výsledek", "Result"),
    "length": ("Délka", "Length"),
    "duration": ("Čas", "Time"),
    "climb": ("Stoupání celkem", "Total climb"),
    "descent": ("Klesání celkem", "Total descent"),
    "steepest": ("Nejprudší stoupání", "Steepest uphill"),
    "verified": ("Ověřené údaje", "Verified data"),
    "verified_help": ("podíl délky, kde známe povrch, sklon, šířku i obrubníky",
                      "share of the length where surface, incline, width and kerbs are known"),
    "unknown_value": ("neznámé", "unknown"),
    "warnings": ("Upozornění", "Warnings"),
    "no_warnings": ("Žádná upozornění.", "No warnings."),
    "elevation": ("Výškový profil", "Elevation profile"),
    "elevation_none": ("Výšková data pro tuto oblast nejsou k dispozici.", "No elevation data for this area."),
    "elevation_summary": ("Výška od {min} do {max} m n. m. na {length}.",
                          "Elevation from {min} to {max} m above sea level over {length}."),
    "directions": ("Popis trasy", "Directions"),
    "share": ("Odkaz na tuto trasu", "Link to this route"),
    "copy": ("Kopírovat odkaz", "Copy link"),
    "copied": ("Odkaz zkopírován.", "Link copied."),
    "no_route": ("Trasu pro zvolený profil nelze najít.", "No route for the selected profile."),
    "try_relax": ("Trasa by existovala, když:", "A route would exist if you:"),
    "relax_allow_steps": ("povolíte schody", "allow steps"),
    "relax_max_uphill_pct": ("zvýšíte limit stoupání na {v} %", "raise the uphill limit to {v} %"),
    "relax_max_downhill_pct": ("zvýšíte limit klesání na {v} %", "raise the downhill limit to {v} %"),
    "relax_max_kerb_cm": ("zvýšíte limit obrubníku na {v} cm", "raise the kerb limit to {v} cm"),
    "relax_min_width_m": ("snížíte minimální šířku na {v} m", "lower the minimum width to {v} m"),
    "relax_avoid_unknown": ("povolíte neověřené úseky", "allow unverified stretches"),
    "outside_area": ("Bod je příliš daleko od sítě chodníků.", "The point is too far from the footway network."),
    "route_found": ("Trasa nalezena: {length}, {duration}.", "Route found: {length}, {duration}."),
    "minutes_short": ("min", "min"),
    # services
    "services_heading": ("Služby", "Services"),
    "service_search": ("Hledat službu", "Search services"),
    "category": ("Kategorie", "Category"),
    "all_categories": ("Všechny kategorie", "All categories"),
    "services_count": ("Služeb: {n}", "{n} services"),
    "services_unplaced": ("{n} dalších služeb nemá ověřenou polohu (jen v seznamu).",
                          "{n} more services have no verified position (listed only)."),
    "nearest_heading": ("Nejbližší dostupné služby", "Nearest accessible services"),
    "nearest_help": ("Z bodu Odkud, podle času cesty pro zvolený profil.",
                     "From the From point, by travel time for the selected profile."),
    "nearest_button": ("Najít nejbližší", "Find nearest"),
    "need_from": ("Nejprve zadejte bod Odkud.", "Enter the From point first."),
    "isochrone_heading": ("Kam se dostanu", "What can I reach"),
    "isochrone_minutes": ("Minut cesty", "Minutes of travel"),
    "isochrone_button": ("Zobrazit dosah", "Show reach"),
    "isochrone_result": ("Za {minutes} min dosáhnete {n} služeb.", "Within {minutes} min you reach {n} services."),
    "reachable_in": ("{duration} cesty", "{duration} away"),
    "unreachable": ("bez bariér nedostupné", "not reachable barrier-free"),
    "wheelchair": ("Přístupnost", "Accessibility"),
    "wheelchair_yes": ("přístupné", "accessible"),
    "wheelchair_limited": ("částečně přístupné", "partly accessible"),
    "wheelchair_no": ("nepřístupné", "not accessible"),
    "wheelchair_unknown": ("neznámo", "unknown"),
    "address": ("Adresa", "Address"),
    "operator": ("Provozovatel", "Operator"),
    "source": ("Zdroj", "Source"),
    "precision": ("Přesnost polohy", "Position precision"),
    "precision_exact": ("přesná", "exact"),
    "precision_street": ("ulice", "street"),
    "precision_approximate": ("přibližná", "approximate"),
    "precision_unknown": ("neznámá (neumístěno)", "unknown (not placed)"),
    "status_planned": ("plánováno", "planned"),
    "show_on_map": ("Ukázat na mapě", "Show on map"),
    "route_here": ("Trasa sem", "Route here"),
    # report
    "report_heading": ("Nahlásit bariéru", "Report a barrier"),
    "report_help": ("Klikněte do mapy na místo bariéry, nebo použijte střed mapy.",
                    "Click the map where the barrier is, or use the map centre."),
    "report_location": ("Místo", "Location"),
    "report_latitude": ("Zeměpisná šířka", "Latitude"),
    "report_longitude": ("Zeměpisná délka", "Longitude"),
    "use_map_centre": ("Použít střed mapy", "Use the map centre"),
    "report_category": ("Druh bariéry", "Kind of barrier"),
    "report_severity": ("Závažnost", "Severity"),
    "severity_1": ("1 – drobná", "1 – minor"),
    "severity_2": ("2 – vážná", "2 – serious"),
    "severity_3": ("3 – neprůjezdné", "3 – blocks the way"),
    "report_description": ("Popis", "Description"),
    "report_contact": ("Kontakt (nepovinné, nezveřejňuje se)", "Contact (optional, not published)"),
    "report_photo": ("Fotografie (JPEG nebo PNG, nejvýše 5 MB)", "Photo (JPEG or PNG, at most 5 MB)"),
    "report_valid_until": ("Dočasná do (nepovinné)", "Temporary until (optional)"),
    "report_honeypot": ("Nevyplňujte", "Leave empty"),
    "report_submit": ("Odeslat hlášení", "Send the report"),
    "report_need_location": ("Vyberte místo bariéry.", "Choose the barrier's location."),
    "report_thanks": ("Děkujeme. Hlášení č. {id} jsme přijali; po ověření se projeví v trasách.",
                      "Thank you. Report no. {id} was received; once confirmed it affects routes."),
    # service categories
    "svc_community_centre": ("komunitní centrum", "community centre"),
    "svc_social_services_office": ("sociální služby", "social services office"),
    "svc_housing_help": ("pomoc s bydlením", "housing help"),
    "svc_homeless_hostel": ("ubytovna / noclehárna", "homeless hostel"),
    "svc_asylum_house": ("azylový dům", "asylum house"),
    "svc_senior_advice": ("poradna pro seniory", "senior advice"),
    "svc_advice_centre": ("poradna", "advice centre"),
    "svc_debt_counselling": ("dluhová poradna", "debt counselling"),
    "svc_respite_care": ("odlehčovací služba", "respite care"),
    "svc_foster_care": ("podpora pěstounů", "foster-care support"),
    "svc_early_care": ("raná péče", "early care"),
    "svc_mental_health": ("duševní zdraví", "mental health"),
    "svc_employment": ("zaměstnání", "employment"),
    "svc_furniture_bank": ("nábytková banka", "furniture bank"),
    "svc_low_threshold_club": ("nízkoprahový klub", "low-threshold club"),
    "svc_social_ambulance": ("sociální ambulance", "social ambulance"),
    "svc_public_office": ("úřad", "public office"),
    "svc_social_facility": ("sociální zařízení", "social facility"),
    # map layers and legend
    "layer_network": ("Síť chodníků – přístupnost", "Footway network – accessibility"),
    "layer_coverage": ("Pokrytí dat (ověřené úseky)", "Data coverage (verified stretches)"),
    "layer_buildings": ("Budovy", "Buildings"),
    "layer_services": ("Služby", "Services"),
    "layer_flats": ("Městské byty", "City flats"),
    "layer_stops": ("Zastávky MHD", "Public-transport stops"),
    "layer_barriers": ("Bariéry z OpenStreetMap", "Barriers from OpenStreetMap"),
    "layer_reports": ("Nahlášené bariéry (potvrzené)", "Reported barriers (confirmed)"),
    "layer_route": ("Trasa", "Route"),
    "layer_isochrone": ("Dosah", "Reach"),
    "layer_basemap": ("Podkladová mapa OpenStreetMap (online)", "OpenStreetMap base map (online)"),
    "legend": ("Legenda", "Legend"),
    "access_accessible": ("přístupné (vše ověřeno)", "accessible (all verified)"),
    "access_unverified": ("sjízdné, údaje neúplné", "passable, data incomplete"),
    "access_difficult": ("obtížné (kostky, sklon, obrubník)", "difficult (setts, slope, kerb)"),
    "access_impassable": ("neprůjezdné pro profil", "impassable for the profile"),
    "zoom_in_for": ("Přibližte mapu pro zobrazení sítě a budov.", "Zoom in to see the network and buildings."),
    "truncated": ("Zobrazena jen část prvků – přibližte mapu.", "Only part of the features shown – zoom in."),
    "stop_wheelchair_1": ("bezbariérová zastávka", "wheelchair-accessible stop"),
    "stop_wheelchair_2": ("zastávka není bezbariérová", "stop not wheelchair-accessible"),
    "stop_wheelchair_0": ("přístupnost zastávky neznámá", "stop accessibility unknown"),
    "barrier_severity": ("závažnost {s}", "severity {s}"),
    "flats_units": ("bytů: {n}", "flats: {n}"),
    "flats_accessible": ("bezbariérových: {n}", "accessible: {n}"),
    "programme_progress": ("Program: {label} – zaznamenáno {recorded} z {target}",
                           "Programme: {label} – {recorded} of {target} recorded"),
    # moderation
    "login_heading": ("Přihlášení moderátora", "Moderator sign-in"),
    "username": ("Uživatelské jméno", "User name"),
    "password": ("Heslo", "Password"),
    "sign_in": ("Přihlásit", "Sign in"),
    "sign_out": ("Odhlásit", "Sign out"),
    "login_failed": ("Přihlášení se nezdařilo.", "Sign-in failed."),
    "signed_in_as": ("Přihlášen(a): {name}", "Signed in as {name}"),
    "queue_heading": ("Hlášení ke zpracování", "Reports to handle"),
    "filter_status": ("Stav", "Status"),
    "all_statuses": ("Všechny stavy", "All statuses"),
    "report_no": ("Hlášení č. {id}", "Report no. {id}"),
    "created": ("Vytvořeno", "Created"),
    "history": ("Historie", "History"),
    "actions": ("Akce", "Actions"),
    "duplicate_of": ("Duplikát hlášení č.", "Duplicate of report no."),
    "note": ("Poznámka", "Note"),
    "apply": ("Provést", "Apply"),
    "no_reports": ("Žádná hlášení.", "No reports."),
    "status_changed": ("Stav hlášení č. {id} změněn na {status}.", "Report no. {id} is now {status}."),
    "st_submitted": ("podáno", "submitted"),
    "st_confirmed": ("potvrzeno", "confirmed"),
    "st_planned": ("naplánováno", "planned"),
    "st_in_progress": ("řeší se", "in progress"),
    "st_fixed": ("opraveno", "fixed"),
    "st_rejected": ("zamítnuto", "rejected"),
    "st_duplicate": ("duplikát", "duplicate"),
    "photo": ("Fotografie", "Photo"),
}


def lang() -> str:
    """The language of the current request."""
    return getattr(g, "lang", DEFAULT_LANG)


def t(key: str, **values: object) -> str:
    """The text ``key`` in the current language, formatted with ``values``."""
    pair = TEXTS.get(key)
    if pair is None:
        return key
    text = pair[LANGS.index(lang())]
    return text.format(**values) if values else text


def table(language: str) -> dict[str, str]:
    """All texts of one language (for the map script)."""
    i = LANGS.index(language)
    return {k: v[i] for k, v in TEXTS.items()}


def init_app(app: Flask) -> None:
    """Pick the language per request and expose ``t`` to templates."""

    @app.before_request
    def _pick_language() -> None:
        asked = request.args.get("lang")
        g.lang = asked if asked in LANGS else (request.cookies.get("lang") if request.cookies.get("lang") in LANGS
                                                 else DEFAULT_LANG)
        g.lang_from_query = asked in LANGS

    @app.after_request
    def _remember_language(resp: Response) -> Response:
        if getattr(g, "lang_from_query", False):
            resp.set_cookie("lang", g.lang, max_age=365 * 24 * 3600, samesite="Lax")
        return resp

    @app.context_processor
    def _language_links() -> dict[str, str]:
        other = "en" if lang() == "cs" else "cs"
        args = request.args.to_dict()
        args["lang"] = other
        query = "&".join(f"{quote(k)}={quote(v)}" for k, v in args.items())
        return {"other_lang": other, "other_lang_url": f"{request.path}?{query}"}

    app.jinja_env.globals.update(t=t, lang=lang, LANGS=LANGS)
