"""The coordinators' dashboard: every edition of the documents one manages, its burndown
and blockers, people's throughput; updated live."""
