"""The rule registry: every check declares the finding ids it emits and what it needs.

``check(report, select=…, exclude=…)`` works on the emitted ids, the way ruff selects
rules: ``"T3-COL"`` selects that id, ``"T3"`` every id that starts with ``T3-``.  A rule
runs when one of its ids is selected; only the selected ids of its findings are kept.
Rules that need last year's report run only when it is known; rules that need the
segmenter (jieba) can be left out by ``exclude_needs={"segmenter"}`` (the TUI runs them
in the background).  A rule never raises: an exception becomes an ``INTERNAL`` finding.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

from .findings import Finding
from .model import Report

Need = str  # "previous" | "segmenter"


@dataclass
class Ctx:
    """What a rule sees: the report, last year's report when known, and a cache for
    values several rules share (the claims of the narrative …)."""

    report: Report
    previous: Report | None = None
    cache: dict[str, Any] = field(default_factory=dict)

    def memo(self, key: str, fn: Callable[[], Any]) -> Any:
        if key not in self.cache:
            self.cache[key] = fn()
        return self.cache[key]


@dataclass(frozen=True)
class Rule:
    name: str
    emits: tuple[str, ...]
    fn: Callable[[Ctx], Iterable[Finding]]
    needs: frozenset[Need] = frozenset()
    #: one line each, in Chinese: what the emitted ids check (README 检查的内容)
    doc: dict[str, str] = field(default_factory=dict, compare=False, hash=False)


REGISTRY: list[Rule] = []
INTERNAL = "INTERNAL"


def rule(*emits: str, needs: Collection[Need] = (), doc: dict[str, str] | None = None
         ) -> Callable[[Callable[[Ctx], Iterable[Finding]]], Callable[[Ctx], Iterable[Finding]]]:
    """Register a rule function that emits the finding ids ``emits``."""
    def deco(fn: Callable[[Ctx], Iterable[Finding]]) -> Callable[[Ctx], Iterable[Finding]]:
        name = f"{fn.__module__}.{fn.__name__}"
        REGISTRY[:] = [r for r in REGISTRY if r.name != name]  # a module reloaded replaces its rules
        REGISTRY.append(Rule(name, tuple(emits), fn, frozenset(needs), dict(doc or {})))
        return fn
    return deco


def matches(rule_id: str, selectors: Collection[str]) -> bool:
    """Does ``rule_id`` match one of the selectors (an id, or a prefix before a ``-``)?"""
    return any(rule_id == s or rule_id.startswith(s + "-") for s in selectors)


def wanted(rule_id: str, select: Collection[str] | None, exclude: Collection[str] | None) -> bool:
    if select is not None and not matches(rule_id, select):
        return False
    return not (exclude and matches(rule_id, exclude))


def run(ctx: Ctx, select: Collection[str] | None = None, exclude: Collection[str] | None = None,
        exclude_needs: Collection[Need] = ()) -> list[Finding]:
    out: list[Finding] = []
    for r in REGISTRY:
        if not any(wanted(i, select, exclude) for i in r.emits):
            continue
        if r.needs & set(exclude_needs):
            continue
        if "previous" in r.needs and ctx.previous is None:
            continue
        try:
            found = list(r.fn(ctx))
        except Exception as e:  # a rule never raises
            if wanted(INTERNAL, select, exclude):
                out.append(Finding(INTERNAL, "warning",
                                   f"检查规则 {r.emits[0]} 未能完成（{type(e).__name__}），请反馈此问题", where=r.emits[0]))
            continue
        out.extend(f for f in found if wanted(f.rule, select, exclude))
    return out


def emitted_ids() -> list[str]:
    """Every id a registered rule may emit (INTERNAL included), in registry order."""
    ids = [i for r in REGISTRY for i in r.emits]
    return list(dict.fromkeys([*ids, INTERNAL]))


def docs() -> dict[str, str]:
    """Id → one-line Chinese description."""
    out: dict[str, str] = {}
    for r in REGISTRY:
        out.update(r.doc)
    out.setdefault(INTERNAL, "某条检查规则本身出错（请反馈）；其余检查照常进行")
    return out
