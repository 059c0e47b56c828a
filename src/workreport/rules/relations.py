"""Relations between facts, declared per report kind in templates/<kind>/relations.yaml.

Each relation does two jobs with one piece of logic: ``solve`` fills in the figure that
follows from the others when staff left it out (derive), and ``conflicts`` says why the
figures cannot all be true when they were all written (check).  Approximate figures are
ranges: a conflict is raised only when no value in the ranges satisfies the relation.
"""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Any

import msgspec

from ..errors import Problem, TemplateError
from ..facts import Path_, dotted, lookup, parse_dotted
from ..quantity import CN_NUMERAL_CHARS, Quantity, exact, parse_chinese_number, ranges_overlap, sum_range

PREVIOUS = "上年"  # a path starting with this step reads last year's facts
OPEN_LIST_MARKERS = ("等", "……", "...")


class Conflict(msgspec.Struct):
    """Figures that cannot all be true: what the relation says, with the facts involved.

    ``rule`` names the relation kind and variant (e.g. "count_of.named"); the checks
    package maps it to a WR code.  ``paths`` lists the facts involved, the one most
    likely wrong first; a path starting with 上年 is in last year's file.
    """

    rule: str
    message: str
    paths: list[Path_]
    severity: str = "error"
    expected: str | None = None
    actual: str | None = None


class Context(msgspec.Struct):
    """The facts being derived: this year's typed tree (mutable), last year's, and the calendar."""

    values: dict
    year: int
    previous: dict | None
    calendar: dict
    derived: set[Path_] = msgspec.field(default_factory=set)

    def get(self, path: Path_) -> Any:
        """The value at ``path`` (上年… reads last year's facts), or None."""
        if path and path[0] == PREVIOUS:
            return lookup(self.previous, path[1:])
        return lookup(self.values, path)

    def put(self, path: Path_, value: Any) -> None:
        """Set a derived value, creating the enclosing mappings; remember that it was derived."""
        node = self.values
        for step in path[:-1]:
            node = node.setdefault(step, {}) if isinstance(node, dict) else node[step]
        node[path[-1]] = value
        self.derived.add(tuple(path))

    def stated(self, path: Path_) -> bool:
        """Whether staff wrote this value (present and not derived)."""
        return self.get(path) is not None and tuple(path) not in self.derived

    def expand(self, pattern: Path_) -> list[Path_]:
        """Concrete paths for a pattern with "*" steps (one per list item that exists)."""
        paths: list[Path_] = [()]
        for step in pattern:
            if step == "*":
                paths = [(*p, i) for p in paths for i in range(len(self.get(p) or []))]
            else:
                paths = [(*p, step) for p in paths]
        return paths


def list_items(value: Any) -> tuple[list, bool]:
    """A listed value's items and whether the list is open (its last item is 等)."""
    items = list(value or [])
    if items and str(items[-1]).strip() in OPEN_LIST_MARKERS:
        return items[:-1], True
    return items, False


def leading_count(name: str) -> int | None:
    """The number in a fixed term: 六有 → 6, 五到位 → 5, 两提高 → 2, 8大基地 → 8."""
    match = re.match(r"(\d+)", name) or re.match(f"([{CN_NUMERAL_CHARS}]+)", name)
    if not match:
        return None
    text = match.group(1)
    return int(text) if text.isdigit() else parse_chinese_number(text)


def total_like(parts: list[Quantity], value: Fraction, unit: str) -> Quantity:
    """A derived total shown the way its parts are: 30万元 + 5万元 → 35万元."""
    scale = parts[0].scale if all(p.scale == parts[0].scale for p in parts) else 1
    if (value / scale).denominator != 1 and scale != 1:
        scale = 1
    approx = "" if all(p.exact for p in parts) else "多"
    return Quantity(value, unit, approx, scale)


class Relation(msgspec.Struct):
    """Base of all relations; ``name`` is the Chinese phrase used in messages."""

    name: str

    def instances(self, ctx: Context) -> list[Relation]:
        """This relation with every "*" replaced by list indices (one instance per item)."""
        return [self]

    def solve(self, ctx: Context) -> None:
        """Fill in the figure that follows from the others, when it is missing."""

    def conflicts(self, ctx: Context) -> list[Conflict]:
        """What cannot be true among the stated figures."""
        return []


class Sum(Relation):
    """合计 = 各部分之和 (a total and its parts)."""

    total: Path_ = ()
    parts: list[Path_] = msgspec.field(default_factory=list)

    def _parts(self, ctx: Context) -> list[tuple[Path_, Quantity | None]]:
        return [(p, ctx.get(p)) for pattern in self.parts for p in ctx.expand(pattern)]

    def solve(self, ctx: Context) -> None:
        parts = self._parts(ctx)
        if ctx.get(self.total) is None and parts and all(q is not None for _, q in parts):
            qs = [q for _, q in parts]
            ctx.put(self.total, total_like(qs, sum((q.value for q in qs), Fraction(0)), qs[0].unit))

    def conflicts(self, ctx: Context) -> list[Conflict]:
        parts = self._parts(ctx)
        total = ctx.get(self.total)
        if not ctx.stated(self.total) or not parts or any(q is None for _, q in parts):
            return []
        qs = [q for _, q in parts]
        low, high = sum_range(qs)
        if ranges_overlap((total.low, total.high), (low, high)):
            return []
        shown = total_like(qs, sum((q.value for q in qs), Fraction(0)), total.unit)
        return [Conflict("sum", f"{self.name}：各项之和为 {shown}（{' + '.join(map(str, qs))}），但合计写的是 {total}",
                         [self.total, *(p for p, _ in parts)], expected=str(shown), actual=str(total))]


class StockFlow(Relation):
    """年末数 = 上年数 + 增加 − 减少 (a stock and its flows)."""

    closing: Path_ = ()
    opening: Path_ = ()
    inflow: list[Path_] = msgspec.field(default_factory=list)
    outflow: list[Path_] = msgspec.field(default_factory=list)

    def _flows(self, ctx: Context) -> tuple[list, list] | None:
        ins = [ctx.get(p) for p in self.inflow]
        outs = [ctx.get(p) for p in self.outflow]
        if any(q is None for q in ins + outs):
            return None
        return ins, outs

    def solve(self, ctx: Context) -> None:
        opening, flows = ctx.get(self.opening), self._flows(ctx)
        if ctx.get(self.closing) is None and opening is not None and flows:
            value = opening.value + sum(q.value for q in flows[0]) - sum(q.value for q in flows[1])
            ctx.put(self.closing, total_like([opening, *flows[0], *flows[1]], value, opening.unit))

    def conflicts(self, ctx: Context) -> list[Conflict]:
        opening, closing, flows = ctx.get(self.opening), ctx.get(self.closing), self._flows(ctx)
        if opening is None or flows is None or not ctx.stated(self.closing):
            return []
        ins, outs = flows
        low = opening.low + sum(q.low for q in ins) - sum(q.high for q in outs)
        high = opening.high + sum(q.high for q in ins) - sum(q.low for q in outs)
        if ranges_overlap((closing.low, closing.high), (low, high)):
            return []
        value = opening.value + sum(q.value for q in ins) - sum(q.value for q in outs)
        expected = total_like([opening, *ins, *outs], value, closing.unit)
        formula = f"{opening}" + "".join(f" + {q}" for q in ins) + "".join(f" − {q}" for q in outs)
        return [Conflict("stock_flow", f"{self.name}：上年 {formula} 应为 {expected}，但写的是 {closing}",
                         [self.closing, *self.inflow, *self.outflow, self.opening], expected=str(expected), actual=str(closing))]


class AtMost(Relation):
    """部分不能超过整体 (a part and its whole)."""

    part: Path_ = ()
    limit: Path_ = ()

    def conflicts(self, ctx: Context) -> list[Conflict]:
        part, limit = ctx.get(self.part), ctx.get(self.limit)
        if part is None or limit is None or part.low <= limit.high:
            return []
        return [Conflict("at_most", f"{self.name}：{dotted(self.part)} 为 {part}，超过了 {dotted(self.limit)} 的 {limit}",
                         [self.part, self.limit], expected=f"不超过 {limit}", actual=str(part))]


class Same(Relation):
    """同一个数字写在几处，必须一致."""

    paths: list[Path_] = msgspec.field(default_factory=list)

    def conflicts(self, ctx: Context) -> list[Conflict]:
        present = [(p, ctx.get(p)) for p in self.paths if ctx.get(p) is not None]
        for (p1, a), (p2, b) in zip(present, present[1:]):
            if not ranges_overlap((a.low, a.high), (b.low, b.high)):
                return [Conflict("same", f"{self.name}：{dotted(p1)} 写的是 {a}，{dotted(p2)} 写的是 {b}，应一致",
                                 [p2, p1], expected=str(a), actual=str(b))]
        return []


class CountOf(Relation):
    """条数 = 列表的项数; a fixed term's numeral (六有) = the items listed."""

    count: Path_ = ()
    list: Path_ = ()
    named: Path_ | None = None

    def instances(self, ctx: Context) -> list[Relation]:
        if "*" not in self.list:
            return [self]
        star = self.list.index("*")
        out = []
        for index in range(len(ctx.get(self.list[:star]) or [])):
            fill = lambda p: None if p is None else tuple(index if s == "*" else s for s in p)  # noqa: E731
            out.append(CountOf(self.name, fill(self.count), fill(self.list), fill(self.named)))
        return out

    def solve(self, ctx: Context) -> None:
        value = ctx.get(self.list)
        if value is not None and ctx.get(self.count) is None:
            items, _ = list_items(value)
            ctx.put(self.count, exact(len(items)))

    def conflicts(self, ctx: Context) -> list[Conflict]:
        value = ctx.get(self.list)
        if value is None:
            return []
        items, is_open = list_items(value)
        out = []
        count = ctx.get(self.count)
        if ctx.stated(self.count):
            out += self._compare(int(count.value), str(count), len(items), is_open, self.count, "count_of")
        name = ctx.get(self.named) if self.named else None
        if name:
            stated = leading_count(str(name))
            if stated is not None:
                out += self._compare(stated, f"“{name}”", len(items), is_open, self.named, "count_of.named")
        return out

    def _compare(self, stated: int, shown: str, listed: int, is_open: bool, path: Path_, rule: str) -> list[Conflict]:
        if stated == listed or (is_open and stated > listed):
            if is_open and stated > listed:
                return [Conflict(rule, f"{self.name}：{shown} 只列出了 {listed} 项（列表以“等”结尾，未列全）",
                                 [path, self.list], severity="warning", expected=str(stated), actual=str(listed))]
            return []
        return [Conflict(rule, f"{self.name}：写的是 {shown}，但列出了 {listed} 项", [path, self.list],
                         expected=str(listed), actual=str(stated))]


class YearsSince(Relation):
    """年数 = 本年度 − 开始年份 (or an event's year from the calendar)."""

    target: Path_ = ()
    start: Path_ | None = None
    event: str | None = None

    def start_year(self, ctx: Context) -> int | None:
        if self.start is not None:
            return ctx.get(self.start)
        entry = find_in_calendar(ctx.calendar, self.event or "")
        return entry["年份"] if entry else None

    def solve(self, ctx: Context) -> None:
        start = self.start_year(ctx)
        if start is not None and ctx.get(self.target) is None and start < ctx.year:  # “零年来” is no phrase
            ctx.put(self.target, exact(ctx.year - start, "年"))

    def conflicts(self, ctx: Context) -> list[Conflict]:
        start = self.start_year(ctx)
        if start is None:
            return []
        where = [self.start] if self.start else [("年度",)]  # an event's year is fixed: the report year is what to check
        fix = (f"请改正开始年份（不能晚于 {ctx.year}）；项目今年才开始时，删去开始年份，正文改写为“开展以来”" if self.start
               else f"请核对年度：{self.event}是 {start} 年，{ctx.year} 年的总结写不出“{self.event}N年来”")
        if start > ctx.year:
            return [Conflict("years_since.future", f"{self.name}：开始年份 {start} 晚于本年度 {ctx.year}；{fix}", where,
                             expected=f"早于 {ctx.year}", actual=str(start))]
        if start == ctx.year and not ctx.stated(self.target):
            return [Conflict("years_since.future", f"{self.name}：开始年份 {start} 就是本年度，正文会写成“零年来”；{fix}", where,
                             expected=f"早于 {ctx.year}", actual=str(start))]
        stated = ctx.get(self.target)
        if ctx.stated(self.target) and int(stated.value) != ctx.year - start:
            return [Conflict("years_since", f"{self.name}：从 {start} 年到 {ctx.year} 年是 {ctx.year - start} 年，但写的是 {stated}",
                             [self.target, *where], expected=f"{ctx.year - start}年", actual=str(stated))]
        return []


class Anniversary(Relation):
    """周年数 = 本年度 − 成立年份 (the organisation's founding year from the calendar)."""

    target: Path_ = ()
    organisation: Path_ = ()

    def solve(self, ctx: Context) -> None:
        entry = find_in_calendar(ctx.calendar, ctx.get(self.organisation) or "")
        if entry and ctx.get(self.target) is None and ctx.year > entry["年份"]:  # no 成立0周年 or 成立-1周年
            ctx.put(self.target, exact(ctx.year - entry["年份"], "年"))

    def conflicts(self, ctx: Context) -> list[Conflict]:
        name = ctx.get(self.organisation)
        if not name:
            return []
        entry = find_in_calendar(ctx.calendar, name)
        if entry is None:
            return [Conflict("anniversary.unknown", f"纪年表中没有“{name}”，无法推算成立周年数；请改用纪年表中的名称（{'、'.join(ctx.calendar.get('纪念', {}))}）",
                             [self.organisation], severity="warning")]
        stated, right = ctx.get(self.target), ctx.year - entry["年份"]
        if right < 1:
            return [Conflict("anniversary.before", f"{name}成立于 {entry['年份']} 年，{ctx.year} 年还谈不上成立周年（会写成“成立{right}周年”）；"
                                                   f"请核对年度，或删去庆祝成立周年", [self.organisation, ("年度",)],
                             expected=f"{entry['年份'] + 1} 年或以后", actual=str(ctx.year))]
        if ctx.stated(self.target) and int(stated.value) != right:
            return [Conflict("anniversary", f"{name}成立于 {entry['年份']} 年，{ctx.year} 年是成立 {right} 周年，但写的是 {stated}",
                             [self.target, self.organisation], expected=f"{right}周年", actual=f"{int(stated.value)}周年")]
        return []


class Period(Relation):
    """A plan's years (起始年份–结束年份) against its name and the report year; derives 阶段."""

    path: Path_ = ()

    def solve(self, ctx: Context) -> None:
        plan = ctx.get(self.path)
        if not plan or plan.get("起始年份") is None or plan.get("结束年份") is None:
            return
        start, end = plan["起始年份"], plan["结束年份"]
        stage = "开局之年" if ctx.year == start else "收官之年" if ctx.year == end else f"第{ctx.year - start + 1}年"
        if start <= ctx.year <= end and plan.get("阶段") is None:
            ctx.put((*self.path, "阶段"), stage)

    def conflicts(self, ctx: Context) -> list[Conflict]:
        plan = ctx.get(self.path)
        if not plan or plan.get("起始年份") is None or plan.get("结束年份") is None:
            return []
        start, end, name = plan["起始年份"], plan["结束年份"], str(plan.get("名称", ""))
        out = []
        span = re.search(f"([{CN_NUMERAL_CHARS}]+|\\d+)年(计划|规划)", name)
        if span:
            length = leading_count(span.group(1))
            if end - start + 1 != length:
                out.append(Conflict("period.length", f"{self.name}：“{name}”应为 {length} 年，但起止年份 {start}–{end} 是 {end - start + 1} 年",
                                    [(*self.path, "结束年份"), (*self.path, "起始年份")], expected=f"{start}–{start + length - 1}", actual=f"{start}–{end}"))
        for label, (first, last) in ctx.calendar.get("五年规划", {}).items():
            if label in name and (start, end) != (first, last):
                out.append(Conflict("period.plan", f"{self.name}：{label}是 {first}–{last} 年，但写的是 {start}–{end} 年",
                                    [(*self.path, "起始年份"), (*self.path, "结束年份")], expected=f"{first}–{last}", actual=f"{start}–{end}"))
        if ctx.year > end:
            out.append(Conflict("period.outside", f"{self.name}：“{name}”已于 {end} 年结束，{ctx.year} 年的总结不再写它的“收官之年”等；"
                                                  f"有新的计划时改写名称、起始年份和结束年份，没有时删去整个“{dotted(self.path)}”",
                                [self.path], severity="warning", expected=f"{start}–{end} 年内", actual=str(ctx.year)))
        elif ctx.year < start:
            out.append(Conflict("period.outside", f"{self.name}：“{name}”从 {start} 年才开始，{ctx.year} 年的总结不写它；"
                                                  f"请核对起始年份，或删去整个“{dotted(self.path)}”",
                                [self.path], severity="warning", expected=f"{start}–{end} 年内", actual=str(ctx.year)))
        return out


class ProseTerms(Relation):
    """术语 → 事实: a figure counted by one of these terms in a narrative text field states that fact.

    Data only: the prose checks (checks/prose.py) scan the text fields and compare.
    """

    terms: dict[str, Path_] = msgspec.field(default_factory=dict)


class EachFact(Relation):
    """A rule checked on each listed fact on its own; subclasses say what is wrong with one value."""

    paths: list[Path_] = msgspec.field(default_factory=list)

    def conflicts(self, ctx: Context) -> list[Conflict]:
        found = (self.conflict(ctx, path, ctx.get(path)) for path in self.paths if ctx.get(path) is not None)
        return [c for c in found if c is not None]

    def conflict(self, ctx: Context, path: Path_, value: Any) -> Conflict | None:
        raise NotImplementedError


class Percent(EachFact):
    """百分比在 0–100 之间."""

    def conflict(self, ctx: Context, path: Path_, value: Any) -> Conflict | None:
        if value.high < 0 or value.low > 100:
            return Conflict("percent", f"{dotted(path)} 为 {value}，百分比应在 0%–100% 之间", [path],
                            expected="0%–100%", actual=str(value))
        return None


class Dated(EachFact):
    """A figure that names its year: a year other than the report year is flagged."""

    def conflict(self, ctx: Context, path: Path_, value: Any) -> Conflict | None:
        if value.get("年份") in (None, ctx.year):
            return None
        return Conflict("dated", f"{dotted(path)}：{value.get('金额')} 是 {value['年份']} 年的数字，写在 {ctx.year} 年的总结中；"
                                 f"请换成 {ctx.year} 年的数字，或确认确需引用往年数字", [(*path, "年份"), (*path, "金额")],
                        severity="warning", expected=str(ctx.year), actual=str(value["年份"]))


class InYear(EachFact):
    """A date that must fall in the report year (成文日期)."""

    def conflict(self, ctx: Context, path: Path_, value: Any) -> Conflict | None:
        if not hasattr(value, "year") or value.year == ctx.year:
            return None
        return Conflict("in_year", f"{dotted(path)} 为 {value.isoformat()}，不在 {ctx.year} 年内；"
                                   f"请改为 {ctx.year} 年内的日期（如 {ctx.year}-12-20），或核对年度", [path],
                        expected=f"{ctx.year} 年内的日期", actual=value.isoformat())


def calendar_names(calendar: dict) -> list[str]:
    """Every event and organisation of the calendar, with its aliases (改革开放, 中国计生协会 …)."""
    return [name for key, entry in calendar.get("纪念", {}).items() for name in (key, *(entry or {}).get("别名", []))]


def find_in_calendar(calendar: dict, name: str) -> dict | None:
    """The calendar entry for an organisation or event, by name or alias."""
    for key, entry in calendar.get("纪念", {}).items():
        if name == key or name in entry.get("别名", []):
            return entry
    return None


_KINDS = {
    "sum": lambda d, n: Sum(n, total=_p(d["sum"]), parts=[_p(x) for x in _list(d["of"])]),
    "stock_flow": lambda d, n: StockFlow(n, closing=_p(d["stock_flow"]), opening=_p(d["opening"]),
                                         inflow=[_p(x) for x in _list(d.get("inflow"))], outflow=[_p(x) for x in _list(d.get("outflow"))]),
    "at_most": lambda d, n: AtMost(n, part=_p(d["at_most"]), limit=_p(d["limit"])),
    "percent": lambda d, n: Percent(n, paths=[_p(x) for x in _list(d["percent"])]),
    "same": lambda d, n: Same(n, paths=[_p(x) for x in _list(d["same"])]),
    "count_of": lambda d, n: CountOf(n, count=_p(d["count_of"]), list=_p(d["list"]), named=_p(d["named"]) if d.get("named") else None),
    "years_since": lambda d, n: YearsSince(n, target=_p(d["years_since"]), start=_p(d["start"]) if d.get("start") else None, event=d.get("event")),
    "anniversary": lambda d, n: Anniversary(n, target=_p(d["anniversary"]), organisation=_p(d["organisation"])),
    "period": lambda d, n: Period(n, path=_p(d["period"])),
    "dated": lambda d, n: Dated(n, paths=[_p(x) for x in _list(d["dated"])]),
    "in_year": lambda d, n: InYear(n, paths=[_p(x) for x in _list(d["in_year"])]),
    "prose_terms": lambda d, n: ProseTerms(n, terms={str(k): _p(v) for k, v in (d["prose_terms"] or {}).items()}),
}


def _p(text: str) -> Path_:
    return parse_dotted(str(text))


def _list(value: Any) -> list:
    return [] if value is None else value if isinstance(value, list) else [value]


def parse_relations(declared: list, source: str = "relations.yaml") -> list[Relation]:
    """Relation objects from the kind's relations.yaml entries."""
    relations = []
    for number, entry in enumerate(declared, 1):
        kind = next((k for k in _KINDS if isinstance(entry, dict) and k in entry), None)
        if kind is None:
            raise TemplateError(Problem(f"第 {number} 条关系没有可识别的类型（应为 {', '.join(_KINDS)} 之一）", file=source))
        try:
            relations.append(_KINDS[kind](entry, entry.get("name", kind)))
        except KeyError as exc:
            raise TemplateError(Problem(f"第 {number} 条关系（{kind}）缺少“{exc.args[0]}”", file=source)) from exc
    return relations
