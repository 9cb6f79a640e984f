"""The phrase bank: stock phrasing for the report, ranked and filled from the tables.

Public API (importing this package does not import jieba; segmentation starts on the
first query, or in the background with :func:`warm`)::

    bank = load_bank()                        # BankError on invalid files
    suggest(bank, "网站 栏目", report, section="measures", top=10) -> list[Suggestion]
    fill(variant, report, answers) -> Filled(text, missing)
    measures_for(bank, problem_id, report) -> list[Suggestion]
    previous_problems(last_year_report, report) -> str
    similarity(this, other) -> Similarity ; check_similarity(report, other) -> list[Finding]
    check_phrases(report) -> list[Finding]   (UNFILLED-SLOT; the bank's sentences are checked by TEXT-TABLE)
"""

from __future__ import annotations

import threading

from .bank import SECTION_KEYS, SECTION_NAMES, SECTION_NUMBER, Bank, BankError, Move, Variant, load_bank
from .checks import check_phrases, check_similarity
from .conditions import Condition, ConditionError
from .pairs import measures_for, previous_problems, problems_for
from .rank import Suggestion, suggest
from .similarity import Similarity, similarity
from .slots import BOUND, Filled, SlotSpec, fill, self_reference, values


def warm(bank: Bank | None = None) -> threading.Thread | None:
    """Start the segmenter (and build ``bank``'s ranking statistics) in a background
    thread; returns the thread, or None if everything is ready already."""
    from . import segment
    from .rank import index

    if is_ready(bank):
        return None

    def work() -> None:
        segment.ensure()
        if bank is not None:
            index(bank)

    t = threading.Thread(target=work, name="nianbao-phrases-warm", daemon=True)
    t.start()
    return t


def is_ready(bank: Bank | None = None) -> bool:
    """True once the segmenter is loaded (and ``bank``'s statistics are built)."""
    from . import segment

    return segment.is_ready() and (bank is None or "bm25" in bank.cache)


__all__ = [
    "BOUND",
    "SECTION_KEYS",
    "SECTION_NAMES",
    "SECTION_NUMBER",
    "Bank",
    "BankError",
    "Condition",
    "ConditionError",
    "Filled",
    "Move",
    "Similarity",
    "SlotSpec",
    "Suggestion",
    "Variant",
    "check_phrases",
    "check_similarity",
    "fill",
    "is_ready",
    "load_bank",
    "measures_for",
    "previous_problems",
    "problems_for",
    "self_reference",
    "similarity",
    "suggest",
    "values",
    "warm",
]
