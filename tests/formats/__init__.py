"""Tests of the pure import adapters in translator.formats."""
