"""The preview: the report's paragraphs as build writes them, each figure a link to its field, missing facts marked."""

from __future__ import annotations

import re
from pathlib import Path

from workreport.newyear import new_year
from workreport.pipeline import build
from workreport.serve.document import FactsDocument
from workreport.serve.form import answers
from workreport.serve.preview import preview_html


def evaluated(path: Path):
    document = FactsDocument(path)
    return document.evaluate(answers(document.form()))


def test_the_preview_holds_the_paragraphs_that_build_writes(facts_dir: Path, tmp_path: Path):
    result = evaluated(facts_dir / "2016.yaml")
    html = str(preview_html(result.facts, result.context))
    shown = re.sub(r"<[^>]+>", "", html.replace("<br>", "\n"))
    for paragraph in build(facts_dir / "2016.yaml", tmp_path).report.paragraphs:
        assert paragraph.text in shown


def test_each_figure_links_to_the_field_it_comes_from(facts_dir: Path):
    result = evaluated(facts_dir / "2016.yaml")
    links = dict((text, key) for key, text in re.findall(r'<a class="fig" href="#f-[^"]*" data-key="([^"]*)">([^<]*)</a>', str(preview_html(result.facts, result.context))))
    assert links["1100多户"] == "生育关怀.少生快富.扶持户数"
    assert links["30万元"] == "生育关怀.幸福工程.资金来源[0].金额"
    assert links["35万元"] == "生育关怀.幸福工程.总投入"  # a derived figure links to its own field
    assert links["2006年"] == "生育关怀.幸福工程.开始年份"
    assert "5" not in links  # a bare 5 inside 5.29 is no figure


def test_a_draft_with_facts_to_fill_is_previewed_with_them_marked(facts_dir: Path):
    draft = new_year(facts_dir / "2016.yaml", None).output
    result = evaluated(draft)
    html = str(preview_html(result.facts, result.context))
    assert re.search(r'<p class="note">还缺 \d+ 项.*：标题、', html)
    assert '<h3 class="r-title"><mark class="missing">待填</mark></h3>' in html
    assert 'class="fig missing" href="#f-生育关怀.亲情关爱.项目资金.金额"' in html
    assert "2017年" in html
