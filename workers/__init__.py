"""Celery tasks. Thin: load by id, call a service, commit."""
