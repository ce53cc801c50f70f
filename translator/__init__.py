"""translator: publish every text simultaneously in several languages."""

from __future__ import annotations

from typing import Any

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    # ``from translator import create_app`` without importing Flask for every user of
    # the package (``translator --help`` must start fast).
    if name == "create_app":
        from translator.app import create_app

        return create_app
    raise AttributeError(f"module 'translator' has no attribute {name!r}")
