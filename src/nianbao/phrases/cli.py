"""``nianbao phrases QUERY [--section S] [--report R] [--top N] [--json]``."""

from __future__ import annotations

import argparse
import json
import sys

from ..formats import SECTIONS, norm_label
from .bank import SECTION_KEYS, SECTION_NAMES, BankError, load_bank
from .rank import suggest

_H = {s.number: s.heading for s in SECTIONS}

#: what users may type for --section (normalised) -> bank section keys
_ALIASES: list[tuple[tuple[str, ...], tuple[str, ...]]] = [
    (("开头语", "开头", "开头段", "前言", "0", "opening"), ("opening",)),
    (("一", "1", "总体情况", "总体", "overview"), ("overview",)),
    (("整改", "上年度问题整改情况", "问题整改", "rectification"), ("rectification",)),
    (("问题", "存在的主要问题", "problems"), ("problems",)),
    (("改进", "措施", "改进措施", "改进情况", "measures"), ("measures",)),
    (("五", "5", "问题与改进", "问题及改进"), ("rectification", "problems", "measures")),
    (("六", "6", "其他", "其它", "其他事项", "其他需要报告的事项", "other"), ("other",)),
]


def _key(s: str) -> str:
    return norm_label(s).strip("、.．。").lower()


def parse_section(text: str) -> tuple[str, ...]:
    """Bank section keys for what the user typed; raises ValueError with a Chinese message."""
    k = _key(text)
    for names, keys in _ALIASES:
        if k in {_key(n) for n in names}:
            return keys
    for n, keys in ((1, ("overview",)), (5, ("rectification", "problems", "measures")), (6, ("other",))):
        if k == _key(_H[n]):
            return keys
    for key in SECTION_KEYS:
        if k == _key(SECTION_NAMES[key]):
            return (key,)
    valid = "、".join(["开头语", "一（总体情况）", "五（问题与改进）", "问题", "改进/措施", "整改", "六（其他）",
                       *SECTION_KEYS])
    raise ValueError(f"未知的部分“{text}”。可用：{valid}")


def _w(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def run(args: argparse.Namespace) -> int:
    query = " ".join(getattr(args, "query", None) or [])
    top = getattr(args, "top", 10) or 10
    if top < 1:
        sys.stderr.write("错误：--top 应为正整数\n")
        return 2
    sections = None
    if getattr(args, "section", None):
        try:
            sections = parse_section(args.section)
        except ValueError as e:
            sys.stderr.write(f"错误：{e}\n")
            return 2
    report = None
    if getattr(args, "report", None):
        from ..inputs import load_any
        from ..store import StoreError

        try:
            report, _ = load_any(args.report)
        except StoreError as e:
            sys.stderr.write(f"错误：{e}\n")
            return 2
        except OSError as e:
            sys.stderr.write(f"错误：无法读取 {args.report}（{e.strerror or e}）\n")
            return 2
    try:
        bank = load_bank()
    except BankError as e:
        sys.stderr.write(f"错误：{e}\n")
        return 2
    results = suggest(bank, query, report=report, section=sections, top=top)
    if getattr(args, "json", False):
        sys.stdout.write(json.dumps([s.as_dict() for s in results], ensure_ascii=False, indent=2) + "\n")
        return 0
    if not results:
        _w("没有找到匹配的表述。可以换几个关键词，或去掉 --section 再试。")
        return 0
    for n, s in enumerate(results, 1):
        _w(f"{n}. 【{SECTION_NAMES[s.section]} · {s.move_name}】 {s.id}  （相关度 {s.score:.2f}）")
        _w(f"   {s.text}")
        if s.missing:
            _w(f"   待补充：{'、'.join(m.label for m in s.missing)}")
        if s.note:
            _w(f"   提示：{s.note}")
    if report is None:
        _w()
        _w("提示：加 --report 报告文件，可用本单位的数字填写表述并只显示与表格一致的表述。")
    return 0
