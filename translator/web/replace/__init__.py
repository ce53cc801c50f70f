"""Search and replace over one edition of a document: preview, then apply."""
