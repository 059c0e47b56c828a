"""Reading an existing report: encodings, .docx with tables, sections, sub-items, sentences and their places."""

from pathlib import Path

import pytest

from workreport.document import DocumentError, read_document

REFERENCE = Path("/work/shared/reference/fengning-2016-summary.txt")

SMALL = "\n".join([
    "某县计生协会2016年工作总结",
    "一、强化自身建设，提高服务本能",
    "首先是抓学习；组织培训3次。其次是抓宣传；发放手册200册。",
    "二、推进生育关怀,扩大社会效应一是做大做强项目。新增8户。",
    "",
    "三、关注青春健康,拓展服务范围开展青春健康教育是客观要求。",
])


def test_reference_is_split_into_title_sections_and_sentences():
    doc = read_document(REFERENCE)
    assert doc.title == "丰宁县计生协完善队伍建设夯实计生协会基层基础"
    assert [(s.number, s.paragraph) for s in doc.sections] == [(1, 2), (2, 4), (3, 10), (4, 12), (5, 13)]
    # Headings that run into their section's text (paragraphs 10 and 12) end where the body begins.
    assert doc.sections[2].heading == "壮大非公协会,发挥职能作用"
    assert doc.sections[3].heading == "关注青春健康,拓展服务范围"
    assert doc.paragraph(12)[doc.sections[3].body_offset:].startswith("开展青春健康教育")


def test_every_sentence_knows_its_paragraph_offset_section_and_sub_item():
    doc = read_document(REFERENCE)
    for sentence in doc.sentences:
        assert doc.paragraph(sentence.paragraph)[sentence.offset:].startswith(sentence.text)
    reform = next(s for s in doc.sentences if "改革开放30年来" in s.text)
    assert (reform.paragraph, reform.item) == (3, "其次")
    assert reform.section == "一、强化自身建设,提高服务本能"
    funds = next(s for s in doc.sentences if "项目资金10万元" in s.text)
    assert (funds.paragraph, funds.item) == (9, "二是")
    # 5.29 and 1.2万 are numbers, not sentence ends
    assert any("5.29“会员活动日”" in s.text for s in doc.sentences)


def test_sub_items_and_glued_headings_in_a_small_report(tmp_path):
    path = tmp_path / "small.txt"
    path.write_text(SMALL, encoding="utf-8")
    doc = read_document(path)
    assert doc.title == "某县计生协会2016年工作总结"
    assert [s.heading for s in doc.sections] == ["强化自身建设，提高服务本能", "推进生育关怀,扩大社会效应", "关注青春健康,拓展服务范围"]
    items = [(s.paragraph, s.item, s.text) for s in doc.sentences]
    assert (3, "首先", "组织培训3次。") in items
    assert (3, "其次", "发放手册200册。") in items
    assert (4, "一是", "一是做大做强项目。") in items
    assert (6, None, "开展青春健康教育是客观要求。") in items
    assert doc.section_of(6).number == 3


@pytest.mark.parametrize("encoding", ["gb18030", "gbk", "utf-8-sig", "utf-16"])
def test_text_in_the_encodings_windows_writes_is_detected(tmp_path, encoding):
    path = tmp_path / "report.txt"
    path.write_bytes(SMALL.replace("\n", "\r\n").encode(encoding))
    doc = read_document(path)
    assert doc.paragraphs == SMALL.split("\n")


def test_a_named_encoding_is_used_and_a_wrong_one_is_explained(tmp_path):
    path = tmp_path / "report.txt"
    path.write_bytes(SMALL.encode("gb18030"))
    assert read_document(path, encoding="gbk").title == "某县计生协会2016年工作总结"
    with pytest.raises(DocumentError) as wrong:
        read_document(path, encoding="utf-8")
    assert "不是 utf-8 编码" in str(wrong.value) and "report.txt" in str(wrong.value)
    with pytest.raises(DocumentError) as unknown:
        read_document(path, encoding="klingon")
    assert "不认识的编码" in str(unknown.value)


def test_docx_paragraphs_and_table_cells_are_read_in_order(tmp_path):
    from docx import Document

    word = Document()
    word.add_paragraph("某县2016年工作总结")
    word.add_paragraph("一、主要数字")
    table = word.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "新增计生特困家庭"
    table.cell(0, 1).text = "8户"
    merged = table.cell(1, 0).merge(table.cell(1, 1))
    merged.text = "现共有计生特困家庭180户。"
    word.add_paragraph("以上是一年来的工作。")
    path = tmp_path / "report.docx"
    word.save(path)
    doc = read_document(path)
    assert doc.paragraphs == ["某县2016年工作总结", "一、主要数字", "新增计生特困家庭", "8户", "现共有计生特困家庭180户。", "以上是一年来的工作。"]
    assert doc.sections[0].heading == "主要数字"


@pytest.mark.parametrize(("name", "content", "message"), [
    ("missing.txt", None, "找不到这个文件"),
    ("old.doc", b"\xd0\xcf\x11\xe0", "另存为” .docx"),
    ("fake.docx", b"not a zip at all", "不是有效的 Word"),
    ("empty.txt", b"\n\n  \n", "没有文字"),
    ("binary.txt", b"\x00\x01\x02abc", "不是文本文件"),
])
def test_unusable_files_are_refused_with_a_chinese_message(tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(DocumentError) as refused:
        read_document(path)
    assert message in str(refused.value)
    assert name in str(refused.value)


def test_a_documents_repr_leaves_its_bytes_out(tmp_path):
    from workreport.document import Document

    doc = Document(tmp_path / "总结.docx", ["甲", "乙"], "标题", data=b"PK" + b"\0" * 100_000)
    assert repr(doc) == f"Document(path={doc.path!r}, paragraphs=2, title='标题')"
