"""Security headers of every answer, the CSP nonce of pages, and cookie flags.

Every response gets ``X-Content-Type-Options: nosniff``, ``X-Frame-Options: DENY``,
``Referrer-Policy: same-origin`` and a Content Security Policy with ``frame-ancestors 'none'``:

* pages: scripts and styles from this origin, plus inline ``<script>``/``<style>`` elements that carry
  the request's nonce (:func:`csp_nonce`; folium renders the map's script and styles inline, the
  template marks them with :func:`nonced`); images also from the tile server (``TILE_URL``);
* everything else (JSON, photos): ``default-src 'none'`` — nothing in it may run or load.

Answers that depend on a moderator's session (the moderation page and queue, sign-in, anything a
signed-in moderator sees) get ``Cache-Control: no-store`` so no shared or browser cache keeps
contact details. HTTPS (``request.is_secure``, also through a trusted proxy's ``X-Forwarded-Proto``)
adds ``Strict-Transport-Security``; cookies are ``Secure`` then, or always with ``SESSION_COOKIE_SECURE``
(``$LBB_SECURE_COOKIES=1``).
"""

from __future__ import annotations

import re
import secrets
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, g, has_request_context, request
from flask.sessions import SecureCookieSessionInterface
from markupsafe import Markup

#: Paths whose answers depend on a moderator's session.
PRIVATE_PREFIXES = ("/api/auth/", "/api/moderation/", "/moderation")
_INLINE = re.compile(r"<(script|style)(?=[\s>])")


def csp_nonce() -> str:
    """The current request's nonce for inline ``<script>`` and ``<style>`` (made on first use)."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(18)
    return str(g.csp_nonce)


def nonced(html: str) -> Markup:
    """``html`` (trusted markup, e.g. folium's header) with the nonce on each ``<script>`` and ``<style>``."""
    return Markup(_INLINE.sub(lambda m: f'<{m.group(1)} nonce="{csp_nonce()}"', str(html)))


def cookie_secure() -> bool:
    """Whether cookies get the ``Secure`` flag: always with ``SESSION_COOKIE_SECURE``, else on HTTPS."""
    return bool(current_app.config.get("SESSION_COOKIE_SECURE")) or (has_request_context() and request.is_secure)


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, ``Secure`` on HTTPS even without ``SESSION_COOKIE_SECURE``."""

    def get_cookie_secure(self, app: Flask) -> bool:
        """See :func:`cookie_secure`."""
        return cookie_secure()


def _tile_origin(url: str | None) -> str:
    parts = urlsplit(url or "")
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return ""
    host = re.sub(r"\{s\}", "*", parts.netloc)  # Leaflet's subdomains: {s}.tile.example.org
    return f" {parts.scheme}://{host}"


def content_security_policy(html: bool) -> str:
    """The CSP of a page (``html``) or of any other answer."""
    if not html:
        return "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
    nonce = f" 'nonce-{g.csp_nonce}'" if "csp_nonce" in g else ""
    tiles = _tile_origin(current_app.config.get("TILE_URL"))
    return (f"default-src 'self'; script-src 'self'{nonce}; style-src 'self'{nonce}; "
            f"img-src 'self' data: blob:{tiles}; font-src 'self' data:; connect-src 'self'; "
            "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


def init_app(app: Flask) -> None:
    """Session cookies (``SameSite=Lax``, ``Secure`` on HTTPS) and the headers of every response."""
    app.session_interface = SessionInterface()
    app.jinja_env.globals.update(csp_nonce=csp_nonce)
    app.jinja_env.filters["nonced"] = nonced

    @app.after_request
    def _headers(resp: Response) -> Response:
        h = resp.headers
        h.setdefault("Content-Security-Policy", content_security_policy(resp.mimetype == "text/html"))
        h.setdefault("X-Content-Type-Options", "nosniff")
        h.setdefault("X-Frame-Options", "DENY")
        h.setdefault("Referrer-Policy", "same-origin")
        h.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if request.is_secure:
            h.setdefault("Strict-Transport-Security", "max-age=31536000")
        if request.path.startswith(PRIVATE_PREFIXES) or g.get("moderator") is not None:
            h["Cache-Control"] = "no-store"
            h["Pragma"] = "no-cache"
            resp.vary.add("Cookie")
        return resp
