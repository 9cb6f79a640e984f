"""The official report formats as data.

One :class:`FormatSpec` per format version: the six section headings, every table
block, row and column with the exact official labels, which cells are computed
totals, and the known label variants that map onto the spec.  Every other module
(model, checks, render, import, TUI, exports) reads labels from here; no official
label is typed anywhere else in the code.

Sources: ``report-format.md`` §4–§7 (国办公开办函〔2019〕60号 and 〔2021〕30号 as printed
in published reports).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from typing import Literal

FormatVersion = Literal["2019", "2021"]
CellKind = Literal["count", "signed", "money"]

#: what a row means.  Table 三: ``new`` (一、本年新收), ``carried`` (二、上年结转), ``outcome``
#: (the rows under 三、本年度办理结果), ``total`` (（七）总计), ``forward`` (四、结转下年度继续办理).
#: Table 二: ``item`` (a kind of document or decision).  Table 四: ``cases`` (its one row).
RowRole = Literal["new", "carried", "outcome", "total", "forward", "item", "cases"]
#: what a column means.  Table 三: ``applicant`` (one type of applicant), ``total`` (总计).
#: Table 二: ``issued`` / ``repealed`` / ``valid`` (2021), ``made`` / ``published`` / ``stock``
#: (2019), ``prev`` / ``delta`` / ``decisions`` (item counts), ``amount`` (money), ``count``.
#: Table 四: ``upheld`` / ``corrected`` / ``other`` / ``pending`` (the results), ``total``.
ColRole = Literal["applicant", "total", "issued", "repealed", "valid", "made", "published", "stock", "prev",
                  "delta", "decisions", "amount", "count", "upheld", "corrected", "other", "pending"]

# --------------------------------------------------------------------------------------
# spec building blocks


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: CellKind = "count"
    #: header groups above the leaf label, outermost first
    groups: tuple[str, ...] = ()
    #: a computed total: the sum of these column keys of the same row
    sum_of: tuple[str, ...] = ()
    #: unit for money cells (printed in the label where the official label has it)
    unit: str = ""
    short: str = ""  # a short name for narrow UI grids
    role: ColRole | Literal[""] = ""

    @property
    def computed(self) -> bool:
        return bool(self.sum_of)

    @property
    def name(self) -> str:
        return self.short or self.label


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    #: group labels to the left of the row label, outermost first
    groups: tuple[str, ...] = ()
    #: a computed total: the sum of these row keys of the same column
    sum_of: tuple[str, ...] = ()
    #: the row label spans the group columns (e.g. 一、本年新收… in table 三)
    wide: bool = False
    aliases: tuple[str, ...] = ()
    short: str = ""
    role: RowRole | Literal[""] = ""

    @property
    def computed(self) -> bool:
        return bool(self.sum_of)

    @property
    def name(self) -> str:
        return self.short or self.label


@dataclass(frozen=True)
class Identity:
    """An identity that holds in every column of a block: the rows ``lhs`` add up to the
    rows ``rhs`` (table 三: 一 + 二 = （七）+ 四, the printed 勾稽 note)."""

    rule: str  # the rule id a violation is reported under
    lhs: tuple[str, ...]
    rhs: tuple[str, ...]


@dataclass(frozen=True)
class Block:
    key: str
    rows: tuple[Row, ...]
    columns: tuple[Column, ...]
    caption: str = ""  # e.g. 第二十条第（一）项
    corner: str = ""  # the header cell above the row labels (信息内容 / the 勾稽 note)
    #: the printed row has no label (table 四)
    unlabelled: bool = False
    identities: tuple[Identity, ...] = ()

    def row(self, key: str) -> Row:
        for r in self.rows:
            if r.key == key:
                return r
        raise KeyError(key)

    def column(self, key: str) -> Column:
        for c in self.columns:
            if c.key == key:
                return c
        raise KeyError(key)

    def rows_with(self, *roles: str) -> tuple[Row, ...]:
        return tuple(r for r in self.rows if r.role in roles)

    def columns_with(self, *roles: str) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.role in roles)

    @property
    def data_columns(self) -> tuple[Column, ...]:
        """The columns typed in (not computed totals)."""
        return tuple(c for c in self.columns if not c.computed)

    def solve(self, row: str, values: dict[str, int | None]) -> int | None:
        """The value of ``row`` that makes the block's identity hold (in one column), from
        the other rows' ``values`` (row key -> value): table 三's 四、结转下年度 =
        一 + 二 − （七）总计.  None if an identity has no such row or a value is missing."""
        for ident in self.identities:
            for side, other in ((ident.rhs, ident.lhs), (ident.lhs, ident.rhs)):
                if row not in side:
                    continue
                known = [values.get(k) for k in (*other, *(k for k in side if k != row))]
                if any(v is None for v in known):
                    return None
                return sum(values[k] for k in other) - sum(values[k] for k in side if k != row)  # type: ignore[misc]
        return None

    def role_row(self, role: str) -> Row:
        """The one row of ``role`` (KeyError if there is none)."""
        rows = self.rows_with(role)
        if not rows:
            raise KeyError(role)
        return rows[0]

    def role_column(self, role: str) -> Column:
        cols = self.columns_with(role)
        if not cols:
            raise KeyError(role)
        return cols[0]

    @property
    def label_depth(self) -> int:
        """How many label columns the printed rows have (group labels + row label)."""
        return max((len(r.groups) + 1 for r in self.rows), default=1)

    @property
    def header_depth(self) -> int:
        return max((len(c.groups) + 1 for c in self.columns), default=1)


@dataclass(frozen=True)
class Table:
    key: str  # t2 / t3 / t4
    section: int  # the section number it belongs to (2, 3, 4)
    name: str  # 表二 …
    blocks: tuple[Block, ...]
    #: the rule ids of a broken ``sum_of`` total: of a total row, of a total column
    sum_rules: tuple[str, str] = ("SUM", "SUM")
    #: the rule id of a cell value outside its kind's domain (negative count, decimals)
    domain_rule: str = "DOMAIN"

    def block(self, key: str) -> Block:
        for b in self.blocks:
            if b.key == key:
                return b
        raise KeyError(key)


@dataclass(frozen=True)
class Cell:
    """One data cell of the spec, addressed by ``id`` = ``table.block.row.column``."""

    table: Table
    block: Block
    row: Row
    column: Column

    @property
    def id(self) -> str:
        return cell_id(self.table.key, self.block.key, self.row.key, self.column.key)

    @property
    def kind(self) -> CellKind:
        return self.column.kind

    @property
    def computed(self) -> bool:
        return self.row.computed or self.column.computed

    @property
    def parts(self) -> tuple[str, ...]:
        """The ids of the cells a computed total sums (a total column first: it sums the
        row's parts); empty for a cell that is typed in."""
        t, b = self.table.key, self.block.key
        if self.column.sum_of:
            return tuple(cell_id(t, b, self.row.key, k) for k in self.column.sum_of)
        if self.row.sum_of:
            return tuple(cell_id(t, b, k, self.column.key) for k in self.row.sum_of)
        return ()

    @property
    def where(self) -> str:
        """Chinese description naming the table, row and column."""
        parts = [self.table.name]
        if self.block.caption:
            parts.append(self.block.caption)
        if not self.block.unlabelled:
            parts.append(f"“{self.row.label}”行")
        groups = self.column.groups[1:] if self.table.key == "t3" else self.column.groups
        col = "·".join((*groups, self.column.label))
        parts.append(f"“{col}”列")
        return " ".join(parts)


def cell_id(table: str, block: str, row: str, column: str) -> str:
    return f"{table}.{block}.{row}.{column}"


@dataclass(frozen=True)
class CarryRule:
    """Across years, column by column: this year's ``to_row`` = last year's ``from_row``
    (table 三: 二、上年结转 = last year's 四、结转下年度继续办理)."""

    rule: str
    table: str
    block: str
    from_row: str
    to_row: str
    #: the first report year the rule can be checked for (2019's 上年结转 comes from 2018,
    #: which used the old statistics)
    since: int = 2020


@dataclass(frozen=True)
class StockRule:
    """Across years, row by row: ``stock`` ≈ last year's ``stock`` + ``plus`` − ``minus``
    (a plausibility rule: amendments and lapses make it inexact); within one year
    ``stock`` ≥ ``plus`` − ``minus``."""

    rule: str
    table: str
    block: str
    stock: str
    plus: str
    minus: str = ""


@dataclass(frozen=True)
class ItemsRule:
    """Across years, in every block that has both columns: ``prev`` = last year's ``prev`` +
    last year's ``delta`` (2019 format: 上一年项目数量 and 本年增/减)."""

    rule: str
    table: str
    prev: str
    delta: str


@dataclass(frozen=True)
class CellMap:
    """One line of a migration from the previous format: cells ``source`` map to ``target``
    (``*`` stands for any row or column key and keeps it).  ``same``: the figure means the
    same thing and carries over; otherwise it is only shown as a reference."""

    source: str
    target: str
    same: bool = True


@dataclass(frozen=True)
class Migration:
    """How a report of ``from_version`` is read in this format (carry-forward, reference
    figures, an old file opened in a new year).  Cells of the old format whose block, row
    and column still exist map to themselves; ``cells`` lists the others that still have
    a place."""

    from_version: str
    cells: tuple[CellMap, ...] = ()


@dataclass(frozen=True)
class Section:
    number: int
    heading: str  # exact official heading, e.g. 一、总体情况
    short: str  # short name for the UI
    #: words that identify the heading in published text (variants included)
    core: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class FormatSpec:
    version: FormatVersion
    title: str  # the official name of the format
    notice: str  # the notice that issued it
    years: tuple[int, int | None]  # first and last report year it applies to
    sections: tuple[Section, ...]
    tables: tuple[Table, ...]
    #: official sub-themes of 一、总体情况
    overview_themes: tuple[str, ...]
    #: known label variants: variant -> official label
    label_variants: dict[str, str] = field(default_factory=dict)
    carry: tuple[CarryRule, ...] = ()
    stock: tuple[StockRule, ...] = ()
    items: tuple[ItemsRule, ...] = ()
    migration: Migration | None = None
    #: the 信息处理费 (第四十二条, 国办函〔2020〕109号) is reported in 六 and asked for
    reports_fees: bool = False
    #: the within-year stock rule (2019: 对外公开总数量 ≥ 本年新公开数量)
    stock_within: tuple[StockRule, ...] = ()

    def table(self, key: str) -> Table:
        for t in self.tables:
            if t.key == key:
                return t
        raise KeyError(key)

    def section(self, number: int) -> Section:
        return self.sections[number - 1]

    @property
    def cells(self) -> tuple[Cell, ...]:
        return _cells(self)

    def cell(self, cid: str) -> Cell:
        return _cell_index(self)[cid]

    def has_cell(self, cid: str) -> bool:
        return cid in _cell_index(self)

    def block(self, table: str, block: str) -> Block:
        return self.table(table).block(block)

    def block_with(self, role: str) -> tuple[Table, Block]:
        """The first block with a row or column of ``role`` (``new``: table 三's block,
        ``upheld``: table 四's)."""
        for t in self.tables:
            for b in t.blocks:
                if b.rows_with(role) or b.columns_with(role):
                    return t, b
        raise KeyError(role)

    def ids(self, table: Table, block: Block, rows: tuple[Row, ...] | list[Row],
            columns: tuple[Column, ...] | list[Column]) -> list[str]:
        """The cell ids of ``rows`` × ``columns`` of a block, row by row."""
        return [cell_id(table.key, block.key, r.key, c.key) for r in rows for c in columns]


@cache
def _cells(spec: FormatSpec) -> tuple[Cell, ...]:
    out = []
    for t in spec.tables:
        for b in t.blocks:
            for r in b.rows:
                for c in b.columns:
                    out.append(Cell(t, b, r, c))
    return tuple(out)


@cache
def _cell_index(spec: FormatSpec) -> dict[str, Cell]:
    return {c.id: c for c in _cells(spec)}


# --------------------------------------------------------------------------------------
# labels shared by both formats (each official label is typed exactly once)

SECTIONS = (
    Section(1, "一、总体情况", "一、总体情况", ("总体情况",)),
    Section(2, "二、主动公开政府信息情况", "二、主动公开", ("主动公开",)),
    Section(3, "三、收到和处理政府信息公开申请情况", "三、依申请公开", ("收到和处理", "申请情况")),
    Section(4, "四、政府信息公开行政复议、行政诉讼情况", "四、复议诉讼", ("行政复议", "行政诉讼")),
    Section(5, "五、存在的主要问题及改进情况", "五、问题与改进", ("问题",)),
    Section(6, "六、其他需要报告的事项", "六、其他事项", ("其他需要报告", "其它需要报告", "其他事项")),
)

OVERVIEW_THEMES = ("主动公开", "依申请公开", "政府信息管理", "政府信息公开平台建设", "监督保障")

INFO_CONTENT = "信息内容"
A20 = "第二十条第（{}）项"

RULES = Row("rules", "规章", role="item")
LICENSE = Row("license", "行政许可", role="item")
PENALTY = Row("penalty", "行政处罚", role="item")
ENFORCEMENT = Row("enforcement", "行政强制", role="item")
FEES = Row("fees", "行政事业性收费", role="item")

# table 二, format 2019 columns
PREV = Column("prev", "上一年项目数量", short="上年项目", role="prev")
DELTA = Column("delta", "本年增/减", kind="signed", short="本年增减", role="delta")
DECISIONS_2019 = Column("decisions", "处理决定数量", short="处理决定", role="decisions")


def _t2_2019() -> Table:
    return Table("t2", 2, "表二", (
        Block("a20_1", (RULES, Row("normative", "规范性文件", role="item")), (
            Column("made", "本年新制作数量", short="新制作", role="made"),
            Column("published", "本年新公开数量", short="新公开", role="published"),
            Column("total", "对外公开总数量", short="公开总数", role="stock"),
        ), caption=A20.format("一"), corner=INFO_CONTENT),
        Block("a20_5", (LICENSE, Row("other_services", "其他对外管理服务事项", role="item")),
              (PREV, DELTA, DECISIONS_2019), caption=A20.format("五"), corner=INFO_CONTENT),
        Block("a20_6", (PENALTY, ENFORCEMENT), (PREV, DELTA, DECISIONS_2019),
              caption=A20.format("六"), corner=INFO_CONTENT),
        Block("a20_8", (FEES,), (PREV, DELTA), caption=A20.format("八"), corner=INFO_CONTENT),
        Block("a20_9", (Row("procurement", "政府集中采购", role="item"),), (
            Column("count", "采购项目数量", short="采购项目", role="count"),
            Column("amount", "采购总金额", kind="money", short="采购总金额", role="amount"),
        ), caption=A20.format("九"), corner=INFO_CONTENT),
    ), domain_rule="T2-DOMAIN", sum_rules=("T2-SUM", "T2-SUM"))


DECISIONS_2021 = Column("decisions", "本年处理决定数量", short="处理决定", role="decisions")


def _t2_2021() -> Table:
    return Table("t2", 2, "表二", (
        Block("a20_1", (RULES, Row("normative", "行政规范性文件", role="item")), (
            Column("issued", "本年制发件数", short="制发", role="issued"),
            Column("repealed", "本年废止件数", short="废止", role="repealed"),
            Column("valid", "现行有效件数", short="现行有效", role="valid"),
        ), caption=A20.format("一"), corner=INFO_CONTENT),
        Block("a20_5", (LICENSE,), (DECISIONS_2021,), caption=A20.format("五"), corner=INFO_CONTENT),
        Block("a20_6", (PENALTY, ENFORCEMENT), (DECISIONS_2021,), caption=A20.format("六"),
              corner=INFO_CONTENT),
        Block("a20_8", (FEES,), (
            Column("amount", "本年收费金额（单位：万元）", kind="money", unit="万元", short="收费金额(万元)",
                   role="amount"),
        ), caption=A20.format("八"), corner=INFO_CONTENT),
    ), domain_rule="T2-DOMAIN", sum_rules=("T2-SUM", "T2-SUM"))


# table 三 ---------------------------------------------------------------------------

T3_CORNER = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
APPLICANTS = "申请人情况"
LEGAL_PERSONS = "法人或其他组织"
T3_COLUMNS = (
    Column("NP", "自然人", groups=(APPLICANTS,), role="applicant"),
    Column("BE", "商业企业", groups=(APPLICANTS, LEGAL_PERSONS), role="applicant"),
    Column("RI", "科研机构", groups=(APPLICANTS, LEGAL_PERSONS), role="applicant"),
    Column("SO", "社会公益组织", groups=(APPLICANTS, LEGAL_PERSONS), role="applicant"),
    Column("LS", "法律服务机构", groups=(APPLICANTS, LEGAL_PERSONS), role="applicant"),
    Column("OT", "其他", groups=(APPLICANTS, LEGAL_PERSONS), role="applicant"),
    Column("TT", "总计", groups=(APPLICANTS,), sum_of=("NP", "BE", "RI", "SO", "LS", "OT"), role="total"),
)
RESULTS = "三、本年度办理结果"
NOT_DISCLOSED = "（三）不予公开"
CANNOT_PROVIDE = "（四）无法提供"
NOT_PROCESSED = "（五）不予处理"
OTHER_PROCESSING = "（六）其他处理"


def _t3_rows(version: FormatVersion) -> tuple[Row, ...]:
    g = (RESULTS,)
    rows = [
        Row("N", "一、本年新收政府信息公开申请数量", wide=True, short="一、本年新收", role="new"),
        Row("C", "二、上年结转政府信息公开申请数量", wide=True, short="二、上年结转", role="carried"),
        Row("R1", "（一）予以公开", g, role="outcome"),
        Row("R2", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", g, short="（二）部分公开", role="outcome"),
    ]
    g3 = (RESULTS, NOT_DISCLOSED)
    for i, label in enumerate((
        "属于国家秘密", "其他法律行政法规禁止公开", "危及“三安全一稳定”", "保护第三方合法权益",
        "属于三类内部事务信息", "属于四类过程性信息", "属于行政执法案卷", "属于行政查询事项",
    ), 1):
        aliases = (f"{i}.其他法律法规禁止公开",) if i == 2 else ()
        rows.append(Row(f"R3_{i}", f"{i}.{label}", g3, aliases=aliases, role="outcome"))
    g4 = (RESULTS, CANNOT_PROVIDE)
    for i, label in enumerate(("本机关不掌握相关政府信息", "没有现成信息需要另行制作", "补正后申请内容仍不明确"), 1):
        rows.append(Row(f"R4_{i}", f"{i}.{label}", g4, role="outcome"))
    g5 = (RESULTS, NOT_PROCESSED)
    for i, label in enumerate(("信访举报投诉类申请", "重复申请", "要求提供公开出版物", "无正当理由大量反复申请",
                                "要求行政机关确认或重新出具已获取信息"), 1):
        rows.append(Row(f"R5_{i}", f"{i}.{label}", g5, role="outcome"))
    if version == "2019":
        rows.append(Row("R6", OTHER_PROCESSING, g, role="outcome"))
        r6 = ("R6",)
    else:
        g6 = (RESULTS, OTHER_PROCESSING)
        rows += [
            Row("R6_1", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", g6,
                aliases=("1.申请人无正当理由逾期不补正，行政机关不再处理其政府信息公开申请",),
                short="1.逾期不补正", role="outcome"),
            Row("R6_2", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", g6,
                aliases=("2.申请人逾期未按收费通知要求缴纳费用，行政机关不再处理其政府信息公开申请",),
                short="2.逾期未缴费", role="outcome"),
            Row("R6_3", "3.其他", g6, role="outcome"),
        ]
        r6 = ("R6_1", "R6_2", "R6_3")
    outcome_keys = tuple(r.key for r in rows[2:])
    assert outcome_keys[-len(r6):] == r6
    rows.append(Row("R7", "（七）总计", g, sum_of=outcome_keys, role="total"))
    rows.append(Row("F", "四、结转下年度继续办理", wide=True, short="四、结转下年度", role="forward"))
    return tuple(rows)


def _t3(version: FormatVersion) -> Table:
    # the printed corner note: 第一项加第二项之和，等于第三项加第四项之和, in every column
    identity = Identity("T3-COL", ("N", "C"), ("R7", "F"))
    return Table("t3", 3, "表三", (Block("main", _t3_rows(version), T3_COLUMNS, corner=T3_CORNER,
                                       identities=(identity,)),),
                 sum_rules=("T3-TOTAL-ROW", "T3-TOTAL-COL"), domain_rule="T3-DOMAIN")


# table 四 ---------------------------------------------------------------------------

REVIEW = "行政复议"
LITIGATION = "行政诉讼"
OUTCOMES = (("upheld", "结果维持"), ("corrected", "结果纠正"), ("other", "其他结果"),
            ("pending", "尚未审结"))
TOTAL = "总计"


def _t4() -> Table:
    cols: list[Column] = []
    for prefix, groups in (("rv", (REVIEW,)), ("ld", (LITIGATION, "未经复议直接起诉")),
                           ("la", (LITIGATION, "复议后起诉"))):
        parts = tuple(f"{prefix}_{k}" for k, _ in OUTCOMES)
        cols += [Column(f"{prefix}_{k}", label, groups=groups, role=k) for k, label in OUTCOMES]  # type: ignore[arg-type]
        cols.append(Column(f"{prefix}_total", TOTAL, groups=groups, sum_of=parts, role="total"))
    return Table("t4", 4, "表四", (Block("main", (Row("all", "", role="cases"),), tuple(cols), unlabelled=True),),
                 sum_rules=("T4-SUM", "T4-SUM"), domain_rule="T4-DOMAIN")


# label variants seen in published reports (after normalisation, see ``norm_label``)
_VARIANTS_2019 = {
    "采购总金额（单位：万元，保留4位小数）": "采购总金额",
    "采购总金额（万元）": "采购总金额",
    "采购总金额（元）": "采购总金额",
}
_VARIANTS_2021: dict[str, str] = {
    "本年收费金额": "本年收费金额（单位：万元）",
    "本年收费金额（万元）": "本年收费金额（单位：万元）",
}


_CARRY = (CarryRule("T3-CARRY", "t3", "main", "F", "C"),)


@cache
def get_spec(version: FormatVersion) -> FormatSpec:
    if version == "2019":
        return FormatSpec(
            "2019", "中华人民共和国政府信息公开工作年度报告格式（试行）", "国办公开办函〔2019〕60号", (2019, 2020),
            SECTIONS, (_t2_2019(), _t3("2019"), _t4()), OVERVIEW_THEMES, dict(_VARIANTS_2019),
            carry=_CARRY,
            items=(ItemsRule("T2a-ITEMS", "t2", "prev", "delta"),),
            stock_within=(StockRule("T2a-STOCK", "t2", "a20_1", "total", "published"),))
    if version == "2021":
        return FormatSpec(
            "2021", "中华人民共和国政府信息公开工作年度报告格式", "国办公开办函〔2021〕30号", (2021, None),
            SECTIONS, (_t2_2021(), _t3("2021"), _t4()), OVERVIEW_THEMES, dict(_VARIANTS_2021),
            carry=_CARRY,
            stock=(StockRule("T2b-STOCK", "t2", "a20_1", "valid", "issued", "repealed"),),
            stock_within=(StockRule("T2b-STOCK", "t2", "a20_1", "valid", "issued", "repealed"),),
            reports_fees=True,
            migration=Migration("2019", (
                # （六）其他处理 became three items; the old single row is nearest to 3.其他
                CellMap("t3.main.R6.*", "t3.main.R6_3.*"),
                # 本年新制作数量 / 对外公开总数量 are close to 本年制发件数 / 现行有效件数, not the same
                CellMap("t2.a20_1.*.made", "t2.a20_1.*.issued", same=False),
                CellMap("t2.a20_1.*.total", "t2.a20_1.*.valid", same=False),
            )))
    raise ValueError(f"unknown format version: {version!r}")


def map_cell(cid: str, src: FormatSpec, dst: FormatSpec, reference: bool = False) -> str | None:
    """The id in ``dst`` of the cell ``cid`` of ``src``, by ``dst``'s migration (or the
    reverse direction: nothing maps back except cells that exist in both).  With
    ``reference``, cells of close (not the same) meaning map too."""
    if dst.has_cell(cid):
        return cid
    mig = dst.migration
    if mig is None or mig.from_version != src.version:
        return None
    parts = cid.split(".")
    for m in mig.cells:
        if not m.same and not reference:
            continue
        pat, tgt = m.source.split("."), m.target.split(".")
        if len(pat) != len(parts) or any(p not in ("*", x) for p, x in zip(pat, parts, strict=True)):
            continue
        new = ".".join(x if t == "*" else t for t, x in zip(tgt, parts, strict=True))
        return new if dst.has_cell(new) else None
    return None


VERSIONS: tuple[FormatVersion, ...] = ("2019", "2021")


def format_for_year(year: int | None) -> FormatVersion:
    """The format that applies to a report year (2019–2020: 2019 试行; 2021 on: 2021)."""
    if year is not None and year <= 2020:
        return "2019"
    return "2021"


def all_specs() -> tuple[FormatSpec, ...]:
    return tuple(get_spec(v) for v in VERSIONS)


# --------------------------------------------------------------------------------------
# label normalisation

_PUNCT = str.maketrans({
    "(": "（", ")": "）", ":": "：", ",": "，", ";": "；", "\u201c": "“", "\u201d": "”",
    '"': "“", "【": "（", "】": "）", "[": "（", "]": "）", "、": "、", "．": ".",
})
_SPACE = re.compile(r"[\s\u00a0\u3000\u200b]+")


def norm_label(text: str) -> str:
    """Normalise a printed label for matching: NFKC (full-width letters/digits to ASCII),
    brackets/colons/commas to their full-width form, all whitespace removed."""
    t = unicodedata.normalize("NFKC", text)
    t = _SPACE.sub("", t)
    t = t.translate(_PUNCT)
    # quotes around 三安全一稳定 come in many shapes
    t = re.sub(r"[“”\"'‘’「」『』]", "“", t)
    t = t.replace("<br/>", "").replace("<br>", "")
    return t


def loose_label(text: str) -> str:
    """A looser key: normalised, with all punctuation dropped (for fuzzy matching)."""
    t = norm_label(text)
    return re.sub(r"[（）：，、；。“”.\-—/|]", "", t)
