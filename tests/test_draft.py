"""new-year --report: last year's edited report becomes this year's draft; build --report refreshes it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pdfplumber
import pytest
from docx import Document
from docx.enum.text import WD_COLOR_INDEX

from workreport import pipeline
from workreport.cli import main
from workreport.document import read_document
from workreport.trace import trace

from .conftest import FACTS
from .render.render_support import convert_to_pdf
from .render.test_docx_pdf import BODY_SIZE, BOTTOM, LEFT, LINE, RIGHT, lines_of
from .staff_edits import ADDED, PASTED, REWRITTEN_NEW, edit_like_staff

FILLED_IN = {"人均增收": "3500多元", "新增户数": "10", "退出户数": "4", "帮扶措施数": "9", "体检户数": "186", "救助户数": "60",
             "计划生育率": "100%"}


@pytest.fixture(scope="module")
def case(tmp_path_factory) -> dict:
    """2016 built, edited by staff, then rolled to 2017 with a draft."""
    folder = tmp_path_factory.mktemp("draft")
    shutil.copytree(FACTS, folder / "facts")
    report = pipeline.build(folder / "facts" / "2016.yaml", folder / "out").output
    edited = edit_like_staff(report, folder / "2016定稿.docx")
    draft = folder / "2017草稿.docx"
    assert main(["new-year", str(folder / "facts" / "2016.yaml"), "--report", str(edited), "--draft", str(draft)]) == 0
    return {"folder": folder, "edited": edited, "draft": draft, "facts2016": folder / "facts" / "2016.yaml",
            "facts2017": folder / "facts" / "2017.yaml"}


def strip(text: str) -> str:
    """A paragraph with its figures (and 待填 markers) blanked out: what must stay the staff's words."""
    return re.sub(r"(【待填：[^】]+】|[\d.一二三四五六七八九十]+)(多|余)?万?", "#", text)


def texts(path: Path) -> list[str]:
    return read_document(path).paragraphs


def test_every_traced_figure_carries_the_new_value_or_a_marker(case):
    last = trace(pipeline.load_facts(case["facts2016"]), read_document(case["edited"]))
    draft = texts(case["draft"])
    new = pipeline.load_facts(case["facts2017"])
    from workreport.rules.derive import derive

    ctx = derive(new)
    checked = 0
    for item in last.traces:
        if item.rule != "fact" or item.figure.is_year:
            continue
        paragraph = draft[item.paragraph - 1]
        value = ctx.get(item.path)
        name = item.path[-1] if item.path[-1] not in ("金额",) else item.path[-2]
        if value is None:
            assert f"【待填：{name}" in paragraph, (item.figure.text, name)
        else:
            number = re.match(r"[\d.]+", str(value)).group()
            assert number in paragraph, (item.figure.text, value)
        checked += 1
    assert checked >= 15
    assert "现共有计生特困家庭180户" in draft[8]  # the 181 staff typed became 2017's (carried) figure


def test_derived_phrases_recomputed_and_staff_words_kept(case):
    draft = "\n".join(texts(case["draft"]))
    assert "成立37周年" in draft and "成立36周年" not in draft and "成立35周年" not in draft
    assert "开展十年来" in draft and "改革开放39年来" in draft and "2017年以来" in draft
    assert ADDED in texts(case["draft"])  # the added paragraph, word for word
    assert REWRITTEN_NEW in draft and PASTED.replace("35", "37") in draft  # 脱贫户数 is carried: 270户 stays
    assert texts(case["draft"])[-1].strip() == "2017年12月20日"
    # same paragraphs in the same order: only figures differ
    assert [strip(p) for p in texts(case["draft"])] == [strip(p) for p in texts(case["edited"])]


def test_markers_and_review_passages_are_highlighted(case):
    document = Document(str(case["draft"]))
    colours = {}
    for paragraph in document.paragraphs:
        for run in paragraph.runs:
            if run.font.highlight_color is not None:
                colours[run.text] = run.font.highlight_color
    assert colours["【待填：新增户数】"] == WD_COLOR_INDEX.BRIGHT_GREEN
    assert colours["3200人次"] == WD_COLOR_INDEX.YELLOW  # untraced: kept, highlighted
    assert any("承德市" in text and colour == WD_COLOR_INDEX.YELLOW for text, colour in colours.items())  # last year's event
    assert any(text.startswith("2015年我们") and colour == WD_COLOR_INDEX.YELLOW for text, colour in colours.items())


def test_refresh_fills_the_markers_without_touching_the_words(case, tmp_path):
    facts = tmp_path / "facts"
    shutil.copytree(case["folder"] / "facts", facts)
    text = (facts / "2017.yaml").read_text(encoding="utf-8")
    for key, value in FILLED_IN.items():
        text, count = re.subn(rf"^(\s*){key}: 待填", rf"\g<1>{key}: {value}", text, flags=re.M)
        assert count == 1, key
    text = text.replace("现有户数: 180", "现有户数: 186")
    (facts / "2017.yaml").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", str(facts / "2017.yaml"), "--report", str(case["draft"]), "-o", str(out)]) == 0
    refreshed = texts(out / "2017草稿-已更新.docx")
    care = refreshed[8]
    assert "新增计生特困家庭10户，退出4户，现共有计生特困家庭186户，比上年增加6户" in care
    assert "新增的10个家庭" in care and "落实9项帮扶措施" in care and "共救助特困家庭60户" in care
    assert "人均增收3500多元" in refreshed[5]
    assert "【待填：项目资金金额】" in care  # still 待填 in the facts: still a marker
    green = [r.text for p in Document(str(out / "2017草稿-已更新.docx")).paragraphs for r in p.runs
             if r.font.highlight_color == WD_COLOR_INDEX.BRIGHT_GREEN]
    assert green == ["【待填：项目资金金额】", "【待填：投保金额】"]  # the two still 待填; a marker filled in loses its colour
    assert [strip(p) for p in refreshed] == [strip(p) for p in texts(case["draft"])]


def test_a_marker_filled_with_an_approximate_figure_keeps_the_words_after_it_once(case, tmp_path):
    """The marker replaced the number of “60户”; a fact of 60户左右 fills in 60, and the sentence reads 60户左右 — not 60左右户左右."""
    facts = tmp_path / "facts"
    shutil.copytree(case["folder"] / "facts", facts)
    text = (facts / "2017.yaml").read_text(encoding="utf-8")
    filled = {**FILLED_IN, "救助户数": "60户左右"}
    for key, value in filled.items():
        text = re.sub(rf"^(\s*){key}: 待填", rf"\g<1>{key}: {value}", text, flags=re.M)
    (facts / "2017.yaml").write_text(text.replace("现有户数: 180", "现有户数: 186"), encoding="utf-8")
    assert main(["build", str(facts / "2017.yaml"), "--report", str(case["draft"]), "-o", str(tmp_path / "out")]) == 0
    care = texts(tmp_path / "out" / "2017草稿-已更新.docx")[8]
    assert "共救助特困家庭60户左右" in care and "左右户" not in care, care


def test_the_draft_still_renders_22_lines_of_28_characters(case, tmp_path):
    copy = tmp_path / case["draft"].name
    shutil.copy(case["draft"], copy)
    pdf = convert_to_pdf(copy)
    with pdfplumber.open(pdf) as document:
        pages = [[line for line in lines_of(page) if line.top < BOTTOM] for page in document.pages]
    end = next((i for i, lines in enumerate(pages) if lines and lines[0].text == "附件1"), len(pages))
    full = pages[1:end - 1]
    assert len(full) >= 3
    for lines in full:
        assert len(lines) == 22
        assert [b.top - a.top for a, b in zip(lines, lines[1:])] == pytest.approx([LINE] * 21, abs=0.6)
    widths = []
    for lines in pages[:end]:
        for line in lines:
            if line.size != BODY_SIZE:
                continue
            assert all(c["x1"] <= RIGHT + 1 for c in line.chars), f"past the margin: {line.text}"
            assert sum(c["x1"] - c["x0"] for c in line.chars) <= 28 * BODY_SIZE + 1, line.text
            full_width = all(not c["text"].isascii() for c in line.chars)
            if full_width and abs(line.x0 - LEFT) < 1 and line.chars[-1]["x1"] > RIGHT - 2:
                widths.append(len(line.chars))
    assert max(widths) == 28 and widths.count(28) >= 0.8 * len(widths)


def test_unusable_commands_say_why_and_write_nothing(case, tmp_path, capsys):
    facts = tmp_path / "facts"
    shutil.copytree(FACTS, facts)
    assert main(["new-year", str(facts / "2016.yaml"), "--draft", str(tmp_path / "草稿.docx")]) == 2
    assert "--report" in capsys.readouterr().err
    text = tmp_path / "定稿.txt"
    text.write_text("\n".join(texts(case["edited"])), encoding="utf-8")
    assert main(["new-year", str(facts / "2016.yaml"), "--report", str(text)]) == 2
    assert ".docx" in capsys.readouterr().err
    assert not (facts / "2017.yaml").exists() and not (tmp_path / "草稿.docx").exists()
    assert main(["build", str(facts / "2016.yaml"), "--report", str(text), "-o", str(tmp_path / "out")]) == 2
    assert ".docx" in capsys.readouterr().err


def test_a_final_resaved_by_libreoffice_gives_the_same_draft(case, tmp_path):
    """Staff's final comes from an editor, not from python-docx: the runs differ, the draft's text must not."""
    from .test_annotate import soffice

    resaved = tmp_path / "resaved"
    soffice(["--convert-to", "docx:MS Word 2007 XML", "--outdir", str(resaved), str(case["edited"])], tmp_path)
    facts = tmp_path / "facts"
    shutil.copytree(FACTS, facts)
    draft = tmp_path / "草稿.docx"
    assert main(["new-year", str(facts / "2016.yaml"), "--report", str(resaved / case["edited"].name), "--draft", str(draft)]) == 0
    assert texts(draft) == texts(case["draft"])


@pytest.mark.parametrize("fact,after,filled", [
    ("30户左右", "户左右，", ("30", 0)),  # the words were there: the number only, not 30左右户左右
    ("30户左右", "户，", ("30户左右", 1)),  # the fact says more than the words: it replaces them
    ("30户", "户，", ("30", 0)),
    ("1100多户", "户", ("1100多", 0)),
])
def test_a_marker_is_filled_with_the_number_and_only_the_words_the_draft_lacks(fact, after, filled):
    from workreport.draft import _filling
    from workreport.quantity import parse_quantity

    assert _filling(parse_quantity(fact), after) == filled
