"""Reading any input a user points at: a nianbao JSON draft or a published report (text,
.docx, .html, .pdf).

``load_any`` returns the report and the importer's findings (empty for a JSON draft);
``load_result`` the whole :class:`nianbao.importer.ImportResult` (with its one-line
summary).  Anything unreadable raises :class:`nianbao.store.StoreError` with a Chinese
message.
"""

from __future__ import annotations

from pathlib import Path

from .findings import Finding
from .importer import ImportResult, import_text
from .model import Report
from .readers import READERS, require_report
from .store import StoreError, decode_bytes, loads, read_bytes

__all__ = ["READERS", "iter_inputs", "load_any", "load_result", "require_report", "supported_suffixes"]
TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
SUFFIXES = {".json", *TEXT_SUFFIXES}


def supported_suffixes() -> set[str]:
    _register_optional()
    return SUFFIXES | set(READERS)


def _register_optional() -> None:
    """Readers for .docx/.html and .pdf live in their own modules (imported lazily; the
    PDF library itself is imported only when a PDF is read)."""
    try:
        from . import docreader  # noqa: F401  (registers itself in nianbao.readers)
    except ImportError:
        pass
    try:
        from . import pdfreader  # noqa: F401  (registers itself; the PDF library is imported when a PDF is read)
    except ImportError:
        pass


def load_result(path: Path | str) -> ImportResult:
    """Read ``path`` as whatever it is: a JSON draft, a report's text, .docx, .html or .pdf
    (a PDF is recognised by its content too, whatever its name)."""
    path = Path(path)
    suffix = path.suffix.lower()
    _register_optional()
    if suffix in READERS:
        return READERS[suffix](path)
    raw = read_bytes(path)
    if raw.lstrip()[:5] == b"%PDF-" and ".pdf" in READERS:
        return READERS[".pdf"](path)
    text = decode_bytes(raw, path.name)
    if suffix == ".json" or text.lstrip().startswith("{"):
        return ImportResult(loads(text, path.name))
    if not text.strip():
        raise StoreError(f"{path.name} 是空文件，没有可导入的内容")
    return require_report(import_text(text, path.name), path.name)


def load_any(path: Path | str) -> tuple[Report, list[Finding]]:
    result = load_result(path)
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
