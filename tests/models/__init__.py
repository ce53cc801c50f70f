"""Tests of translator.models."""
