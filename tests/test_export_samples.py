"""Reports the export tests share: a filled 2021-format report with varied figures that
satisfy the 勾稽 rules, and a long one (several pages of narrative) for the render check.
The tests below make sure the samples themselves are what the export tests assume."""

from __future__ import annotations

from decimal import Decimal

from nianbao.checks import check
from nianbao.formats import get_spec
from nianbao.model import AgencyKind, Contact, Part, Report, new_report

from factories import t3

# Sentences for the narrative, in the register of real reports (no Latin letters or
# digits, so that a printed line is 28 full-width characters).
_SENTENCES = (
    "坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实政府信息公开条例",
    "严格执行政府信息公开工作年度要点，把政务公开工作纳入全局重点工作统筹推进",
    "主要负责同志定期听取政务公开工作汇报，研究解决工作中遇到的困难和问题",
    "进一步健全主动公开目录，细化公开内容、公开时限和责任科室，做到应公开尽公开",
    "围绕市场监管执法、行政许可办理和消费维权等群众关注事项，及时发布权威信息",
    "对依申请公开件实行登记、审核、办理、答复、归档全流程管理，确保依法按时答复",
    "加强政府信息公开前的保密审查，严防泄露国家秘密、商业秘密和个人隐私",
    "持续优化门户网站政府信息公开专栏，规范栏目设置，及时更新维护各栏目内容",
    "通过新闻发布会、政务新媒体和宣传栏等多种渠道解读政策，回应社会关切",
    "将政务公开工作纳入年度绩效考核，定期通报工作进展，推动各项任务落到实处",
    "组织机关干部参加政务公开业务培训，提升依法公开意识和信息发布质量",
    "畅通社会评议渠道，认真听取公众和服务对象的意见建议，不断改进工作方式",
)


def sentences(start: int, count: int) -> str:
    n = len(_SENTENCES)
    picked = [_SENTENCES[(start + i) % n] for i in range(count)]
    return "".join(s + ("；" if i % 2 == 0 and i < count - 1 else "。") for i, s in enumerate(picked))


def filled_2021(agency: str = "某某市某某区市场监督管理局", year: int = 2022) -> Report:
    """A complete 2021-format report: every cell answered, varied non-zero figures, the
    勾稽 rules satisfied (totals from ``Report.recompute``)."""
    r = new_report(year, agency, AgencyKind.DEPARTMENT)
    r.agency.contact = Contact(department="局办公室", phone="0371-12345678")
    spec = get_spec("2021")
    assert r.format_version == "2021"
    cells = dict(r.cells)
    # 表二: counts and the fee amount in 万元 (exact decimal)
    for i, c in enumerate(x for x in spec.cells if x.table.key == "t2" and not x.computed):
        cells[c.id] = Decimal("12.3456") if c.kind == "money" else 3 + (i * 7) % 13
    # 表三: outcome rows and 上年结转 per applicant column; 本年新收 so that
    # 新收 + 结转 = 总计 + 结转下年度 holds in every column
    b3 = spec.table("t3").block("main")
    outcome = [r_.key for r_ in b3.rows if r_.groups and not r_.computed]
    for j, col in enumerate(c for c in b3.columns if not c.computed):
        for i, row in enumerate(outcome):
            cells[f"t3.main.{row}.{col.key}"] = (i * 5 + j * 3) % 9
        total = sum(cells[f"t3.main.{row}.{col.key}"] for row in outcome)
        carried_in, carried_out = 1 + j % 3, 2 + j % 2
        cells[f"t3.main.C.{col.key}"] = carried_in
        cells[f"t3.main.F.{col.key}"] = carried_out
        cells[f"t3.main.N.{col.key}"] = total + carried_out - carried_in
    # 表四
    for i, c in enumerate(x for x in spec.cells if x.table.key == "t4" and not x.computed):
        cells[c.id] = 1 + (i * 4) % 7
    r.cells = cells
    r.recompute()
    n = r.narrative
    n.opening = ("本报告根据《中华人民共和国政府信息公开条例》和《中华人民共和国政府信息公开工作年度报告格式》编制。"
                 f"本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。")
    n.overview = [
        Part(title="", text=sentences(0, 3)),
        Part(title="主动公开", text=sentences(1, 4) + "\n" + sentences(5, 3)),
        Part(title="依申请公开", text=sentences(2, 4)),
        Part(title="政府信息管理。", text=sentences(3, 3), inline=True),
        Part(title="政府信息公开平台建设", text=sentences(4, 4)),
        Part(title="监督保障", text=sentences(6, 3)),
    ]
    n.table_notes = {"3": f"全年共收到政府信息公开申请{t3(r, 'N')}件，上年结转{t3(r, 'C')}件。"}
    n.rectification = sentences(7, 2)
    n.problems = [Part(title="", text="一是公开内容的深度和广度有待拓展；二是政策解读形式还不够丰富。")]
    n.measures = [
        Part(title="强化制度落实。", text=sentences(8, 3), inline=True),
        Part(title="提升解读质量。", text=sentences(9, 3), inline=True),
    ]
    n.other = "本年度未收取信息处理费。"
    return r


def long_2021() -> Report:
    """A report with several pages of narrative (for the LibreOffice render check)."""
    r = filled_2021()
    n = r.narrative
    n.overview = [Part(title="", text="\n".join(sentences(k, 5) for k in range(3)))] + [
        Part(title=theme, text="\n".join(sentences(k * 3 + m, 6) for m in range(3)))
        for k, theme in enumerate(r.spec.overview_themes)
    ]
    n.measures = [Part(title=f"第{t}项改进措施。", text="\n".join(sentences(k + m, 6) for m in range(3)), inline=True)
                  for k, t in enumerate("一二三四")]
    return r


def test_filled_2021_is_complete_and_consistent():
    r = filled_2021()
    assert r.answered() == (len(r.spec.cells), len(r.spec.cells))
    errors = [f for f in check(r) if f.severity == "error"]
    assert not errors, [f.line() for f in errors]
    # varied, mostly non-zero figures
    values = [v for v in r.cells.values() if v is not None]
    assert len(set(values)) > 10 and sum(1 for v in values if v) > len(values) * 0.8
    assert any(isinstance(v, Decimal) for v in values)


def test_long_2021_has_pages_of_text():
    r = long_2021()
    assert sum(len(p.text) for p in r.narrative.overview) > 3000
    assert not [f for f in check(r) if f.severity == "error"]
