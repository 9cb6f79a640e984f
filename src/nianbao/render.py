"""Rendering the report with jinja2 templates (``templates/``).

The text template is chosen per format version (``txt/report-2019.txt.j2``,
``txt/report-2021.txt.j2``); both lay out the document built by
:func:`nianbao.layout.build_document`.  Templates a user supplies are rendered in
jinja2's sandbox.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from .layout import TEXT_TWIPS, Doc, Grid, Para, build_document, column_shares, header_words
from .model import Report
from .resources import templates_dir


def _env_setup(env: jinja2.Environment) -> jinja2.Environment:
    env.tests["grid"] = lambda x: isinstance(x, Grid)
    env.tests["para"] = lambda x: isinstance(x, Para)
    env.filters["tabs"] = lambda cells: "\t".join(cells)
    env.filters["header_words"] = header_words
    env.filters["column_percents"] = column_percents
    env.filters["md_cell"] = md_cell
    return env


def column_percents(grid: Grid) -> list[str]:
    """The grid's column widths as percentages of the table width (two decimals)."""
    return [f"{100 * w / TEXT_TWIPS:.2f}" for w in column_shares(grid)]


def md_cell(text: str) -> str:
    """Text for a Markdown table cell: the characters Markdown would read as markup
    escaped, a pipe escaped, no line break."""
    t = text.replace("\\", "\\\\")
    for ch in "*_`[]|":
        t = t.replace(ch, "\\" + ch)
    return t.replace("<", "&lt;").replace(">", "&gt;").replace("\n", " ")


@cache
def environment() -> jinja2.Environment:
    return _env_setup(jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir()), encoding="utf-8"),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "html.j2"), default_for_string=False),
        keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    ))


def user_environment(folder: Path) -> jinja2.Environment:
    """An environment for templates the user supplies: sandboxed, with our templates
    available to extend or include."""
    return _env_setup(SandboxedEnvironment(
        loader=jinja2.ChoiceLoader([
            jinja2.FileSystemLoader(str(folder), encoding="utf-8"),
            jinja2.FileSystemLoader(str(templates_dir()), encoding="utf-8"),
        ]),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "html.j2"), default_for_string=False),
        keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True,
    ))


class TemplateError(Exception):
    """A user template that cannot be rendered; Chinese message."""


def render_user_template(report: Report, template: Path, official_labels: bool = False, draft: bool = False) -> str:
    """Render the report with a template the user supplies, in jinja2's sandbox: the
    template sees the same ``doc`` and ``spec`` as ours and may extend ours."""
    from jinja2.exceptions import SecurityError
    from jinja2.exceptions import TemplateError as JinjaError

    env = user_environment(template.parent)
    doc = build_document(report, official_labels, draft)
    try:
        return env.get_template(template.name).render(doc=doc, spec=doc.spec)
    except SecurityError as e:
        raise TemplateError(f"模板 {template.name} 试图执行不允许的操作，已拒绝（{e}）") from None
    except JinjaError as e:
        raise TemplateError(f"模板 {template.name} 有误：{e}") from None


def template_name(fmt: str, version: str) -> str:
    return f"{fmt}/report-{version}.{fmt}.j2"


def render_doc(doc: Doc, fmt: str = "txt", env: jinja2.Environment | None = None) -> str:
    env = env or environment()
    tpl = env.get_template(template_name(fmt, doc.spec.version))
    return tpl.render(doc=doc, spec=doc.spec)


def render_text(report: Report, official_labels: bool = False, draft: bool = False) -> str:
    """The full report as plain text in the seed's layout (TAB between table cells)."""
    return render_doc(build_document(report, official_labels, draft), "txt")


def section_elements(doc: Doc, section: int) -> list[Para | Grid]:
    """The elements of one section (0: the title and opening, before 一、)."""
    out: list[Para | Grid] = []
    current = 0
    for el in doc.elements:
        if isinstance(el, Para) and el.kind == "h1":
            current = int(el.anchor.split(".")[1])
        if current == section:
            out.append(el)
    return out


def render_section_text(report: Report, section: int) -> str:
    """One section as it will be printed (for the TUI's preview pane)."""
    doc = build_document(report)
    els = section_elements(doc, section)
    head = [doc.title] if section == 0 else []
    return "\n\n".join([*head, *(x for x in map(_plain, els) if x)])


def _plain(el: Para | Grid) -> str:
    if isinstance(el, Grid):
        return "\n".join("\t".join(r).rstrip("\t") for r in el.text_rows())
    if el.kind == "inline":
        return el.lead + el.text
    return el.text
