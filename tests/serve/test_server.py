"""The server as any client meets it: only this address, only with the run's token, security headers on
every answer, no path from a request reaching the file system; and Ctrl-C ends it with exit 0."""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
from pathlib import Path

from workreport.serve.server import TOKEN_HEADER


def request(server, method: str, path: str, host: str | None = None, headers: dict | None = None, body: bytes | None = None):
    """One request to ``server`` with the given Host (default: its own address); (status, headers, body)."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    connection.putrequest(method, path, skip_host=True)
    connection.putheader("Host", host or f"127.0.0.1:{server.port}")
    for name, value in (headers or {}).items():
        connection.putheader(name, value)
    if body is not None:
        connection.putheader("Content-Length", str(len(body)))
    connection.endheaders(body)
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response.status, response.headers, data


def api(server, route: str, payload: dict, **extra):
    headers = {"Content-Type": "application/json", TOKEN_HEADER: server.token, **extra.pop("headers", {})}
    return request(server, "POST", route, headers=headers, body=json.dumps(payload).encode(), **extra)


def test_a_foreign_host_is_refused_even_with_the_token(served):
    for host in ("evil.example", f"evil.example:{served.port}", f"127.0.0.1:{served.port + 1}", f"192.168.1.2:{served.port}"):
        status, _, body = request(served, "GET", f"/?token={served.token}", host=host)
        assert status == 421 and "本机地址" in body.decode()
        status, _, _ = api(served, "/api/check", {"data": {}}, host=host)
        assert status == 421
    assert request(served, "GET", f"/?token={served.token}", host=f"localhost:{served.port}")[0] == 200


def test_facts_are_neither_read_nor_changed_without_the_token(served):
    path = served.document.path
    before = path.read_bytes()
    for query in ("/", "/?token=", "/?token=wrong"):
        status, _, body = request(served, "GET", query)
        assert status == 403 and "访问码" in body.decode()
        assert "丰宁".encode() not in body
    version = served.document.version
    for headers in ({}, {TOKEN_HEADER: "wrong"}):
        status, _, _ = request(served, "POST", "/api/save", headers={"Content-Type": "application/json", "Origin": "http://evil.example", **headers},
                               body=json.dumps({"data": {"年度": "2016"}, "version": version}).encode())
        assert status == 403
    # what a page of another origin can send without our consent: a form post, no custom header
    status, _, _ = request(served, "POST", "/api/save", headers={"Content-Type": "text/plain"}, body=b"data=1")
    assert status == 403
    assert path.read_bytes() == before


def test_every_answer_carries_the_security_headers(served):
    answers = [request(served, "GET", f"/?token={served.token}"), request(served, "GET", "/static/app.js"),
               request(served, "GET", "/nothing"), request(served, "GET", "/", host="evil.example"),
               api(served, "/api/check", {"data": {}})]
    for _, headers, _ in answers:
        policy = headers["Content-Security-Policy"]
        assert "unsafe-eval" not in policy and "unsafe-inline" not in policy and "default-src 'none'" in policy
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Cache-Control"] == "no-store"


def test_no_path_from_a_request_reaches_the_file_system(served):
    for path in ("/static/../../../../etc/passwd", "/static/%2e%2e/__init__.py", "/static/form.py", "/facts/2016.yaml",
                 "/templates/page.html", "//etc/passwd"):
        status, _, body = request(served, "GET", path)
        assert status in (403, 404) and b"root:" not in body and b"import" not in body
    assert api(served, "/api/download/../../etc/passwd", {"data": {}})[0] == 404


def test_the_page_is_drawn_from_the_file_on_disk_with_its_token(served):
    status, headers, body = request(served, "GET", f"/?token={served.token}")
    page = body.decode()
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert f'content="{served.token}"' in page and 'value="1100多"' in page
    assert "<script>" not in page and "style=" not in page  # nothing inline: the CSP allows none


def test_a_body_that_is_not_json_is_refused(served):
    status, _, body = request(served, "POST", "/api/check", headers={"Content-Type": "application/json", TOKEN_HEADER: served.token}, body=b"[1,")
    assert status == 400 and "格式" in body.decode()


def test_ctrl_c_ends_the_server_with_exit_0_and_frees_its_port(facts_dir: Path):
    command = [sys.executable, "-m", "workreport.cli", "serve", str(facts_dir / "2016.yaml"), "--no-browser", "--port", "0"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=facts_dir.parent,
                               env={**os.environ, "PYTHONUNBUFFERED": "1"})
    lines = []
    for line in process.stdout:
        lines.append(line)
        if "http://" in line:
            break
    port = int(re.search(r"127\.0\.0\.1:(\d+)/\?token=", "".join(lines))[1])
    with socket.create_connection(("127.0.0.1", port), timeout=10):
        pass  # it is listening
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert "已结束" in out and "Traceback" not in err
    with socket.socket() as again:
        again.bind(("127.0.0.1", port))  # the port is free


def test_a_port_in_use_is_told_in_chinese(served, facts_dir: Path):
    done = subprocess.run([sys.executable, "-m", "workreport.cli", "serve", str(facts_dir / "2016.yaml"), "--no-browser",
                           "--port", str(served.port)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "端口" in done.stderr and "Traceback" not in done.stderr


def test_a_missing_facts_file_is_told_in_chinese(tmp_path: Path):
    done = subprocess.run([sys.executable, "-m", "workreport.cli", "serve", str(tmp_path / "2017.yaml"), "--no-browser"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "找不到这个文件" in done.stderr and "Traceback" not in done.stderr


def test_a_fault_while_checking_is_answered_in_chinese_and_the_server_goes_on(served, monkeypatch):
    monkeypatch.setattr(served.document, "evaluate", lambda answers: 1 / 0)
    status, _, body = api(served, "/api/check", {"data": {}})
    assert status == 500 and "内部错误" in json.loads(body)["message"]
    monkeypatch.undo()
    assert api(served, "/api/check", {"data": {}})[0] == 200
