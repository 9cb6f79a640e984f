"""Drive a drafting session (headless, no screen) through a fixed sequence of accepted answers.

    python tests/session_driver.py HOME FIRST STOP_AFTER

With FIRST = 1 it starts a new report; otherwise it opens the one draft in HOME (a
relaunch, taking over the dead process's lock) and prints ``RESUMED <step> <question id>
<editable|NOT-LOCKED>`` first, then goes on from answer FIRST.  After each accepted answer
has been saved it prints one line::

    ACCEPTED <n> <question id> AT <step> <question id now shown or ->

After the ``STOP_AFTER``-th answer it waits (to be killed by tests/test_session_kill.py).
``STEPS`` is the sequence; the test reads it to know what each accepted answer stored.
A ``fill`` types its last cell without finishing the table first, so a kill right after
typing finds the value on disk.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

#: (operation, question id, value): ``answer`` types the answer and presses Enter,
#: ``choose`` picks an option, ``write`` confirms a text (None: the proposal), ``fill``
#: types cells ({cell id: text}) and finishes the table.
STEPS: list[tuple[str, str, object]] = [
    ("answer", "agency.name", "某县审计局"),
    ("choose", "agency.kind", "政府部门"),
    ("answer", "year", "2023"),
    ("answer", "contact.department", "局办公室"),
    ("answer", "contact.address", "某县人民路1号"),
    ("answer", "contact.postcode", "471400"),
    ("answer", "contact.phone", "0379-66000000"),
    ("answer", "contact.email", "gk@example.gov.cn"),
    ("answer", "website", ""),
    ("answer", "overview_max_chars", ""),
    ("answer", "signoff.agency", ""),
    ("answer", "signoff.date", ""),
    ("write", "opening", None),
    ("answer", "facts.lead", ""),
    ("answer", "facts.active", '{"slots": {"n_published": "120"}, "notes": ""}'),
    ("answer", "facts.request", ""),
    ("answer", "facts.management", ""),
    ("answer", "facts.platform", ""),
    ("answer", "facts.supervision", ""),
    ("write", "overview", "（一）主动公开。全年主动公开政府信息120条。"),
    ("choose", "s2.any", "yes"),
    ("fill", "t2.a20_1", {"t2.a20_1.normative.issued": "2", "t2.a20_1.normative.valid": "9"}),
    ("fill", "t2.a20_5", {"t2.a20_5.license.decisions": "31"}),
    ("fill", "t2.a20_6", {"t2.a20_6.penalty.decisions": "4"}),
    ("fill", "t2.a20_8", {"t2.a20_8.fees.amount": "1.5"}),
    ("choose", "s3.any", "yes"),
    ("fill", "t3.N", {"t3.main.N.NP": "6", "t3.main.N.BE": "1"}),
    ("fill", "t3.C", {"t3.main.C.NP": "2"}),
    ("fill", "t3.outcomes", {"t3.main.R1.NP": "5", "t3.main.R3_4.BE": "1"}),
    ("fill", "t3.F", {}),
    ("choose", "s4.any", "yes"),
    ("fill", "t4", {"t4.main.all.rv_upheld": "1", "t4.main.all.la_pending": "1"}),
]


def run(home: Path, first: int, stop_after: int) -> None:
    from nianbao.session import DraftSession

    if first == 1:
        s = DraftSession.new(home)
        s.go("basic")
    else:
        path = next((home / "drafts").glob("*.json"))
        s = DraftSession.load(path, home)
        lock = "editable" if s.take_lock() else "NOT-LOCKED"
        s.resume()
        print(f"RESUMED {s.step} {s.qid or '-'} {lock}", flush=True)
    for n, (op, qid, value) in enumerate(STEPS, 1):
        if n < first:
            continue
        if s.qid != qid:
            raise SystemExit(f"expected question {qid}, at {s.step} {s.qid}")
        if op == "fill":
            g = s.grid
            assert g is not None
            for cid, text in dict(value).items():  # type: ignore[call-overload]
                g.focus(cid)
                if g.type(str(text)).error:
                    raise SystemExit(f"cell {cid} refused {text!r}")
            res = s.complete_grid()
        elif op == "write" and value is None:
            res = s.answer(s.proposal_text(s.current()))
        else:
            res = s.answer(str(value))
        if not res.ok:
            raise SystemExit(f"answer {n} ({qid}) was not accepted: {res.error}")
        print(f"ACCEPTED {n} {qid} AT {s.step} {s.qid or '-'}", flush=True)
        if n == stop_after:
            time.sleep(300)  # wait for SIGKILL
            return
    s.release_lock()


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    run(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]))
