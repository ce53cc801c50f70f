"""The JSON API under ``/api/v1/`` that the editor uses (documented in docs/api.md)."""
