"""Findings: what the checks say about a report.  Checks return them; they never raise."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]

SEVERITY_ZH = {"error": "错误", "warning": "提示"}


@dataclass(frozen=True)
class Finding:
    rule: str  # rule id, e.g. T3-COL
    severity: Severity
    message: str  # Chinese, names the row and column
    where: str = ""  # Chinese place: 表三 “（七）总计”行 “自然人”列 / 一、总体情况 第2段
    expected: str = ""
    found: str = ""
    #: ids of the cells involved (formats.cell_id), for "jump to cell"
    cells: tuple[str, ...] = ()
    #: the section the finding is about (0 = 基本信息, 1–6 the report's sections)
    section: int = 0
    #: the narrative place (e.g. "overview.1"), for "jump to paragraph"
    anchor: str = ""
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def fingerprint(self) -> str:
        """Stable id, so a dismissed warning stays dismissed when the draft is reopened."""
        key = f"{self.rule}|{self.where}|{'/'.join(self.cells)}|{self.anchor}|{self.expected}|{self.found}"
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]

    def as_dict(self) -> dict:
        d = asdict(self)
        d["cells"] = list(self.cells)
        d.pop("extra", None)
        return d

    def line(self) -> str:
        sev = SEVERITY_ZH[self.severity]
        s = f"[{sev}] {self.rule} {self.message}"
        if self.expected or self.found:
            s += f"（应为 {self.expected or '—'}，实为 {self.found or '—'}）"
        return s


def errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "error"]


def warnings(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "warning"]
