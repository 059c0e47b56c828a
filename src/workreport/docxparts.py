"""The XML parts of a .docx that someone gave us, read so that no file can exhaust memory or reach out.

Entry point: ``main_document(data, shown, error)``.  A .docx is a zip container of XML parts.
Before anything is unpacked, the container's own directory is checked: the number of members,
and each member's declared uncompressed size and their total.  Only the parts needed are
unpacked, never past their declared size; each is parsed by an lxml parser that resolves no
entities, reaches no network and keeps its size limits (no ``huge_tree``), and a part with a
DOCTYPE (where entity bombs live) is refused.  Every refusal is a located Chinese message.
"""

from __future__ import annotations

import posixpath
import struct
import zipfile
import zlib
from io import BytesIO
from typing import Any

from .errors import Problem, WorkreportError
from .inputs import size_text

# Word writes 10–30 members, a few hundred with many pictures; its XML parts are well under a few MB.
MAX_ENTRIES = 2_000  # members of the zip container
MAX_MEMBER_BYTES = 50_000_000  # declared uncompressed size of any one member (a picture is stored as it is)
MAX_TOTAL_BYTES = 200_000_000  # declared uncompressed size of all members together
MAX_XML_BYTES = 10_000_000  # uncompressed size of an XML part that is read and parsed
MAX_ELEMENTS = 500_000  # XML elements in one part (a 50-page report has about 50,000); each costs memory once parsed

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a .doc, or a .docx encrypted with a password to open it
_RESAVE = "请用 Word/WPS 打开后“另存为” .docx 再试"
# What zipfile, zlib and struct raise on a damaged container; each means "not a readable .docx".
_DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError, ValueError, struct.error, OverflowError, IndexError, KeyError)
_DOCTYPE = "Word 文件中的 {name} 含有 DOCTYPE 声明，Word 从不写它（常用于“实体炸弹”），已拒绝读取；" + _RESAVE
_METHODS = {9: "Deflate64（Windows“发送到压缩文件夹”的方式）", 12: "BZIP2", 14: "LZMA", 93: "Zstandard", 98: "PPMd", 99: "AES 加密"}


def main_document(data: bytes, shown: str, error: type[WorkreportError]) -> Any:
    """The parsed main document part (w:document) of the .docx whose bytes are ``data``."""
    def refuse(message: str) -> WorkreportError:
        return error(Problem(message, file=shown))

    if data.startswith(_OLE):
        raise refuse("这是设了打开密码的 Word 文件，或旧版 .doc 文件，程序读不了；请在 Word/WPS 中去掉密码后另存为 .docx 再试")
    _check_directory(data, refuse)
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            members = _checked_members(archive, refuse)
            name = _main_part(archive, members, refuse)
            root = _parse(_unpack(archive, members[name], refuse), name, refuse)
    except _DAMAGED + (UnicodeDecodeError, NotImplementedError, RuntimeError) as exc:
        if isinstance(exc, WorkreportError):
            raise
        raise refuse(f"不是有效的 Word（.docx）文件，可能已损坏或只是改了扩展名；{_RESAVE}") from exc
    if root.tag != f"{_W}document":
        raise refuse(f"Word 文件的正文部分 {name} 不是 Word 正文（根元素是 {root.tag}）；{_RESAVE}")
    return root


def _check_directory(data: bytes, refuse) -> None:
    """Refuse a container whose directory declares more members than a .docx has, before zipfile reads it.

    zipfile reads the whole directory into memory; its size and count are in the end record
    (or the ZIP64 one), found here the way zipfile finds them.
    """
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if end < 0 or len(data) < end + 22:
        return  # zipfile says it is not a zip file
    count, size = struct.unpack_from("<HI", data, end + 10)
    locator = end - 20
    if locator >= 56 and data[locator:locator + 4] == b"PK\x06\x07" and data[locator - 56:locator - 52] == b"PK\x06\x06":
        count, size = struct.unpack_from("<QQ", data, locator - 56 + 32)
    if count > MAX_ENTRIES or size > MAX_ENTRIES * 400:
        raise refuse(f"Word 文件中的成员太多：{count} 个（目录 {size_text(size)}），上限是 {MAX_ENTRIES} 个；"
                     f"这不像是一份总结，可能是恶意构造的文件")


def _checked_members(archive: zipfile.ZipFile, refuse) -> dict[str, zipfile.ZipInfo]:
    """The members by name, after checking their number, their declared sizes and their total."""
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        raise refuse(f"Word 文件中的成员太多：{len(infos)} 个，上限是 {MAX_ENTRIES} 个；这不像是一份总结，可能是恶意构造的文件")
    total = 0
    for info in infos:
        if info.file_size > MAX_MEMBER_BYTES:
            raise refuse(f"Word 文件中的 {info.filename} 解压后有 {size_text(info.file_size)}，一个成员的上限是 "
                         f"{size_text(MAX_MEMBER_BYTES)}；可能是“压缩炸弹”，已拒绝读取")
        total += info.file_size
    if total > MAX_TOTAL_BYTES:
        raise refuse(f"Word 文件解压后共有 {size_text(total)}，上限是 {size_text(MAX_TOTAL_BYTES)}；可能是“压缩炸弹”，已拒绝读取")
    return {info.filename: info for info in infos}


def _main_part(archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo], refuse) -> str:
    """The name of the main document part, from the package relationships (_rels/.rels); word/document.xml by default."""
    name = "word/document.xml"
    if "_rels/.rels" in members:
        rels = _parse(_unpack(archive, members["_rels/.rels"], refuse), "_rels/.rels", refuse)
        for rel in rels.iter(f"{_RELS}Relationship"):
            if str(rel.get("Type", "")).endswith("/officeDocument") and rel.get("TargetMode") != "External":
                name = posixpath.normpath(str(rel.get("Target", "")).lstrip("/"))
                break
    if name not in members:
        raise refuse(f"不是 Word 文件：其中没有正文部分（{name}）；{_RESAVE}")
    return name


def _unpack(archive: zipfile.ZipFile, info: zipfile.ZipInfo, refuse) -> bytes:
    """A member's bytes: refused when encrypted, packed in a way Word never uses, or larger than declared or allowed."""
    if info.flag_bits & 0x1:
        raise refuse(f"Word 文件中的 {info.filename} 是加密的（ZipCrypto），程序读不了；请在 Word/WPS 中去掉密码后另存为 .docx 再试")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        method = _METHODS.get(info.compress_type, f"第 {info.compress_type} 种")
        raise refuse(f"Word 文件中的 {info.filename} 用 {method} 压缩，Word 不用这种方式，程序也读不了；{_RESAVE}")
    if info.file_size > MAX_XML_BYTES:
        raise refuse(f"Word 文件中的 {info.filename} 解压后有 {size_text(info.file_size)}，上限是 {size_text(MAX_XML_BYTES)}"
                     f"（一年的总结不到 1 MB）；请检查是否选错了文件")
    try:
        with archive.open(info) as stream:
            data = stream.read(info.file_size + 1)  # never past what the directory declared
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:  # zipfile stops at the declared size; the checksum then fails
        raise refuse(f"Word 文件中的 {info.filename} 解压时出错（{exc}），文件已损坏；{_RESAVE}") from exc
    if len(data) > info.file_size:
        raise refuse(f"Word 文件中的 {info.filename} 解压后比它声明的 {size_text(info.file_size)} 更大，文件已损坏或是恶意构造的；已拒绝读取")
    return data


def _parse(data: bytes, name: str, refuse) -> Any:
    """An XML part parsed without entities, network or huge trees; a DOCTYPE is refused."""
    from lxml import etree

    if any("<!DOCTYPE".encode(encoding) in data for encoding in ("utf-8", "utf-16-le", "utf-16-be")):
        raise refuse(_DOCTYPE.format(name=name))  # refused before parsing: libxml2 would start on its entities
    events = etree.iterparse(BytesIO(data), events=("start",), resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, remove_comments=True, remove_pis=True)
    try:
        for count, _ in enumerate(events, 1):  # counted as they are parsed: the tree never grows past the limit
            if count > MAX_ELEMENTS:
                raise refuse(f"Word 文件中的 {name} 有超过 {MAX_ELEMENTS} 个 XML 元素，上限是 {MAX_ELEMENTS} 个"
                             f"（一份 50 页的总结约有 5 万个）；可能是恶意构造的文件，已拒绝读取")
        root = events.root
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (None, None)
        where = f"第 {line} 行第 {column} 列" if line else "开头"
        raise refuse(f"Word 文件中的 {name} 不是有效的 XML（{where}：{exc.msg}），文件已损坏；{_RESAVE}") from exc
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise refuse(_DOCTYPE.format(name=name))
    return root
