"""Every mutation lives here as a verb_noun() function. Services flush, never commit;
the request handler, the CLI command or the task is the boundary that commits once."""
