"""Enumerations in prose and the counts that name them: “奶牛、肉鸡和中药材种植三大基地”, “A、B等5个乡镇”.

Entry point: ``list_before(text, clause_start, position)``: the enumeration that ends right
before a count, as a ``Listed`` with its possible lengths.  A list ending in 等 is open (the
count may be larger); items that are pairs joined by 、 inside comma-separated groups
(“A、B，C、D，E、F三个环节”) may be counted by group or by item, so both are possible.
"""

from __future__ import annotations

import re

import msgspec

# Words that, inside an item, show that the 、 run is not one list of names but a sentence around it.
# Strings, compiled on first use (re keeps them): only a text with an enumeration needs them.
_VERB_INSIDE = r"开展|建立|实现|组织|围绕|通过|按照|进行|做到|达到|形成|落实|坚持|推进|加强|完成|召开|举办|设立|成立"
_JOINED = r"以及|和|及|与|或"
LOOK_BACK = 120  # characters before a count where its groups may stand
LOOK_AHEAD = 400  # characters after a fixed term where its items may stand


class Listed(msgspec.Struct, frozen=True):
    """An enumeration before a count: its items as written, lengths it can be read as, open (等) or not, and sure or not."""

    items: tuple[str, ...]
    lengths: frozenset[int]
    open: bool
    sure: bool  # one plain run of names: a count that differs is an error; otherwise a hint at most

    @property
    def length(self) -> int:
        return len(self.items)


def list_before(text: str, clause_start: int, position: int, previous_clauses: list[str] = ()) -> Listed | None:
    """The enumeration of the clause before ``position`` (None when the clause holds no 、)."""
    clause = text[clause_start:position]
    is_open = clause.endswith("等")
    if is_open:
        clause = clause[:-1]
    if "、" not in clause:
        return None
    parts = clause.split("、")
    last_joined = re.search(_JOINED, parts[-1])
    items = parts[:-1] + ([parts[-1][:last_joined.start()], parts[-1][last_joined.end():]] if last_joined and last_joined.start() > 0 else [parts[-1]])
    items = [i.strip() for i in items]
    if not all(items) or any(re.search(r"\d", i) for i in items):
        return None  # 26个乡镇、312个行政村 / 省级5个、市级12个: quantities listed, not a list of names
    verb = re.search(_VERB_INSIDE, items[-1])
    if verb and verb.start() > 0:
        items[-1] = items[-1][:verb.start()]  # 在县城、大阁镇和胡麻营乡建立了4个: the list ends before the verb
    lengths = {len(items)}
    # Sure only of a plain run of short names: a verb or 了 inside, or a long last item, means the words around were taken in.
    sure = (not any(re.search(_VERB_INSIDE, i) for i in items[1:]) and all(len(i) <= 12 for i in items[1:])
            and len(items[-1]) <= 8 and "了" not in items[-1])
    groups = [c for c in previous_clauses if "、" in c]
    if groups and len(groups) == len(previous_clauses):
        # A、B，C、D，E、F三个环节: the count may be of groups, or of every item.
        lengths |= {len(groups) + 1, len(items) + sum(len(c.split("、")) for c in groups)}
        sure = False
    return Listed(tuple(items), frozenset(lengths), is_open, sure)


def groups_before(text: str, sentence_start: int, clause_start: int) -> list[str]:
    """The comma-separated clauses of the sentence just before ``clause_start`` that hold 、 (groups of a list), nearest last."""
    start = max(sentence_start, clause_start - LOOK_BACK)  # groups are short: never read a long sentence again for each count
    clauses = re.split(r"[，,]", text[start:max(start, clause_start - 1)]) if clause_start > start else []
    out: list[str] = []
    for clause in reversed(clauses):
        if "、" not in clause or len(clause) > 16:
            break
        out.insert(0, clause)
    return out


def items_named(text: str, position: int, key: str, limit: int) -> list[str] | None:
    """The items a fixed term names (“六有”, 四个到位): in brackets right after it, else the first run of clauses holding ``key``.

    Looks no further than ``limit`` (the end of the paragraph's next sentence, say).
    """
    bracket = re.match(r"[”\"]?\s*[（(]([^）)]{1,200})[）)]", text[position:position + 210])
    if bracket:
        return [item.strip() for item in re.split(r"[、，,；;]", bracket.group(1)) if item.strip()]
    run: list[str] = []
    for clause in re.split(r"[、，,；;。：:]", text[position:min(limit, position + LOOK_AHEAD)]):
        # 有…, 进…: a one-character key starts every item but the first (企业计生协会有组织网络，有工作人员)
        clause_has_key = key in clause if len(key) > 1 or not run else clause.strip().startswith(key)
        if clause_has_key and clause.strip() != key:
            run.append(clause.strip())
        elif len(run) >= 2:
            break
        else:
            run = []
    return run if len(run) >= 2 else None
