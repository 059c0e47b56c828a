"""A zip archive written from members deflated ahead of time, so that the parts every report shares are
compressed once per process and not once per report.

Entry points: ``member(name, data)`` deflates one member; ``archive(members)`` joins them into the
archive's bytes, byte for byte what ``zipfile.ZipFile(file, "w", ZIP_DEFLATED)`` with one
``writestr(name, data)`` per member writes (tests/render/test_zipwriter.py compares the two), so a .docx
written this way is the one python-docx's save writes.  No Zip64: a .docx part is far below 4 GB.
"""

from __future__ import annotations

import struct
import sys
import time
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")
_CENTRAL_HEADER = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")
_VERSION = 20  # zip 2.0, the version zipfile writes for deflated members
_SYSTEM = 0 if sys.platform == "win32" else 3  # as zipfile.ZipInfo: MS-DOS on Windows, else Unix
_MODE = 0o600 << 16  # the permissions zipfile gives a member written from bytes
_UTF8_NAME = 0x800


@dataclass(frozen=True)
class Member:
    """One file of the archive: its name as stored, its flags, CRC-32, size, and its data deflated."""

    name: bytes
    flags: int
    crc: int
    size: int
    deflated: bytes


def member(name: str, data: bytes) -> Member:
    """``data`` deflated at zlib's default level under ``name`` (UTF-8 flagged when not ASCII), as zipfile deflates it."""
    try:
        encoded, flags = name.encode("ascii"), 0
    except UnicodeEncodeError:
        encoded, flags = name.encode("utf-8"), _UTF8_NAME
    compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    return Member(encoded, flags, zlib.crc32(data), len(data), compressor.compress(data) + compressor.flush())


def archive(members: Sequence[Member], when: tuple[int, ...] | None = None) -> bytes:
    """The zip archive of ``members`` in order, each stamped with ``when`` (local time, default now)."""
    year, month, day, hour, minute, second = (when or time.localtime())[:6]
    dos_time = hour << 11 | minute << 5 | second // 2
    dos_date = (year - 1980) << 9 | month << 5 | day
    chunks: list[bytes] = []
    directory: list[bytes] = []
    offset = 0
    for item in members:
        stamp = (item.flags, zipfile.ZIP_DEFLATED, dos_time, dos_date, item.crc, len(item.deflated), item.size, len(item.name))
        header = _LOCAL_HEADER.pack(b"PK\x03\x04", _VERSION, 0, *stamp, 0)
        chunks += (header, item.name, item.deflated)
        directory += (_CENTRAL_HEADER.pack(b"PK\x01\x02", _VERSION, _SYSTEM, _VERSION, 0, *stamp, 0, 0, 0, 0, _MODE, offset),
                      item.name)
        offset += len(header) + len(item.name) + len(item.deflated)
    central = b"".join(directory)
    end = _END.pack(b"PK\x05\x06", 0, 0, len(members), len(members), len(central), offset, 0)
    return b"".join(chunks) + central + end
