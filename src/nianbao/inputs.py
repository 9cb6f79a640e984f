"""Reading any input a user points at: a nianbao JSON draft or a published report's text.

``load_any`` returns the report and the importer's findings (empty for a JSON draft);
anything unreadable raises :class:`nianbao.store.StoreError` with a Chinese message.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .findings import Finding
from .importer import import_text
from .model import Report
from .store import StoreError, loads, read_text

#: extra readers by suffix (e.g. .docx, .html), registered by other modules
READERS: dict[str, Callable[[Path], tuple[Report, list[Finding]]]] = {}
TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
SUFFIXES = {".json", *TEXT_SUFFIXES}


def supported_suffixes() -> set[str]:
    _register_optional()
    return SUFFIXES | set(READERS)


def _register_optional() -> None:
    """Readers for .docx/.html live in their own module (imported lazily)."""
    try:
        from .docreader import READERS as DOC_READERS
    except ImportError:
        return
    READERS.update(DOC_READERS)


def load_any(path: Path | str) -> tuple[Report, list[Finding]]:
    path = Path(path)
    suffix = path.suffix.lower()
    _register_optional()
    if suffix in READERS:
        return READERS[suffix](path)
    text = read_text(path)
    if suffix == ".json" or (suffix not in TEXT_SUFFIXES and text.lstrip().startswith("{")):
        return loads(text, path.name), []
    if text.lstrip().startswith("{"):
        # a JSON file with another suffix
        return loads(text, path.name), []
    if not text.strip():
        raise StoreError(f"{path.name} 是空文件，没有可导入的内容")
    result = import_text(text, path.name)
    if not any(result.report.cells.get(c.id) is not None for c in result.report.spec.cells) and \
            not result.report.narrative.overview and not result.report.title:
        raise StoreError(f"{path.name} 看起来不是政府信息公开工作年度报告（没有找到标题、章节或表格）")
    return result.report, result.findings


def iter_inputs(paths: list[str]) -> list[Path]:
    """Expand folders into the report files they hold (sorted)."""
    out: list[Path] = []
    sfx = supported_suffixes() - {""}
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in sfx
                              and not f.name.startswith(".")))
        else:
            out.append(p)
    return out
