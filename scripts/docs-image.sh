#!/bin/sh
# Make the README preview images from the first PDF in OUTDIR:
# docs/first-page.png (page 1) and docs/second-page.png (page 2, if there is one).
# Usage: scripts/docs-image.sh OUTDIR
set -eu

if [ $# -ne 1 ]; then
    echo "用法：scripts/docs-image.sh 输出目录" >&2
    exit 2
fi
root=$(cd "$(dirname "$0")/.." && pwd)

set -- "$1"/*.pdf
if [ ! -e "$1" ]; then
    echo "没有找到 PDF。请先运行：make pdf" >&2
    exit 2
fi
pdf=$1
mkdir -p "$root/docs"

# 100 dpi: an A4 page is 827 x 1170 pixels, readable on screen and small in the repository.
pdftoppm -png -r 100 -f 1 -l 1 -singlefile "$pdf" "$root/docs/first-page"
pages=$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')
if [ "${pages:-1}" -ge 2 ]; then
    pdftoppm -png -r 100 -f 2 -l 2 -singlefile "$pdf" "$root/docs/second-page"
fi
echo "已生成：docs/first-page.png（来自 $pdf）"
