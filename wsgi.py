"""WSGI entry at the top of the repository: ``gunicorn --workers 4 --threads 4 --preload wsgi:app``
(the same as ``webmap.wsgi:app``; see README, "Run in production")."""

from webmap.wsgi import app

__all__ = ["app"]
