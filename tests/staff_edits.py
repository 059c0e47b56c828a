"""The generated 2016 report edited the way staff edit it in Word, with what each edit plants."""

from __future__ import annotations

import copy
from pathlib import Path

from docx import Document

from workreport.docxedit import paragraphs

ADDED = "此外，我们组织志愿者开展入户走访活动，共走访群众3200人次，送去了党和政府的关怀。"
PASTED = "今年还隆重纪念了中国计生协会成立35周年。"
REWRITTEN_OLD = "使270户贫困母亲实现了脱贫"
REWRITTEN_NEW = "累计帮助270户贫困母亲家庭走上了脱贫致富之路"


def edit_like_staff(source: Path, target: Path) -> Path:
    """Rewrite a sentence around 270户, split the run inside 1100多户, add a paragraph with 3200人次,
    change 现有 180户 to 181户, paste an old sentence with 成立35周年; save to ``target``."""
    document = Document(str(source))
    found = paragraphs(document)
    by_start = lambda start: next(p for p in found if p.text.startswith(start))  # noqa: E731
    _replace_text(by_start("丰宁县“幸福工程”"), REWRITTEN_OLD, REWRITTEN_NEW)
    _split_inside(by_start("2016年丰宁县的少生快富"), "1100多户", 2)
    care = by_start("2016年以来")
    _replace_text(care, "现共有计生特困家庭180户", "现共有计生特困家庭181户")
    added = copy.deepcopy(care._p)
    care._p.addnext(added)
    from docx.text.paragraph import Paragraph

    new = Paragraph(added, care._parent)
    for r in new.runs[1:]:
        r._r.getparent().remove(r._r)
    new.runs[0].text = ADDED
    first = by_start("2016年，丰宁县按照")
    first.add_run(PASTED)
    document.save(str(target))
    return target


def _replace_text(paragraph, old: str, new: str) -> None:
    """Replace ``old`` inside one run of ``paragraph`` (the generator writes a paragraph in one or few runs)."""
    for run in paragraph.runs:
        if old in run.text:
            run.text = run.text.replace(old, new)
            return
    raise AssertionError(f"{old} not in one run")


def _split_inside(paragraph, figure: str, cut: int) -> None:
    """Split the run holding ``figure`` so that its first ``cut`` characters end one run (Word's rsid split)."""
    for run in paragraph.runs:
        if figure in run.text:
            at = run.text.index(figure) + cut
            twin = copy.deepcopy(run._r)
            text = run.text
            run.text = text[:at]
            run._r.addnext(twin)
            from docx.text.run import Run

            Run(twin, paragraph).text = text[at:]
            return
    raise AssertionError(f"{figure} not in one run")
