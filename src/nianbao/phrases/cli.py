"""``nianbao phrases QUERY [--section S] [--report R] [--top N] [--json]``."""

from __future__ import annotations

import argparse
import json
import sys

from .bank import SECTION_NAMES, BankError, load_bank, parse_section
from .rank import suggest


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
