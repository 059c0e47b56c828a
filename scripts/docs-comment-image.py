"""Make docs/comment.png: a page of the annotated copy as LibreOffice prints it, with its comments (批注) shown
in the margin beside the figures they are anchored on.

LibreOffice 7.4 exports each comment as a PDF text annotation (an icon at the anchor, the text inside);
this script renders the page with pdftoppm and writes each annotation's text beside it, so the README can
show what staff see in Word or WPS.  Usage (after `workreport check ... --annotate 批注.docx`; comments reach the PDF
only with the ExportNotes filter option):

    FONTCONFIG_FILE=fonts/fonts.conf soffice --headless \\
        --convert-to 'pdf:writer_pdf_Export:{"ExportNotes":{"type":"boolean","value":"true"}}' 批注.docx
    .venv/bin/python scripts/docs-comment-image.py 批注.pdf 3 docs/comment.png
"""

import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pdfplumber
from pdfminer.pdftypes import resolve1
from PIL import Image, ImageDraw, ImageFont

DPI, PANEL = 100, 430


def comments(pdf_path: str, number: int) -> list[tuple[float, float, str]]:
    """The text annotations of page ``number``: anchor x, y (points from the top) and text."""
    with pdfplumber.open(pdf_path) as pdf:
        page = pdf.pages[number - 1]
        out = []
        for ref in resolve1(page.page_obj.annots) or []:
            annotation = resolve1(ref)
            if getattr(annotation.get("Subtype"), "name", "") != "Text":
                continue
            x0, y0, x1, y1 = annotation["Rect"]
            raw = annotation.get("Contents") or b""
            text = raw.decode("utf-16") if raw.startswith(b"\xfe\xff") else raw.decode("latin-1")
            out.append((x0, page.height - y1, text))
        return out


def font(size: int) -> ImageFont.FreeTypeFont:
    path = subprocess.run(["fc-match", "-f", "%{file}", "Noto Sans CJK SC"], capture_output=True, text=True).stdout
    return ImageFont.truetype(path, size)


def main(pdf_path: str, number: int, output: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(["pdftoppm", "-png", "-r", str(DPI), "-f", str(number), "-l", str(number), "-singlefile", pdf_path,
                        f"{folder}/page"], check=True)
        page = Image.open(f"{folder}/page.png").convert("RGB")
    scale = DPI / 72
    canvas = Image.new("RGB", (page.width + PANEL, page.height), "white")
    canvas.paste(page, (0, 0))
    draw = ImageDraw.Draw(canvas)
    small = font(15)
    draw.rectangle([page.width, 0, canvas.width, canvas.height], fill=(245, 245, 245))
    top = 40
    for x, y, text in sorted(comments(pdf_path, number), key=lambda c: c[1]):
        ax, ay = x * scale, y * scale
        lines = [piece for line in text.split("\n") for piece in textwrap.wrap(line, 24)]
        box_top = max(top, ay - 10)
        height = 22 * (len(lines) + 1) + 10
        box = [page.width + 15, box_top, canvas.width - 15, box_top + height]
        draw.rectangle(box, fill=(255, 248, 220), outline=(220, 120, 0), width=2)
        draw.text((box[0] + 10, box_top + 6), "workreport", font=font(15), fill=(150, 60, 0))
        for i, line in enumerate(lines):
            draw.text((box[0] + 10, box_top + 28 + 22 * i), line, font=small, fill=(40, 40, 40))
        draw.line([ax, ay + 20, page.width + 15, box_top + 14], fill=(220, 120, 0), width=2)
        draw.ellipse([ax - 5, ay + 15, ax + 5, ay + 25], outline=(220, 120, 0), width=2)
        top = box_top + height + 15
    Path(output).parent.mkdir(parents=True, exist_ok=True)
    canvas.convert("P", palette=Image.Palette.ADAPTIVE, colors=64).save(output, optimize=True)
    print(f"已生成：{output}")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3])
