"""Where Debian's headless Chromium is: the tests and bench/serve_latency.py drive it through Playwright (never a downloaded browser)."""

from __future__ import annotations

import os
import shutil

CANDIDATES = ("chromium-headless-shell", "chromium", "chromium-browser")


def chromium_path() -> str | None:
    """$WORKREPORT_CHROMIUM, else the first of Debian's Chromium commands on PATH (or in /usr/bin)."""
    if os.environ.get("WORKREPORT_CHROMIUM"):
        return os.environ["WORKREPORT_CHROMIUM"]
    for name in CANDIDATES:
        found = shutil.which(name) or (f"/usr/bin/{name}" if os.path.exists(f"/usr/bin/{name}") else None)
        if found:
            return found
    return None


MISSING = ("找不到 Chromium：浏览器测试需要 Debian 的 chromium-headless-shell（或 chromium）。"
           "请运行 make system-deps（scripts/install-system-deps.sh 会安装它）；测试从不下载浏览器。")
