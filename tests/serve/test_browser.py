"""The page in headless Chromium: offline, every field by its label, findings beside their fields while typing,
input-method composition, save, stale save, refused values, downloads, and the preview's links."""

from __future__ import annotations

import difflib
import io
import os
import subprocess
import time
from pathlib import Path

import docx
import openpyxl

from workreport.serve.document import FactsDocument
from workreport.serve.form import LIST, OBJECT

from .conftest import start

ROOT = Path(__file__).resolve().parents[2]
HOUSEHOLDS = "生育关怀.亲情关爱.现有户数"


def _fields(form):
    """Every field of a form, groups and lists too."""
    yield form
    for child in form.children:
        yield from _fields(child)


def test_the_page_loads_nothing_from_outside_and_logs_no_error(served, tab):
    tab.open(served)
    tab.change(HOUSEHOLDS, "999")
    tab.page.locator(".fig").first.click()
    assert tab.blocked == []
    assert tab.errors == []
    requested = tab.page.evaluate("() => performance.getEntriesByType('resource').map(e => e.name)")
    assert requested and all(url.startswith(f"http://127.0.0.1:{served.port}/") for url in requested)


def test_every_field_of_the_schema_is_found_by_its_label(served, tab):
    tab.open(served)
    form = FactsDocument(served.document.path).form()
    fields = [f for f in _fields(form) if f.path]
    assert len(fields) > 100  # the county's schema, with its lists' items
    page = tab.page
    for field in fields:
        if field.kind in (OBJECT, LIST):
            found = page.get_by_role("group", name=field.label, exact=True)
        else:
            found = page.get_by_label(field.label, exact=True)
        ids = found.evaluate_all("els => els.map(e => e.id)")
        assert f"f-{field.id}" in ids, field.id
    unit = page.locator(f"[id='f-{HOUSEHOLDS}'] ~ .unit")
    assert unit.inner_text() == "户"
    help_id = tab.field(HOUSEHOLDS).get_attribute("aria-describedby")
    assert "上年户数" in page.locator(f"[id='{help_id}']").inner_text()
    assert page.locator("[id='f-青春健康.工作模式[0].分隔'] option").all_inner_texts() == ["（未填）", "、", "，", "；"]


def test_a_finding_appears_beside_its_fields_and_goes_when_fixed(served, tab):
    tab.open(served)
    assert tab.findings(HOUSEHOLDS).count() == 0
    tab.change(HOUSEHOLDS, "999")
    beside = tab.findings(HOUSEHOLDS)
    assert beside.count() == 1 and "WR102" in beside.inner_text() and "应为 180户" in beside.inner_text()
    assert beside.get_attribute("id") in tab.field(HOUSEHOLDS).get_attribute("aria-describedby").split()
    assert "WR102" in tab.findings("生育关怀.亲情关爱.新增户数").inner_text()  # the other facts the sum names
    assert tab.findings("生育关怀.少生快富.扶持户数").count() == 0
    listed = tab.page.locator("#finding-list button", has_text="WR102")
    tab.field("单位").focus()
    listed.click()
    assert tab.page.evaluate("() => document.activeElement.id") == f"f-{HOUSEHOLDS}"
    tab.change(HOUSEHOLDS, "180")
    assert tab.findings(HOUSEHOLDS).count() == 0
    assert tab.page.locator("#finding-list button", has_text="WR102").count() == 0
    assert not any("m-" in part for part in (tab.field(HOUSEHOLDS).get_attribute("aria-describedby") or "").split())


def test_composition_sends_and_redraws_nothing_until_it_ends(served, tab):
    tab.open(served)
    page = tab.page
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url) if r.url.endswith("/api/check") else None)
    writer = tab.field("执笔人")
    writer.fill("")
    tab.settle()
    page.evaluate("""() => {
        new MutationObserver(ms => { window.redrawn += ms.length; window.what = (window.what || []).concat(ms.map(m => m.target.id + "/" + m.target.className + "/" + m.type)); }).observe(document.body, {subtree: true, childList: true, characterData: true});
    }""")
    cdp = page.context.new_cdp_session(page)
    tab.change(HOUSEHOLDS, "999")
    checked = served.document.evaluate
    served.document.evaluate = lambda answers: (time.sleep(0.5), checked(answers))[1]  # the next answer comes late …
    tab.field(HOUSEHOLDS).evaluate("el => { el.value = '180'; el.dispatchEvent(new Event('input', {bubbles: true})); }")
    writer.focus()
    page.evaluate("() => { window.redrawn = 0; }")
    sent.clear()
    cdp.send("Input.imeSetComposition", {"text": "zhong", "selectionStart": 5, "selectionEnd": 5})
    cdp.send("Input.imeSetComposition", {"text": "中", "selectionStart": 1, "selectionEnd": 1})
    cdp.send("Input.imeSetComposition", {"text": "中guo", "selectionStart": 4, "selectionEnd": 4})
    page.wait_for_timeout(1000)  # … during the composition: it is held, not shown
    served.document.evaluate = checked
    assert sent == []
    assert page.evaluate("() => window.redrawn") == 0, page.evaluate("() => window.what")
    assert tab.findings(HOUSEHOLDS).count() == 1
    cdp.send("Input.insertText", {"text": "中国"})
    tab.wait_checked(tab.checked() + 1)
    tab.settle()
    assert writer.input_value() == "中国"
    assert page.evaluate("() => document.activeElement.id") == "f-执笔人"
    assert len(sent) == 1  # the composed word, checked once it is complete
    assert tab.findings(HOUSEHOLDS).count() == 0  # the held answer, and the one after, are shown now


def test_save_changes_one_value_and_keeps_comments(served, tab):
    path = served.document.path
    before = path.read_text(encoding="utf-8")
    tab.open(served)
    tab.change(HOUSEHOLDS, "181")
    tab.page.click("#save")
    tab.page.wait_for_function("() => document.getElementById('status').textContent === '已保存'")
    after = path.read_text(encoding="utf-8")
    changed = [line for line in difflib.ndiff(before.splitlines(), after.splitlines()) if line[:1] in "+-"]
    assert changed == ["-     现有户数: 180                 # 年末计生特困家庭总数 = 上年户数 + 新增 − 退出",
                       "+     现有户数: 181                 # 年末计生特困家庭总数 = 上年户数 + 新增 − 退出"]


def test_a_stale_save_is_refused_and_nothing_is_overwritten(served, tab):
    path = served.document.path
    tab.open(served)
    tab.change(HOUSEHOLDS, "181")
    edited = path.read_text(encoding="utf-8") + "# 在编辑器中加的一行\n"
    path.write_text(edited, encoding="utf-8")
    tab.page.click("#save")
    status = tab.page.locator("#status.alert")
    status.wait_for()
    assert "已被改动" in status.inner_text() and "重新载入" in status.inner_text()
    assert path.read_text(encoding="utf-8") == edited
    tab.page.reload()
    tab.wait_checked(1)
    assert tab.field(HOUSEHOLDS).input_value() == "180"  # reloaded from disk


def test_a_value_the_schema_refuses_stays_in_the_page_and_off_the_disk(served, tab):
    path = served.document.path
    before = path.read_text(encoding="utf-8")
    tab.open(served)
    tab.change("生育关怀.少生快富.开始年份", "二〇〇七年")
    beside = tab.findings("生育关怀.少生快富.开始年份")
    assert "应为整数" in beside.inner_text() and "2007" in beside.inner_text()
    tab.page.click("#save")
    tab.page.locator("#status.alert").wait_for()
    assert "没有保存" in tab.page.locator("#status").inner_text()
    assert path.read_text(encoding="utf-8") == before
    assert tab.field("生育关怀.少生快富.开始年份").input_value() == "二〇〇七年"
    checked = subprocess.run([str(ROOT / ".venv" / "bin" / "workreport") if (ROOT / ".venv").is_dir() else "workreport",
                              "check", str(path)], capture_output=True, text=True)
    assert checked.returncode in (0, 1), checked.stderr


def test_the_word_report_downloads_under_its_chinese_name(served, tab):
    tab.open(served)
    tab.change("标题", "丰宁县计生协在浏览器里写成的总结")  # the current facts, not the saved ones
    with tab.page.expect_download() as download:
        tab.page.click("button[data-what=docx]")
    assert download.value.suggested_filename == "丰宁县计划生育协会2016年工作总结.docx"
    document = docx.Document(download.value.path())
    text = "\n".join(p.text for p in document.paragraphs)
    assert "丰宁县计生协在浏览器里写成的总结" in text and "1100多户" in text


def test_the_workbook_downloads_with_the_current_facts(served, tab):
    tab.open(served)
    tab.change(HOUSEHOLDS, "181")
    with tab.page.expect_download() as download:
        tab.page.click("button[data-what=xlsx]")
    assert download.value.suggested_filename == "2016.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes()))
    values = [cell.value for sheet in book for row in sheet.iter_rows() for cell in row]
    assert 181 in values or "181" in values


def test_the_pdf_downloads_when_libreoffice_is_installed(served, tab):
    import pdfplumber

    tab.open(served)
    with tab.page.expect_download(timeout=180_000) as download:
        tab.page.click("button[data-what=pdf]")
    assert download.value.suggested_filename == "丰宁县计划生育协会2016年工作总结.pdf"
    with pdfplumber.open(download.value.path()) as pdf:
        assert "丰宁县计划生育协会" in "".join(page.extract_text() or "" for page in pdf.pages)


def test_a_report_with_errors_is_not_downloaded(served, tab):
    tab.open(served)
    tab.change(HOUSEHOLDS, "999")
    tab.page.click("button[data-what=docx]")
    tab.page.locator("#status.alert").wait_for()
    assert "未生成报告" in tab.page.locator("#status").inner_text()


def test_a_figure_in_the_preview_focuses_its_field(served, tab):
    tab.open(served)
    link = tab.page.locator("#preview-body a.fig", has_text="1100多户")
    assert link.get_attribute("data-key") == "生育关怀.少生快富.扶持户数"
    link.click()
    assert tab.page.evaluate("() => document.activeElement.id") == "f-生育关怀.少生快富.扶持户数"
    tab.change(HOUSEHOLDS, "181")
    assert tab.page.locator("#preview-body a.fig", has_text="181户").count() >= 1


def test_items_are_added_to_and_removed_from_a_list_of_groups(served, tab):
    path = served.document.path
    tab.open(served)
    sources = tab.page.locator("[id='f-生育关怀.幸福工程.资金来源']")
    sources.locator(":scope > button.add").click()
    tab.settle()
    tab.change("生育关怀.幸福工程.资金来源[2].来源", "社会捐助")
    tab.change("生育关怀.幸福工程.资金来源[2].金额", "2万元")
    assert "37万元" in tab.page.locator("#preview-body").inner_text()  # 共投 derived from the new item
    tab.page.locator("[id='f-生育关怀.幸福工程.资金来源'] > .items > .item").nth(0).locator(":scope > button.remove").click()
    tab.settle()
    assert tab.field("生育关怀.幸福工程.资金来源[1].来源").input_value() == "社会捐助"  # renumbered
    tab.page.click("#save")
    tab.page.wait_for_function("() => document.getElementById('status').textContent === '已保存'")
    saved = FactsDocument(path).tree["生育关怀"]["幸福工程"]["资金来源"]
    assert [dict(item) for item in saved] == [{"来源": "从生育关怀募捐款中提出", "金额": "5万元"}, {"来源": "社会捐助", "金额": "2万元"}]


def test_screenshot_of_a_finding_beside_its_field(facts_dir, tab, tmp_path, monkeypatch):
    """The README's picture (docs/serve-page.png), taken by this browser; WORKREPORT_UPDATE_DOCS=1 writes it there."""
    monkeypatch.chdir(facts_dir.parent)  # the page names facts/2016.yaml as staff would see it
    served = start(Path("facts/2016.yaml"))
    tab.open(served)
    tab.change(HOUSEHOLDS, "999")
    tab.page.locator("#finding-list button", has_text="WR102").click()
    out = ROOT / "docs" / "serve-page.png" if os.environ.get("WORKREPORT_UPDATE_DOCS") else tmp_path / "serve-page.png"
    tab.page.screenshot(path=str(out))
    served.shutdown()
    served.server_close()
    assert tab.findings(HOUSEHOLDS).is_visible() and out.stat().st_size > 10_000


def test_facts_still_to_fill_are_shown_as_such_until_filled(facts_dir, tab):
    from workreport.newyear import new_year

    served = start(new_year(facts_dir / "2016.yaml", None).output)
    try:
        tab.open(served)
        title = tab.page.locator("[id='f-标题'] ~ .badge")
        assert title.is_visible() and title.inner_text() == "待填"
        assert "WR001" in tab.findings("标题").inner_text()
        themes = tab.page.locator("[id='f-队伍建设.宣传.主题']")
        assert themes.locator(":scope > .badge").is_visible() and themes.locator(".item").count() == 0
        tab.change("标题", "丰宁县计生协会二〇一七年工作总结")
        assert not title.is_visible() and tab.findings("标题").count() == 0
        themes.locator(":scope > button.add").click()
        tab.change("队伍建设.宣传.主题[0]", "服务计生家庭")
        assert not themes.locator(":scope > .badge").is_visible()
        assert tab.findings("队伍建设.宣传.主题").count() == 0
    finally:
        served.shutdown()
        served.server_close()


def test_a_stopped_server_is_told_in_the_page(facts_dir, tab):
    import re
    import signal
    import sys

    process = subprocess.Popen([sys.executable, "-m", "workreport.cli", "serve", str(facts_dir / "2016.yaml"), "--no-browser"],
                               stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    url = next(m[0] for line in process.stdout if (m := re.search(r"http://\S+", line)))
    tab.page.goto(url)
    tab.wait_checked(1)
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=30) == 0
    tab.field(HOUSEHOLDS).fill("999")
    status = tab.page.locator("#status.alert")
    status.wait_for()
    assert "无法连接程序" in status.inner_text()
