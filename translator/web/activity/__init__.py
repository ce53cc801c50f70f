"""The activity log: who did what, when, with filters in the query string, and the
words per person for a date range as CSV."""
