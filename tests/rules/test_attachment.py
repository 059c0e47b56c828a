"""附件1: key figures beside last year's, with change and growth rate."""

import docx

from workreport.pipeline import build
from workreport.quantity import parse_quantity
from workreport.rules.attachment import compare

from ..conftest import edit


def test_compare_gives_change_and_rate():
    assert compare(parse_quantity(180, "户"), parse_quantity(178, "户")) == ["180户", "178户", "+2户", "+1.1%"]
    assert compare(parse_quantity(170, "户"), parse_quantity(178, "户"))[2:] == ["−8户", "−4.5%"]
    assert compare(parse_quantity(178, "户"), parse_quantity(178, "户"))[2:] == ["持平", "0%"]
    assert compare(parse_quantity("1100多", "户"), parse_quantity(1000, "户"))[2:] == ["增加", "—"]
    assert compare(parse_quantity("1100多", "户"), parse_quantity(1150, "户"))[2:] == ["—", "—"]
    assert compare(parse_quantity("95%", "%"), parse_quantity("90%", "%"))[2:] == ["+5个百分点", "—"]
    assert compare(parse_quantity(8, "户"), None) == ["8户", "—", "—", "—"]


def test_attachment_table_is_in_the_report_when_asked_for(facts_dir, tmp_path):
    path = edit(facts_dir / "2016.yaml", "成文日期: 2016-12-20 ", "附件: true\n成文日期: 2016-12-20 ")
    built = build(path, tmp_path)
    document = docx.Document(str(built.output))
    (table,) = document.tables
    cells = [[c.text for c in row.cells] for row in table.rows]
    assert cells[0] == ["指标", "2016年", "2015年", "增减", "增长率"]
    assert ["计生特困家庭", "180户", "178户", "+2户", "+1.1%"] in cells
    text = "\n".join(p.text for p in document.paragraphs)
    assert "附件" in text and "丰宁县2016年主要工作数据与上年对比" in text


def test_last_years_total_left_to_the_program_stands_in_the_table_as_this_years_does(facts_dir):
    from workreport.pipeline import derive_and_assemble, load_facts

    edit(facts_dir / "2016.yaml", "成文日期: 2016-12-20 ", "附件: true\n成文日期: 2016-12-20 ")
    edit(facts_dir / "2015.yaml", "生育关怀:\n", "生育关怀:\n  幸福工程:\n    资金来源:\n      - 来源: 争取资金\n"
                                               "        金额: 25万元\n      - 来源: 募捐款\n        金额: 5万元\n")
    _, report, _ = derive_and_assemble(load_facts(facts_dir / "2016.yaml"))
    rows = {row[0]: row[1:] for row in report.attachment.rows}
    assert rows["幸福工程投入"][:2] == ["35万元", "30万元"]  # 2015's 总投入, written by neither file, added up
