"""The programme tracker and the provenance of curated facts: the ``/programme`` page, its API, the
provenance lines of service cards, the rules of the curated files and ``app.py check-data``.

Values: ``field`` (a field of a record), ``file``, ``id`` (a source or record id), ``commitment`` (a
commitment id), ``ref`` (``section.bullet``), ``date``/``year`` (dates as the sources give them).
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # ------------------------------------------------------------------ rules of the curated files
    "layers.fact_without_source": ("{field}: hodnota bez zdroje – doplňte provenance.{field} nebo ji nastavte "
                                   "jako neznámou (null / unknown)",
                                   "{field}: a value without a source – add provenance.{field} or set it to "
                                   "unknown (null / unknown)"),
    "layers.provenance_field": ("{field}: {name} není pole záznamu", "{field}: {name} is not a field of the record"),
    "layers.locate_needs_address": ("{field}: locate {locate} potřebuje adresu (jinak name nebo none)",
                                    "{field}: locate {locate} needs an address (else name or none)"),
    "layers.duplicate_source": ("{field}: zdroj {id} je definován dvakrát", "{field}: source {id} is defined twice"),
    "layers.unknown_source": ("{field}: zdroj {id} není mezi zdroji souboru",
                              "{field}: source {id} is not among the file's sources"),
    "layers.source_differs": ("{file}: zdroj {id} má jinou adresu, název nebo datum než v {other}",
                              "{file}: source {id} has another URL, title or date than in {other}"),
    "layers.source_without_url": ("{file}: zdroj {id} nemá veřejnou adresu (url)",
                                  "{file}: source {id} has no public address (url)"),
    "layers.bad_date": ("{field}: „{value}“ není datum (RRRR, RRRR-MM, RRRR-MM-DD nebo undated)",
                        "{field}: '{value}' is not a date (YYYY, YYYY-MM, YYYY-MM-DD or undated)"),
    "layers.future_date": ("{field}: datum {value} je v budoucnosti (dnes je {today})",
                           "{field}: the date {value} lies in the future (today is {today})"),
    "service.category.preschool_club": ("předškolní klub", "pre-school club"),
    # ------------------------------------------------------------------ the programme file
    "programme.target_value": ("{field}: cíl druhu {kind} potřebuje číselnou hodnotu",
                               "{field}: a target of kind {kind} needs a number"),
    "programme.status_without_evidence": ("{field}: stav {value} potřebuje doklad (evidence) a zdroje",
                                          "{field}: the status {value} needs evidence and sources"),
    "programme.no_record": ("{field}: závazek druhu {kind} potřebuje aspoň jeden záznam na mapě",
                            "{field}: a commitment of kind {kind} needs at least one map record"),
    "programme.no_target": ("{field}: závazek druhu target potřebuje aspoň jeden cíl",
                            "{field}: a commitment of kind target needs at least one target"),
    "programme.duplicate_section": ("{field}: číslo oddílu se opakuje", "{field}: a section number repeats"),
    "programme.unknown_section": ("{field}: oddíl {section} v programu není", "{field}: there is no section {section}"),
    "programme.duplicate_bullet": ("{field}: bod {ref} má už závazek {other}",
                                   "{field}: bullet {ref} already has commitment {other}"),
    "programme.unknown_record": ("{file}: závazek {commitment} odkazuje na {layer}/{id}, který ve vrstvě není",
                                 "{file}: commitment {commitment} links to {layer}/{id}, which is not in the layer"),
    "programme.kind.service": ("služba", "service"),
    "programme.kind.place": ("místo", "place"),
    "programme.kind.target": ("cíl", "target"),
    "programme.kind.rule": ("pravidlo", "rule"),
    "programme.kind.fund": ("fond a financování", "fund and funding"),
    "programme.kind.project": ("projekt", "project"),
    "programme.status.not_started": ("nezahájeno", "not started"),
    "programme.status.in_progress": ("rozpracováno", "in progress"),
    "programme.status.done": ("splněno", "done"),
    "programme.status.unknown": ("stav neznámý", "status unknown"),
    "programme.unit.units": ("bytů", "flats"),
    "programme.unit.people": ("lidí", "people"),
    "programme.unit.czk": ("Kč", "CZK"),
    "programme.unit.places": ("míst", "places"),
    "programme.unit.psychiatrists": ("psychiatrů", "psychiatrists"),
    "programme.unit.percent": ("%", "%"),
    "programme.not_liberec": (
        "Načtená mapa ukazuje {area}, ne Liberec: záznamy o Liberci na ní nelze umístit, proto jsou jen "
        "v seznamu, ne na mapě.",
        "The loaded map shows {area}, not Liberec: the curated Liberec records cannot be placed on it, so they "
        "are listed, not drawn."),
    "programme.none_placed": (
        "Žádný záznam o Liberci nebylo možné na načtené mapě ({area}) umístit: jsou jen v seznamu, ne na mapě.",
        "None of the curated Liberec records could be placed on the loaded map ({area}): they are listed, not "
        "drawn."),
    # ------------------------------------------------------------------ the /programme page (map script texts)
    "programme.nav": ("Program města", "City programme"),
    "programme.page_title": ("Program města: sliby a jejich plnění", "The city programme: what was promised"),
    "programme.skip": ("Přeskočit na závazky", "Skip to the commitments"),
    "programme.intro": (
        "Co město v sociální oblasti slíbilo, co z toho existuje a odkud to víme. Každý závazek je popsán vlastními "
        "slovy projektu; stav vychází jen z uvedených zdrojů.",
        "What the city promised in social affairs, what exists and how we know. Each commitment is described in "
        "the project's own words; its status rests only on the sources given."),
    "programme.source_line": ("Zdroj programu: {title} ({publisher}, {date}).",
                              "Programme source: {title} ({publisher}, {date})."),
    "programme.as_of": ("Stav posouzen k {date}.", "Status assessed as of {date}."),
    "programme.context_heading": ("Souvislosti z programu", "Context given by the programme"),
    "programme.filter_status": ("Zobrazit podle stavu", "Show by status"),
    "programme.all_statuses": ("všechny stavy", "all statuses"),
    "programme.shown": (
        "{n, plural, one {Zobrazen # závazek} few {Zobrazeny # závazky} other {Zobrazeno # závazků}} z {total}.",
        "{n, plural, one {# commitment shown} other {# commitments shown}} of {total}."),
    "programme.counts": (
        "{done} splněno · {in_progress} rozpracováno · {not_started} nezahájeno · {unknown} stav neznámý",
        "{done} done · {in_progress} in progress · {not_started} not started · {unknown} status unknown"),
    "programme.ref": ("bod {ref}", "item {ref}"),
    "programme.kind_label": ("Druh: {kind}", "Kind: {kind}"),
    "programme.evidence": ("Doklad", "Evidence"),
    "programme.no_evidence": ("Žádný zdroj stav nedokládá.", "No source documents the status."),
    "programme.interpretation": ("Výklad projektu", "The project's reading"),
    "programme.reading": ("výklad projektu", "project's reading"),
    "programme.records": ("Na mapě", "On the map"),
    "programme.no_records": ("Nemá místo na mapě – je jen v seznamu.", "Has no place on the map – listed only."),
    "programme.show_on_map": ("{name} – ukázat na mapě", "{name} – show on the map"),
    "programme.in_list": ("{name} – v seznamu služeb (na této mapě bez polohy)",
                          "{name} – in the services list (no position on this map)"),
    "programme.not_on_map": ("{name} – na této mapě bez polohy", "{name} – no position on this map"),
    "programme.targets": ("Cíle", "Targets"),
    "programme.no_data": ("bez dat – žádný zdroj neuvádí současný stav",
                          "no data – no source gives the current figure"),
    "programme.progress_units": (
        "{done} z {target} {unit} hotovo; rozestavěno {under_way}, plánováno {planned}",
        "{done} of {target} {unit} done; {under_way} under way, {planned} planned"),
    "programme.progress_value": ("současný stav: {current} {unit}", "current figure: {current} {unit}"),
    "programme.progress_label": ("Plnění cíle: {label}", "Progress toward: {label}"),
    "programme.baseline": ("výchozí stav: {value} {unit}", "starting point: {value} {unit}"),
    "programme.counted_records": ("započteno: {records}", "counted: {records}"),
    "programme.sources": ("Zdroje", "Sources"),
    "programme.source_item": ("{title} – {publisher}, {date}", "{title} – {publisher}, {date}"),
    "programme.undated": ("bez data", "undated"),
    "programme.approximately": ("asi {value}", "about {value}"),
    "programme.load_failed": ("Program se nepodařilo načíst: {message}",
                              "The programme could not be loaded: {message}"),
    # ------------------------------------------------------------------ provenance on the map (service cards, popups)
    "provenance.line": (
        "ověřeno {checked} · {n, plural, one {# zdroj} few {# zdroje} other {# zdrojů}}",
        "checked {checked} · {n, plural, one {# source} other {# sources}}"),
    "provenance.none": ("bez zdroje", "no source"),
    "provenance.details": ("Zdroje údajů", "Where the facts come from"),
    "provenance.field.address": ("adresa", "address"),
    "provenance.field.operator": ("provozovatel", "operator"),
    "provenance.field.status": ("stav", "status"),
    "provenance.field.wheelchair": ("přístupnost", "accessibility"),
    "provenance.field.wheelchair_note": ("vstup a bezbariérovost", "entrance and access"),
    "provenance.field.phone": ("telefon", "phone"),
    "provenance.field.web": ("web", "web"),
    "provenance.field.opening_hours": ("otevírací doba", "opening hours"),
    "provenance.field.note": ("poznámka", "note"),
    "provenance.field.units_total": ("počet bytů", "number of flats"),
    "provenance.field.units_accessible": ("bezbariérové byty", "accessible flats"),
    "provenance.field.lift": ("výtah", "lift"),
    "provenance.field.entrance_step_cm": ("schod u vstupu", "entrance step"),
    "provenance.fact": ("{field}: {sources} (ověřeno {checked})", "{field}: {sources} (checked {checked})"),
    "provenance.source": ("{title} ({date})", "{title} ({date})"),
    "provenance.status_operating": ("v provozu", "operating"),
    "provenance.status_unknown": ("stav neznámý", "status unknown"),
    "provenance.last_confirmed": ("naposledy potvrzeno {year}", "last confirmed {year}"),
    "provenance.undated_status": ("{status} – zdroj bez data", "{status} – undated source"),
    "provenance.commitments": ("Program města: {refs}", "City programme: {refs}"),
    "provenance.commitment_link": ("bod {ref}", "item {ref}"),
    # ------------------------------------------------------------------ app.py check-data
    "check.file": (
        "{file}: v pořádku – {records, plural, one {# záznam} few {# záznamy} other {# záznamů}}, "
        "{facts, plural, one {# doložený údaj} few {# doložené údaje} other {# doložených údajů}}, "
        "{sources, plural, one {# zdroj} few {# zdroje} other {# zdrojů}}, "
        "{stale, plural, one {# stav starší tří let} few {# stavy starší tří let} other {# stavů starších tří let}}",
        "{file}: ok – {records, plural, one {# record} other {# records}}, "
        "{facts, plural, one {# sourced fact} other {# sourced facts}}, "
        "{sources, plural, one {# source} other {# sources}}, "
        "{stale, plural, one {# status older than three years} other {# statuses older than three years}}"),
    "check.programme": (
        "{file}: v pořádku – {commitments, plural, one {# závazek} few {# závazky} other {# závazků}}, "
        "{links, plural, one {# odkaz na záznam} few {# odkazy na záznamy} other {# odkazů na záznamy}}, "
        "{targets, plural, one {# cíl} few {# cíle} other {# cílů}}, "
        "{sources, plural, one {# zdroj} few {# zdroje} other {# zdrojů}}",
        "{file}: ok – {commitments, plural, one {# commitment} other {# commitments}}, "
        "{links, plural, one {# link to a record} other {# links to records}}, "
        "{targets, plural, one {# target} other {# targets}}, "
        "{sources, plural, one {# source} other {# sources}}"),
    "check.done": ("všechny kurátorské soubory jsou v pořádku ({count, plural, one {# soubor} few {# soubory} "
                   "other {# souborů}}, {sources, plural, one {# zdroj} few {# zdroje} other {# zdrojů}})",
                   "all curated files are valid ({count, plural, one {# file} other {# files}}, "
                   "{sources, plural, one {# source} other {# sources}})"),
}
