"""Renderers: the report text (Jinja2) and the official .docx (GB/T 9704 layout)."""
