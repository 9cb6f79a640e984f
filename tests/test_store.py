"""Saving and loading: UTF-8 JSON, schema version, atomic writes, unanswered vs 0."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from pydantic import BaseModel

from nianbao import store
from nianbao.model import SCHEMA_VERSION, new_report
from nianbao.store import StoreError

from factories import filled_2021


def test_round_trip_keeps_none_zero_and_decimals(tmp_path):
    r = filled_2021()
    r.set("t3.main.R3_1.NP", None)
    r.set("t3.main.R3_2.NP", 0)
    r.set("t2.a20_8.fees.amount", Decimal("1665.6119"))
    p = tmp_path / "r.json"
    store.save(r, p)
    raw = p.read_text(encoding="utf-8")
    assert "某县市场监督管理局" in raw  # human-readable UTF-8, not \u escapes
    data = json.loads(raw)
    assert data["schema_version"] == SCHEMA_VERSION
    assert data["cells"]["t3.main.R3_1.NP"] is None and data["cells"]["t3.main.R3_2.NP"] == 0
    assert data["cells"]["t2.a20_8.fees.amount"] == "1665.6119"
    back = store.load(p)
    assert back.cells == r.cells
    assert back.get("t2.a20_8.fees.amount") == Decimal("1665.6119")
    assert back.narrative == r.narrative


def test_half_filled_draft_loads_and_saves(tmp_path):
    r = new_report(2024, "某镇人民政府")
    r.set("t3.main.N.NP", 3)
    p = tmp_path / "d.json"
    store.save(r, p)
    back = store.load(p)
    assert back.get("t3.main.N.NP") == 3 and back.get("t3.main.N.BE") is None


def test_save_is_atomic_and_keeps_backup(tmp_path):
    p = tmp_path / "d.json"
    r = new_report(2024, "甲")
    store.save(r, p)
    r.agency.name = "乙"
    store.save(r, p)
    assert store.load(p).agency.name == "乙"
    assert store.load(p.with_name("d.json.bak")).agency.name == "甲"
    assert [x.name for x in tmp_path.iterdir() if x.name.endswith(".tmp")] == []


def test_damaged_file_is_not_backed_up_over_a_good_backup(tmp_path):
    p = tmp_path / "d.json"
    store.save(new_report(2024, "甲"), p)
    store.save(new_report(2024, "乙"), p)  # backup now holds 甲
    p.write_text('{"cells": {', encoding="utf-8")  # damaged
    store.save(new_report(2024, "丙"), p)
    assert store.load(p.with_name("d.json.bak")).agency.name == "甲"


@pytest.mark.parametrize(("content", "needle"), [
    ('{"cells": {', "不是有效的 JSON"),
    ("[1, 2, 3]", "不是 nianbao 的报告文件"),
    ('{"hello": "world"}', "不是 nianbao 的报告文件"),
    ('{"cells": {"t3.main.N.NP": "abc"}}', "不是数字"),
    (f'{{"schema_version": {SCHEMA_VERSION + 1}, "cells": {{}}}}', "更新版本"),
    ('{"schema_version": "x", "cells": {}}', "schema_version"),
])
def test_bad_files_give_chinese_errors(tmp_path, content, needle):
    p = tmp_path / "bad.json"
    p.write_text(content, encoding="utf-8")
    with pytest.raises(StoreError) as e:
        store.load(p)
    assert needle in str(e.value)
    assert p.read_text(encoding="utf-8") == content  # untouched


def test_binary_and_missing(tmp_path):
    p = tmp_path / "x.json"
    p.write_bytes(b"\x00\x01\x02PK\x03\x04" * 10)
    with pytest.raises(StoreError, match="二进制"):
        store.load(p)
    with pytest.raises(StoreError, match="找不到文件"):
        store.load(tmp_path / "nope.json")


def test_gbk_text_is_read(tmp_path):
    p = tmp_path / "g.txt"
    p.write_bytes("一、总体情况".encode("gb18030"))
    assert store.read_text(p) == "一、总体情况"


def test_migration_chain(monkeypatch):
    """Older files run through the ordered migration steps, never rejected."""
    calls = []

    def step(d):
        calls.append(d.get("schema_version"))
        d = dict(d)
        d["agency"] = {"name": d.pop("agency_name")}
        return d

    monkeypatch.setattr(store, "SCHEMA_VERSION", 2)
    monkeypatch.setitem(store.MIGRATIONS, 1, step)
    data, steps = store.migrate({"schema_version": 1, "agency_name": "某局", "cells": {}})
    assert steps == [1] and data["schema_version"] == 2 and data["agency"] == {"name": "某局"}
    data, steps = store.migrate({"agency_name": "某局", "cells": {}})  # no version: the first shape
    assert steps == [1]


SHAPE = Path(__file__).parent / "data" / "report.shape.json"


def _shape_json(shape: dict) -> str:
    return json.dumps(shape, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def test_file_shape_is_committed():
    """The saved file's shape (our model's fields, types and required-ness) is committed, so
    a change of it shows in review and comes with a SCHEMA_VERSION bump and a migration.
    It is spelled from our own annotations, so a pydantic release cannot change it."""
    current = _shape_json(store.file_shape())
    assert SHAPE.read_text(encoding="utf-8") == current, (
        "the saved report's shape changed: bump SCHEMA_VERSION with a migration in store.MIGRATIONS, then "
        "regenerate tests/data/report.shape.json (python -c 'from nianbao.store import file_shape; ...')")


def test_file_shape_sees_renames_retypes_and_new_fields():
    """The test above can fail: a renamed, retyped or added field changes the shape."""
    from pydantic import create_model

    from nianbao.model import Agency, Contact, Report

    base = store.file_shape()

    renamed_contact = create_model("Contact", __base__=_Plain, dept=(str, ""), address=(str, ""),
                                   postcode=(str, ""), phone=(str, ""), email=(str, ""))
    renamed_agency = create_model("Agency", __base__=Agency, contact=(renamed_contact, renamed_contact()))
    renamed = create_model("Report", __base__=Report, agency=(renamed_agency, renamed_agency()))
    assert store.file_shape(renamed) != base
    assert "dept" in store.file_shape(renamed)["models"]["Contact"]

    retyped_agency = create_model("Agency", __base__=Agency, name=(int, 0))
    retyped = create_model("Report", __base__=Report, agency=(retyped_agency, retyped_agency()))
    assert store.file_shape(retyped)["models"]["Agency"]["name"]["type"] == "int"

    added = create_model("Report", __base__=Report, signature=(str, ...))
    shape = store.file_shape(added)
    assert shape["models"]["Report"]["signature"] == {"type": "str", "required": True}
    assert Contact.__name__ in shape["models"]


class _Plain(BaseModel):
    pass


def test_recovery_from_backup(tmp_path):
    p = tmp_path / "d.json"
    store.save(new_report(2024, "甲"), p)
    store.save(new_report(2024, "乙"), p)
    p.write_text('{"cells": {"t3', encoding="utf-8")  # truncated by a crash of another program
    with pytest.raises(StoreError):
        store.load(p)
    good = store.load_backup(p)
    assert good is not None and good.agency.name == "甲"
    target = store.recovered_path(p)
    assert target.name == "d-恢复.json" and not target.exists()
    assert p.read_text(encoding="utf-8") == '{"cells": {"t3'


def test_draft_lock(tmp_path):
    import os
    import subprocess
    import sys

    p = tmp_path / "d.json"
    store.save(new_report(2024, "甲"), p)
    a = store.DraftLock(p)
    assert a.acquire()
    b = store.DraftLock(p)
    # same process: a second opener in this process is allowed to take it (pid == ours)
    assert b.acquire()
    b.release()
    # a lock held by another live process is respected
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        a.path.write_text(json.dumps({"pid": child.pid, "host": __import__("socket").gethostname(),
                                      "since": "x"}), encoding="utf-8")
        c = store.DraftLock(p)
        assert not c.acquire() and "另一个窗口" in c.describe()
    finally:
        child.kill()
        child.wait()
    # ... and a stale lock (the process is gone) is taken over
    d = store.DraftLock(p)
    assert d.acquire() and json.loads(d.path.read_text(encoding="utf-8"))["pid"] == os.getpid()
    d.release()
    assert not d.path.exists()


def test_written_files_get_normal_permissions(tmp_path):
    import os
    import sys

    if sys.platform == "win32":
        pytest.skip("POSIX modes")
    p = tmp_path / "x.txt"
    store.atomic_write_text(p, "a")
    mask = os.umask(0)
    os.umask(mask)
    assert p.stat().st_mode & 0o777 == 0o666 & ~mask
    os.chmod(p, 0o600)
    store.atomic_write_text(p, "b")
    assert p.stat().st_mode & 0o777 == 0o600  # an existing file keeps its mode


def test_version_1_file_gains_an_empty_signoff(tmp_path):
    """A file saved before the 落款 existed opens; its 落款 follows the agency and the day of export."""
    from datetime import date

    p = tmp_path / "old.json"
    p.write_text(json.dumps({"schema_version": 1, "agency": {"name": "某县统计局"}, "year": 2024, "cells": {}},
                            ensure_ascii=False), encoding="utf-8")
    r = store.load(p)
    assert r.schema_version == SCHEMA_VERSION and r.signoff.agency == "" and r.signoff.date == ""
    assert r.signoff_lines(date(2025, 1, 20)) == ("某县统计局", "2025年1月20日")
    r.signoff.date = "2025-01-26"
    r.signoff.agency = "某县统计局办公室"
    assert r.signoff_lines(date(2025, 1, 20)) == ("某县统计局办公室", "2025年1月26日")


def test_version_2_meta_becomes_typed_unchanged_in_meaning(tmp_path):
    """A version-2 draft (untyped meta): the resume point, the confirmed questions, the gating
    answers, free-slot answers and last year's report all land in their typed places; an
    unanswered cell stays None and 0 stays 0."""
    prev = filled_2021(2023, "某县审计局")
    prev_v2 = json.loads(store.dumps(prev))
    prev_v2["schema_version"] = 2
    prev_v2["meta"] = {"section": "export", "answers": {"s3.any": "yes"}, "previous": {"year": 2022}}
    data = json.loads(store.dumps(new_report(2024, "某县审计局")))
    data["schema_version"] = 2
    data["cells"]["t3.main.N.NP"] = 0
    data["meta"] = {
        "created": "2025-01-02T10:00:00+08:00", "section": "s3",
        "answers": {"_at": "t3.outcomes", "_last_grid": "t3.N", "done.t3.N": True, "done.overview": True,
                    "s3.any": "yes", "s2.any": "no", "self": "本局"},
        "previous": {"year": 2023, "title": prev.display_title, "format": "2021",
                     "cells": {"t2.a20_5.license.decisions": 245, "t2.a20_8.fees.amount": "12.5", "bad": "many"},
                     "phrases_used": ["x.1"], "report": prev_v2},
        "phrases_used": ["a.b"], "notes": ["已带入机关名称"],
    }
    p = tmp_path / "v2.json"
    p.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    r = store.load(p)
    m = r.meta
    assert r.schema_version == SCHEMA_VERSION
    assert (m.session.step, m.session.question, m.session.last_grid, m.session.cell) == ("s3", "t3.outcomes", "t3.N", "")
    assert m.done == ["t3.N", "overview"]
    assert m.answers == {"s3.any": "yes", "s2.any": "no"} and m.slots == {"self": "本局"}
    assert m.previous.year == 2023 and m.previous.phrases_used == ["x.1"] and m.previous.format == "2021"
    assert m.previous.cells == {"t2.a20_5.license.decisions": 245, "t2.a20_8.fees.amount": Decimal("12.5")}
    inner = m.previous.report
    assert inner is not None and inner.cells == prev.cells and inner.meta.session.step == "export"
    assert inner.meta.previous.year == 2022 and inner.meta.previous.report is None
    assert r.cells["t3.main.N.NP"] == 0 and r.cells["t3.main.N.BE"] is None
    assert m.created == "2025-01-02T10:00:00+08:00" and m.notes == ["已带入机关名称"] and m.phrases_used == ["a.b"]
    # and a version-1 file runs the whole chain
    data["schema_version"] = 1
    r1 = store.report_from_dict(data)
    assert r1.meta == m and r1.signoff.agency == ""
