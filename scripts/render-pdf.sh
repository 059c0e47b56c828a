#!/bin/sh
# Convert every OUTDIR/*.docx to PDF with LibreOffice headless, showing the official-document
# fonts through the free stand-ins mapped in fonts/fonts.conf.
# Usage: scripts/render-pdf.sh OUTDIR
set -eu

if [ $# -ne 1 ]; then
    echo "用法：scripts/render-pdf.sh 输出目录" >&2
    exit 2
fi
outdir=$1
root=$(cd "$(dirname "$0")/.." && pwd)

if ! command -v soffice >/dev/null 2>&1; then
    echo "找不到 LibreOffice（soffice）。请先运行：make system-deps" >&2
    exit 2
fi

set -- "$outdir"/*.docx
if [ ! -e "$1" ]; then
    echo "$outdir 中没有 .docx 文件。请先运行：make report" >&2
    exit 2
fi

# A private LibreOffice profile: a running desktop LibreOffice cannot block the conversion,
# and the user's settings cannot change the layout.
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT INT TERM

for docx in "$@"; do
    rm -f "${docx%.docx}.pdf"
done

FONTCONFIG_FILE="$root/fonts/fonts.conf" soffice --headless --norestore \
    "-env:UserInstallation=file://$profile" \
    --convert-to pdf --outdir "$outdir" "$@" >/dev/null

for docx in "$@"; do
    pdf="${docx%.docx}.pdf"
    if [ ! -s "$pdf" ]; then
        echo "转换失败：$docx" >&2
        exit 1
    fi
    echo "已生成：$pdf"
done
