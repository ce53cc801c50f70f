"""Sign-in and interface language."""
