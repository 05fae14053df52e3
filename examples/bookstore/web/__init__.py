"""Server-rendered HTML pages (Jinja2 templates with autoescaping)."""
