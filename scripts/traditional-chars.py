"""Write src/workreport/data/traditional.txt: every character OpenCC's t2s conversion changes on its own.

prose.numbers.normalize calls OpenCC only for a text holding one of them: loading OpenCC took
longer than the rest of a check.  tests/test_prose.py fails when the installed OpenCC
changes a character this file lacks; run this again then (``.venv/bin/python scripts/traditional-chars.py``).
"""

from __future__ import annotations

from pathlib import Path

TARGET = Path(__file__).resolve().parents[1] / "src" / "workreport" / "data" / "traditional.txt"


def changed_characters() -> str:
    """Every character that t2s converts to something else when it stands alone, in code point order."""
    import opencc

    converter = opencc.OpenCC("t2s")
    chars = [chr(code) for code in range(0x110000) if code != 0x0A and not 0xD800 <= code <= 0xDFFF]
    converted = converter.convert("\n".join(chars)).split("\n")  # one call; a line break stops every phrase
    if len(converted) != len(chars):
        raise SystemExit("OpenCC changed the number of lines; cannot pair characters")
    return "".join(a for a, b in zip(chars, converted) if a != b)


if __name__ == "__main__":
    text = changed_characters()
    TARGET.write_text(text + "\n", encoding="utf-8")
    print(f"{TARGET}: {len(text)} characters")
