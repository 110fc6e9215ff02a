"""The tools, grouped by topic; each module has `register(server, nav, callers)`."""
