"""The Celery entry point: ``celery -A workers.celery_app worker``.

Builds the Flask app (same configuration as the web process) and exposes the Celery
app bound to it; task modules are listed in the ``CELERY["include"]`` setting."""

from __future__ import annotations

from translator import create_app

flask_app = create_app()
celery_app = flask_app.extensions["celery"]
app = celery_app
