"""--annotate: one Word comment per finding on exactly the figure's characters; LibreOffice keeps them."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from docx import Document

from workreport import pipeline
from workreport.cli import main

from .conftest import FACTS
from .render.render_support import FONTS_CONF
from .staff_edits import edit_like_staff

EXPECTED = {"35周年": "WR612", "181户": "WR611", "3200人次": "WR613"}


@pytest.fixture(scope="module")
def case(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("annotate")
    shutil.copytree(FACTS, folder / "facts")
    report = pipeline.build(folder / "facts" / "2016.yaml", folder / "out").output
    return {"folder": folder, "facts": folder / "facts" / "2016.yaml", "edited": edit_like_staff(report, folder / "改过.docx")}


def anchored(path: Path) -> dict[str, str]:
    """Each comment's anchored text → its comment text, read from the XML (commentRangeStart … End)."""
    with zipfile.ZipFile(path) as archive:
        body = archive.read("word/document.xml").decode("utf-8")
    document = Document(str(path))
    texts = {c.comment_id: c.text for c in document.comments}
    authors = {c.author for c in document.comments}
    assert authors == {"workreport"}
    out = {}
    for match in re.finditer(r'<w:commentRangeStart w:id="(\d+)"/>(.*?)<w:commentRangeEnd w:id="\1"/>', body, re.S):
        out["".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", match.group(2)))] = texts[int(match.group(1))]
    return out


def soffice(args: list[str], folder: Path) -> None:
    env = {"FONTCONFIG_FILE": str(FONTS_CONF), "PATH": "/usr/bin:/bin", "HOME": str(folder)}
    subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation={(folder / 'lo').as_uri()}", *args],
                   check=True, capture_output=True, timeout=240, env=env)


def test_one_comment_per_finding_on_the_figure(case, capsys):
    before = hashlib.sha256(case["edited"].read_bytes()).hexdigest()
    out = case["folder"] / "批注.docx"
    assert main(["check", str(case["facts"]), "--report", str(case["edited"]), "--annotate", str(out)]) == 1
    comments = anchored(out)
    assert {text: c.split("]")[0].strip("[").split()[0] for text, c in comments.items()} == EXPECTED
    assert "事实文件" in comments["181户"] and "2016.yaml:" in comments["181户"] and "180户" in comments["181户"]
    assert hashlib.sha256(case["edited"].read_bytes()).hexdigest() == before  # the staff's file is never modified
    # the copy has the same text: comments only
    assert [p.text for p in Document(str(out)).paragraphs] == [p.text for p in Document(str(case["edited"])).paragraphs]


def test_the_report_itself_is_refused_as_output(case, capsys):
    before = case["edited"].read_bytes()
    assert main(["check", str(case["facts"]), "--report", str(case["edited"]), "--annotate", str(case["edited"])]) == 2
    assert "输入文件" in capsys.readouterr().err
    assert case["edited"].read_bytes() == before


def test_libreoffice_keeps_the_comments_and_reads_a_resaved_report(case, tmp_path):
    """The annotated copy opens in LibreOffice with its comments; a report re-saved by LibreOffice is traced the same."""
    out = tmp_path / "批注.docx"
    assert main(["check", str(case["facts"]), "--report", str(case["edited"]), "--annotate", str(out)]) == 1
    soffice(["--convert-to", "odt", "--outdir", str(tmp_path), str(out)], tmp_path)
    with zipfile.ZipFile(tmp_path / "批注.odt") as archive:
        content = archive.read("content.xml").decode("utf-8")
    assert content.count("<office:annotation ") == 3 and "workreport" in content and "181户" in content
    # staff save in another editor: the runs are rewritten, the figures must still be found and anchored whole
    resaved = tmp_path / "resaved"
    resaved.mkdir()
    soffice(["--convert-to", "docx:MS Word 2007 XML", "--outdir", str(resaved), str(case["edited"])], tmp_path)
    again = tmp_path / "再批注.docx"
    assert main(["check", str(case["facts"]), "--report", str(resaved / "改过.docx"), "--annotate", str(again)]) == 1
    assert {text: c.split("]")[0].strip("[").split()[0] for text, c in anchored(again).items()} == EXPECTED


def test_the_comments_go_on_the_bytes_that_were_traced_not_on_what_the_file_holds_later(case, tmp_path):
    from workreport.annotate import annotate
    from workreport.trace import check_report

    edited = tmp_path / "改过.docx"
    shutil.copy(case["edited"], edited)
    checked, traced = check_report(case["facts"], edited)
    edited.write_bytes(b"saved again by Word meanwhile, or not a .docx at all")
    out = tmp_path / "批注.docx"
    annotate(traced, checked.findings, out)
    comments = anchored(out)
    assert {text: c.split("]")[0].strip("[").split()[0] for text, c in comments.items()} == EXPECTED
