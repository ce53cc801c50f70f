"""Language work on plain text: sentence segmentation, word counts, and (to come)
alignment, QA checks and fuzzy matching. Pure: the standard library and the language
libraries only; no Flask, no database."""
