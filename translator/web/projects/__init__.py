"""Projects: the list, a project's page (its documents with their progress, its team),
creating and changing one, and its team (the roles its documents inherit)."""
