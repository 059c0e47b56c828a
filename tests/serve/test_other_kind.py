"""Another report kind with another schema gets its page with no new code: labels, units, choices,
lists of groups holding lists (as the staff's own items are), add, remove and save."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from workreport.kind import load_kind
from workreport.serve.document import FactsDocument
from workreport.serve.server import make_server

KIND = Path(__file__).parent / "data" / "other-kind"


@pytest.fixture
def other(tmp_path: Path):
    """A server for the small kind's facts file (a scratch copy)."""
    import threading

    root = tmp_path / "templates"
    shutil.copytree(KIND, root / "other-kind")
    facts = root / "other-kind" / "facts.yaml"
    server = make_server(FactsDocument(facts, load_kind("other-kind", root)), 0)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def test_another_schema_gets_its_page_and_saves_nested_lists(other, tab):
    page = tab.page
    tab.open(other)
    assert page.get_by_label("登记单位", exact=True).input_value() == "某社区居委会"  # the schema's title, not the key
    assert page.locator("[id='f-等级'] option").all_inner_texts() == ["（未填）", "甲", "乙", "丙"]
    assert page.locator("[id='f-开放'] option").all_inner_texts() == ["（未填）", "是", "否"]
    assert page.locator("[id='f-其他工作[0].人数'] ~ .unit").inner_text() == "人"
    assert page.locator("[id='h-其他工作']").inner_text() == "本单位自己的工作项目"
    page.locator("[id='f-其他工作[0].做法'] > button.add").click()
    tab.settle()
    tab.change("其他工作[0].做法[1]", "发药")
    page.locator("[id='f-其他工作'] > button.add").click()
    tab.settle()
    tab.change("其他工作[1].人数", "12")
    assert "缺少必填项“名称”" in page.locator("[id='m-其他工作[1]'] .finding").inner_text()  # on the new item's group
    tab.change("其他工作[1].名称", "读书会")
    assert page.locator("[id='m-其他工作[1]'] .finding").count() == 0
    page.locator("[id='f-开放']").select_option("true")
    tab.settle()
    page.click("#save")
    page.wait_for_function("() => document.getElementById('status').textContent === '已保存'")
    text = other.document.path.read_text(encoding="utf-8")
    assert "单位: 某社区居委会   # 全称" in text and "- 名称: 义诊        # 每季度一次" in text
    assert "做法: [量血压, 发药]" in text
    assert "开放: true" in text and text.index("开放: true") < text.index("等级: 乙")  # where the schema orders it
    tree = FactsDocument(other.document.path, other.document.kind).tree
    assert [dict(item) for item in tree["其他工作"]][1] == {"名称": "读书会", "人数": 12}
