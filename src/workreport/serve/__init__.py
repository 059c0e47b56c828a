"""``workreport serve``: a local page where staff fill in the facts, see each finding beside its field, and download the report.

Entry point: ``serve(facts, port, open_browser)``.  The page is served by the standard
library's threading HTTP server on 127.0.0.1 (server.py), drawn from the report kind's
schema (form.py, templates/), checked by the same checks as ``workreport check``
(document.py) and saved by a round trip that keeps comments and layout (merge.py).
"""

from __future__ import annotations

from pathlib import Path


def serve(facts: str | Path, port: int = 0, open_browser: bool = True, announce=print) -> int:
    """Serve the page for ``facts`` until Ctrl-C; exit code 0."""
    import webbrowser

    from ..facts import display_path
    from .document import FactsDocument
    from .server import make_server

    document = FactsDocument(facts)
    server = make_server(document, port)
    try:
        announce(f"正在填写：{display_path(document.path)}")
        announce(f"请在浏览器中打开：{server.url}")
        announce("（只有本机能打开；网址中的访问码每次启动都不同。按 Ctrl-C 结束。）", flush=True)
        if open_browser and not webbrowser.open(server.url):
            announce("未能自动打开浏览器：请把上面的网址复制到浏览器的地址栏中打开。", flush=True)
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:  # Ctrl-C is how staff close it: a normal end
        pass
    finally:
        server.server_close()
    announce("已结束。")
    return 0
