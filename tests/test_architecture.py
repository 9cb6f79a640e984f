"""The architecture, enforced: the format spec is the only place cell ids and format
branches are typed; the core modules import each other without cycles; every rule
declares the ids it emits, and the README lists every id."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from nianbao.checks import check, rule_ids
from nianbao.rules import REGISTRY

from factories import filled_2021

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "nianbao"
SPEC_MODULES = {"formats.py", "figures.py"}

#: a cell id typed as a literal: "t3.main.N.TT", f"t4.main.all.{…}"
CELL_ID = re.compile(r"""["']t[234]\.[a-z0-9_]+\.""")
#: a branch on a format version: format_version == "2021", spec.version != "2019"
FORMAT_BRANCH = re.compile(r"""(?:format_version|\.version|format_override)\s*[!=]=\s*["']\d{4}["']""")


def _sources() -> list[tuple[str, str]]:
    return [(str(p.relative_to(SRC)), p.read_text(encoding="utf-8")) for p in sorted(SRC.rglob("*.py"))]


def test_no_cell_id_literals_outside_the_spec_modules():
    found = [(name, i + 1, line.strip()) for name, src in _sources() if Path(name).name not in SPEC_MODULES
             for i, line in enumerate(src.splitlines()) if CELL_ID.search(line)]
    assert found == []


def test_no_format_version_branches_outside_the_spec_modules():
    found = [(name, i + 1, line.strip()) for name, src in _sources() if Path(name).name not in SPEC_MODULES
             for i, line in enumerate(src.splitlines()) if FORMAT_BRANCH.search(line)]
    assert found == []


def test_the_counters_can_fail():
    assert CELL_ID.search('x = r.cells.get("t3.main.N.TT")')
    assert CELL_ID.search("cid = f't4.main.all.{col}'")
    assert FORMAT_BRANCH.search('if r.format_version == "2021":')
    assert not FORMAT_BRANCH.search("if r.format_version != old_version:")


# ---- imports ---------------------------------------------------------------------------------

def _module_name(path: Path) -> str:
    rel = path.relative_to(SRC.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _resolve(module: str, is_pkg: bool, level: int, target: str | None) -> str:
    base = module.split(".") if is_pkg else module.split(".")[:-1]
    if level:
        base = base[: len(base) - (level - 1)] if level > 1 else base
        return ".".join([*base, *([target] if target else [])])
    return target or ""


def import_graph(include_ui: bool = False) -> dict[str, set[str]]:
    """module -> the nianbao modules it imports (at module level or inside functions;
    imports under ``if TYPE_CHECKING:`` do not run and are left out)."""
    graph: dict[str, set[str]] = {}
    modules = {}
    for p in SRC.rglob("*.py"):
        name = _module_name(p)
        if not include_ui and name.startswith("nianbao.tui"):
            continue
        modules[name] = p
    for name, p in modules.items():
        is_pkg = p.name == "__init__.py"
        tree = ast.parse(p.read_text(encoding="utf-8"))
        skip: set[int] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                skip |= {id(n) for n in ast.walk(node)}
        edges: set[str] = set()
        for node in ast.walk(tree):
            if id(node) in skip:
                continue
            if isinstance(node, ast.ImportFrom):
                mod = _resolve(name, is_pkg, node.level, node.module)
                for alias in node.names:
                    full = f"{mod}.{alias.name}"
                    edges.add(full if full in modules else mod)
            elif isinstance(node, ast.Import):
                edges |= {a.name for a in node.names}
        graph[name] = {e for e in edges if e in modules and e != name}
        # importing a submodule runs its package first
        for e in list(graph[name]):
            pkg = e.rsplit(".", 1)[0]
            if pkg in modules and pkg != name and not name.startswith(pkg + "."):
                graph[name].add(pkg)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    out, state, stack = [], {}, []

    def visit(n: str) -> None:
        state[n] = 1
        stack.append(n)
        for m in sorted(graph.get(n, ())):
            if state.get(m) == 1:
                out.append([*stack[stack.index(m):], m])
            elif m not in state:
                visit(m)
        stack.pop()
        state[n] = 2

    for n in sorted(graph):
        if n not in state:
            visit(n)
    return out


def test_no_import_cycles_among_the_core_modules():
    graph = import_graph()
    assert "nianbao.checks" in graph and "nianbao.figures" in graph["nianbao.claims"]
    assert _cycles(graph) == []


def test_the_cycle_finder_can_fail():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c", "a"]]


# ---- the rule registry --------------------------------------------------------------------------

def test_every_finding_id_is_declared_by_its_rule():
    from nianbao.rules import Ctx

    r = filled_2021()
    r.set("t3.main.R1.NP", -1)
    r.title = "某县市场监督管理局2022年政府信息公开工作报告"
    for rule in REGISTRY:
        if "previous" in rule.needs or "segmenter" in rule.needs:
            continue
        for f in rule.fn(Ctx(r)):
            assert f.rule in rule.emits, (rule.name, f.rule)


def test_select_and_exclude_work_on_emitted_ids():
    r = filled_2021()
    r.set("t2.a20_5.license.decisions", -3)
    r.set("t3.main.R1.NP", -1)
    assert {f.rule for f in check(r, select={"T2-DOMAIN"})} == {"T2-DOMAIN"}
    t3 = {f.rule for f in check(r, select={"T3"})}
    assert t3 and all(x.startswith("T3-") for x in t3) and "T3-DOMAIN" in t3
    assert "T2-DOMAIN" not in {f.rule for f in check(r, exclude={"T2"})}


def test_readme_lists_every_rule_id():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## 检查的内容", 1)[1].split("\n## ", 1)[0]
    missing = [i for i in rule_ids() if f"`{i}`" not in section]
    assert missing == []
