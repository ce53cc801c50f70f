"""Tests of translator.services."""
