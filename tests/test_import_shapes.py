"""The odd shapes published reports come in (issue 12): each maps to its spec section, row or
column, with a finding that names what was printed and the official label."""

from __future__ import annotations

import re

import pytest

from nianbao.checks import check
from nianbao.importer import import_text
from nianbao.render import render_text

from conftest import SEED
from factories import filled_2021


def report_and_text(**cells):
    r = filled_2021()
    for cid, v in cells.items():
        r.set(cid.replace("__", "."), v)
    r.recompute()
    r.title = r.display_title
    return r, render_text(r)


def same_cells(want, got, table: str | None = None) -> dict:
    return {c.id: (want.get(c.id), got.get(c.id)) for c in want.spec.cells
            if (table is None or c.table.key == table) and want.get(c.id) != got.get(c.id)}


def arithmetic_errors(report) -> list[str]:
    rules = {"SUM"}
    for t in report.spec.tables:
        rules.update(t.sum_rules)
        rules.add(t.domain_rule)
        for b in t.blocks:
            rules.update(i.rule for i in b.identities)
    return [f.line() for f in check(report) if f.severity == "error" and f.rule in rules]


def variants(result) -> list[tuple[str, str]]:
    return [(f.found, f.expected) for f in result.findings if f.rule == "LABEL-VARIANT"]


def test_heading_with_the_wrong_number(tmp_path, capsys):
    """三 printed as "二、收到和处理…": table 三 is still read (it used to be lost, with 25 false errors)."""
    want, text = report_and_text()
    text = text.replace("三、收到和处理政府信息公开申请情况", "二、收到和处理政府信息公开申请情况")
    res = import_text(text)
    assert not same_cells(want, res.report)
    assert variants(res) == [("二、收到和处理政府信息公开申请情况", "三、收到和处理政府信息公开申请情况")]
    assert not arithmetic_errors(res.report)
    # `nianbao check` says it once, not once from the import and again from the checks
    from nianbao.cli import main

    path = tmp_path / "r.txt"
    path.write_text(text, encoding="utf-8")
    assert main(["check", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.count("LABEL-VARIANT") == 1 and "二、收到和处理政府信息公开申请情况" in out


def test_overview_heading_in_other_words():
    want, text = report_and_text()
    res = import_text(text.replace("一、总体情况", "一、工作概况"))
    assert [p.text for p in res.report.narrative.overview] == [p.text for p in want.narrative.overview]
    assert variants(res) == [("一、工作概况", "一、总体情况")]


def test_numbered_sub_headings_inside_the_overview_are_not_sections():
    """"二、主动公开情况" inside 一、总体情况 is a sub-heading; the real 二 comes later."""
    want, text = report_and_text()
    text = text.replace("（一）主动公开情况。\n", "二、主动公开情况\n\n三、依申请公开情况\n\n本局全年收到申请9件。\n")
    res = import_text(text)
    assert not same_cells(want, res.report)
    assert not variants(res) and not [f for f in res.findings if f.severity == "error"]
    assert "本局全年收到申请9件。" in res.report.narrative.overview[0].text


def test_seven_numbered_sections():
    """行政复议 and 行政诉讼 under a heading each, so 问题 is 六 and 其他 is 七."""
    want, text = report_and_text()
    text = (text.replace("四、政府信息公开行政复议、行政诉讼情况", "四、政府信息公开行政复议情况")
            .replace("五、存在的主要问题及改进情况", "五、政府信息公开行政诉讼情况\n\n本年度未发生因政府信息公开引起的行政诉讼。\n\n"
                     "六、存在的主要问题及改进情况")
            .replace("六、其他需要报告的事项", "七、其他需要报告的事项"))
    res = import_text(text)
    r = res.report
    assert not same_cells(want, r)
    assert r.narrative.problems == want.narrative.problems and r.narrative.measures == want.narrative.measures
    assert r.narrative.other == want.narrative.other
    assert "本年度未发生因政府信息公开引起的行政诉讼。" in r.narrative.table_notes["4"]
    msgs = " ".join(f.message for f in res.findings)
    assert "“四、政府信息公开行政复议情况”和“五、政府信息公开行政诉讼情况”是两个标题" in msgs
    assert "编号到“七”" in msgs
    assert ("六、存在的主要问题及改进情况", "五、存在的主要问题及改进情况") in variants(res)
    assert ("七、其他需要报告的事项", "六、其他需要报告的事项") in variants(res)
    assert not [f for f in res.findings if f.rule == "INCOMPLETE"]


def test_row_of_blank_cells_is_blank_not_missing(seed_text, tmp_path):
    """A web page's blank cells copy as TABs only: the row is there, its cells unanswered."""
    text = seed_text.replace("规章\t0\t0\t0", "规章\t\t\t")
    assert text != seed_text
    res = import_text(text)
    assert [res.report.cells[f"t2.a20_1.rules.{c}"] for c in ("made", "published", "total")] == [None] * 3
    assert not [f for f in res.findings if f.rule == "INCOMPLETE"]
    from nianbao.cli import main

    path = tmp_path / "blank.txt"
    path.write_text(text, encoding="utf-8")
    assert main(["import", str(path), "-o", str(tmp_path / "b.json")]) == 0  # not "incomplete" (exit 2)


def test_lines_holding_only_a_pipe(seed_text):
    text = "\n".join(ln.replace("\t", " | ") + " |" if "\t" in ln else ln for ln in seed_text.splitlines())
    text = text.replace("\n（二）强化学习培训", "\n|\n（二）强化学习培训").replace("\n规章 |", "\n|\n规章 |")
    text = text.replace("六、其他需要报告的事项\n", "六、其他需要报告的事项\n|\n")
    want = import_text(seed_text).report
    got = import_text(text).report
    assert not same_cells(want, got)
    assert got.narrative == want.narrative
    assert "|" not in "".join(t for _, t in got.narrative.texts())


def test_row_label_with_the_local_templates_fill_in_note():
    """"规范性文件（指…）": its figures belong to it, not to the row above."""
    want, text = report_and_text()
    note = "规范性文件（指行政机关依照法定权限、程序制定并公开发布的公文）"
    res = import_text(text.replace("行政规范性文件\t3\t1\t12", f"{note}\t3\t1\t12"))
    assert not same_cells(want, res.report)
    assert [(f, e) for f, e in variants(res)] == [(note, "行政规范性文件")]
    # and flattened the same way
    flat = re.sub(r"\n第二十条第（一）项.*?第二十条第（五）项", "\n第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数规章000"
                  f"{note}3112第二十条第（五）项", text, flags=re.S)
    got = import_text(flat).report
    assert [got.cells[f"t2.a20_1.normative.{c}"] for c in ("issued", "repealed", "valid")] == [3, 1, 12]
    assert [got.cells[f"t2.a20_1.rules.{c}"] for c in ("issued", "repealed", "valid")] == [0, 0, 0]


def test_2019_label_and_no_rules_row_inside_a_2021_table():
    _, text = report_and_text()
    text = text.replace("规章\t0\t0\t0\n", "").replace("行政规范性文件\t3", "规范性文件\t3")
    res = import_text(text)
    r = res.report
    assert [r.cells[f"t2.a20_1.normative.{c}"] for c in ("issued", "repealed", "valid")] == [3, 1, 12]
    assert [r.cells[f"t2.a20_1.rules.{c}"] for c in ("issued", "repealed", "valid")] == [None] * 3
    assert variants(res) == [("规范性文件", "行政规范性文件")]
    missing = [f for f in res.findings if "没有“规章”这一行" in f.message]
    assert missing and missing[0].severity == "warning" and missing[0].rule != "INCOMPLETE"
    assert not [f for f in res.findings if f.rule == "INCOMPLETE"]


def test_misprinted_column_label():
    want, text = report_and_text()
    res = import_text(text.replace("现行有效件数", "先行有效件数"))
    assert not same_cells(want, res.report)
    assert variants(res) == [("先行有效件数", "现行有效件数")]


def test_2019_single_other_processing_row_inside_a_2021_table():
    want, text = report_and_text(t3__main__R6_3__NP=1)
    lines = [ln for ln in text.splitlines() if not re.match(r"^\t*(?:（六）其他处理)?\t*[123]\.(?:申请人|其他)", ln)]
    at = next(i for i, ln in enumerate(lines) if "（七）总计" in ln)
    lines.insert(at, "\t（六）其他处理\t1\t0\t0\t0\t0\t0\t1")
    res = import_text("\n".join(lines))
    r = res.report
    assert [r.cells[f"t3.main.R6_3.{c}"] for c in ("NP", "BE", "TT")] == [1, 0, 1]
    assert r.cells["t3.main.R6_1.NP"] is None and r.cells["t3.main.R6_2.TT"] is None
    assert not same_cells(want, r, "t2") and r.cells["t3.main.R7.TT"] == want.cells["t3.main.R7.TT"]
    note = next(f for f in res.findings if "（六）其他处理" in f.message)
    assert "2019" in note.message and "“3.其他”" in note.message and note.cells


def test_row_with_one_cell_too_few():
    """Six figures where seven belong: the block's identities tell which cell is missing."""
    want, text = report_and_text()
    row = "\t（一）予以公开\t\t2\t1\t0\t0\t0\t0\t3"  # on the official grid (a blank under the group label)
    assert row in text
    res = import_text(text.replace(row, "\t（一）予以公开\t2\t1\t0\t0\t0\t3"))
    assert not same_cells(want, res.report)
    note = next(f for f in res.findings if "（一）予以公开" in f.message)
    assert "只有6个数值（应有7个）" in note.message and "2、1、0、0、0、0、3" in note.message
    assert not [f for f in res.findings if f.rule == "INCOMPLETE"]


def test_metadata_lines_are_not_the_title():
    want, text = report_and_text()
    body = text.split("\n", 1)[1]
    meta = ("当前位置：首页 > 政务公开 > 政府信息公开年报\n信息名称: | 某县市场监督管理局2023年政府信息公开工作年度报告 |\n"
            "索引号: | 11410300MB0000000X/2024-00012 |\n发布机构: | 某县市场监督管理局 |\n发布日期: | 2024-01-20 |\n")
    res = import_text(meta + body + "\n附件下载\n")
    r = res.report
    assert r.title == "某县市场监督管理局2023年政府信息公开工作年度报告" and r.agency.name == "某县市场监督管理局"
    assert any("标题取自网页的“信息名称”" in f.message for f in res.findings)
    assert r.narrative.opening == want.narrative.opening and r.narrative.other == want.narrative.other
    # with a title line too, the title line is the title
    res = import_text(meta + text)
    assert res.report.title == want.title and not any("信息名称" in f.message for f in res.findings)


@pytest.mark.parametrize("signoff", ["某某市人民政府办公室\n2024年1月20日", "某某市人民政府办公室 2024年1月20日"])
def test_whole_city_report_agency_from_the_signoff(signoff):
    want, text = report_and_text()
    rendered = "\n".join(want.signoff_lines())
    assert text.rstrip().endswith(rendered)
    text = text.rstrip()[: -len(rendered)]  # the city's own 落款 instead of the one nianbao prints
    text = text.replace(want.title, "2023年政府信息公开工作年度报告") + f"\n\n{signoff}\n"
    r = import_text(text).report
    assert r.agency.name == "某某市人民政府办公室"
    assert (r.signoff.agency, r.signoff.date) == ("某某市人民政府办公室", "2024-01-20")
    assert r.narrative.other == want.narrative.other


def test_agency_from_the_publishing_line():
    want, text = report_and_text()
    text = "发布机构：某某市人民政府\n" + text.replace(want.title, "2023年政府信息公开工作年度报告")
    res = import_text(text)
    assert res.report.agency.name == "某某市人民政府"
    assert any("网页的发布信息" in f.message for f in res.findings)


def test_every_import_says_what_it_read():
    r = import_text(SEED.read_text(encoding="utf-8"))
    assert r.summary == "已读到 198/198 个单元格（2 条导入说明）"
    assert r.report.meta.notes[0] == r.summary


def test_a_sentence_ending_in_a_date_is_not_a_signoff():
    _, text = report_and_text()
    text = text.rstrip() + "\n本报告所列数据的统计期限为2023年1月1日至2023年12月31日\n"
    r = import_text(text).report
    assert r.signoff.date == "" and r.narrative.other.endswith("至2023年12月31日")


def test_load_result_of_a_json_draft(tmp_path):
    from nianbao.inputs import load_result
    from nianbao.store import save

    want, _ = report_and_text()
    path = tmp_path / "d.json"
    save(want, path, backup=False)
    res = load_result(path)
    assert res.report.cells == want.cells and not res.findings
    assert res.summary == "已读到 200/200 个单元格"
