#!/bin/sh
# Make docs/sheet.png, the README's picture of a facts workbook: the 2017 facts that new-year
# makes from facts/2016.yaml (values to fill marked 待填, 2016's figures as 上年), written as a
# workbook (workreport sheet), printed by LibreOffice Calc to PDF, the page of the 生育关怀 sheet.
# Usage: scripts/sheet-image.sh   (needs .venv, LibreOffice Calc and poppler-utils)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$root/.venv/bin/workreport" new-year "$root/facts/2016.yaml" -o "$work/2017.yaml" >/dev/null
"$root/.venv/bin/workreport" sheet "$work/2017.yaml" -o "$work/2017.xlsx" >/dev/null
soffice --headless --norestore "-env:UserInstallation=file://$work/profile" \
    --convert-to pdf --outdir "$work" "$work/2017.xlsx" >/dev/null 2>&1
pages=$(pdfinfo "$work/2017.pdf" | awk '/^Pages:/ {print $2}')
page=1
while [ "$page" -le "$pages" ]; do
    if pdftotext -f "$page" -l "$page" "$work/2017.pdf" - | grep -q "生育关怀.少生快富.扶持户数"; then
        break
    fi
    page=$((page + 1))
done
# 130 dpi, the printed table without the page's margins: readable on screen and small in the repository.
pdftoppm -png -r 130 -f "$page" -l "$page" -x 90 -y 120 -W 1260 -H 820 -singlefile "$work/2017.pdf" "$root/docs/sheet"
echo "已生成：docs/sheet.png（工作簿第 $page 页）"
