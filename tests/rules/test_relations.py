"""Relations decide conflicts on ranges: only what cannot hold for any value is a conflict."""


from workreport.quantity import parse_quantity
from workreport.rules.relations import AtMost, Context, CountOf, Period, StockFlow, Sum, leading_count, list_items


def _ctx(values, previous=None, year=2016):
    calendar = {"纪念": {}, "五年规划": {"十三五": [2016, 2020]}}
    return Context(values=values, year=year, previous=previous, calendar=calendar)


def q(text, unit="户"):
    return parse_quantity(text, unit)


def test_sum_with_approximate_parts_is_a_range():
    relation = Sum("合计", total=("总",), parts=[("部分", "*")])
    assert relation.conflicts(_ctx({"总": q("1150"), "部分": [q("1100多"), q("50")]})) == []
    conflict = relation.conflicts(_ctx({"总": q("1300"), "部分": [q("1100多"), q("50")]}))[0]
    assert conflict.rule == "sum" and conflict.actual == "1300户"


def test_sum_derives_a_missing_total_in_the_parts_scale():
    ctx = _ctx({"部分": [q("30万元", "元"), q("5万元", "元")]})
    Sum("合计", total=("总",), parts=[("部分", "*")]).solve(ctx)
    assert str(ctx.get(("总",))) == "35万元"


def test_stock_and_flow_against_last_year():
    relation = StockFlow("户数", closing=("现有",), opening=("上年", "现有"), inflow=[("新增",)], outflow=[("退出",)])
    good = _ctx({"现有": q("180"), "新增": q("8"), "退出": q("6")}, previous={"现有": q("178")})
    bad = _ctx({"现有": q("180"), "新增": q("9"), "退出": q("6")}, previous={"现有": q("178")})
    assert relation.conflicts(good) == []
    (conflict,) = relation.conflicts(bad)
    assert conflict.expected == "181户" and conflict.paths[0] == ("现有",)


def test_at_most():
    relation = AtMost("体检", part=("体检",), limit=("现有",))
    assert relation.conflicts(_ctx({"体检": q("180"), "现有": q("180")})) == []
    assert relation.conflicts(_ctx({"体检": q("181"), "现有": q("180")}))[0].rule == "at_most"
    assert relation.conflicts(_ctx({"体检": q("181"), "现有": q("180多")})) == []


def test_count_of_closed_and_open_lists():
    relation = CountOf("基地", count=("数",), list=("基地",))
    six = ["奶牛", "优种猪", "规模养鸭", "肉鸡", "特色蔬菜", "中药材种植"]
    assert relation.conflicts(_ctx({"数": q("8", "个"), "基地": six}))[0].severity == "error"
    assert relation.conflicts(_ctx({"数": q("8", "个"), "基地": [*six, "等"]}))[0].severity == "warning"
    assert relation.conflicts(_ctx({"数": q("6", "个"), "基地": six})) == []


def test_named_counts():
    assert [leading_count(n) for n in ("六有", "五到位", "两提高", "8大基地", "基地")] == [6, 5, 2, 8, None]
    relation = CountOf("目标", count=("条数",), list=("内容",), named=("名称",))
    assert relation.conflicts(_ctx({"名称": "六有", "内容": ["a", "b", "c", "d", "e"]}))[0].rule == "count_of.named"
    assert list_items(["a", "等"]) == (["a"], True)


def test_plan_period_against_its_name_and_the_calendar():
    relation = Period("计划", path=("计划",))
    five = _ctx({"计划": {"名称": "五年计划", "起始年份": 2012, "结束年份": 2017}})
    assert relation.conflicts(five)[0].rule == "period.length"
    plan = _ctx({"计划": {"名称": "十三五规划", "起始年份": 2015, "结束年份": 2019}})
    assert "period.plan" in {c.rule for c in relation.conflicts(plan)}
    ctx = _ctx({"计划": {"名称": "五年计划", "起始年份": 2012, "结束年份": 2016}})
    relation.solve(ctx)
    assert ctx.get(("计划", "阶段")) == "收官之年"
