"""Saving and loading reports: UTF-8 JSON with a schema version, written atomically.

Older schema versions are migrated on load by an ordered chain of pure functions
(copier's "version window plus ordered steps"); they are never rejected.  Errors are
:class:`StoreError` with a Chinese message.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .model import SCHEMA_VERSION, Report

BACKUP_SUFFIX = ".bak"


class StoreError(Exception):
    """A report file that cannot be read; ``str(err)`` is a Chinese message."""


# ---- migrations ----------------------------------------------------------------------
# Each step takes the raw dict of version N and returns version N+1.  Files without a
# schema_version are treated as version 1 (the first published shape).

def _v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    """Version 2 adds ``signoff`` (落款: agency and date); a version-1 file has none, so the
    落款 follows the agency's name and the day of export."""
    data.setdefault("signoff", {})
    return data


def _v2_to_v3(data: dict[str, Any]) -> dict[str, Any]:
    """Version 3 types ``meta``: the resume point moves from ``meta.section`` and the
    ``_at`` / ``_last_grid`` answers to ``meta.session``; the ``done.<question>`` answers
    become the list ``meta.done``; answers without a dot in their key (the phrase bank's
    free slots, e.g. ``self``) move to ``meta.slots``; the gating answers (``s3.any``: yes)
    stay in ``meta.answers``; ``meta.previous`` keeps its known fields, last year's report
    inside it migrated as well.  A value that does not fit its new place is dropped (never
    the whole draft)."""
    meta = dict(data.get("meta") or {}) if isinstance(data.get("meta"), dict) else {}
    raw = meta.get("answers")
    answers = dict(raw) if isinstance(raw, dict) else {}
    session = {"step": str(meta.pop("section", "") or ""), "question": str(answers.pop("_at", "") or ""),
               "cell": "", "last_grid": str(answers.pop("_last_grid", "") or "")}
    done = [k[len("done."):] for k, v in answers.items() if k.startswith("done.") and v]
    rest = {k: v for k, v in answers.items() if not k.startswith(("done.", "_"))}
    slots = {k: v for k, v in rest.items() if "." not in k and isinstance(v, str)}
    gating = {k: str(v) for k, v in rest.items() if k not in slots and isinstance(v, str | int) and
              not isinstance(v, bool)}
    meta.update(session=session, answers=gating, done=done, slots=slots,
                previous=_previous_v3(meta.get("previous")))
    data["meta"] = meta
    return data


def _previous_v3(prev: Any) -> dict[str, Any]:
    from .model import _coerce_cell

    if not isinstance(prev, dict):
        return {}
    out: dict[str, Any] = {}
    if isinstance(prev.get("year"), int) and not isinstance(prev.get("year"), bool):
        out["year"] = prev["year"]
    for key in ("title", "format", "text"):
        if isinstance(prev.get(key), str):
            out[key] = prev[key]
    if isinstance(prev.get("phrases_used"), list):
        out["phrases_used"] = [x for x in prev["phrases_used"] if isinstance(x, str)]
    cells = {}
    for k, v in (prev.get("cells") or {}).items() if isinstance(prev.get("cells"), dict) else ():
        try:
            cells[str(k)] = _coerce_cell(v)
        except ValueError:
            continue
    out["cells"] = {k: (format(v, "f") if not isinstance(v, int | None) else v) for k, v in cells.items()}
    report = prev.get("report")
    if isinstance(report, dict):
        try:
            inner, _ = migrate(dict(report))
        except StoreError:
            inner = None
        if inner is not None:
            inner_meta = inner.get("meta")
            if isinstance(inner_meta, dict) and isinstance(inner_meta.get("previous"), dict):
                inner_meta["previous"] = {k: v for k, v in inner_meta["previous"].items() if k != "report"}
            out["report"] = inner
    return out


def _v3_to_v4(data: dict[str, Any]) -> dict[str, Any]:
    """Version 4 adds what the composer keeps: ``Part.area``, ``Narrative.pieces`` (the bank
    sentences in the text), ``Narrative.notes`` and ``Agency.overview_max_chars``; all have
    defaults, so a version-3 file reads as written (nothing composed, no length limit)."""
    return data


MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _v1_to_v2, 2: _v2_to_v3, 3: _v3_to_v4}


def migrate(data: dict[str, Any]) -> tuple[dict[str, Any], list[int]]:
    """Run the migration chain; returns the migrated dict and the versions stepped over."""
    version = data.get("schema_version", 1)
    if not isinstance(version, int) or version < 1:
        raise StoreError(f"文件的 schema_version 字段无效：{version!r}")
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"这份草稿由更新版本的 nianbao 保存（文件格式版本 {version}，本程序支持到 {SCHEMA_VERSION}），"
            "请升级 nianbao 后再打开；文件未作任何改动。")
    steps = []
    while version < SCHEMA_VERSION:
        data = MIGRATIONS[version](dict(data))
        steps.append(version)
        version += 1
        data["schema_version"] = version
    return data, steps


# ---- reading -------------------------------------------------------------------------

def _describe_validation(err: ValidationError) -> str:
    parts = []
    for e in err.errors()[:5]:
        loc = ".".join(str(x) for x in e["loc"])
        msg = e["msg"]
        if msg.startswith("Value error, "):
            msg = msg[len("Value error, "):]
        parts.append(f"{loc}：{msg}")
    return "；".join(parts)


def report_from_dict(data: Any, name: str = "文件") -> Report:
    if not isinstance(data, dict) or not any(k in data for k in ("cells", "agency", "narrative", "year")):
        raise StoreError(f"{name}不是 nianbao 的报告文件（JSON 的结构不对）")
    data, _ = migrate(data)
    try:
        report = Report.model_validate(data)
    except ValidationError as e:
        raise StoreError(f"{name}的内容有误：{_describe_validation(e)}") from None
    return report


def loads(text: str, name: str = "文件") -> Report:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise StoreError(f"{name}不是有效的 JSON（第{e.lineno}行第{e.colno}列附近），可能已损坏或被截断") from None
    return report_from_dict(data, name)


@contextmanager
def reading(path: Path) -> Iterator[None]:
    """Turn the errors of opening or reading ``path`` into a StoreError in Chinese."""
    try:
        yield
    except FileNotFoundError:
        raise StoreError(f"找不到文件：{path}") from None
    except IsADirectoryError:
        raise StoreError(f"{path} 是一个文件夹，不是文件") from None
    except OSError as e:
        raise StoreError(f"无法读取 {path}：{e.strerror or e}") from None


def read_bytes(path: Path) -> bytes:
    with reading(path):
        return Path(path).read_bytes()


def read_text(path: Path) -> str:
    """Read a text file as UTF-8 (with or without BOM), falling back to GB18030."""
    return decode_bytes(read_bytes(path), Path(path).name)


def decode_bytes(raw: bytes, name: str) -> str:
    if b"\x00" in raw[:4096] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise StoreError(f"{name} 是二进制文件，不是文本或 JSON")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise StoreError(f"{name} 的编码无法识别") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        raise StoreError(f"{name} 的编码无法识别（既不是 UTF-8 也不是 GBK），可能是二进制文件") from None


def load(path: Path | str) -> Report:
    path = Path(path)
    return loads(read_text(path), path.name)


# ---- writing -------------------------------------------------------------------------

def dumps(report: Report) -> str:
    return report.model_dump_json(indent=2) + "\n"


def _file_mode(path: Path) -> int:
    """The mode a new file gets normally (mkstemp makes 0600): the existing file's mode,
    or 0666 less the umask."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def atomic_write_text(path: Path, text: str, newline: str = "\n") -> None:
    """Write UTF-8 text through a temporary file in the same folder and ``os.replace``."""
    if newline != "\n":
        text = text.replace("\n", newline)
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write through a temporary file in the same folder, fsync, then ``os.replace``:
    a crash leaves either the old file or the new one, never half of one."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if os.name != "nt":
            os.chmod(tmp, _file_mode(path))
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def save(report: Report, path: Path | str, backup: bool = True) -> None:
    """Save atomically.  With ``backup``, the previous good file is kept beside it as
    ``NAME.bak`` (the last good autosave, offered when the main file is damaged)."""
    path = Path(path)
    report.touch()
    text = dumps(report)
    if backup and path.exists():
        try:
            loads(path.read_text(encoding="utf-8"))
        except (StoreError, OSError, UnicodeDecodeError):
            pass  # never back up a damaged file over a good backup
        else:
            shutil.copyfile(path, path.with_name(path.name + BACKUP_SUFFIX))
    atomic_write_text(path, text)


# ---- damaged drafts ---------------------------------------------------------------------

def backup_path(path: Path | str) -> Path:
    path = Path(path)
    return path.with_name(path.name + BACKUP_SUFFIX)


def load_backup(path: Path | str) -> Report | None:
    """The last good autosave kept beside ``path``, if it exists and reads."""
    bak = backup_path(path)
    if not bak.exists():
        return None
    try:
        return load(bak)
    except StoreError:
        return None


def recovered_path(path: Path | str) -> Path:
    """Where a draft recovered from its backup is saved: beside the damaged file, which
    is left untouched."""
    path = Path(path)
    p = path.with_name(f"{path.stem}-恢复{path.suffix}")
    i = 2
    while p.exists():
        p = path.with_name(f"{path.stem}-恢复{i}{path.suffix}")
        i += 1
    return p


# ---- one writer per draft ---------------------------------------------------------------

def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if os.name == "nt":  # pragma: no cover - Windows only
        import ctypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        ok = kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        kernel32.CloseHandle(handle)
        return bool(ok) and code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class DraftLock:
    """A lock file beside a draft so that the same draft opened twice (two terminals)
    is detected: the second opener gets ``acquired == False`` and should open the draft
    read-only.  A lock left by a process that no longer runs (a crash, SIGKILL) is taken
    over."""

    def __init__(self, path: Path | str) -> None:
        path = Path(path)
        self.path = path.with_name(f".{path.name}.lock")
        self.acquired = False
        self.holder: dict[str, Any] = {}

    def acquire(self) -> bool:
        import socket
        from datetime import datetime

        me = {"pid": os.getpid(), "host": socket.gethostname(),
              "since": datetime.now().astimezone().isoformat(timespec="seconds")}
        for _ in range(2):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                try:
                    self.holder = json.loads(self.path.read_text(encoding="utf-8"))
                except (OSError, ValueError):
                    self.holder = {}
                same_host = self.holder.get("host") == me["host"]
                pid = self.holder.get("pid")
                if same_host and isinstance(pid, int) and pid != me["pid"] and _pid_alive(pid):
                    return False
                if not same_host and self.holder.get("host"):
                    return False  # another computer (shared folder): never take it over silently
                try:
                    self.path.unlink()
                except OSError:
                    return False
                continue
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(me, f)
            self.acquired = True
            self.holder = me
            return True
        return False

    def release(self) -> None:
        if self.acquired:
            try:
                self.path.unlink()
            except OSError:
                pass
            self.acquired = False

    def describe(self) -> str:
        h = self.holder
        since = str(h.get("since", "?"))
        try:
            from datetime import datetime

            since = datetime.fromisoformat(since).strftime("%m月%d日 %H:%M")
        except ValueError:
            pass
        return f"这份草稿已在另一个窗口中打开（{h.get('host', '?')} 上的进程 {h.get('pid', '?')}，{since}起）"

    def __enter__(self) -> DraftLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


# ---- the file's shape -----------------------------------------------------------------------

def file_shape(model: type | None = None) -> dict[str, Any]:
    """The shape of a saved report as *our* model defines it: for every model class
    reachable from ``Report``, each field's name, its Python type (spelled from the
    annotations, not from pydantic's JSON-schema generator) and whether it is required.

    A committed copy of this guards the rule "a change of the saved shape needs a
    ``SCHEMA_VERSION`` bump and a migration": it changes when a field is renamed, added,
    removed or retyped, and stays the same when a pydantic release formats its JSON
    schema differently."""
    import enum
    import types
    import typing

    from pydantic import BaseModel

    root = model or Report
    models: dict[str, dict[str, Any]] = {}

    def spell(tp: Any) -> str:
        origin = typing.get_origin(tp)
        args = typing.get_args(tp)
        if origin is typing.Annotated:
            return spell(args[0])
        if origin in (typing.Union, types.UnionType):
            return " | ".join(sorted(spell(a) for a in args))
        if origin is typing.Literal:
            return "Literal[" + ", ".join(repr(a) for a in args) + "]"
        if origin is not None:
            name = getattr(origin, "__name__", str(origin))
            return f"{name}[{', '.join(spell(a) for a in args)}]"
        if tp is type(None):
            return "None"
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            visit(tp)
            return tp.__name__
        if isinstance(tp, type) and issubclass(tp, enum.Enum):
            return f"{tp.__name__}(" + ", ".join(repr(m.value) for m in tp) + ")"
        if tp is Any:
            return "Any"
        return getattr(tp, "__name__", str(tp))

    def visit(cls: type[BaseModel]) -> None:
        if cls.__name__ in models:
            return
        fields: dict[str, Any] = {}
        models[cls.__name__] = fields
        for name, info in cls.model_fields.items():
            fields[name] = {"type": spell(info.annotation), "required": info.is_required()}

    visit(root)  # type: ignore[arg-type]
    return {"root": root.__name__, "schema_version": SCHEMA_VERSION,
            "models": {k: models[k] for k in sorted(models)}}
