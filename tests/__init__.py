"""Tests mirror the package layout."""
