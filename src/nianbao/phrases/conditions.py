"""The ``when`` conditions of phrase-bank variants: ``"<slot> <op> <value>"``.

``op`` is one of ``== != > >= < <=``; ``value`` is a number, ``true``/``false`` or a
word (``人民政府``).  A condition on a figure that is not answered yet is false, so a
variant stays hidden until the figures it depends on are known.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

OPS = ("==", "!=", ">=", "<=", ">", "<")
_COND = re.compile(r"^\s*([a-z_][a-z0-9_]*)\s*(==|!=|>=|<=|>|<)\s*(\S+)\s*$")


class ConditionError(ValueError):
    """A condition string that cannot be parsed; ``str(err)`` is Chinese."""


@dataclass(frozen=True)
class Condition:
    slot: str
    op: str
    value: Decimal | bool | str
    source: str

    def holds(self, values: dict[str, Any]) -> bool:
        return evaluate(self, values.get(self.slot))


def _literal(text: str) -> Decimal | bool | str:
    low = text.lower()
    if low in ("true", "false"):
        return low == "true"
    try:
        d = Decimal(text)
    except InvalidOperation:
        return text
    return d if d.is_finite() else text


def parse(text: str) -> Condition:
    m = _COND.match(text)
    if not m:
        raise ConditionError(f"条件“{text}”的写法不对，应为“名称 比较符 值”，比较符为 {' '.join(OPS)}，如“apps_new > 0”")
    slot, op, raw = m.groups()
    value = _literal(raw)
    if op not in ("==", "!=") and not isinstance(value, Decimal):
        raise ConditionError(f"条件“{text}”：{op} 只能和数字比较")
    return Condition(slot, op, value, text.strip())


def _number(v: Any) -> Decimal | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, int | Decimal):
        return Decimal(v)
    if isinstance(v, float):
        return Decimal(repr(v))
    if isinstance(v, str):
        try:
            d = Decimal(v.strip().replace(",", ""))
        except InvalidOperation:
            return None
        return d if d.is_finite() else None
    return None


def evaluate(c: Condition, actual: Any) -> bool:
    """Does ``actual`` satisfy ``c``?  ``None`` (not answered) never does."""
    if actual is None or (isinstance(actual, str) and not actual.strip()):
        return False
    want = c.value
    if isinstance(want, bool):
        if isinstance(actual, bool):
            got: Any = actual
        elif isinstance(actual, str) and actual.strip().lower() in ("true", "false"):
            got = actual.strip().lower() == "true"
        else:
            return False
        return (got == want) if c.op == "==" else (got != want)
    if isinstance(want, Decimal):
        a = _number(actual)
        if a is None:
            return False
        return {"==": a == want, "!=": a != want, ">": a > want, ">=": a >= want,
                "<": a < want, "<=": a <= want}[c.op]
    same = str(actual).strip() == want
    return same if c.op == "==" else not same


def all_hold(conditions: tuple[Condition, ...] | list[Condition], values: dict[str, Any]) -> bool:
    return all(evaluate(c, values.get(c.slot)) for c in conditions)
