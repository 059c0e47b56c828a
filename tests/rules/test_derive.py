"""Derived figures: totals, years since, anniversaries, list counts, plan stages."""

from workreport.pipeline import load_facts
from workreport.rules.derive import derive

from ..conftest import FACTS, edit


def _ctx(path=FACTS / "2016.yaml"):
    return derive(load_facts(path))


def test_figures_that_follow_from_others_are_derived_not_typed():
    ctx = _ctx()
    assert str(ctx.get(("生育关怀", "幸福工程", "总投入"))) == "35万元"  # 30万元 + 5万元
    assert int(ctx.get(("生育关怀", "少生快富", "开展年数"))) == 2016 - 2007
    assert int(ctx.get(("队伍建设", "宣传", "改革开放年数"))) == 2016 - 1978
    assert int(ctx.get(("队伍建设", "宣传", "周年数"))) == 2016 - 1980
    assert int(ctx.get(("生育关怀", "少生快富", "基地数"))) == 6
    assert int(ctx.get(("非公协会", "企业协会", "任务目标", 1, "条数"))) == 5
    assert ctx.get(("青春健康", "五年计划", "阶段")) == "收官之年"
    assert ("生育关怀", "幸福工程", "总投入") in ctx.derived
    assert not ctx.stated(("生育关怀", "幸福工程", "总投入"))


def test_the_report_year_moves_every_time_figure(facts_dir):
    path = edit(facts_dir / "2016.yaml", "年度: 2016", "年度: 2020")
    edit(path, "成文日期: 2016-12-20", "成文日期: 2020-12-20")
    (facts_dir / "2015.yaml").unlink()
    ctx = _ctx(path)
    assert int(ctx.get(("队伍建设", "宣传", "改革开放年数"))) == 42
    assert int(ctx.get(("队伍建设", "宣传", "周年数"))) == 40
    assert ctx.get(("青春健康", "五年计划", "阶段")) is None  # 2020 is outside 2012–2016


def test_missing_closing_stock_is_solved_from_last_year(facts_dir):
    path = edit(facts_dir / "2016.yaml", "    现有户数: 180", "    #")
    ctx = _ctx(path)
    assert int(ctx.get(("生育关怀", "亲情关爱", "现有户数"))) == 178 + 8 - 6


def test_an_open_list_keeps_its_stated_count(facts_dir):
    path = edit(facts_dir / "2016.yaml", "特色蔬菜, 中药材种植]", "特色蔬菜, 中药材种植, 等]")
    edit(path, "    人均增收: 3000多元", "    人均增收: 3000多元\n    基地数: 8")
    ctx = _ctx(path)
    assert int(ctx.get(("生育关怀", "少生快富", "基地数"))) == 8


def test_work_shared_by_checks_is_done_once_per_facts_and_derivation():
    from workreport.rules.derive import per_derivation

    calls = []

    @per_derivation
    def counted(facts, ctx):
        calls.append((facts, ctx))
        return len(calls)

    a, b, ctx_a, ctx_b = object(), object(), object(), object()
    assert counted(a, ctx_a) == 1 and counted(a, ctx_a) == 1  # the second is the kept result
    assert counted.kept(a, ctx_a) == 1 and counted.kept(a, ctx_b) is None
    assert counted(a, ctx_b) == 2  # a new derivation of the same facts is worked out again
    assert counted(b, ctx_b) == 3 and counted(a, ctx_b) == 4  # only the last is kept
    assert len(calls) == 4
