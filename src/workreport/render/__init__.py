"""Renderers: turn an assembled Report into files (the official .docx)."""
