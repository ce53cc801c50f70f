"""Assignments: a document's page (coordinators assign, split, reassign and close) and
every user's "My work"."""
