"""Reading Chinese prose: figures with what they count and what qualifies them (see prose.reading).

- ``prose.numbers``: numbers as reports write them (1,100户, 三四十户, 一万二, 百分之九十, 二〇一六年), and
  ``normalize`` (traditional → simplified with OpenCC, full-width digits → half-width, offsets kept);
- ``prose.vocabulary``: the field's words (data/terms.yaml) found in one pass;
- ``prose.reading``: ``scan(text, terms)`` for one text, ``read(doc, year, calendar)`` for a report;
- ``prose.lists``: enumerations before a count (A、B和C三项; 等N个 is an open list);
"""

from .numbers import normalize, read_numeral
from .reading import ProseFigure, Reading, Sentence, read, scan

__all__ = ["ProseFigure", "Reading", "Sentence", "normalize", "read", "read_numeral", "scan"]
