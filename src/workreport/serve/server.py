"""The local web server: the standard library's threading HTTP server, on 127.0.0.1 only.

Entry point: ``make_server(document, port)``.  Nothing from a request names a file: the page,
its script and style are fixed resources of the package, and the only file read or written is
the facts file named on the command line.  A request is refused unless its Host is this
address (a DNS-rebinding page cannot reach us under another name), and every request that
reads or changes facts carries the per-run token (in the page's address, and in a header for
the page's own requests, which a page from another origin cannot send without our consent).
"""

from __future__ import annotations

import hmac
import json
import os
import secrets
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

from ..errors import OutputError, Problem, WorkreportError
from . import downloads
from .document import FactsDocument, StaleFile
from .page import findings_json, preview_json, render_page

HOST = "127.0.0.1"
TOKEN_HEADER = "X-Workreport-Token"
MAX_BODY = 2_000_000  # a year's answers are a few KB
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
                               "form-action 'none'; frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",  # the token is in the page's address
    "X-Frame-Options": "DENY",
    "Cross-Origin-Resource-Policy": "same-origin",
}
STATIC = {"/static/app.js": "text/javascript; charset=utf-8", "/static/app.css": "text/css; charset=utf-8"}
DOWNLOADS = {"docx": (downloads.report_docx, downloads.DOCX), "pdf": (downloads.report_pdf, downloads.PDF),
             "xlsx": (downloads.workbook, downloads.XLSX)}


class Server(ThreadingHTTPServer):
    """The HTTP server with what its handlers share: the facts document and the run's token."""

    daemon_threads = True  # a browser's kept-alive connection must not hold up Ctrl-C
    allow_reuse_address = os.name != "nt"  # on Windows SO_REUSEADDR would let two servers share a port

    def __init__(self, document: FactsDocument, port: int):
        self.document = document
        self.token = secrets.token_urlsafe(24)
        super().__init__((HOST, port), Handler)
        self.port = self.server_address[1]
        self.allowed_hosts = {f"{HOST}:{self.port}", f"localhost:{self.port}"}

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A browser that went away mid-answer (a closed tab) is not an error worth a traceback on the staff's console."""
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}/?token={self.token}"


def make_server(document: FactsDocument, port: int = 0) -> Server:
    """A server for ``document`` bound to 127.0.0.1:``port`` (0: a free port)."""
    try:
        return Server(document, port)
    except OSError as exc:
        raise OutputError(Problem(f"无法在本机端口 {port} 上启动（{exc.strerror or exc}）；可能已有程序占用这个端口，"
                                  "请换一个端口（--port 8123），或用 --port 0 自动选择")) from exc


class Handler(BaseHTTPRequestHandler):
    """One request: Host checked first, the token for anything about the facts, then one fixed route."""

    server: Server
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out as two writes: with Nagle, the body waits for a delayed ACK (40 ms)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass  # the console is for staff; requests are not news to them

    def do_GET(self) -> None:  # noqa: N802 - the base class's name
        if not self._host_ok():
            return
        url = urlsplit(self.path)
        if url.path in STATIC:
            name = url.path.rsplit("/", 1)[1]
            self._send(HTTPStatus.OK, resources.files(__package__).joinpath("static", name).read_bytes(), STATIC[url.path])
        elif url.path == "/" and self._token_ok(parse_qs(url.query).get("token", [""])[0]):
            try:
                self.server.document.reload()
            except WorkreportError as exc:
                self._message(HTTPStatus.UNPROCESSABLE_ENTITY, f"事实文件现在无法读取，请在编辑器中改正后重新载入页面：\n{_text(exc)}")
                return
            self._send(HTTPStatus.OK, render_page(self.server.document, self.server.token).encode("utf-8"), "text/html; charset=utf-8")
        elif url.path == "/favicon.ico":
            self._send(HTTPStatus.NO_CONTENT, b"", "text/plain")
        elif url.path != "/":
            self._message(HTTPStatus.NOT_FOUND, "没有这个页面")

    def do_POST(self) -> None:  # noqa: N802
        if not self._host_ok() or not self._token_ok(self.headers.get(TOKEN_HEADER, "")):
            return
        body = self._json_body()
        if body is None:
            return
        route = urlsplit(self.path).path
        try:
            if route == "/api/check":
                self._check(body)
            elif route == "/api/preview":
                self._json(HTTPStatus.OK, preview_json(self.server.document.evaluate(body.get("data") or {})))
            elif route == "/api/save":
                self._save(body)
            elif route.startswith("/api/download/") and route.rsplit("/", 1)[1] in DOWNLOADS:
                self._download(route.rsplit("/", 1)[1], body)
            else:
                self._message(HTTPStatus.NOT_FOUND, "没有这个操作")
        except StaleFile as exc:
            self._json(HTTPStatus.CONFLICT, {"stale": True, "message": _text(exc)})
        except WorkreportError as exc:
            self._json(HTTPStatus.UNPROCESSABLE_ENTITY, {"message": _text(exc)})
        except Exception as exc:  # noqa: BLE001 - the last resort: a bug shows a message in the page, not a dead page
            if os.environ.get("WORKREPORT_DEBUG"):
                raise
            self._json(HTTPStatus.INTERNAL_SERVER_ERROR, {"message": f"内部错误：程序出了问题（{type(exc).__name__}: {str(exc)[:200]}），"
                                                                     "事实文件未改动；请把这条信息和事实文件发给维护人员"})

    def _check(self, body: dict) -> None:
        evaluation = self.server.document.evaluate(body.get("data") or {})
        self._json(HTTPStatus.OK, findings_json(self.server.document, evaluation))

    def _save(self, body: dict) -> None:
        document = self.server.document
        written = document.save(body.get("data") or {}, str(body.get("version", "")))
        self._json(HTTPStatus.OK, {"version": document.version, "written": written,
                                   "message": "已保存" if written else "没有改动，文件未改写"})

    def _download(self, what: str, body: dict) -> None:
        make, mime = DOWNLOADS[what]
        evaluation = self.server.document.evaluate(body.get("data") or {})
        with self.server.document.lock:  # one build at a time, like the checks
            name, data = make(evaluation)
        self._send(HTTPStatus.OK, data, mime, {"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"})

    def _host_ok(self) -> bool:
        """Refuse a Host other than our own address: a page served under another name (DNS rebinding) gets nothing."""
        if self.headers.get("Host", "") in self.server.allowed_hosts:
            return True
        self._message(HTTPStatus.MISDIRECTED_REQUEST, "只接受本机地址（127.0.0.1）的请求")
        return False

    def _token_ok(self, given: str) -> bool:
        if hmac.compare_digest(given.encode(), self.server.token.encode()):
            return True
        self._message(HTTPStatus.FORBIDDEN, "缺少或不对的访问码：请用启动时显示的完整网址（含 ?token=…）打开页面")
        return False

    def _json_body(self) -> dict | None:
        """The request's JSON object; None (answered) when it is not one."""
        try:
            length = int(self.headers.get("Content-Length", "0"))
        except ValueError:
            length = -1
        if not 0 <= length <= MAX_BODY or not self.headers.get("Content-Type", "").startswith("application/json"):
            self._message(HTTPStatus.BAD_REQUEST, "请求的格式不对")
            return None
        try:
            body = json.loads(self.rfile.read(length) or b"{}")
        except ValueError:
            body = None
        if not isinstance(body, dict):
            self._message(HTTPStatus.BAD_REQUEST, "请求的格式不对")
            return None
        return body

    def _json(self, status: HTTPStatus, payload: dict) -> None:
        self._send(status, json.dumps(payload, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8")

    def _message(self, status: HTTPStatus, text: str) -> None:
        self._send(status, text.encode("utf-8"), "text/plain; charset=utf-8")

    def _send(self, status: HTTPStatus, data: bytes, mime: str, extra: dict | None = None) -> None:
        self.send_response(status)
        for name, value in {**SECURITY_HEADERS, "Content-Type": mime, "Content-Length": str(len(data)), **(extra or {})}.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)


def _text(exc: WorkreportError) -> str:
    return "\n".join(str(p) for p in exc.problems)
