"""Browser tests: real Chromium (Debian package) driven by Playwright."""
