"""Property-based: whatever bytes are given to ``lint`` and ``import``, the end is a result or a clean refusal.

Random bytes, random zip containers (random names and parts, stored or deflated, garbled XML)
and a good report with random bytes overwritten are given as .docx, and random bytes with
and without a BOM as .txt.  Each run of ``lint`` and ``import`` must end in exit 0, 1 or 2
without 内部错误 or a traceback; a refusal names the file; an input over one of the declared
limits (lowered here so that small examples cross them) is never read as a report.  Real
zip bombs at the real limits come last.  Everything runs in a subprocess of its own, whose
peak memory (resource.getrusage) must stay under 500 MB.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import warnings
import zipfile
import zlib
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from .conftest import FACTS, ROOT

PEAK_MB = 500
RUNS: dict[str, int] = {}  # inputs tried, by suffix (reported, so that a run that tried nothing is seen)
# Small limits for the random examples: the same checks, crossed by inputs of a few KB.
SMALL_LIMITS = {"MAX_DOCX_BYTES": 6_000, "MAX_TEXT_BYTES": 1_500, "MAX_CHARACTERS": 1_000}
SMALL_PARTS = {"MAX_ENTRIES": 12, "MAX_MEMBER_BYTES": 40_000, "MAX_TOTAL_BYTES": 60_000, "MAX_XML_BYTES": 30_000}
SETTINGS = settings(max_examples=60, deadline=None, derandomize=True, database=None,
                    phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))

NAMES = ["word/document.xml", "_rels/.rels", "[Content_Types].xml", "word/styles.xml", "docProps/core.xml", "a", "word/../x"]
XML_PIECES = ['<?xml version="1.0"?>', '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">',
              "<w:body>", "<w:p>", "<w:r>", "<w:t>", "二〇一六年", "新增8户", "改革开放30年来", "</w:t>", "</w:r>", "</w:p>",
              "<w:tbl><w:tr><w:tc>", "</w:tc></w:tr></w:tbl>", "</w:body>", "</w:document>", "&#1;", "&lt;", "&x;",
              "<!DOCTYPE a [<!ENTITY x 'xx'>]>", "<![CDATA[", "]]>", "\x00", "\ufeff", "一、", "一是"]


def xml_text() -> st.SearchStrategy[bytes]:
    return st.lists(st.sampled_from(XML_PIECES), max_size=30).map(lambda parts: "".join(parts).encode("utf-8", "surrogatepass"))


@st.composite
def zip_container(draw) -> bytes:
    """A zip of random members: names a .docx has or not, XML-ish or random content, stored or deflated."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a name drawn twice is written twice, as a hostile file may
        for _ in range(draw(st.integers(0, 16))):
            name = draw(st.sampled_from(NAMES) | st.text(min_size=1, max_size=8))
            data = draw(xml_text() | st.binary(max_size=300) | st.integers(0, 50_000).map(lambda n: b"<w:p/>" * (n // 6)))
            method = draw(st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED]))
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=method)
    return out.getvalue()


@st.composite
def garbled(draw, good: bytes) -> bytes:
    """The good report with a few random byte runs overwritten (or cut short)."""
    data = bytearray(good)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data) - 1))
        patch = draw(st.binary(min_size=1, max_size=8))
        data[at:at + len(patch)] = patch
    return bytes(data[: draw(st.integers(1, len(data)))]) if draw(st.booleans()) else bytes(data)


def text_bytes() -> st.SearchStrategy[bytes]:
    bom = st.sampled_from([b"", b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf"])
    body = st.binary(max_size=2_000) | st.text(max_size=800).map(lambda t: t.encode("utf-8", "surrogatepass")) \
        | st.text(max_size=400).map(lambda t: t.encode("utf-16-le", "surrogatepass"))
    return st.tuples(bom, body).map(lambda pair: pair[0] + pair[1])


def run_cli(args: list[str]) -> tuple[int, str]:
    from workreport import cli

    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = cli.main(args)
    return code, err.getvalue()


def over_limits(path: Path, data: bytes) -> bool:
    """Whether ``data`` crosses a (lowered) limit by a measure taken here, independently of the program."""
    if path.suffix == ".txt":
        return len(data) > SMALL_LIMITS["MAX_TEXT_BYTES"]
    if len(data) > SMALL_LIMITS["MAX_DOCX_BYTES"]:
        return True
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except Exception:  # noqa: BLE001 — not a readable zip: nothing is read from it either way
        return False
    return (len(infos) > SMALL_PARTS["MAX_ENTRIES"] or sum(i.file_size for i in infos) > SMALL_PARTS["MAX_TOTAL_BYTES"]
            or any(i.file_size > SMALL_PARTS["MAX_MEMBER_BYTES"] for i in infos))


def try_both(folder: Path, name: str, data: bytes, problems: list[str], limits_apply: bool = True) -> None:
    """Give ``data`` to lint and import as ``name``; record what breaks a rule."""
    path = folder / name
    path.write_bytes(data)
    RUNS[Path(name).suffix] = RUNS.get(Path(name).suffix, 0) + 1
    for args in (["lint", str(path), "--year", "2016"], ["import", str(path), "-o", str(folder / "draft.yaml"), "--force"]):
        code, err = run_cli(args)
        if code not in (0, 1, 2) or "内部错误" in err or "Traceback" in err:
            problems.append(f"{args[0]} {name} {data[:60]!r}: exit {code}: {err[-300:]}")
        elif code == 2 and path.name not in err and "命令行" not in err:
            problems.append(f"{args[0]} {name}: the refusal does not name the file: {err[-200:]}")
        elif code != 2 and limits_apply and over_limits(path, data):
            problems.append(f"{args[0]} {name}: read although over a limit ({len(data)} bytes)")
        elif code != 2 and limits_apply and sum(len(p) for p in _paragraphs(path)) > SMALL_LIMITS["MAX_CHARACTERS"]:
            problems.append(f"{args[0]} {name}: read although over the character limit")


def _paragraphs(path: Path) -> list[str]:
    from workreport.document import read_document

    return read_document(path).paragraphs


def zip_bomb(size: int, declared: int | None = None) -> bytes:
    """A .docx-like zip whose word/document.xml unpacks to about ``size`` bytes of paragraphs, declared as
    ``declared`` bytes (default: the truth); written by hand, since zipfile would hold the whole part in memory."""
    head = b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
    chunk, tail = b"<w:p><w:r><w:t>" + "总结".encode() * 1300 + b"</w:t></w:r></w:p>", b"</w:body></w:document>"
    compressor, crc, packed, real = zlib.compressobj(9, zlib.DEFLATED, -15), 0, [], 0
    for piece in [head] + [chunk] * (size // len(chunk)) + [tail]:
        packed.append(compressor.compress(piece))
        crc, real = zlib.crc32(piece, crc), real + len(piece)
    raw = b"".join(packed) + compressor.flush()
    name, shown = b"word/document.xml", real if declared is None else declared
    sizes = crc.to_bytes(4, "little") + len(raw).to_bytes(4, "little") + shown.to_bytes(4, "little") + len(name).to_bytes(2, "little")
    local = b"PK\x03\x04" + (20).to_bytes(2, "little") + bytes(2) + (8).to_bytes(2, "little") + bytes(4) + sizes + bytes(2) + name
    central = (b"PK\x01\x02" + (20).to_bytes(2, "little") * 2 + bytes(2) + (8).to_bytes(2, "little") + bytes(4) + sizes
               + bytes(16) + name)
    end = (b"PK\x05\x06" + bytes(4) + (1).to_bytes(2, "little") * 2 + len(central).to_bytes(4, "little")
           + (len(local) + len(raw)).to_bytes(4, "little") + bytes(2))
    return local + raw + central + end


def stable(report: bytes) -> bytes:
    """The report with its build time taken out (zip entry times, core properties), so that every run garbles the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(report)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "docProps/core.xml":
                data = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2016-12-20T00:00:00Z", data)
            target.writestr(zipfile.ZipInfo(item.filename, date_time=(2016, 12, 20, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def run_fuzz() -> dict:
    """The whole fuzz run (in the subprocess): random examples under lowered limits, then bombs at the real ones."""
    from workreport import document, docxparts

    problems: list[str] = []
    folder = Path(tempfile.mkdtemp())
    assert run_cli(["build", str(FACTS / "2016.yaml"), "-o", str(folder / "built")])[0] == 0
    good = stable(next((folder / "built").glob("*.docx")).read_bytes())
    SMALL_LIMITS["MAX_DOCX_BYTES"] = max(SMALL_LIMITS["MAX_DOCX_BYTES"], len(good) + 1)  # the good report's garbles are in
    real = [(module, name, getattr(module, name)) for module, limits in ((document, SMALL_LIMITS), (docxparts, SMALL_PARTS))
            for name in limits]
    for module, name, _ in real:
        setattr(module, name, SMALL_LIMITS.get(name, SMALL_PARTS.get(name)))

    @SETTINGS
    @given(st.binary(max_size=3_000) | zip_container() | garbled(good))
    def as_docx(data):
        try_both(folder, "报告.docx", data, problems)

    @SETTINGS
    @given(text_bytes())
    def as_text(data):
        try_both(folder, "报告.txt", data, problems)

    as_docx()
    as_text()
    for module, name, value in real:
        setattr(module, name, value)
    for size, declared in ((200_000_000, None), (200_000_000, 1_000), (9_000_000, None)):
        try_both(folder, "炸弹.docx", zip_bomb(size, declared), problems, limits_apply=False)
    return {"problems": problems, "runs": RUNS, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def test_random_reports_end_cleanly_within_limits_and_500_mb():
    env = dict(os.environ, PYTHONHASHSEED="0")
    done = subprocess.run([sys.executable, "-c", "import json, tests.test_fuzz_documents as f; print(json.dumps(f.run_fuzz()))"],
                          cwd=ROOT, env=env, capture_output=True, text=True, encoding="utf-8", timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    outcome = json.loads(done.stdout.strip().splitlines()[-1])
    assert outcome["problems"] == []
    assert outcome["runs"][".docx"] >= 60 and outcome["runs"][".txt"] >= 60, outcome
    assert outcome["peak_mb"] < PEAK_MB, outcome
