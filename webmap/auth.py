"""Moderator sign-in (``/api/auth``), the moderator of a request, and CSRF, as in Flask's tutorial.

Moderators log in with a session cookie (HttpOnly, SameSite=Lax, Secure on HTTPS) holding a random
session token; the session itself lives in the database (:class:`~geo.reports.accounts.ModeratorAccounts`),
so logout, a new password or a disabled account end it on the server — a copied cookie then opens
nothing. Sessions last ``MODERATOR_SESSION_HOURS`` (12). CSRF: every state-changing
request of a logged-in moderator (status changes, logout) must carry the header ``X-CSRF-Token``
with the token returned by ``POST /api/auth/login`` and ``GET /api/auth/me``; without it the answer
is 403. A cross-site page can neither read that token nor set the header. Login itself accepts JSON
only (a cross-site HTML form cannot send JSON).
"""

from __future__ import annotations

import functools
import hmac
import secrets
from collections.abc import Callable
from datetime import timedelta
from typing import Any, TypeVar

from flask import Blueprint, current_app, g, jsonify, request, session
from flask.typing import ResponseReturnValue
from pydantic import BaseModel, Field, field_validator

from geo.errors import AuthRequiredError, ForbiddenError
from geo.reports.accounts import Moderator
from geo.reports.limits import RateLimit
from geo.reports.model import no_nul, utcnow
from geo.validation import validate
from webmap import resources
from webmap.openapi import LoginAnswer, doc, errors
from webmap.params import client_key, json_body

bp = Blueprint("auth", __name__, url_prefix="/api/auth")
F = TypeVar("F", bound=Callable[..., Any])
CSRF_HEADER = "X-CSRF-Token"


def current_moderator() -> Moderator | None:
    """The logged-in moderator, if the session is still live on the server (not logged out, not
    expired, account active, password unchanged)."""
    if "moderator" in g:
        return g.moderator
    token = session.get("sid")
    mod = resources.moderators().by_session(token, now=utcnow()) if isinstance(token, str) and token else None
    g.moderator = mod
    return mod


def require_moderator() -> Moderator:
    """The logged-in moderator, or 401."""
    mod = current_moderator()
    if mod is None:
        raise AuthRequiredError("auth.login_required")
    return mod


def csrf_token() -> str:
    """The session's CSRF token (created on first use)."""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return str(session["csrf"])


def _check_csrf() -> None:
    sent = request.headers.get(CSRF_HEADER, "")
    token = session.get("csrf", "")
    if not sent or not token or not hmac.compare_digest(sent, token):
        raise ForbiddenError("auth.csrf", header=CSRF_HEADER)


def moderator_required(view: F) -> F:
    """401 without a valid login; 403 for a state-changing request without the CSRF token."""

    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        require_moderator()
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            _check_csrf()
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


class Login(BaseModel):
    """Moderator credentials."""

    name: str = Field(min_length=1, max_length=80)
    password: str = Field(min_length=1, max_length=1024)

    _no_nul = field_validator("name", "password")(no_nul)


@bp.post("/login")
@doc(tags=("moderation",), json=Login, resp={"HTTP_200": LoginAnswer, **errors(400, 401, 415, 429, 503)})
def login() -> ResponseReturnValue:
    """Log in with ``{"name", "password"}`` (JSON) → the CSRF token for later requests."""
    creds = validate(Login, json_body())
    cfg = current_app.config
    mod = resources.moderators().authenticate(
        creds.name, creds.password, client=client_key(), now=utcnow(),
        limit=RateLimit(int(cfg["REPORTS_LOGIN_LIMIT"]), float(cfg["REPORTS_LOGIN_WINDOW_S"])))
    if mod is None:
        raise AuthRequiredError("auth.wrong_login")
    hours = float(cfg["MODERATOR_SESSION_HOURS"])
    token = resources.moderators().start_session(mod, now=utcnow(), lifetime=timedelta(hours=hours))
    session.clear()
    session["sid"] = token
    g.moderator = mod
    return jsonify({"name": mod.name, "csrf_token": csrf_token()})


@bp.post("/logout")
@doc(tags=("moderation",), moderator=True, resp={"HTTP_204": None, **errors(401, 403, 503)})
@moderator_required
def logout() -> ResponseReturnValue:
    """End the session (on the server too: the cookie stops working everywhere)."""
    token = session.get("sid")
    if isinstance(token, str):
        resources.moderators().end_session(token)
    session.clear()
    return "", 204


@bp.get("/me")
@doc(tags=("moderation",), moderator=True, resp={"HTTP_200": LoginAnswer, **errors(401, 503)})
@moderator_required
def me() -> ResponseReturnValue:
    """The logged-in moderator and the CSRF token."""
    return jsonify({"name": require_moderator().name, "csrf_token": csrf_token()})
