"""Job pages: a live progress bar over the Job row."""
