#!/bin/sh
# Install what rendering the report to PDF needs (Debian/Ubuntu, as root):
# LibreOffice Writer and Calc (headless; Calc opens the facts workbooks), poppler-utils (pdftoppm, pdffonts, pdftotext) and the free
# stand-ins for the official-document fonts (see fonts/fonts.conf). Does nothing when all
# are present, so CI can call it on every run.
set -eu

PACKAGES="libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils fonts-noto-cjk fonts-arphic-ukai fonts-liberation fontconfig"
# FandolFang (the 仿宋 stand-in) ships in texlive-lang-chinese; about 90 MB, without recommends.
PACKAGES="$PACKAGES texlive-lang-chinese"
# Headless Chromium for the tests of `workreport serve`'s page (driven by Playwright; no browser is downloaded).
PACKAGES="$PACKAGES chromium-headless-shell"

missing=""
for pkg in $PACKAGES; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $pkg"
    fi
done

if [ -z "$missing" ]; then
    echo "系统依赖已齐全：$PACKAGES"
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO=sudo
    else
        echo "需要 root 权限安装：$missing（请用 root 运行，或先安装 sudo）" >&2
        exit 1
    fi
else
    SUDO=""
fi

echo "正在安装：$missing"
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q
# shellcheck disable=SC2086  # word splitting of the package list is intended
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
fc-cache -f >/dev/null 2>&1 || true
echo "安装完成。"
