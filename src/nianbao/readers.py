"""The registry of file readers by suffix (.docx, .html, .pdf …) and what every reader
shares.  Reader modules register themselves here; :mod:`nianbao.inputs` looks them up.
(A module of its own, so that readers and ``inputs`` do not import each other.)"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .importer import ImportResult
from .store import StoreError

#: readers by suffix, registered by the reader modules
READERS: dict[str, Callable[[Path], ImportResult]] = {}


def require_report(result: ImportResult, name: str, what: str = "") -> ImportResult:
    """The result, unless nothing of a report was found in it (then a StoreError)."""
    r = result.report
    if not any(r.cells.get(c.id) is not None for c in r.spec.cells) and not r.narrative.overview and not r.title:
        inside = f"{what}中" if what else ""
        raise StoreError(f"{name} 看起来不是政府信息公开工作年度报告（{inside}没有找到标题、章节或表格）")
    return result
