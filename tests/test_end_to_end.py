"""End to end: facts/2016.yaml → the .docx, read back and compared with the reference's figures.

The expected fragments are the figures, lists and names of the reference report
(../shared/reference/fengning-2016-summary.txt), with its stale figures corrected.
"""

import re
from pathlib import Path

import docx
import pytest

from workreport.cli import main

from .conftest import FACTS
from .render.render_support import convert_to_pdf, run_tool

REFERENCE_FRAGMENTS = [
    # 一、队伍建设
    "市人口计生协工作要点", "全县乡镇、街道协会负责人", "省协会组织的学习培训", "全县业务工作会议",
    "“母亲节”", "5.29会员活动日", "坚持基本国策、发挥协会作用", "计生国策三不变", "健康服务手册",
    "国家级书刊、省级网络、市级报纸",
    # 二、生育关怀
    "整村推进、形成规模、发挥优势、突出特点", "建信银行", "每户一年一万存折抵押", "九年来", "26个乡镇",
    "1100多户", "3000多元", "奶牛、优种猪、规模养鸭、肉鸡、特色蔬菜和中药材种植",
    "自2006年开始", "30万元", "5万元", "共投35万元", "4次滚动使用", "270户贫困母亲", "1200万元",
    "认识到位、工作到位、资金到位、服务到位", "“十佳幸福母亲”王建云", "“十佳项目县”",
    "新增计生特困家庭8户", "现共有计生特困家庭180户", "新增的8个家庭", "八项帮扶措施", "为180户计生特困家庭提供健康体检",
    "2015年我们争取项目资金10万元", "52户",
    # 三、非公协会
    "2006年率先成立了城市社区流动人口协会", "《大阁街道流动人口计划生育章程》", "企事业单位、中小学校、宾馆、商业网点和娱乐场所",
    "《流动人口计划生育协议书》", "办理婚育证明、查证、验证、发放药具、免费检查", "试点先行、典型带动、全面实施、稳步提高",
    "90%的企业", "“六有、五到位、两提高”", "有健全的组织网络", "有经常性的服务活动", "宣传教育到位", "促进企业精神文明建设到位",
    "50人以上的企业", "100%",
    # 四、青春健康
    "“三融入”（把青春健康教育融入到校园、融入到农村社区、融入到企业）", "强化组织领导", "强化师资力量",
    "广播、电视、展览、秧歌舞蹈、发放宣传单", "青春健康教育五年计划的收官之年",
    # 五、保险
    "市计生协会", "县卫计局", "中国人寿保险公司丰宁分公司", "政策引路、协会发动、上门服务、群众受益",
    "计划生育家庭意外伤害保险、计生特困家庭意外伤害保险、计划生育妇幼幸福意外伤害保险", "投保50余万元",
    # 结束语
    "面对面巡讲暨计生基层群众自治示范县成果展示", "省协会副会长郝敏", "（郭志）",
]

# The reference's stale figures, corrected by derivation (2016 − 1978, 2016 − 1980, six bases listed).
CORRECTED = {"改革开放38年来": "改革开放30年来", "成立36周年": "成立35周年", "6大基地": "8大基地"}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("out")
    assert main(["build", str(FACTS / "2016.yaml"), "-o", str(out)]) == 0
    (path,) = out.glob("*.docx")
    return path


def _text(path: Path) -> str:
    return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)


def test_file_name_is_unit_year_summary(built):
    assert built.name == "丰宁县计划生育协会2016年工作总结.docx"


def test_every_figure_list_and_name_of_the_reference_is_in_the_report(built):
    text = _text(built)
    missing = [fragment for fragment in REFERENCE_FRAGMENTS if fragment not in text]
    assert missing == []


def test_stale_figures_are_corrected(built):
    text = _text(built)
    for right, stale in CORRECTED.items():
        assert right in text and stale not in text


def test_headings_in_order_and_signature(built):
    paragraphs = [p.text for p in docx.Document(str(built)).paragraphs]
    headings = [p for p in paragraphs if p[:2] in ("一、", "二、", "三、", "四、", "五、")]
    assert [h[:2] for h in headings] == ["一、", "二、", "三、", "四、", "五、"]
    assert "丰宁县计划生育协会" in paragraphs and "2016年12月20日" in paragraphs
    # A long title is broken between words (a line break inside the one title paragraph).
    assert paragraphs[0].replace("\n", "") == "丰宁县计生协完善队伍建设夯实计生协会基层基础"


def test_no_half_width_punctuation_or_digit_spaces_in_chinese_text(built):
    text = _text(built)
    assert not re.search(r"[\u4e00-\u9fff][,;:?!]|[,;:?!][\u4e00-\u9fff]", text)
    assert not re.search(r"\d [\u4e00-\u9fff]", text)


def test_libreoffice_opens_the_report(built, tmp_path):
    pdf = convert_to_pdf(built)
    text = run_tool("pdftotext", "-layout", str(pdf), "-")
    assert "丰宁县计划生育协会" in text
    assert re.search(r"—\s*1\s*—", text)
