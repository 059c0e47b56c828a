"""Bad input never crashes and never loses work: the corpus in tests/bad_inputs/ through the real CLI.

Facts cases are built with ``workreport build`` over a report built before; each must end in
its exit code (2, or 1 where a check stops the build), a Chinese message naming the file and
the line, no traceback, and the earlier report byte for byte as it was, with nothing beside it.
Report cases (``document:``) are given to ``lint`` and to ``import``: each must end in exit 2
with a Chinese message naming the file, and no draft written.  Faults that would hang or
exhaust the test process if they came back (a FIFO, /dev/zero) run in a process of their own.
"""

from __future__ import annotations

import io
import os
import shutil
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from workreport import cli

from .conftest import FACTS, ROOT

CORPUS = Path(__file__).parent / "bad_inputs"
CASES = YAML(typ="safe").load((CORPUS / "cases.yaml").read_text(encoding="utf-8"))
FACTS_CASES = [c for c in CASES if "document" not in c]
REPORT_CASES = [c for c in CASES if "document" in c]
REPORT = "丰宁县计划生育协会2016年工作总结.docx"


@pytest.fixture(scope="module")
def previous_report(tmp_path_factory) -> bytes:
    """The report a good build writes, as bytes: what every failed build must leave alone."""
    out = tmp_path_factory.mktemp("good")
    assert cli.main(["build", str(FACTS / "2016.yaml"), "-o", str(out)]) == 0
    return (out / REPORT).read_bytes()


@pytest.fixture
def workspace(tmp_path, monkeypatch, previous_report):
    """A working folder like the staff's: facts/ (2015 and 2016) and output/ holding last build's report."""
    shutil.copytree(FACTS, tmp_path / "facts")
    (tmp_path / "output").mkdir()
    (tmp_path / "output" / REPORT).write_bytes(previous_report)
    monkeypatch.chdir(tmp_path)  # messages then name facts/2016.yaml, as staff see them
    return tmp_path


def write_case(case: dict, root: Path) -> tuple[Path, Path, int | None]:
    """Write the case's facts file; return the path to build, the file the message must name, and its line."""
    target = root / "facts" / case.get("in", "2016.yaml")
    built = root / "facts" / "2016.yaml"
    line = case.get("line", 0)
    if case.get("missing"):
        built.unlink()
        return built, built, None
    if case.get("folder"):
        built.unlink()
        built.mkdir()
        return built, built, None
    if case.get("special"):
        built.unlink()
        os.mkfifo(built) if case["special"] == "fifo" else built.symlink_to("/dev/zero")
        return built, built, None
    if case.get("template_link"):
        shutil.copytree(ROOT / "templates", root / "templates")  # ./templates is the one used from this folder
        linked = root / "templates" / "fpa-annual" / "text" / case["template_link"]
        linked.unlink()
        linked.symlink_to("/etc/passwd")
        return built, linked, None
    if "file" in case:
        text = (CORPUS / case["file"]).read_text(encoding="utf-8")
    elif "text" in case:
        text = case["text"] * case.get("repeat", 1)
    else:
        old, new = case["replace"]
        if "pad" in case:
            new += case["pad"][0] * case["pad"][1]
        text = target.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{old!r} should occur once in {target.name}"
        if line == 0:
            line = text[: text.index(old)].count("\n") + 1
        text = text.replace(old, new)
    if isinstance(line, str):
        line = next(i for i, row in enumerate(text.splitlines(), 1) if line in row)
    if case.get("crlf"):
        text = text.replace("\n", "\r\n")
    if case.get("cr"):
        text = text.replace("\n", "\r")
    data = text.encode(case.get("encoding", "utf-8"))
    target.write_bytes((b"\xef\xbb\xbf" if case.get("bom") else b"") + data)
    return built, target, line


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 30
    assert len({c["name"] for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", FACTS_CASES, ids=[c["name"] for c in FACTS_CASES])
def test_bad_input_is_refused_cleanly(case, workspace, previous_report, capsys):
    built, named, line = write_case(case, workspace)

    if case.get("subprocess"):  # a fault that would hang or exhaust the test process if it came back
        done = subprocess.run([sys.executable, "-m", "workreport.cli", "build", str(built.relative_to(workspace)), "-o", "output"],
                              capture_output=True, text=True, encoding="utf-8", timeout=60)
        code, err = done.returncode, done.stderr
    else:
        code = cli.main(["build", str(built.relative_to(workspace)), "-o", "output"])
        err = capsys.readouterr().err
    assert code == case.get("exit", 2), err
    assert "Traceback" not in err and "内部错误" not in err, err
    shown = named.relative_to(workspace).as_posix()
    assert (f"{shown}:{line}:" if line else shown) in err, err
    for fragment in case["expect"]:
        assert str(fragment) in err, err
    assert sorted(p.name for p in (workspace / "output").iterdir()) == [REPORT]  # no temporary file left
    assert (workspace / "output" / REPORT).read_bytes() == previous_report


@pytest.mark.parametrize("name", ["a key written twice", "the billion laughs"])
def test_a_real_process_prints_no_traceback(name, workspace, previous_report):
    case = next(c for c in CASES if c["name"] == name)
    built, named, line = write_case(case, workspace)

    done = subprocess.run([sys.executable, "-m", "workreport.cli", "build", str(built.relative_to(workspace)), "-o", "output"],
                          capture_output=True, text=True, encoding="utf-8", timeout=60)

    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert f"{named.relative_to(workspace).as_posix()}:{line}:" in done.stderr
    assert (workspace / "output" / REPORT).read_bytes() == previous_report


# --- reports given to lint and import --------------------------------------------------------------

def _rezip(good: bytes, change=lambda name, data: data, extra: dict | None = None) -> bytes:
    """The good report's zip with each part passed through ``change`` (and ``extra`` parts added)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item.filename, change(item.filename, source.read(item.filename)))
        for name, data in (extra or {}).items():
            target.writestr(name, data)
    return out.getvalue()


def _document_xml(change):
    return lambda good: _rezip(good, lambda name, data: change(data) if name == "word/document.xml" else data)


def _headers(data: bytes, patch) -> bytes:
    """``data`` (a zip) with ``patch(buffer, offset, name)`` applied to every local and central header."""
    buffer = bytearray(data)
    for signature, name_at, length_at in ((b"PK\x03\x04", 30, 26), (b"PK\x01\x02", 46, 28)):
        at = buffer.find(signature)
        while at >= 0:
            length = struct.unpack_from("<H", buffer, at + length_at)[0]
            patch(buffer, at, signature, bytes(buffer[at + name_at:at + name_at + length]).decode())
            at = buffer.find(signature, at + 4)
    return bytes(buffer)


def _declare_size(size: int):
    """A patch declaring word/document.xml's uncompressed size as ``size`` bytes."""
    def patch(buffer, at, signature, name):
        if name == "word/document.xml":
            struct.pack_into("<I", buffer, at + (22 if signature == b"PK\x03\x04" else 24), size)
    return patch


def _method(buffer, at, signature, name):
    struct.pack_into("<H", buffer, at + (8 if signature == b"PK\x03\x04" else 10), 9)  # Deflate64


def _encrypted(buffer, at, signature, name):
    buffer[at + (6 if signature == b"PK\x03\x04" else 8)] |= 1


_LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa">'
           + b"".join(b'<!ENTITY %s "%s">' % (bytes([98 + i]), b"&%s;" % bytes([97 + i]) * 10) for i in range(8)) + b"]>")
MAKERS = {
    "malformed_xml": _document_xml(lambda xml: xml[:-100]),
    "char_reference": _document_xml(lambda xml: xml.replace(b'<w:t xml:space="preserve">', b'<w:t xml:space="preserve">&#1;', 1)),
    "billion_laughs": _document_xml(lambda xml: _LAUGHS + xml[xml.index(b"<w:document"):].replace(
        b'<w:t xml:space="preserve">', b'<w:t xml:space="preserve">&i;', 1)),
    "many_elements": _document_xml(lambda xml: xml.replace(b"<w:body>", b"<w:body>" + b"<w:p/>" * 600_000, 1)),
    "deflate64": lambda good: _headers(good, _method),
    "zipcrypto": lambda good: _headers(good, _encrypted),
    "ole": lambda good: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4000),
    "declared_huge": lambda good: _headers(good, _declare_size(300_000_000)),
    "declared_small": lambda good: _headers(good, _declare_size(1_000)),
    "many_members": lambda good: _rezip(good, extra={f"media/{i}.bin": b"" for i in range(3001 - len(zipfile.ZipFile(io.BytesIO(good)).namelist()))}),
    "not_a_zip": lambda good: "丰宁县计划生育协会2016年工作总结\n".encode(),
    "odd_utf16": lambda good: "\ufeff二〇一六年工作总结\n".encode("utf-16-le") + b"x",
    "lone_surrogate_utf16": lambda good: "\ufeff工作总结\n".encode("utf-16-le") + b"\x00\xd8" + "好".encode("utf-16-le"),
    "many_characters": lambda good: ("总结" * 200_000 + "\n").encode(),
    "many_bytes": lambda good: b"a" * 3_000_000,
    "long_line": lambda good: b"2016 " + b"a" * 100 + b"\n",
}


def make_report(case: dict, folder: Path, good: bytes) -> Path:
    """The case's report file in ``folder``, made from the good report's bytes."""
    path = folder / f"总结{case.get('suffix', '.docx')}"
    if case["document"] == "fifo":
        os.mkfifo(path)
    elif case["document"] == "dev_zero":
        path.symlink_to("/dev/zero")
    else:
        path.write_bytes(MAKERS[case["document"]](good))
    return path


@pytest.mark.parametrize("command", ["lint", "import"])
@pytest.mark.parametrize("case", REPORT_CASES, ids=[c["name"] for c in REPORT_CASES])
def test_bad_report_is_refused_cleanly(case, command, tmp_path, monkeypatch, previous_report, capsys):
    monkeypatch.chdir(tmp_path)
    report = make_report(case, tmp_path, previous_report).relative_to(tmp_path)
    args = [command, str(report), "--year", "2016", *case.get("options", [])] + (["-o", "草稿.yaml"] if command == "import" else [])

    if case.get("subprocess"):
        done = subprocess.run([sys.executable, "-m", "workreport.cli", *args], capture_output=True, text=True, encoding="utf-8", timeout=60)
        code, err = done.returncode, done.stderr
    else:
        code = cli.main(args)
        err = capsys.readouterr().err

    assert code == 2, err
    assert "Traceback" not in err and "内部错误" not in err, err
    assert f"{report.as_posix()}" in err, err
    for fragment in case["expect"]:
        assert str(fragment) in err, err
    assert not (tmp_path / "草稿.yaml").exists()


def test_the_good_report_is_read_by_the_same_reader(tmp_path, previous_report, capsys):
    """The makers change a report that is otherwise read: lint finds the reference's known mistakes in it."""
    (tmp_path / "总结.docx").write_bytes(_rezip(previous_report))
    assert cli.main(["lint", str(tmp_path / "总结.docx"), "--year", "2016"]) in (0, 1)
    assert "内部错误" not in capsys.readouterr().err
