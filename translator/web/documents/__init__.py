"""Document list, import form, document page."""
