"""``nianbao review``: the 政务公开办's check of every unit's report in a folder.

:func:`review` reads every report under the given folders (whatever
:func:`nianbao.inputs.load_any` reads: the suffixes of
:func:`nianbao.inputs.supported_suffixes`), runs the checks on each (without the
segmenter), takes the indicators a supervisor looks at, and finds repeated narrative
between the years of one agency and between agencies of one year (:mod:`.repeats`).
Files are read in worker processes (one per core); a file that cannot be read is a row
that says why.  The outputs (terminal summary, web page, workbook, JSON) are in
:mod:`.output`.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from .repeats import MIN_SHARE, Common, Repeat, Unit, across_years, boilerplate, within_years
from .scan import Scanned, scan_file, scan_many

#: fewer files than this are read in this process (starting workers costs more)
PARALLEL_FROM = 200
#: the marker in the web page :mod:`.output` writes, so a second review skips the first one's page
GENERATOR = "nianbao review"

Progress = Callable[[int, int], None]


@dataclass
class Review:
    rows: list[Scanned]  # in file order; ``rows[i].index == i``
    repeats: list[Repeat] = field(default_factory=list)
    #: the sentences most agencies share (boilerplate, not counted)
    common: list[Common] = field(default_factory=list)
    min_share: float = MIN_SHARE
    sources: list[str] = field(default_factory=list)

    @property
    def unreadable(self) -> list[Scanned]:
        return [r for r in self.rows if not r.readable]

    @property
    def with_errors(self) -> list[Scanned]:
        return [r for r in self.rows if r.readable and r.errors]

    @property
    def exit_code(self) -> int:
        """0: no errors; 1: some report has errors; 2: some file could not be read."""
        if self.unreadable:
            return 2
        return 1 if self.with_errors else 0


def _is_own_page(path: Path) -> bool:
    """A web page an earlier review wrote (it is a summary, not a report)."""
    if path.suffix.lower() not in (".html", ".htm"):
        return False
    try:
        with path.open("rb") as f:
            head = f.read(2048)
    except OSError:
        return False
    return f'content="{GENERATOR}"'.encode() in head


def report_files(paths: Iterable[str | Path], skip: Iterable[Path] = ()) -> list[tuple[Path, str]]:
    """The report files under ``paths`` (folders searched below; hidden files and folders,
    ``skip`` and earlier review pages left out), sorted within each folder, each with its
    name in the lists: the path below the folder (below the folder's own name when several
    folders are reviewed)."""
    from ..inputs import supported_suffixes

    paths = [Path(p) for p in paths]
    suffixes = supported_suffixes() - {""}
    skipped = {p.resolve() for p in skip}
    out: list[tuple[Path, str]] = []
    for p in paths:
        if not p.is_dir():
            out.append((p, str(p)))
            continue
        found = []
        for f in p.rglob("*"):
            rel = f.relative_to(p)
            if any(part.startswith(".") for part in rel.parts) or not f.is_file():
                continue
            if f.suffix.lower() in suffixes and not (skipped and f.resolve() in skipped) and not _is_own_page(f):
                found.append(f)
        for f in sorted(found):
            rel = f.relative_to(p)
            out.append((f, str(Path(p.resolve().name) / rel) if len(paths) > 1 else str(rel)))
    return out


def _worker_setup() -> None:
    """Workers leave Ctrl+C to the main process (which stops them), so none prints a traceback."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _jobs(jobs: int | None, n: int) -> int:
    if jobs is None:
        jobs = os.cpu_count() or 1
    return 1 if n < PARALLEL_FROM else max(1, jobs)


def _scan_all(files: list[tuple[Path, str]], jobs: int | None, progress: Progress | None) -> list[Scanned]:
    tasks = [(i, str(p), name) for i, (p, name) in enumerate(files)]
    done: dict[int, Scanned] = {}

    def tick() -> None:
        if progress:
            progress(len(done), len(tasks))

    workers = _jobs(jobs, len(tasks))
    if workers > 1:
        size = max(8, min(100, len(tasks) // (workers * 8) or 1))
        batches = [tasks[i:i + size] for i in range(0, len(tasks), size)]
        pool = None
        try:
            pool = ProcessPoolExecutor(max_workers=workers, initializer=_worker_setup)
            for fut in as_completed([pool.submit(scan_many, b) for b in batches]):
                for s in fut.result():
                    done[s.index] = s
                tick()
        except (BrokenProcessPool, OSError, RuntimeError):
            pass  # no worker processes here (a sandbox, a frozen app): read the rest in this process
        except BaseException:  # Ctrl+C: wait for the batches being read only, drop the others
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)
            raise
        if pool is not None:
            pool.shutdown()
    for i, p, label in tasks:
        if i not in done:
            done[i] = scan_file(i, Path(p), label)
            if i % 20 == 0 or i == len(tasks) - 1:
                tick()
    tick()
    return [done[i] for i in range(len(tasks))]


def review(paths: Iterable[str | Path], jobs: int | None = None, progress: Progress | None = None,
           min_share: float = MIN_SHARE, skip: Iterable[Path] = (), stage: Callable[[str], None] | None = None
           ) -> Review:
    """Read, check and compare every report under ``paths`` (see the module doc).  ``progress``
    hears (files done, files) while they are read; ``stage`` what is done next, in Chinese."""
    paths = list(paths)
    files = report_files(paths, skip)
    rows = _scan_all(files, jobs, progress)
    if stage:
        stage("正在比较各报告的文字……")
    units = [Unit(r.index, r.agency_key, r.year, r.fp) for r in rows if r.readable]
    skip_keys, common = boilerplate(units)
    repeats = across_years(units, skip_keys) + within_years(units, skip_keys, min_share)
    repeats.sort(key=lambda r: (not r.cross_year, -r.share, r.a, r.b))
    return Review(rows, repeats, common, min_share, [str(p) for p in paths])
