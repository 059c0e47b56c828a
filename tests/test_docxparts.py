"""Reading the parts of a .docx: limits checked before unpacking, a hardened parser, text as Word shows it."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile

import pytest

from workreport import docxparts
from workreport.document import DocumentError, read_document

from .conftest import FACTS

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def docx(body: str, extra: dict | None = None) -> bytes:
    """A minimal .docx whose body is ``body`` (no relationships part: word/document.xml is the default)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", f'<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body>{body}</w:body></w:document>')
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return out.getvalue()


def refused(data: bytes) -> str:
    with pytest.raises(DocumentError) as error:
        docxparts.main_document(data, "总结.docx", DocumentError)
    return str(error.value)


def test_text_is_read_as_word_shows_it(tmp_path):
    body = ('<w:p><w:r><w:t>新增</w:t></w:r><w:hyperlink><w:r><w:t>8</w:t></w:r></w:hyperlink>'
            '<w:ins><w:r><w:t>户</w:t></w:r></w:ins><w:del><w:r><w:delText>九户</w:delText></w:r></w:del>'
            '<w:r><w:tab/><w:t>。</w:t><w:br/><w:t>下行</w:t><w:br w:type="page"/></w:r></w:p>')
    path = tmp_path / "a.docx"
    path.write_bytes(docx(body))
    assert read_document(path).paragraphs == ["新增8户\t。\n下行"]


def test_limits_are_checked_on_the_declared_sizes_before_unpacking(monkeypatch):
    data = docx("<w:p/>" * 1000)
    monkeypatch.setattr(docxparts, "MAX_MEMBER_BYTES", 100)
    assert "word/document.xml 解压后有" in refused(data) and "一个成员的上限是 100 字节" in refused(data)
    monkeypatch.setattr(docxparts, "MAX_MEMBER_BYTES", 10**9)
    monkeypatch.setattr(docxparts, "MAX_TOTAL_BYTES", 100)
    assert "上限是 100 字节" in refused(data) and "压缩炸弹" in refused(data)
    monkeypatch.setattr(docxparts, "MAX_TOTAL_BYTES", 10**9)
    monkeypatch.setattr(docxparts, "MAX_XML_BYTES", 100)
    assert "上限是 100 字节" in refused(data)


def test_the_member_count_is_checked_from_the_end_record_before_zipfile_reads_the_directory(monkeypatch):
    data = docx("<w:p/>", {f"{i}.bin": b"" for i in range(20)})
    monkeypatch.setattr(docxparts, "MAX_ENTRIES", 10)
    monkeypatch.setattr(docxparts.zipfile, "ZipFile", None)  # never reached
    assert "成员太多：21 个" in refused(data) and "上限是 10 个" in refused(data)


def test_external_entities_and_network_are_never_reached():
    xxe = ('<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
           f'<w:document {W}><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", xxe)
    message = refused(out.getvalue())
    assert "DOCTYPE" in message and "root" not in message


def test_a_package_without_its_main_part_is_named():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("_rels/.rels", '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                                        '<Relationship Id="r" Type="http://x/officeDocument" Target="/word/main.xml"/></Relationships>')
    assert "没有正文部分（word/main.xml）" in refused(out.getvalue())


def test_a_report_saved_by_libreoffice_reads_as_python_docx_reads_it(tmp_path):
    """The reader on a file a real editor wrote: the built report re-saved by LibreOffice, tables included."""
    from docx import Document

    from workreport import cli

    assert cli.main(["build", str(FACTS / "2016.yaml"), "-o", str(tmp_path / "built")]) == 0
    built = next((tmp_path / "built").glob("*.docx"))
    edited = tmp_path / "facts.yaml"
    edited.write_text((FACTS / "2016.yaml").read_text(encoding="utf-8") + "附件: true\n", encoding="utf-8")
    shutil.copy(FACTS / "2015.yaml", tmp_path / "2015.yaml")
    assert cli.main(["build", str(edited), "-o", str(tmp_path / "with-table")]) == 0
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice (soffice) not found: run `make system-deps`"
    for source in (built, next((tmp_path / "with-table").glob("*.docx"))):
        outdir = tmp_path / f"resaved-{source.parent.name}"
        subprocess.run([soffice, "--headless", "--norestore", f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}",
                        "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(outdir), str(source)],
                       check=True, capture_output=True, timeout=240)
        resaved = next(outdir.glob("*.docx"))
        word = Document(str(resaved))
        expected = []
        for block in word.iter_inner_content():
            if hasattr(block, "rows"):
                expected += [p.text for row in block.rows for cell in dict.fromkeys(row.cells) for p in cell.paragraphs]
            else:
                expected.append(block.text)
        read = read_document(resaved).paragraphs
        assert read == expected
        assert any("计生特困家庭" in p for p in read)
