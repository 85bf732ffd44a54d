"""The language of a request, and the catalogue's texts in templates.

Pages: ``?lang=`` (remembered in a cookie), else the cookie, else Czech — the map opens in Czech.
API answers: ``?lang=``, else the cookie, else ``Accept-Language`` (the map script sends the page's
language), else Czech. Templates call ``t("ui.key", …)``.
"""

from __future__ import annotations

from urllib.parse import quote

from flask import Flask, Response, has_request_context, request

from geo import i18n
from webmap.security import cookie_secure

COOKIE = "lang"


def _asked() -> str | None:
    asked = request.args.get("lang")
    return asked if asked in i18n.LANGS else None


def _cookie() -> str | None:
    value = request.cookies.get(COOKIE)
    return value if value in i18n.LANGS else None


def lang() -> str:
    """The language of the current page."""
    if not has_request_context():
        return i18n.DEFAULT_LANG
    return _asked() or _cookie() or i18n.DEFAULT_LANG


def api_lang() -> str:
    """The language of the current API answer (errors, route texts, labels)."""
    if not has_request_context():
        return i18n.DEFAULT_LANG
    best = request.accept_languages.best_match(i18n.LANGS) if request.accept_languages else None
    return _asked() or _cookie() or best or i18n.DEFAULT_LANG


def t(key: str, **values: object) -> str:
    """A catalogue text in the page's language."""
    return i18n.text(key, lang(), **values)


def init_app(app: Flask) -> None:
    """Remember a chosen language in a cookie and expose ``t`` and the language switch to templates."""

    @app.after_request
    def _remember_language(resp: Response) -> Response:
        if _asked() is not None and _asked() != _cookie():
            resp.set_cookie(COOKIE, _asked() or i18n.DEFAULT_LANG, max_age=365 * 24 * 3600, samesite="Lax",
                            secure=cookie_secure())
        return resp

    @app.context_processor
    def _language_links() -> dict[str, str]:
        other = "en" if lang() == "cs" else "cs"
        args = request.args.to_dict()
        args["lang"] = other
        query = "&".join(f"{quote(k)}={quote(v)}" for k, v in args.items())
        return {"other_lang": other, "other_lang_url": f"{request.path}?{query}"}

    app.jinja_env.globals.update(t=t, lang=lang, LANGS=i18n.LANGS)
