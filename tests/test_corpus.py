"""The partial published reports of the corpus: each imports what it holds and names what is missing."""

from __future__ import annotations

import pytest

from nianbao.checks import check
from nianbao.importer import import_text

from conftest import CORPUS

# file -> (year, format, agency, {cell: value}, phrases that the import notes must contain)
CASES = {
    "009_longgang_qzfgzbm_unnamed_2024.txt": (2024, "2021", "", {
        "t2.a20_1.normative.issued": 5, "t2.a20_1.normative.repealed": 1, "t2.a20_1.normative.valid": 25,
        "t3.main.N.NP": 58, "t3.main.N.BE": 7, "t3.main.N.LS": 1, "t3.main.N.TT": 66, "t3.main.C.TT": 2,
        "t3.main.R2.NP": 16, "t3.main.R3_5.TT": 1, "t3.main.R3_7.NP": 0, "t3.main.R3_7.TT": None,
    }, ["“7.属于行政执法案卷”行只有6个数值", "表三不完整：从“8.属于行政查询事项”起缺少", "表四缺失"]),
    "010_tianjin_hongqiao_zwfwb_2022.txt": (2022, "2021", "", {
        "t2.a20_5.license.decisions": 1517, "t3.main.N.OT": 3, "t3.main.N.TT": 4, "t3.main.R1.TT": 4,
        "t3.main.R2.NP": None,
    }, ["表三不完整：从“（二）部分公开", "缺少“四、政府信息公开行政复议、行政诉讼情况”部分"]),
    "011_zhanjiang_dfzb_2023.txt": (2023, "2021", "湛江市人民政府地方志办公室", {
        "t2.a20_5.license.decisions": 0, "t2.a20_8.fees.amount": 0, "t3.main.N.TT": 0, "t3.main.R1.TT": 0,
    }, ["表三不完整：从“（二）部分公开"]),
    "013_shijiazhuang_jyj_2021.txt": (2021, "2021", "石家庄市教育局", {
        "t2.a20_1.normative.issued": 2, "t2.a20_1.normative.valid": 8, "t2.a20_6.penalty.decisions": 2,
        "t2.a20_8.fees.amount": 172,
    }, ["表三缺失"]),
    "014_gaoxinqu_shfzj_2022.txt": (2022, "2021", "高新区社会发展局", {
        "t2.a20_1.rules.issued": None, "t2.a20_1.normative.valid": None, "t2.a20_6.penalty.decisions": 3,
        "t2.a20_6.enforcement.decisions": None, "t2.a20_8.fees.amount": None,
    }, ["表三缺失"]),
    "015_jiamusi_qianjinqu_jyj_2020.txt": (2020, "2019", "前进区教育局", {
        "t2.a20_1.rules.made": 0, "t2.a20_5.other_services.decisions": 0, "t2.a20_8.fees.prev": 0,
        "t2.a20_8.fees.delta": None, "t2.a20_9.procurement.count": 0, "t2.a20_9.procurement.amount": 0,
    }, ["“行政事业性收费”行只有1个数值（应有2个）", "表三缺失"]),
    "018_lezhi_huilanzhen_2019.txt": (2019, "2019", "乐至县回澜镇人民政府", {
        "t2.a20_5.license.prev": 0, "t2.a20_6.enforcement.decisions": 0,
    }, ["表二不完整：缺少第二十条第（八）项“行政事业性收费”等2行", "表三缺失"]),
    "021_chongqing_jiulongpo_erlangjd_2022.txt": (2022, "2021", "重庆市九龙坡区二郎街道办事处", {
        "t2.a20_1.normative.issued": 4, "t2.a20_1.normative.valid": 4,
    }, ["表二不完整：缺少第二十条第（八）项“行政事业性收费”"]),
    "035_qu_tongjiju_unnamed_2023.txt": (2023, "2021", "区统计局", {
        "t2.a20_1.rules.issued": None, "t2.a20_1.normative.issued": 0, "t3.main.N.NP": None, "t3.main.N.TT": 0,
        "t3.main.C.TT": 0,
    }, ["“/”，按未填处理", "表三不完整"]),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_corpus_imports_what_it_holds(name):
    year, fmt, agency, cells, notes = CASES[name]
    result = import_text((CORPUS / name).read_text(encoding="utf-8"), name)
    r = result.report
    assert r.year == year and r.format_version == fmt
    assert r.agency.name == agency
    for cid, want in cells.items():
        assert r.cells.get(cid) == want, cid
    messages = " ".join(n.message for n in result.notes)
    for needle in notes:
        assert needle in messages, (needle, messages)
    assert any(n.incomplete for n in result.notes)
    fs = check(r)  # checks run on partial reports without trouble
    assert not [f for f in fs if f.rule == "INTERNAL"]


def test_corpus_label_variant_in_2021_table():
    name = "014_gaoxinqu_shfzj_2022.txt"
    r = import_text((CORPUS / name).read_text(encoding="utf-8"), name).report
    assert r.label_variants.get("t2.a20_1.row.normative") == "规范性文件"
    f = [x for x in check(r) if x.rule == "LABEL-VARIANT"]
    assert f and f[0].expected == "行政规范性文件"


def test_format_detected_from_labels_against_the_year():
    """A 2022 report printed with 2019-format labels is read with the 2019 spec and flagged."""
    seed = (CORPUS.parent / "songxian-chengguanju-2020.txt").read_text(encoding="utf-8")
    text = seed.replace("2020年", "2022年")
    r = import_text(text).report
    assert r.year == 2022 and r.format_override == "2019"
    assert r.get("t2.a20_9.procurement.count") == 6
    assert [f for f in check(r) if f.rule == "FORMAT-YEAR"]


@pytest.mark.parametrize("text", [
    "规章 | 0 | 0 | 0 |", "一、总体情况\n" + "x" * 10, "\x00\x01", "二、主动公开政府信息情况\n第二十条第（一）项\n规章 5 5",
])
def test_odd_input_never_crashes(text):
    r = import_text(text)
    assert r.report is not None
