from __future__ import annotations

from decimal import Decimal

import pytest

from nianbao.numbers import NumberError, cn_to_int, parse_number


@pytest.mark.parametrize(("text", "kind", "want"), [
    ("12", "count", 12), ("１２", "count", 12), ("1,234", "count", 1234), ("１，２３４", "count", 1234),
    (" 7 ", "count", 7), ("", "count", None), ("-8", "signed", -8), ("－8", "signed", -8),
    ("1665.6119", "money", Decimal("1665.6119")), ("12", "money", 12), ("3件", "count", 3),
])
def test_accepts(text, kind, want):
    assert parse_number(text, kind) == want


@pytest.mark.parametrize(("text", "kind", "needle"), [
    ("abc", "count", "不是数字"), ("-1", "count", "不能为负数"), ("1.5", "count", "不能有小数"),
    ("12,34", "count", "千位分隔符"), ("-3", "money", "不能为负数"), ("5元", "money", "万元"),
])
def test_rejects_with_field_name(text, kind, needle):
    with pytest.raises(NumberError) as e:
        parse_number(text, kind, field="自然人")
    assert needle in str(e.value) and str(e.value).startswith("自然人")


def test_cn_numerals():
    assert [cn_to_int(x) for x in ("两", "十二", "二十", "一百零五", "x")] == [2, 12, 20, 105, None]
