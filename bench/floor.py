"""The floor: render prepared documents with docxtpl alone, no facts, no checks, no workreport import.

Usage: python bench/floor.py CONTEXTS.json OUT_FOLDER [--jobs N]

CONTEXTS.json (written by bench/run.py) holds the report template's path and, per document,
the values workreport hands to docxtpl: the title, the body and signature paragraphs as
ready-made WordprocessingML, the attachment table.  What remains is docxtpl's own work:
open the template, render, save.  That is as fast as a build can be.
"""

from __future__ import annotations

import json
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path


def render(template: str, document: dict, out: str) -> None:
    """Render one document with docxtpl and save it."""
    from docxtpl import DocxTemplate
    from markupsafe import Markup

    doc = DocxTemplate(template)
    context = dict(document, body=Markup(document["body"]), signature=Markup(document["signature"]))
    doc.render(context, autoescape=True)
    doc.save(out)


def _render_many(template: str, documents: list[dict], folder: str) -> None:
    for document in documents:
        render(template, document, str(Path(folder) / document["name"]))


def main(argv: list[str]) -> None:
    source, folder = Path(argv[0]), Path(argv[1])
    jobs = int(argv[argv.index("--jobs") + 1]) if "--jobs" in argv else 1
    data = json.loads(source.read_text(encoding="utf-8"))
    folder.mkdir(parents=True, exist_ok=True)
    documents = data["documents"]
    if jobs == 1:
        _render_many(data["template"], documents, str(folder))
        return
    chunks = [documents[i::jobs] for i in range(jobs)]  # one even share per process, as a pool would balance it
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for future in [pool.submit(_render_many, data["template"], chunk, str(folder)) for chunk in chunks]:
            future.result()


if __name__ == "__main__":
    main(sys.argv[1:])
