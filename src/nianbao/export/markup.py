"""Markdown (.md) and web page (.html) exports.

Both render the document of :func:`nianbao.layout.build_document` with the jinja2
templates ``templates/md/report-<version>.md.j2`` and
``templates/html/report-<version>.html.j2`` (one per format version, extending a base
template), so labels and merged table cells come from the same layout as every other
export.  The HTML page is self-contained (inline CSS, no external resources) and fully
escaped; the tables carry the official rowspan/colspan, every element its own inline
style (a CMS editor keeps those).  The Markdown is GitHub-flavoured: pipe tables, one per
block, with the merged headers and row groups spelled out in the labels, no inline CSS;
``nianbao import`` reads it back (see the comment in ``templates/md/base.md.j2``).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import jinja2

from ..layout import build_document
from ..model import Report
from ..render import environment, render_doc
from ..store import atomic_write_text
from . import ExportOptions, writer


@cache
def html_environment() -> jinja2.Environment:
    """The shared template environment with autoescaping on (the templates also switch it
    on themselves, so they stay safe when rendered through ``render.render_doc``)."""
    return environment().overlay(autoescape=True)


def render_markup(report: Report, fmt: str, opts: ExportOptions | None = None) -> str:
    opts = opts or ExportOptions()
    doc = build_document(report, opts.official_labels, opts.draft)
    if fmt == "html":
        return render_doc(doc, "html", html_environment())
    return render_doc(doc, fmt).rstrip("\n") + "\n"


@writer("md", "Markdown 文本 .md")
def write_md(report: Report, path: Path, opts: ExportOptions) -> None:
    atomic_write_text(path, render_markup(report, "md", opts), newline="\r\n" if opts.crlf else "\n")


@writer("html", "网页 .html")
def write_html(report: Report, path: Path, opts: ExportOptions) -> None:
    atomic_write_text(path, render_markup(report, "html", opts))
