"""The translator's editor: every edition side by side (the page; its data comes from
the JSON API in ``translator.web.api``)."""
