"""Drive the assistant headless (Pilot) through a fixed sequence of accepted answers.

    python tests/tui_driver.py HOME FIRST STOP_AFTER

With FIRST = 1 it starts a new report; otherwise it opens the one draft listed on the
start screen (a relaunch) and prints ``RESUMED <step> <question id>`` first, then goes on
from answer FIRST.  After each accepted answer has been saved it prints one line::

    ACCEPTED <n> <question id> AT <step> <question id now shown or ->

After the ``STOP_AFTER``-th answer it waits (to be killed by tests/test_tui_kill.py).
``STEPS`` is the sequence; the test reads it to know what each accepted answer stored.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

#: (operation, question id, value): ``answer`` types into the field and presses Enter,
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
    ("write", "opening", None),
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


async def run(home: Path, first: int, stop_after: int) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from test_tui_walkthrough import answer, choose, draft, fill, make_app, settle, write

    app = make_app(home)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        if first == 1:
            await pilot.press("n")
            await settle(pilot)
        else:
            await pilot.press("enter")  # the draft left by the killed run
            await settle(pilot)
            s = draft(app)
            lock = "editable" if s.lock is not None and not s.readonly else "NOT-LOCKED"
            print(f"RESUMED {s.step} {s.qid or '-'} {lock}", flush=True)
        for n, (op, qid, value) in enumerate(STEPS, 1):
            if n < first:
                continue
            s = draft(app)
            if s.qid != qid:
                raise SystemExit(f"expected question {qid}, at {s.step} {s.qid}")
            if op == "answer":
                await answer(pilot, str(value))
            elif op == "choose":
                await choose(pilot, str(value))
            elif op == "write":
                await write(pilot, value if value is None else str(value))
            else:
                await fill(pilot, dict(value))  # type: ignore[call-overload]
            s = draft(app)
            if s.qid == qid and s.step != "check":
                raise SystemExit(f"answer {n} ({qid}) was not accepted")
            print(f"ACCEPTED {n} {qid} AT {s.step} {s.qid or '-'}", flush=True)
            if n == stop_after:
                await asyncio.sleep(300)  # wait for SIGKILL
                return


if __name__ == "__main__":
    asyncio.run(run(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])))
