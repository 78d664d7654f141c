"""FAQ quality, measured on tests/data/faq_quality.json (issue 10): top-1 accuracy of
/faq <words> on paraphrased questions, and the share of chatter /autofaq would answer.

Run with -s to see the figures: pytest -s tests/unit/test_faq_quality.py
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from bot.domain.faq import FaqEntry, FaqIndex
from bot.domain.faq_text import looks_like_question

DATA = json.loads((Path(__file__).parents[1] / "data" / "faq_quality.json").read_text("utf-8"))
KEYS = {key: i for i, (key, _, _) in enumerate(DATA["entries"], start=1)}
INDEX = FaqIndex(FaqEntry(KEYS[k], q, a) for k, q, a in DATA["entries"])


def auto_answers(text: str) -> bool:
    """What the group handler does: a question that matches confidently gets a reply."""
    return looks_like_question(text) and INDEX.answer(text) is not None


def test_the_set_is_as_large_as_the_issue_asks() -> None:
    kinds = Counter(kind for _, _, kind in DATA["questions"])
    assert len(DATA["entries"]) >= 30 and len(DATA["questions"]) >= 90
    assert len(DATA["chatter"]) >= 60
    assert {"simplified", "traditional", "english", "typo", "reordered", "politeness"} <= set(kinds)


def test_top1_accuracy_is_at_least_90_percent() -> None:
    misses, by_kind = [], Counter()
    for text, key, kind in DATA["questions"]:
        found = INDEX.search(text, limit=1, floor=0)
        if found and found[0].entry.id == KEYS[key]:
            by_kind[kind] += 1
        else:
            misses.append((text, key))
    total = len(DATA["questions"])
    accuracy = (total - len(misses)) / total
    print(f"\nFAQ top-1 accuracy: {accuracy:.1%} ({total - len(misses)}/{total}); "
          f"by kind {dict(by_kind)}; missed {misses}")  # fmt: skip
    assert accuracy >= 0.90, misses


def test_false_auto_answers_are_at_most_2_percent() -> None:
    answered = [text for text in DATA["chatter"] if auto_answers(text)]
    rate = len(answered) / len(DATA["chatter"])
    print(f"\nFAQ false auto-answers: {rate:.1%} ({len(answered)}/{len(DATA['chatter'])})")
    assert rate <= 0.02, answered


def test_a_confident_auto_answer_is_the_right_one() -> None:
    wrong = []
    for text, key, _ in DATA["questions"]:
        found = INDEX.answer(text)
        if found is not None and found.entry.id != KEYS[key]:
            wrong.append((text, key, found.entry.question))
    assert wrong == []
