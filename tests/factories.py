"""Reports built for tests: complete, consistent, with varied figures."""

from __future__ import annotations

from decimal import Decimal

from nianbao.formats import cell_id
from nianbao.model import AgencyKind, Contact, Part, Report, new_report


def filled_2021(year: int = 2023, name: str = "某县市场监督管理局") -> Report:
    """A complete 2021-format report whose tables satisfy every 勾稽 rule."""
    r = new_report(year, name, AgencyKind.DEPARTMENT)
    r.agency.contact = Contact(department="局办公室", address="某县人民路1号", postcode="471400", phone="0379-66000000",
                               email="gk@example.gov.cn")
    r.agency.website = "http://www.example.gov.cn"
    t2 = {
        "t2.a20_1.rules": (0, 0, 0), "t2.a20_1.normative": (3, 1, 12),
        "t2.a20_5.license": (245,), "t2.a20_6.penalty": (38,), "t2.a20_6.enforcement": (4,),
        "t2.a20_8.fees": (Decimal("12.5"),),
    }
    if r.format_version == "2021":
        for prefix, vals in t2.items():
            t, b, _ = prefix.split(".")
            for col, v in zip(r.spec.block(t, b).columns, vals, strict=True):
                r.set(f"{prefix}.{col.key}", v)
    else:  # 2019 format: item counts, a signed 本年增/减, the 采购 block
        for c in r.spec.cells:
            if c.table.key == "t2":
                r.set(c.id, 0)
        r.set("t2.a20_5.license.prev", 14)
        r.set("t2.a20_5.license.delta", -3)
        r.set("t2.a20_5.license.decisions", 245)
        r.set("t2.a20_9.procurement.count", 6)
        r.set("t2.a20_9.procurement.amount", Decimal("251000"))
    cols = ["NP", "BE", "RI", "SO", "LS", "OT"]
    rows = {
        "N": [5, 2, 0, 1, 0, 1], "C": [1, 0, 0, 0, 0, 0],
        "R1": [2, 1, 0, 0, 0, 0], "R2": [1, 0, 0, 0, 0, 1], "R4_1": [1, 0, 0, 1, 0, 0], "R5_2": [1, 0, 0, 0, 0, 0],
        "F": [1, 1, 0, 0, 0, 0],
    }
    b3 = r.spec.block("t3", "main")
    for row in b3.rows:
        if row.computed:
            continue
        vals = rows.get(row.key, [0] * 6)
        for c, v in zip(cols, vals, strict=True):
            r.set(f"t3.main.{row.key}.{c}", v)
    t4 = {"rv": [1, 1, 0, 0], "ld": [1, 0, 0, 1], "la": [0, 0, 0, 0]}
    for prefix, vals in t4.items():
        for k, v in zip(("upheld", "corrected", "other", "pending"), vals, strict=True):
            r.set(f"t4.main.all.{prefix}_{k}", v)
    r.recompute()
    r.narrative.opening = (f"本报告根据《中华人民共和国政府信息公开条例》编制，所列数据统计期限为{year}年1月1日至{year}年12月31日。")
    r.narrative.overview = [
        Part(text=f"{year}年，本局深入推进政府信息公开工作。"),
        Part(title="主动公开情况。", text="全年共收到政府信息公开申请9件，上年结转1件，办结8件，结转下年度2件。"),
    ]
    r.narrative.problems = [Part(text="政策解读的形式还比较单一。")]
    r.narrative.measures = [Part(title="丰富解读形式。", text="推出图解、视频等解读产品。", inline=True)]
    r.narrative.other = "本年度未收取信息处理费。"
    return r


def t3(report: Report, row: str, column: str = "TT"):
    """A cell of table 三 (tests address cells by their spec keys)."""
    return report.cells.get(cell_id("t3", "main", row, column))


def t4(report: Report, column: str):
    """A cell of table 四 (its one row)."""
    return report.cells.get(cell_id("t4", "main", "all", column))
