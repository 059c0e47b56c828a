"""``workreport import``: a draft facts file from the reference report, and the report built from it."""

import re
from collections import Counter
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from workreport.cli import main
from workreport.errors import OutputError
from workreport.facts import parse_dotted
from workreport.importer import import_report
from workreport.pipeline import derive_and_assemble, load_facts
from workreport.prose import scan

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = Path("/work/shared/reference/fengning-2016-summary.txt")
TRUTH = ROOT / "facts" / "2016.yaml"


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """The reference imported once into a fresh folder (named 2016.yaml so that it builds as is)."""
    folder = tmp_path_factory.mktemp("import")
    draft = import_report(REFERENCE, folder / "2016.yaml", year=2016)
    return draft, folder / "2016.yaml"


def _listed_keys(draft) -> list[str]:
    """The facts keys the summary says staff must fill in."""
    return [re.search(r" (\S+)：", item).group(1) for item in draft.must_fill]


def test_the_draft_lists_exactly_what_is_left_to_fill(imported):
    draft, _ = imported
    assert _listed_keys(draft) == ["成文日期"]  # the reference has no date line
    assert "须填写或改正 1 项" in draft.summary()
    # new 8, exited 6, now 180: last year's file must say 178
    assert draft.openings == ["上年.生育关怀.亲情关爱.现有户数 = 180户 − 8户 + 6户 = 178户（计生特困家庭户数）"]


def test_a_docx_report_gives_the_same_draft(imported, tmp_path):
    from docx import Document

    _, path = imported
    word = Document()
    for line in REFERENCE.read_text(encoding="utf-8").split("\n"):
        word.add_paragraph(line)
    source = tmp_path / "2016年工作总结.docx"
    word.save(source)
    import_report(source, tmp_path / "2016.yaml", year=2016)
    safe = YAML(typ="safe")
    assert safe.load((tmp_path / "2016.yaml").read_text(encoding="utf-8")) == safe.load(path.read_text(encoding="utf-8"))


def test_every_figure_in_the_draft_quotes_its_sentence_and_place(imported):
    _, path = imported
    lines = path.read_text(encoding="utf-8").splitlines()

    def line_of(key: str) -> str:
        return next(line for line in lines if line.strip().startswith(f"{key}:"))

    assert re.search(r"新增户数: 8\s+# 原文第9段第\d+字：“.*新增特困计生家庭8户", line_of("新增户数"))
    assert re.search(r"退出户数: 6\s+# 原文第9段.*退出六户", line_of("退出户数"))
    assert re.search(r"扶持户数: 1100多\s+# 原文第6段.*1100多户", line_of("扶持户数"))
    assert re.search(r"金额: 50余万元\s+# 原文第14段.*投保50余万", next(line for line in lines if "50余万元" in line))
    assert re.search(r"开始年份: 2007\s+# 原文第6段.*开展九年来.*2016 − 9", path.read_text(encoding="utf-8"))
    # figures the program derives are not written: the text's stale 30年, 35周年, 8大 cannot survive into the facts
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"^\s*(改革开放年数|周年数|基地数|总投入):", text, re.MULTILINE)


def test_the_draft_keeps_the_staff_readable_format(imported):
    _, path = imported
    data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    truth = YAML(typ="safe").load(TRUTH.read_text(encoding="utf-8"))
    # the figures and lists read from prose are the ones staff keep in facts/2016.yaml
    for key in ["生育关怀.亲情关爱.现有户数", "生育关怀.少生快富.人均增收", "生育关怀.幸福工程.资金来源", "生育关怀.少生快富.基地",
                "生育关怀.亲情关爱.项目资金", "非公协会.企业协会.建会比例", "青春健康.工作模式", "队伍建设.宣传.活动日", "保险.险种"]:
        assert _get(data, key) == _get(truth, key), key
    assert list(data)[:2] == ["年度", "单位"]  # keys in the schema's order


def test_after_the_listed_edits_the_report_has_the_references_figures(imported, tmp_path):
    draft, path = imported
    truth = YAML(typ="safe").load(TRUTH.read_text(encoding="utf-8"))
    yaml = YAML()
    tree = yaml.load(path.read_text(encoding="utf-8"))
    for key in _listed_keys(draft):  # the edits the summary asks for, with the values staff keep
        _set(tree, key, _get(truth, key))
    edited = tmp_path / "2016.yaml"
    with edited.open("w", encoding="utf-8") as out:
        yaml.dump(tree, out)
    _, report, notes = derive_and_assemble(load_facts(edited))
    assert notes == []
    built = Counter(_figures("\n".join([report.title, *(p.text for p in report.paragraphs)])))
    original = Counter(_figures(REFERENCE.read_text(encoding="utf-8")))
    # the report corrects the reference's stale figures and nothing else
    assert built - original == Counter({"38年": 1, "36周年": 1})
    assert original - built == Counter({"30年": 1, "35周年": 1})
    assert any("6大基地" in p.text for p in report.paragraphs)


def _figures(text: str) -> list[str]:
    """Every figure as value and unit (六户 = 6户, 50余万 = 50余万元, 06年 = 2006年)."""
    out = []
    for figure in scan(text, ["一年来", "五年计划"]):
        q = figure.quantity
        unit = "元" if q.unit == "" and q.scale > 1 else q.unit
        value = q.value + 2000 if unit == "年" and re.fullmatch(r"0\d年", figure.text) else q.value
        out.append(f"{q.approx if q.approx in ('约', '近') else ''}{value}{q.approx if q.approx in ('多', '余') else ''}{unit}")
    return out


def _get(data, key):
    node = data
    for step in parse_dotted(key):
        node = node[step]
    return node


def _set(data, key, value):
    path = parse_dotted(key)
    node = data
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value


def test_an_existing_draft_is_never_overwritten_without_force(imported):
    _, path = imported
    before = path.read_bytes()
    with pytest.raises(OutputError) as refused:
        import_report(REFERENCE, path, year=2016)
    assert "--force" in str(refused.value) and path.read_bytes() == before


def test_figures_that_fit_no_fact_are_kept_with_their_sentence(tmp_path):
    report = tmp_path / "report.txt"
    report.write_text(REFERENCE.read_text(encoding="utf-8").replace("以上是我县", "全年共培训会员3000名。以上是我县"), encoding="utf-8")
    draft = import_report(report, tmp_path / "draft.yaml", year=2016)
    assert [(s.paragraph, figure) for s, figure in draft.unmatched] == [(15, "3000名")]
    text = (tmp_path / "draft.yaml").read_text(encoding="utf-8")
    assert "# 以下数字未能对应到事实文件的键" in text and "全年共培训会员3000名。" in text
    assert "未能对应到事实的数字 1 个" in draft.summary()


def test_cli_import_writes_the_draft_and_prints_what_to_fill(tmp_path, capsys):
    target = tmp_path / "facts" / "2016-draft.yaml"
    assert main(["import", str(REFERENCE), "-o", str(target), "--year", "2016"]) == 0
    out = capsys.readouterr().out
    assert "已生成草稿" in out and "成文日期" in out and target.exists()
    assert main(["import", str(REFERENCE), "-o", str(target)]) == 2
    assert "--force" in capsys.readouterr().err
    assert main(["import", str(REFERENCE), "-o", str(target), "--force"]) == 0


def test_the_county_is_the_one_the_title_or_a_phrase_names_not_words_before_县():
    from workreport.document import split
    from workreport.importer import county_name

    assert county_name(split(Path("a.txt"), ["2019年工作总结", "2019年以来县协会认真落实各项工作，以来县里支持。"])) is None
    assert county_name(split(Path("a.txt"), ["丰宁县计生协完善队伍建设", "2016年，我县按照要求"])) == "丰宁县"
    assert county_name(split(Path("a.txt"), ["工作总结", "2016年，围场满族蒙古族自治县计生协会按照要求。"])) == "围场满族蒙古族自治县"


def test_figures_in_other_units_are_listed_as_unmatched_with_a_few_words_each(tmp_path):
    report = tmp_path / "report.txt"
    added = "全年发放宣传资料5000份，调解纠纷6起，开展活动12场次，培训300人次，张贴宣传画800张。"
    report.write_text(REFERENCE.read_text(encoding="utf-8").replace("以上是我县", added + "以上是我县"), encoding="utf-8")
    draft = import_report(report, tmp_path / "draft.yaml", year=2016)
    assert [figure for _, figure in draft.unmatched] == ["5000份", "6起", "12场次", "300人次", "800张"]
    assert all(len(source.quote) <= 2 * 10 + len(figure) + 2 for source, figure in draft.unmatched)  # not the whole sentence


def test_a_draft_without_a_required_key_fails_check_as_build_would(imported):
    from workreport.pipeline import check

    draft, path = imported
    assert "成文日期: 待填" in path.read_text(encoding="utf-8")
    assert "成文日期" not in draft.filled
    errors = [f for f in check(path).findings if f.severity == "error"]
    assert [(f.code, f.key) for f in errors] == [("WR001", "成文日期")]


def test_what_the_summary_says_to_fill_is_what_check_stops_on(tmp_path):
    from workreport.pipeline import check

    report = tmp_path / "report.txt"
    report.write_text("2016年工作总结\n一、工作\n全年救助计生特困家庭52户。", encoding="utf-8")
    draft = import_report(report, tmp_path / "2016.yaml", year=2016)
    needed = {re.search(r" (\S+)：生成总结需要填写", item).group(1) for item in draft.must_fill if "生成总结需要填写" in item}
    assert {"县名", "单位", "成文日期"} <= needed
    stops = {f.key for f in check(tmp_path / "2016.yaml").findings if f.severity == "error" and f.code == "WR001"}
    assert needed == stops


def test_the_screen_lists_a_dozen_unmatched_figures_and_the_draft_all(tmp_path):
    report = tmp_path / "report.txt"
    report.write_text("2016年工作总结\n一、工作\n" + "，".join(f"开展第{n}类活动{n + 10}场次" for n in range(1, 21)) + "。", encoding="utf-8")
    draft = import_report(report, tmp_path / "2016.yaml", year=2016)
    assert len(draft.unmatched) == 20
    summary = draft.summary()
    assert "未能对应到事实的数字 20 个" in summary and "……另有 8 个，见草稿末尾" in summary
    assert summary.count("场次：“") == 12
    assert (tmp_path / "2016.yaml").read_text(encoding="utf-8").count("场次：") == 20


def test_a_copy_in_traditional_characters_gives_the_same_figures(imported, tmp_path):
    import opencc

    _, path = imported
    source = tmp_path / "繁體.txt"
    source.write_text(opencc.OpenCC("s2t").convert(REFERENCE.read_text(encoding="utf-8")), encoding="utf-8")
    assert "豐寧縣" in source.read_text(encoding="utf-8")
    import_report(source, tmp_path / "2016.yaml", year=2016)
    safe = YAML(typ="safe")
    simplified, traditional = safe.load(path.read_text(encoding="utf-8")), safe.load((tmp_path / "2016.yaml").read_text(encoding="utf-8"))
    for key in ["生育关怀.亲情关爱.现有户数", "生育关怀.亲情关爱.新增户数", "生育关怀.少生快富.扶持户数", "生育关怀.幸福工程.资金来源", "保险.投保金额"]:
        node_s, node_t = simplified, traditional
        for step in parse_dotted(key):
            node_s, node_t = node_s[step], node_t[step]
        assert node_t == node_s, key


def test_a_hard_wrapped_copy_gives_the_same_figures_quoting_their_own_lines(imported, tmp_path):
    _, path = imported
    lines = []
    for paragraph in REFERENCE.read_text(encoding="utf-8").split("\n"):
        lines += [paragraph[i:i + 35] for i in range(0, len(paragraph), 35)] or [""]
    source = tmp_path / "pdf.txt"
    source.write_text("\n".join(lines), encoding="utf-8")
    draft = import_report(source, tmp_path / "2016.yaml", year=2016)
    safe = YAML(typ="safe")
    original, wrapped = safe.load(path.read_text(encoding="utf-8")), safe.load((tmp_path / "2016.yaml").read_text(encoding="utf-8"))
    assert wrapped["生育关怀"] == original["生育关怀"] and wrapped["保险"] == original["保险"]
    where = draft.filled["生育关怀.亲情关爱.现有户数"]
    assert lines[where.paragraph - 1][where.offset:].startswith("180")

