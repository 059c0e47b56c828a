"""The zip writer gives, byte for byte, the archive Python's zipfile writes (what python-docx's save uses)."""

from __future__ import annotations

import io
import zipfile

from tests.render.render_support import TEMPLATE
from workreport.render import zipwriter


def written_by_zipfile(items: list[tuple[str, bytes]]) -> tuple[bytes, tuple[int, ...]]:
    """``items`` written as python-docx writes a package; the archive and the time stamp its members got."""
    while True:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name, data in items:
                archive.writestr(name, data)
        stamps = {info.date_time for info in zipfile.ZipFile(buffer).infolist()}
        if len(stamps) == 1:  # not across the turn of a two-second step of the zip's clock
            return buffer.getvalue(), stamps.pop()


def test_the_template_rezipped_is_what_zipfile_writes():
    with zipfile.ZipFile(TEMPLATE) as template:
        items = [(info.filename, template.read(info)) for info in template.infolist()]
    expected, when = written_by_zipfile(items)
    assert zipwriter.archive([zipwriter.member(name, data) for name, data in items], when) == expected


def test_empty_and_non_ascii_members_are_what_zipfile_writes():
    items = [("word/空白.xml", b""), ("customXml/item1.xml", "<a>丰宁</a>".encode()), ("x", bytes(range(256)) * 50)]
    expected, when = written_by_zipfile(items)
    written = zipwriter.archive([zipwriter.member(name, data) for name, data in items], when)
    assert written == expected
    with zipfile.ZipFile(io.BytesIO(written)) as archive:
        assert archive.testzip() is None
        assert [(info.filename, archive.read(info)) for info in archive.infolist()] == items
