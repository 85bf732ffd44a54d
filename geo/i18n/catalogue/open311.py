"""Open311 GeoReport v2: services, service discovery, the errors of the standard's parameters, API keys and
the commands that issue them."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # services and requests
    "open311.notice": ("Hlášení čeká na kontrolu moderátorem.", "The report awaits moderation."),
    "open311.group": ("Bariéry", "Barriers"),
    "open311.keywords": ("bariéra, přístupnost, vozík, kočárek", "barrier, accessibility, wheelchair, pram"),
    "open311.attr.severity": ("Závažnost", "Severity"),
    "open311.attr.severity_help": ("1, 2 nebo 3 (výchozí 2)", "1, 2 or 3 (default 2)"),
    "open311.attr.valid_until": ("Platí do", "Valid until"),
    "open311.attr.valid_until_help": ("ISO 8601; pro dočasné bariéry, např. stavby",
                                      "ISO 8601; for temporary barriers such as construction"),
    # service discovery
    "open311.contact": ("{agency} — Liberec bez bariér, mapa přístupnosti; jurisdiction_id: {jurisdiction}; "
                        "popis API: {docs}",
                        "{agency} — Liberec bez bariér, an accessibility map; jurisdiction_id: {jurisdiction}; "
                        "API description: {docs}"),
    "open311.key_service": ("API klíč (api_key) vydává provozovatel této mapy, každý s vlastním limitem hlášení. "
                            "Bez klíče smí jedna adresa poslat nejvýše {limit, plural, one {# hlášení} few "
                            "{# hlášení} other {# hlášení}} za {minutes} min.",
                            "API keys (api_key) are issued by the operator of this map, each with its own quota. "
                            "Without a key one address may send at most {limit, plural, one {# request} other "
                            "{# requests}} in {minutes} minutes."),
    # errors of the standard's parameters
    "open311.no_service": ("service_code {code}: taková služba neexistuje (viz services.json)",
                           "service_code {code}: no such service (see services.json)"),
    "open311.service_code_required": ("chybí service_code (viz services.json)", "service_code is required (see "
                                      "services.json)"),
    "open311.latlong_only": ("místo se zadává jen jako lat/long, ne address_string",
                             "only lat/long locations are supported, not address_string"),
    "open311.request_ids": ("service_request_id musí být čísla požadavků (1 až {max}) oddělená čárkou",
                            "service_request_id must be a comma-separated list of request ids (1 to {max})"),
    "open311.status": ("status musí být open, closed nebo obojí", "status must be open, closed or both"),
    "open311.no_jurisdiction": ("jurisdiction_id {jurisdiction} tu není; tento server obsluhuje jen {ours}",
                                "unknown jurisdiction_id {jurisdiction}: this server serves {ours} only"),
    "open311.api_key_invalid": ("neplatný nebo zrušený api_key", "invalid or revoked api_key"),
    "open311.media_twice": ("pošlete buď soubor media, nebo odkaz media_url, ne obojí",
                            "send either a media file or a media_url, not both"),
    "open311.date_order": ("end_date ({end}) je dříve než start_date ({start})",
                           "end_date ({end}) is earlier than start_date ({start})"),
    "open311.date_span": ("start_date a end_date smějí být od sebe nejvýše "
                          "{days, plural, one {# den} few {# dny} other {# dní}}",
                          "start_date and end_date may be at most {days, plural, one {# day} other {# days}} apart"),
    "open311.no_tokens": ("tokeny se nevydávají: každé hlášení dostane service_request_id hned (typ realtime)",
                          "no tokens are issued: every request gets its service_request_id at once (type realtime)"),
    "validation.url_too_long": ("{field}: adresa smí mít nejvýše {max_length} znaků",
                                "{field}: the address may have at most {max_length} characters"),
    # API keys
    "apikey.name_invalid": ("název klíče má 1–80 znaků bez mezer", "a key name is 1–80 characters without spaces"),
    "apikey.quota_invalid": ("limit klíče musí být kladný ({limit} hlášení za {window_s} s)",
                             "a key's quota must be positive ({limit} requests per {window_s} s)"),
    "apikey.exists": ("klíč {name} už existuje (zrušte ho příkazem revoke-api-key a vydejte nový s jiným názvem)",
                      "a key named {name} already exists (revoke it with revoke-api-key and issue one with "
                      "another name)"),
    "apikey.no_such": ("klíč {name} neexistuje", "no key named {name}"),
    "cli.api_key_created": ("klíč {name} byl vydán v databázi {url}: nejvýše {limit} hlášení za {window_s} s; "
                            "zobrazí se jen teď, uložte ho:",
                            "key {name} issued in {url}: at most {limit} requests per {window_s} s; it is shown "
                            "only now, keep it:"),
    "cli.api_key_revoked": ("klíč {name} je zrušen od {at}", "key {name} revoked since {at}"),
    "cli.api_key_line": ("{id}  {name}  {limit} hlášení / {window_s} s  vydán {created}  {state}",
                         "{id}  {name}  {limit} requests / {window_s} s  issued {created}  {state}"),
    "cli.api_key_live": ("platný", "live"),
    "cli.api_key_dead": ("zrušen {at}", "revoked {at}"),
    "cli.api_keys_none": ("žádné klíče", "no keys"),
    # moderation page
    "ui.report_media_link": ("Odkaz na médium (neotevírá se samo)", "Link to media (never opened by the map)"),
}
