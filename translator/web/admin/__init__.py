"""Administration pages: the users of the service."""
