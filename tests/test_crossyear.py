"""Next year from last year: carry forward, format migration, cross-year checks, a three-year chain."""

from __future__ import annotations

from nianbao import store
from nianbao.checks import check
from nianbao.cli import main
from nianbao.crossyear import carry_forward, check_cross_year, previous_report
from nianbao.model import Part

from factories import filled_2021


def test_seed_to_2021(seed_report):
    r, notes = carry_forward(seed_report, 2021)
    assert r.year == 2021 and r.format_version == "2021"
    assert r.agency.name == "嵩县城市管理局" and r.agency.kind == seed_report.agency.kind
    # this year's figures unanswered, 上年结转 = last year's 结转下年度 column by column
    assert r.get("t2.a20_6.penalty.decisions") is None
    assert all(r.get(f"t3.main.C.{c}") == 0 for c in ("NP", "BE", "RI", "SO", "LS", "OT", "TT"))
    assert r.get("t3.main.N.NP") is None
    # last year's figures as a reference, keyed by this year's cells
    assert r.meta.previous.cells["t2.a20_6.penalty.decisions"] == 96
    assert r.meta.previous.year == 2020
    # 一、五、六 are not copied (内容雷同): written anew, last year's text kept as the previous report
    assert r.narrative.overview == [] and r.narrative.problems == [] and r.narrative.other == ""
    assert r.meta.previous.report.narrative.overview == seed_report.narrative.overview
    joined = "\n".join(notes)
    assert "不直接沿用" in joined
    assert "第二十条第（九）项" in joined and "已取消" in joined and "1665.6119" in joined
    assert "“其他对外管理服务事项”行" in joined
    assert "“规范性文件”在" in joined and "改为“行政规范性文件”" in joined
    assert "分为3项" in joined
    assert previous_report(r).display_title == seed_report.display_title


def test_last_years_text_pasted_in_is_flagged(seed_report):
    r, _ = carry_forward(seed_report, 2021)
    assert not [x for x in check(r) if x.rule == "YEAR-IN-TEXT"]
    r.narrative.overview = [p.model_copy() for p in seed_report.narrative.overview]
    f = [x for x in check(r) if x.rule == "YEAR-IN-TEXT"]
    assert f and all(x.found == "2020年" for x in f)


def test_wrong_carry_over_names_both_years():
    prev = filled_2021(2023)
    r, _ = carry_forward(prev, 2024)
    assert not [f for f in check_cross_year(r, prev) if f.rule == "T3-CARRY"]
    r.set("t3.main.C.NP", 4)
    f = [x for x in check_cross_year(r, prev) if x.rule == "T3-CARRY"]
    assert f and "2024年度" in f[0].message and "2023年度" in f[0].message
    assert f[0].expected == "1" and f[0].found == "4"
    # the stored previous report is used by the plain check too
    assert [x for x in check(r) if x.rule == "T3-CARRY"]


def test_stock_and_stale_text():
    prev = filled_2021(2023)
    this = filled_2021(2024)
    this.set("t2.a20_1.normative.valid", 13)  # 12 + 3 − 1 = 14
    fs = check_cross_year(this, prev)
    assert [f for f in fs if f.rule == "T2b-STOCK" and f.expected == "14"]
    this.narrative.overview = [Part(text="全年共收到政府信息公开申请9件，上年结转1件，办结8件，结转下年度2件。")]
    assert [f for f in check_cross_year(this, prev) if f.rule == "LAST-YEAR-TEXT"]


def test_2019_items_rule(seed_report):
    prev = seed_report.model_copy(deep=True)
    prev.year = 2019
    r = seed_report
    assert not [f for f in check_cross_year(r, prev) if f.rule == "T2a-ITEMS" and "行政许可" in f.where]
    # 2020 上一年项目数量 12 should be 2019's 12 + 0; make 2019's delta 3
    prev.set("t2.a20_5.license.delta", 3)
    f = [x for x in check_cross_year(r, prev) if x.rule == "T2a-ITEMS" and "行政许可" in x.where]
    assert f and f[0].expected == "15" and f[0].found == "12"


def test_three_year_chain_through_cli(tmp_path, capsys):
    first = filled_2021(2023)
    p23 = tmp_path / "2023.json"
    store.save(first, p23)
    p24, p25 = tmp_path / "2024.json", tmp_path / "2025.json"
    assert main(["new", "--year", "2024", "--from", str(p23), "-o", str(p24)]) == 0
    r24 = store.load(p24)
    assert r24.get("t3.main.C.TT") == first.get("t3.main.F.TT") == 2
    # fill 2024 with its own figures (the factory's) but keep the carried 上年结转
    filled = filled_2021(2024)
    for k, v in filled.cells.items():
        if not k.startswith("t3.main.C."):
            r24.set(k, v)
    r24.set("t3.main.F.NP", 2)
    r24.set("t3.main.F.BE", 0)
    r24.recompute()
    store.save(r24, p24)
    assert main(["new", "--year", "2025", "--from", str(p24), "-o", str(p25)]) == 0
    r25 = store.load(p25)
    assert r25.get("t3.main.C.NP") == 2 and r25.get("t3.main.C.BE") == 0 and r25.get("t3.main.C.TT") == 2
    # a deliberately wrong carry-over is reported with both years' figures
    r25.set("t3.main.C.NP", 7)
    store.save(r25, p25)
    capsys.readouterr()
    main(["check", str(p25), "--previous", str(p24)])
    out = capsys.readouterr().out
    assert "T3-CARRY" in out and "2025年度" in out and "2024年度" in out and "为7" in out and "为2" in out


def test_carried_opening_gets_this_years_statistics_period(seed_report):
    seed_report.narrative.opening = "本报告所列数据统计期限为2020年1月1日至2020年12月31日。"
    r, notes = carry_forward(seed_report, 2021)
    assert r.narrative.opening == "本报告所列数据统计期限为2021年1月1日至2021年12月31日。"
    assert any("统计期限已改为2021年" in n for n in notes)
    assert not [f for f in check(r) if f.rule == "STAT-PERIOD"]


def test_drafts_do_not_nest_previous_reports_year_after_year():
    r23 = filled_2021(2023)
    r24, _ = carry_forward(r23, 2024)
    r25, _ = carry_forward(r24, 2025)
    stored = r25.meta.previous.report
    assert stored.year == 2024 and stored.meta.previous.report is None
    assert stored.meta.previous.year == 2023  # what is known of 2023 stays, without the nesting
