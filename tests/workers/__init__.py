"""Tests of workers (the Celery tasks)."""
