"""Loading and validating the phrase bank (``phrasebank/*.toml``).

Each file holds the moves of one section; every move has several interchangeable
variants with ``{slot}`` markers and ``when`` conditions (schema in
``phrasebank/README.md``).  :func:`load_bank` validates everything and raises
:class:`BankError` with Chinese messages naming the file, the entry id and the problem.
The loaded bank is cached per folder (loaded once per process; reloaded only if a file
changed).
"""

from __future__ import annotations

import functools
import re
import threading
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..formats import OVERVIEW_THEMES, SECTIONS, VERSIONS, norm_label
from ..model import AgencyKind
from .conditions import Condition, ConditionError, parse
from .slots import BOUND, CONDITION_NAMES, SLOT_RE, SlotSpec

SectionKey = Literal["opening", "overview", "problems", "measures", "rectification", "other"]
SECTION_KEYS: tuple[str, ...] = ("opening", "overview", "rectification", "problems", "measures", "other")
#: the report section number of each bank section (0 = 开头语)
SECTION_NUMBER = {"opening": 0, "overview": 1, "rectification": 5, "problems": 5, "measures": 5, "other": 6}
_H = {s.number: s.heading for s in SECTIONS}
#: Chinese names of the bank sections
SECTION_NAMES = {
    "opening": "开头语",
    "overview": _H[1],
    "rectification": "五、上年度问题整改情况",
    "problems": "五、存在的主要问题",
    "measures": "五、改进情况（措施）",
    "other": _H[6],
}
#: themes of 一、总体情况: the official five plus the conventional extra ones
THEMES: tuple[str, ...] = (*OVERVIEW_THEMES, "组织领导", "学习培训", "制度建设", "解读回应")
KINDS: tuple[str, ...] = tuple(k.value for k in AgencyKind)

#: what users may type for a section (CLI --section, the TUI search), normalised -> bank section keys
_ALIASES: list[tuple[tuple[str, ...], tuple[str, ...]]] = [
    (("开头语", "开头", "开头段", "前言", "0", "opening"), ("opening",)),
    (("一", "1", "总体情况", "总体", "overview"), ("overview",)),
    (("整改", "上年度问题整改情况", "问题整改", "rectification"), ("rectification",)),
    (("问题", "存在的主要问题", "problems"), ("problems",)),
    (("改进", "措施", "改进措施", "改进情况", "measures"), ("measures",)),
    (("五", "5", "问题与改进", "问题及改进"), ("rectification", "problems", "measures")),
    (("六", "6", "其他", "其它", "其他事项", "其他需要报告的事项", "other"), ("other",)),
]


def _key(s: str) -> str:
    return norm_label(s).strip("、.．。").lower()


def parse_section(text: str) -> tuple[str, ...]:
    """Bank section keys for what the user typed; raises ValueError with a Chinese message."""
    k = _key(text)
    for names, keys in _ALIASES:
        if k in {_key(n) for n in names}:
            return keys
    for n, keys in ((1, ("overview",)), (5, ("rectification", "problems", "measures")), (6, ("other",))):
        if k == _key(_H[n]):
            return keys
    for key in SECTION_KEYS:
        if k == _key(SECTION_NAMES[key]):
            return (key,)
    valid = "、".join(["开头语", "一（总体情况）", "五（问题与改进）", "问题", "改进/措施", "整改", "六（其他）",
                       *SECTION_KEYS])
    raise ValueError(f"未知的部分“{text}”。可用：{valid}")



_ID = re.compile(r"^[a-z0-9_]+(?:\.[a-z0-9_]+)+$")
_BRACES = re.compile(r"[{}]")


class BankError(Exception):
    """The bank (or one of its files) is invalid; ``str(err)`` lists every problem in Chinese."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("常用表述库有错误：\n" + "\n".join(f"  - {p}" for p in problems))


# ---- file schema (pydantic) -------------------------------------------------------------

class _M(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)


class SlotDef(_M):
    type: Literal["int", "str", "money", "percent", "date"]
    label: str = Field(min_length=1)
    unit: str = ""
    note: str = ""


class VariantDef(_M):
    id: str
    text: str
    when: list[str] = Field(default_factory=list)
    kinds: list[str] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)
    #: "register" in the file (renamed: BaseModel has a ``register`` attribute)
    register_: Literal["full", "short"] = Field("full", alias="register")
    note: str = ""
    #: optional: "self" (written for nianbao) or where the wording was adapted from
    provenance: str = ""


class MoveDef(_M):
    id: str
    name: str = Field(min_length=1)
    theme: str = ""
    title: str = ""
    order: int = 100
    status: Literal["required", "optional"] = "optional"
    pairs_with: list[str] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)
    #: what in the report suggests this move (any signal holds; a signal is conditions joined by “&”)
    signals: list[str] = Field(default_factory=list)
    note: str = ""
    variants: list[VariantDef]


class FileDef(_M):
    section: SectionKey
    moves: list[MoveDef] = Field(default_factory=list)
    slots: dict[str, SlotDef] = Field(default_factory=dict)


class AreaDef(_M):
    """One narrative area the composer writes (areas.toml)."""

    key: str
    section: SectionKey
    #: the （一）… heading (empty: no heading, e.g. the lead paragraph of 一)
    title: str = ""
    #: the move themes of the section that belong to this area (overview only)
    themes: list[str] = Field(default_factory=list)
    #: the facts the assistant asks for this area: free slots, in the order asked
    facts: list[str] = Field(default_factory=list)
    #: most moves (paragraph sentences) composed for the area
    max_moves: int = Field(4, ge=1, le=12)
    note: str = ""


class AreasDef(_M):
    areas: list[AreaDef]


AREAS_FILE = "areas.toml"


# ---- runtime objects ------------------------------------------------------------------

@dataclass(eq=False)
class Variant:
    id: str
    text: str
    when: tuple[str, ...]
    conditions: tuple[Condition, ...]
    kinds: tuple[str, ...]
    tags: tuple[str, ...]
    register: str
    note: str
    provenance: str
    move: Move = field(repr=False)
    slot_names: tuple[str, ...] = ()
    slot_specs: dict[str, SlotSpec] = field(default_factory=dict, repr=False)

    @property
    def section(self) -> str:
        return self.move.section

    @property
    def free_slots(self) -> list[SlotSpec]:
        return [s for s in self.slot_specs.values() if not s.bound]


@dataclass(eq=False)
class Move:
    id: str
    section: str
    name: str
    theme: str
    title: str
    order: int
    status: str
    pairs_with: tuple[str, ...]
    tags: tuple[str, ...]
    note: str
    file: str
    variants: list[Variant] = field(default_factory=list, repr=False)
    #: each signal: conditions that all hold when the report suggests the move
    signals: tuple[tuple[Condition, ...], ...] = ()

    @property
    def required(self) -> bool:
        return self.status == "required"

    def signalled(self, values: dict[str, Any]) -> bool:
        return any(all(c.holds(values) for c in sig) for sig in self.signals)


@dataclass(frozen=True)
class Area:
    key: str
    section: str
    title: str
    themes: tuple[str, ...]
    facts: tuple[str, ...]
    max_moves: int
    note: str = ""


@dataclass(eq=False)
class Bank:
    folder: Path | None
    files: list[str]
    moves: list[Move]
    #: free slots declared in the files (name -> spec)
    slots: dict[str, SlotSpec]
    move_index: dict[str, Move] = field(default_factory=dict, repr=False)
    variant_index: dict[str, Variant] = field(default_factory=dict, repr=False)
    #: caches of other modules (ranking statistics), keyed by name
    cache: dict[str, Any] = field(default_factory=dict, repr=False)
    #: load_bank(strict=False) only: the problems of the files that were left out
    problems: list[str] = field(default_factory=list)
    #: the narrative areas the composer writes, in document order (areas.toml)
    areas: list[Area] = field(default_factory=list)

    def area(self, key: str) -> Area:
        for a in self.areas:
            if a.key == key:
                return a
        raise KeyError(key)

    def moves_of_area(self, area: Area) -> list[Move]:
        return [m for m in self.moves_of(area.section) if area.section != "overview" or m.theme in area.themes]

    @property
    def variants(self) -> list[Variant]:
        return [v for m in self.moves for v in m.variants]

    def move(self, move_id: str) -> Move:
        return self.move_index[move_id]

    def variant(self, variant_id: str) -> Variant:
        return self.variant_index[variant_id]

    def moves_of(self, section: str) -> list[Move]:
        return sorted((m for m in self.moves if m.section == section), key=lambda m: (m.order, m.id))

    def counts(self) -> dict[str, tuple[int, int]]:
        """(moves, variants) per section."""
        out: dict[str, tuple[int, int]] = {}
        for m in self.moves:
            a, b = out.get(m.section, (0, 0))
            out[m.section] = (a + 1, b + len(m.variants))
        return out


# ---- validation ----------------------------------------------------------------------

_PYD_TYPES = {
    "missing": "缺少必填字段“{f}”",
    "extra_forbidden": "有未知字段“{f}”（字段名写错了？）",
    "string_type": "字段“{f}”应为文字（加引号）",
    "int_type": "字段“{f}”应为整数",
    "int_parsing": "字段“{f}”应为整数",
    "list_type": "字段“{f}”应为列表，如 [\"…\"]",
    "dict_type": "字段“{f}”应为表",
    "model_type": "字段“{f}”的写法不对",
    "string_too_short": "字段“{f}”不能为空",
}


def _entry_of(raw: dict[str, Any], loc: tuple[Any, ...]) -> tuple[str, str]:
    """(entry description, field name) for a pydantic error location."""
    entry = "文件顶层"
    fld = ""
    node: Any = raw
    i = 0
    while i < len(loc):
        key = loc[i]
        if key in ("moves", "variants") and i + 1 < len(loc) and isinstance(loc[i + 1], int):
            idx = loc[i + 1]
            try:
                node = node[key][idx]
                eid = node.get("id") if isinstance(node, dict) else None
            except (KeyError, IndexError, TypeError):
                eid = None
            what = "move" if key == "moves" else "variant"
            entry = f"条目 {eid}" if isinstance(eid, str) and eid else f"第{idx + 1}个{what}（没有 id）"
            i += 2
            continue
        if key == "slots" and i + 1 < len(loc):
            entry = f"空位 {loc[i + 1]}"
            i += 2
            continue
        fld = str(key)
        i += 1
    return entry, fld


def _pydantic_problems(fname: str, raw: dict[str, Any], err: ValidationError) -> list[str]:
    out = []
    for e in err.errors():
        entry, fld = _entry_of(raw, tuple(e["loc"]))
        t = e["type"]
        if t == "literal_error":
            expected = e.get("ctx", {}).get("expected", "")
            msg = f"字段“{fld}”的值“{e.get('input')}”不允许，可选：{expected}"
        elif t in _PYD_TYPES:
            msg = _PYD_TYPES[t].format(f=fld)
        else:
            msg = f"字段“{fld}”：{e['msg']}"
        out.append(f"{fname}：{entry}：{msg}")
    return out


def _check_text(fname: str, v: VariantDef, free: dict[str, SlotSpec], problems: list[str]) -> list[str]:
    where = f"{fname}：条目 {v.id}"
    text = v.text
    if not text.strip():
        problems.append(f"{where}：text 为空")
        return []
    if text != text.strip():
        problems.append(f"{where}：text 首尾有空格或空行")
    if "\n" in text or "\r" in text:
        problems.append(f"{where}：text 中不能换行（每个 variant 只写一段）")
    names = SLOT_RE.findall(text)
    if len(_BRACES.findall(SLOT_RE.sub("", text))):
        problems.append(f"{where}：text 中有不成对或写法不对的花括号（空位应写成 {{名称}}，名称只用英文字母、数字和下划线）")
    for n in names:
        if n not in BOUND and n not in free:
            problems.append(f"{where}：未知的空位 {{{n}}}（不是内置空位，也没有在表述库任何文件的 [slots] 中声明）")
    return names


def _check_conditions(fname: str, v: VariantDef, free: dict[str, SlotSpec], problems: list[str]) -> list[Condition]:
    return _parse_conditions(f"{fname}：条目 {v.id}", v.when, free, problems)


def _parse_conditions(where: str, whens: list[str], free: dict[str, SlotSpec], problems: list[str]) -> list[Condition]:
    conds = []
    for w in whens:
        try:
            c = parse(w)
        except ConditionError as e:
            problems.append(f"{where}：{e}")
            continue
        if c.slot not in BOUND and c.slot not in free and c.slot not in CONDITION_NAMES:
            problems.append(f"{where}：条件“{w}”中的“{c.slot}”不是已知的空位或条件名")
            continue
        if c.slot == "kind" and str(c.value) not in KINDS:
            problems.append(f"{where}：条件“{w}”：机关类型只能是 {'、'.join(KINDS)}")
        if c.slot == "format" and str(c.value) not in VERSIONS:
            problems.append(f"{where}：条件“{w}”：格式只能是 {' 或 '.join(VERSIONS)}")
        if c.slot == "has_previous" and not isinstance(c.value, bool):
            problems.append(f"{where}：条件“{w}”：has_previous 只能和 true 或 false 比较")
        conds.append(c)
    return conds


def _format_of(conds: list[Condition]) -> str | None:
    for c in conds:
        if c.slot == "format" and c.op == "==":
            return str(c.value)
    return None


def _load_file(path: Path, problems: list[str]) -> tuple[FileDef, dict[str, SlotSpec]] | None:
    fname = path.name
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        problems.append(f"{fname}：文件不是 UTF-8 编码")
        return None
    except tomllib.TOMLDecodeError as e:
        problems.append(f"{fname}：TOML 语法错误：{e}")
        return None
    try:
        fd = FileDef.model_validate(raw)
    except ValidationError as e:
        problems.extend(_pydantic_problems(fname, raw, e))
        return None
    free: dict[str, SlotSpec] = {}
    for name, sd in fd.slots.items():
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            problems.append(f"{fname}：空位 {name}：名称只能用英文字母、数字和下划线")
            continue
        if name in BOUND or name in CONDITION_NAMES:
            problems.append(f"{fname}：空位 {name}：与内置空位同名，不能在 [slots] 中再声明")
            continue
        free[name] = SlotSpec(name, sd.type, sd.label, sd.unit, False, sd.note)
    return fd, free


def _build(folder: Path | None, paths: list[Path]) -> Bank:
    problems: list[str] = []
    moves: list[Move] = []
    all_free: dict[str, tuple[SlotSpec, str]] = {}
    seen: dict[str, str] = {}
    files: list[str] = []
    area_paths = [p for p in paths if p.name == AREAS_FILE]
    # first every file's free slots: a slot declared in one file serves the whole bank
    loaded_files: list[tuple[str, FileDef]] = []
    for path in paths:
        files.append(path.name)
        if path.name == AREAS_FILE:
            continue
        loaded = _load_file(path, problems)
        if loaded is None:
            continue
        fd, own = loaded
        loaded_files.append((path.name, fd))
        for name, spec in own.items():
            if name in all_free and all_free[name][0] != spec:
                problems.append(f"{path.name}：空位 {name}：与 {all_free[name][1]} 中的同名空位定义不一致")
            all_free.setdefault(name, (spec, path.name))
    free = {k: s for k, (s, _) in all_free.items()}
    for fname, fd in loaded_files:
        for md in fd.moves:
            where = f"{fname}：条目 {md.id}"
            if not _ID.match(md.id):
                problems.append(f"{where}：id 只能由小写字母、数字、下划线和点组成，如 {fd.section}.group.name")
            elif not md.id.startswith(fd.section + "."):
                problems.append(f"{where}：id 应以“{fd.section}.”开头（本文件 section = \"{fd.section}\"）")
            if md.id in seen:
                problems.append(f"{where}：id 重复（{seen[md.id]} 中已有）")
            seen[md.id] = fname
            # theme: the sub-theme of 一、总体情况 (empty for its lead paragraph and elsewhere)
            if md.theme and md.theme not in THEMES:
                problems.append(f"{where}：theme“{md.theme}”不是已知的主题，可选：{'、'.join(THEMES)}")
            if md.pairs_with and fd.section != "problems":
                problems.append(f"{where}：只有 problems（存在的主要问题）的条目可以写 pairs_with")
            if not md.variants:
                problems.append(f"{where}：没有任何 variant")
            signals = tuple(tuple(_parse_conditions(where, [x.strip() for x in sig.split("&")], free, problems))
                            for sig in md.signals)
            move = Move(md.id, fd.section, md.name, md.theme, md.title, md.order, md.status, tuple(md.pairs_with),
                        tuple(md.tags), md.note, fname, signals=signals)
            for vd in md.variants:
                vwhere = f"{fname}：条目 {vd.id}"
                if not vd.id.startswith(md.id + ".") or not re.fullmatch(r"[a-z0-9_]+", vd.id[len(md.id) + 1:]):
                    problems.append(f"{vwhere}：variant 的 id 应为 move 的 id 加“.”和字母或数字，如 {md.id}.a")
                if vd.id in seen:
                    problems.append(f"{vwhere}：id 重复（{seen[vd.id]} 中已有）")
                seen[vd.id] = fname
                for k in vd.kinds:
                    if k not in KINDS:
                        problems.append(f"{vwhere}：kinds 中的“{k}”不是机关类型，可选：{'、'.join(KINDS)}")
                names = _check_text(fname, vd, free, problems)
                conds = _check_conditions(fname, vd, free, problems)
                fmt = _format_of(conds)
                for n in dict.fromkeys(names):
                    b = BOUND.get(n)
                    if b is not None and b.formats and fmt not in b.formats:
                        problems.append(f"{vwhere}：空位 {{{n}}} 只在 {'/'.join(b.formats)} 格式中有，"
                                        f"应加条件 \"format == {b.formats[0]}\"")
                specs = {n: (free[n] if n in free else BOUND[n].spec()) for n in dict.fromkeys(names)
                         if n in free or n in BOUND}
                move.variants.append(Variant(
                    vd.id, vd.text, tuple(vd.when), tuple(conds), tuple(vd.kinds), tuple(vd.tags), vd.register_,
                    vd.note, vd.provenance, move, tuple(dict.fromkeys(names)), specs))
            moves.append(move)
    index = {m.id: m for m in moves}
    for m in moves:
        for target in m.pairs_with:
            t = index.get(target)
            if t is None:
                problems.append(f"{m.file}：条目 {m.id}：pairs_with 中的“{target}”不存在")
            elif t.section != "measures":
                problems.append(f"{m.file}：条目 {m.id}：pairs_with 中的“{target}”不是 measures（改进措施）的条目")
    areas = _load_areas(area_paths[0], moves, {k: s for k, (s, _) in all_free.items()}, problems) if area_paths else []
    if problems:
        raise BankError(problems)
    vindex = {v.id: v for m in moves for v in m.variants}
    order = {k: i for i, k in enumerate(SECTION_KEYS)}
    moves.sort(key=lambda m: (order[m.section], m.order, m.id))
    return Bank(folder, files, moves, {k: s for k, (s, _) in all_free.items()}, index, vindex, areas=areas)


def _load_areas(path: Path, moves: list[Move], free: dict[str, SlotSpec], problems: list[str]) -> list[Area]:
    fname = path.name
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        problems.append(f"{fname}：文件不是 UTF-8 编码")
        return []
    except tomllib.TOMLDecodeError as e:
        problems.append(f"{fname}：TOML 语法错误：{e}")
        return []
    try:
        ad = AreasDef.model_validate(raw)
    except ValidationError as e:
        problems.extend(_pydantic_problems(fname, raw, e))
        return []
    out: list[Area] = []
    keys: set[str] = set()
    placed: dict[str, str] = {}
    for a in ad.areas:
        where = f"{fname}：领域 {a.key}"
        if not re.fullmatch(r"[a-z][a-z0-9_]*", a.key) or a.key in keys:
            problems.append(f"{where}：key 只能用小写字母、数字和下划线，且不能重复")
        keys.add(a.key)
        for t in a.themes:
            if t and t not in THEMES:
                problems.append(f"{where}：theme“{t}”不是已知的主题，可选：{'、'.join(THEMES)}")
            if a.section == "overview":
                if t in placed:
                    problems.append(f"{where}：theme“{t}”已属于领域 {placed[t]}")
                placed[t] = a.key
        for f in a.facts:
            if f not in free:
                problems.append(f"{where}：facts 中的“{f}”不是表述库声明的自由空位")
        out.append(Area(a.key, a.section, a.title, tuple(a.themes), tuple(a.facts), a.max_moves, a.note))
    if out:
        for m in moves:
            if m.section == "overview" and m.theme not in placed:
                problems.append(f"{m.file}：条目 {m.id}：theme“{m.theme}”不属于 {fname} 中的任何领域")
    return out


_cache: dict[tuple[Path, bool], tuple[tuple[tuple[str, int, int], ...], Bank]] = {}
_cache_lock = threading.Lock()


def _signature(paths: list[Path]) -> tuple[tuple[str, int, int], ...]:
    out = []
    for p in paths:
        st = p.stat()
        out.append((p.name, st.st_mtime_ns, st.st_size))
    return tuple(out)


def bank_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.toml") if p.is_file() and not p.name.startswith("."))


def _build_lenient(folder: Path, paths: list[Path]) -> Bank:
    """Leave out the files with problems (and those that then break), keep the rest."""
    left_out: list[str] = []
    keep = list(paths)
    while True:
        try:
            bank = _build(folder, keep)
        except BankError as e:
            bad = {p.split("：", 1)[0] for p in e.problems}
            left_out.extend(e.problems)
            before = len(keep)
            keep = [p for p in keep if p.name not in bad]
            if len(keep) == before or not keep:
                bank = Bank(folder, [], [], {})
                break
            continue
        break
    bank.problems = left_out
    return bank


def load_bank(folder: Path | str | None = None, *, reload: bool = False, strict: bool = True) -> Bank:
    """Load and validate every ``*.toml`` file of ``folder`` (default: the installed
    phrase bank).  Cached per folder; raises :class:`BankError`.

    ``strict=False`` never raises for invalid files: they are left out and their
    problems listed in ``bank.problems`` (for the assistant, which should still work
    while one file is being edited)."""
    if folder is None:
        from ..resources import phrasebank_dir

        try:
            folder = phrasebank_dir()
        except FileNotFoundError as e:
            raise BankError([str(e)]) from None
    folder = Path(folder)
    if not folder.is_dir():
        raise BankError([f"找不到常用表述库文件夹：{folder}"])
    key = (folder.resolve(), strict)
    with _cache_lock:
        paths = bank_files(folder)
        sig = _signature(paths)
        hit = _cache.get(key)
        if hit is not None and hit[0] == sig and not reload:
            return hit[1]
        bank = _build(folder, paths) if strict else _build_lenient(folder, paths)
        _cache[key] = (sig, bank)
        return bank


def load_text(name: str, text: str) -> Bank:
    """Validate one file's text (for editors' tools and tests); not cached."""
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / name
        p.write_text(text, encoding="utf-8")
        return _build(None, [p])


@functools.cache
def area_list() -> tuple[Area, ...]:
    """The narrative areas (areas.toml) without loading the whole bank: the assistant builds
    its questions from them (the full bank validates them against the moves)."""
    from ..resources import phrasebank_dir

    try:
        path = phrasebank_dir() / AREAS_FILE
        ad = AreasDef.model_validate(tomllib.loads(path.read_text(encoding="utf-8")))
    except (FileNotFoundError, OSError, tomllib.TOMLDecodeError, ValidationError):
        return ()
    return tuple(Area(a.key, a.section, a.title, tuple(a.themes), tuple(a.facts), a.max_moves, a.note)
                 for a in ad.areas)
