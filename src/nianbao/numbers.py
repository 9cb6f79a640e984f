"""Reading numbers typed by users or printed in published reports.

Full-width digits (NFKC), thousands separators and a few spellings of the minus sign
are accepted; anything else is rejected with a Chinese message that names the field.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from .formats import CellKind

_MINUS = str.maketrans({"−": "-", "－": "-", "–": "-", "﹣": "-"})
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_PLAIN = re.compile(r"^[+-]?\d+(\.\d+)?$")
#: printed in a cell to mean "nothing / not applicable"
DASHES = frozenset({"—", "——", "-", "--", "/", "／", "－", "–", "无", "\\"})


class NumberError(ValueError):
    """A number that cannot be accepted; ``str(err)`` is the Chinese message."""


def clean(text: str) -> str:
    t = unicodedata.normalize("NFKC", text)
    t = t.translate(_MINUS)
    t = re.sub(r"[\s\u00a0\u3000]+", "", t)
    return t.replace("，", ",")


def parse_number(text: str, kind: CellKind = "count", field: str = "该栏") -> int | Decimal | None:
    """Parse one typed value.  Empty text -> None (not answered).

    kind ``count``: a non-negative whole number; ``signed``: a whole number, may be
    negative (本年增/减); ``money``: a non-negative decimal."""
    t = clean(text)
    if not t:
        return None
    unit = ""
    for u in ("万元", "元", "件", "个", "条", "项"):
        if t.endswith(u):
            unit, t = u, t[: -len(u)]
            break
    if _GROUPED.match(t):
        t = t.replace(",", "")
    elif not _PLAIN.match(t):
        if re.fullmatch(r"[+-]?[\d,.]+", t):
            raise NumberError(f"{field}：“{text.strip()}”的千位分隔符位置不对，请写成如 1,234 或 1234")
        raise NumberError(f"{field}：“{text.strip()}”不是数字，请只填写阿拉伯数字")
    if unit == "元" and kind == "money":
        raise NumberError(f"{field}：金额单位是万元，请把“{text.strip()}”换算成万元后填写")
    try:
        d = Decimal(t)
    except InvalidOperation:  # pragma: no cover - regexes above guarantee a number
        raise NumberError(f"{field}：“{text.strip()}”不是数字") from None
    if kind == "money":
        if d < 0:
            raise NumberError(f"{field}：金额不能为负数")
        if d == d.to_integral_value() and "." not in t:
            return int(d)
        return d
    if d != d.to_integral_value() or "." in t:
        raise NumberError(f"{field}：件数应为整数，不能有小数（“{text.strip()}”）")
    n = int(d)
    if kind == "count" and n < 0:
        raise NumberError(f"{field}：件数不能为负数（“{text.strip()}”）")
    return n


def format_number(v: int | Decimal | None) -> str:
    if v is None:
        return ""
    if isinstance(v, Decimal):
        return format(v, "f")
    return str(v)


_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
              "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}


def cn_to_int(text: str) -> int | None:
    """Small Chinese numerals as written in reports: 两 → 2, 十二 → 12, 一百零五 → 105."""
    if not text:
        return None
    if text.isdigit():
        return int(text)
    total, current = 0, 0
    for ch in text:
        if ch in _CN_DIGITS:
            current = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            unit = _CN_UNITS[ch]
            if unit == 10000:
                total = (total + current) * unit
            else:
                total += (current or 1) * unit
            current = 0
        else:
            return None
    return total + current
