"""Exports of a finished report for editing: txt (and md, html, docx, xlsx).

``export_report`` writes one file; the format writers are registered in ``WRITERS``.
Heavy libraries (python-docx, openpyxl) are imported inside their writers only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..layout import build_document
from ..model import Report
from ..render import render_doc
from ..store import atomic_write_bytes, atomic_write_text


@dataclass(frozen=True)
class ExportOptions:
    draft: bool = False  # mark the title 草稿
    official_labels: bool = False  # print official labels even where the report keeps variants
    #: font profile for .docx: auto (by the fonts this computer has), gb (GB/T 9704 fonts) or
    #: windows (common Windows fonts); see ``export/fonts.py``
    fonts: str = "auto"
    crlf: bool = False  # CRLF line endings for .txt and .md (Notepad on old Windows)
    bom: bool = False  # a UTF-8 byte order mark at the start of a .txt (old Windows programs)


Writer = Callable[[Report, Path, ExportOptions], None]
WRITERS: dict[str, Writer] = {}
#: Chinese names of the formats, for menus
FORMAT_NAMES: dict[str, str] = {}


def writer(fmt: str, name: str) -> Callable[[Writer], Writer]:
    def deco(fn: Writer) -> Writer:
        WRITERS[fmt] = fn
        FORMAT_NAMES[fmt] = name
        return fn
    return deco


@writer("txt", "纯文本 .txt")
def _txt(report: Report, path: Path, opts: ExportOptions) -> None:
    text = render_doc(build_document(report, opts.official_labels, opts.draft), "txt")
    atomic_write_text(path, ("\ufeff" if opts.bom else "") + text, newline="\r\n" if opts.crlf else "\n")


def _load_writers() -> None:
    """Import the optional writer modules (each registers itself)."""
    import importlib

    for mod in ("docx", "xlsx", "markup"):
        try:
            importlib.import_module(f"{__name__}.{mod}")
        except ModuleNotFoundError as e:
            if e.name and e.name.startswith(__name__):
                continue  # not written yet
            raise


def formats() -> dict[str, str]:
    _load_writers()
    return dict(FORMAT_NAMES)


class ExportError(Exception):
    """Chinese message."""


def export_report(report: Report, fmt: str, path: Path | str, opts: ExportOptions | None = None,
                  force: bool = False) -> Path:
    _load_writers()
    path = Path(path)
    if fmt not in WRITERS:
        raise ExportError(f"不支持的导出格式：{fmt}（可选：{'、'.join(WRITERS)}）")
    if path.exists() and not force:
        raise ExportError(f"{path} 已存在；如要覆盖请加 --force")
    WRITERS[fmt](report, path, opts or ExportOptions())
    return path


__all__ = ["WRITERS", "ExportError", "ExportOptions", "atomic_write_bytes", "export_report", "formats", "writer"]
