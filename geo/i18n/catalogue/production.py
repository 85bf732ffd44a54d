"""Texts of running in production: configuration, the network the server loads, idempotent
submissions, the server command."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "config.bad_value": ("proměnná prostředí {variable} má neplatnou hodnotu „{value}“",
                         "the environment variable {variable} has an invalid value '{value}'"),
    "config.default_secret": ("v produkci (LBB_ENV=production) nastavte vlastní tajný klíč {variable} "
                              "(alespoň {min} znaků); vývojový klíč se nepoužije",
                              "in production (LBB_ENV=production) set your own secret key {variable} "
                              "(at least {min} characters); the development key is refused"),
    "network.no_cache_entry": ("v {path} není připravená síť (nastavte {variable} na složku, kterou zapsal "
                               "příkaz build)",
                               "no prepared network in {path} (set {variable} to a folder written by the build "
                               "command)"),
    "osm.download_off": ("{place} není v mezipaměti a stahování je vypnuté (LBB_DOWNLOAD=0)",
                         "{place} is not cached and downloading is off (LBB_DOWNLOAD=0)"),
    "idempotency.key_invalid": ("hlavička {field}: 1–200 viditelných znaků ASCII",
                                "header {field}: 1–200 visible ASCII characters"),
    "idempotency.mismatch": ("klíč {field} už byl použit pro jiné hlášení; pro nové hlášení pošlete nový klíč",
                             "the {field} was already used for a different report; send a new key for a new "
                             "report"),
    "cli.serving": ("{area}: uzly {nodes}, hrany {edges} — otevřete http://{host}:{port} "
                    "({workers, plural, one {# proces} few {# procesy} other {# procesů}} × "
                    "{threads, plural, one {# vlákno} few {# vlákna} other {# vláken}})",
                    "{area}: {nodes} nodes, {edges} edges — open http://{host}:{port} "
                    "({workers, plural, one {# worker} other {# workers}} × "
                    "{threads, plural, one {# thread} other {# threads}})"),
    "cli.built": ("síť je připravena v {path}: uzly {nodes}, hrany {edges}",
                  "the network is ready in {path}: {nodes} nodes, {edges} edges"),
    "openapi.title": ("Liberec bez bariér – HTTP API", "Liberec bez bariér – HTTP API"),
    "openapi.description": ("Bezbariérové trasy, vrstvy mapy, hlášení bariér, moderace a Open311. Chyba je "
                            "objekt s kódem (error), textem v jazyce požadavku (message) a hodnotami (details); "
                            "Open311 vrací seznam s code a description.",
                            "Barrier-free routes, map layers, barrier reports, moderation and Open311. An error is "
                            "an object with a code (error), a text in the request's language (message) and "
                            "values (details); Open311 answers a list with code and description."),
    "ui.api_docs": ("Dokumentace HTTP API", "HTTP API documentation"),
}
