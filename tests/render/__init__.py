"""Tests of the .docx layout and its rendering in LibreOffice."""
