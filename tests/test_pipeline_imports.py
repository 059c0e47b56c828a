"""``check`` of a valid YAML file loads only what it uses: not the .docx stack, jieba, jsonschema, openpyxl, a process pool,
OpenCC, or Jinja (the templates' lookups, read once and kept in the cache, show that the reference facts lack nothing)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HEAVY = ("docx", "docxtpl", "lxml", "jieba", "jsonschema", "fastjsonschema", "openpyxl", "multiprocessing", "concurrent.futures",
         "opencc", "jinja2")  # opencc: only a text with a traditional character needs it


def test_check_imports_none_of_the_libraries_it_does_not_need(tmp_path):
    script = f"""
import sys
from workreport.cli import main
try:
    main(["check", "facts/2016.yaml"])
except SystemExit:
    pass
print(sorted(m for m in {HEAVY!r} if m in sys.modules))
"""
    root = Path(__file__).resolve().parents[1]
    env = {"XDG_CACHE_HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=root, env=env)  # fills the cache
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=root, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"
