"""Tests of translator.web."""
