"""translator: publish every text simultaneously in several languages."""

from translator.app import create_app

__all__ = ["create_app"]
