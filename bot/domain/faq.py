"""The FAQ (SPEC §4): entries, the index that finds the best answers to a question, the
confidence that decides an automatic answer, and the grouping of unanswered questions.

A search scores each entry sharing a feature with the question (faq_text.features) by the
cosine of their IDF-weighted features, then re-ranks the best few with rapidfuzz's
token-sorted ratio, which forgives word order and small differences. The blend of the two
is the confidence: AUTO_ANSWER for an answer nobody asked for, SUGGEST for /faq <words>.
tests/unit/test_faq_quality.py measures both on the set in tests/data.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.process import extractOne

from bot.domain.faq_text import content, features, fuzzy_form, normalise
from bot.domain.money import DomainError

AUTO_ANSWER = 0.5  # a reply in a chat with /autofaq on
SUGGEST = 0.3  # listed by /faq <words>; below it a question counts as unanswered
RERANK = 8  # entries re-ranked by rapidfuzz after the feature score
LEXICAL = 0.7  # the feature score's share of the confidence; rapidfuzz has the rest
MAX_QUESTION = 300
MAX_ANSWER = 3000  # an answer and its heading fit one message
FAQ_ALIASES = {
    "question": ("question", "问题", "問題", "q"),
    "answer": ("answer", "答案", "回答", "a"),
}
GAP_SIMILAR = 70  # rapidfuzz ratio from which two unanswered questions are one gap


class FaqError(DomainError):
    """Codes: no_separator, empty_question, empty_answer, question_too_long, answer_too_long."""


@dataclass(frozen=True, slots=True)
class FaqEntry:
    id: int
    question: str
    answer: str


@dataclass(frozen=True, slots=True)
class Match:
    entry: FaqEntry
    score: float  # 0…1


@dataclass(frozen=True, slots=True)
class _Doc:
    entry: FaqEntry
    weights: dict[str, float]  # feature → weight × idf
    norm: float
    fuzzy: str


class FaqIndex:
    """Every entry's features, with an inverted index from feature to entries. A question
    may give several wordings separated by "/" (怎么提现 / How do I withdraw?): each is
    compared on its own, so a bilingual entry is not half a match for either language."""

    def __init__(self, entries: Iterable[FaqEntry]) -> None:
        parsed = [(e, content(w)) for e in entries for w in wordings(e.question)]
        raw = [(e, parts, features(parts)) for e, parts in parsed]
        df: dict[str, int] = defaultdict(int)
        for _, _, feats in raw:
            for feature in feats:
                df[feature] += 1
        n = len(raw)
        self._idf = {f: math.log(1 + n / d) for f, d in df.items()}
        # A feature no entry has: as rare as the rarest, so it counts against the match.
        self._unseen = math.log(1 + max(n, 1))
        self._docs: list[_Doc] = []
        self._postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for i, (entry, parts, feats) in enumerate(raw):
            weights = {f: w * self._idf[f] for f, w in feats.items()}
            norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
            self._docs.append(_Doc(entry, weights, norm, fuzzy_form(parts)))
            for feature, weight in weights.items():
                self._postings[feature].append((i, weight))

    def __len__(self) -> int:
        return len(self._docs)

    def search(self, question: str, limit: int = 3, floor: float = SUGGEST) -> list[Match]:
        """The best entries for `question`, best first, scoring at least `floor`."""
        parts = content(normalise(question))
        query = {f: w * self._idf.get(f, self._unseen) for f, w in features(parts).items()}
        if not query:
            return []
        q_norm = math.sqrt(sum(w * w for w in query.values()))
        dots: dict[int, float] = defaultdict(float)
        for feature, weight in query.items():
            for doc, doc_weight in self._postings.get(feature, ()):
                dots[doc] += weight * doc_weight
        best = sorted(dots.items(), key=lambda kv: kv[1] / self._docs[kv[0]].norm, reverse=True)
        form = fuzzy_form(parts)
        scores: dict[int, Match] = {}
        for doc_id, dot in best[:RERANK]:
            doc = self._docs[doc_id]
            cosine = dot / (q_norm * doc.norm)
            ratio = fuzz.token_sort_ratio(form, doc.fuzzy) / 100
            score = round(LEXICAL * cosine + (1 - LEXICAL) * ratio, 4)
            seen = scores.get(doc.entry.id)
            if score >= floor and (seen is None or seen.score < score):
                scores[doc.entry.id] = Match(doc.entry, score)
        return sorted(scores.values(), key=lambda m: (-m.score, m.entry.id))[:limit]

    def answer(self, question: str) -> Match | None:
        """The entry to reply with unasked, when one matches confidently."""
        found = self.search(question, limit=1, floor=AUTO_ANSWER)
        return found[0] if found else None


def wordings(question: str) -> list[str]:
    """The normalised wordings of one entry's question."""
    return [w for w in normalise(question).split("/") if w.strip()] or [""]


def parse_entry(text: str) -> tuple[str, str]:
    """`question | answer` (the first bar; a full-width ｜ too) → both, trimmed."""
    question, bar, answer = text.replace("｜", "|").partition("|")
    question, answer = question.strip(), answer.strip()
    if not bar:
        raise FaqError("no_separator", "write the question, a | and the answer")
    if not question:
        raise FaqError("empty_question", "the question is empty")
    if not answer:
        raise FaqError("empty_answer", "the answer is empty")
    if len(question) > MAX_QUESTION:
        raise FaqError("question_too_long", "question too long", limit=MAX_QUESTION)
    if len(answer) > MAX_ANSWER:
        raise FaqError("answer_too_long", "answer too long", limit=MAX_ANSWER)
    return question, answer


def same_question(a: str, b: str) -> bool:
    """Two wordings of one question that differ only in script, case, spacing or punctuation."""
    return question_key(a) == question_key(b)


def question_key(text: str) -> str:
    """What two wordings of one question have in common (script, case, spacing and
    punctuation aside)."""
    return "".join(ch for ch in normalise(text) if ch.isalnum())


def parse_markdown(text: str) -> list[tuple[int, str, str]]:
    """`## question` headings, each followed by its answer: (line, question, answer)."""
    found: list[tuple[int, str, list[str]]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("## "):
            found.append((number, line[3:].strip(), []))
        elif found:
            found[-1][2].append(line)
    return [(n, q, "\n".join(body).strip()) for n, q, body in found]


@dataclass(frozen=True, slots=True)
class Gap:
    """Unanswered questions that ask the same thing: the most recent wording stands for all."""

    ids: tuple[int, ...]
    question: str

    @property
    def count(self) -> int:
        return len(self.ids)


def group_gaps(asked: Sequence[tuple[int, str]]) -> list[Gap]:
    """(id, text) of unanswered questions, oldest first → groups, the most asked first."""
    groups: list[tuple[str, list[int], str]] = []  # (fuzzy form, ids, latest wording)
    for question_id, text in asked:
        form = fuzzy_form(content(normalise(text))) or question_key(text)
        found = extractOne(
            form, [g[0] for g in groups], scorer=fuzz.token_sort_ratio, score_cutoff=GAP_SIMILAR
        )
        if found is None:
            groups.append((form, [question_id], text))
        else:
            index = found[2]
            groups[index] = (groups[index][0], [*groups[index][1], question_id], text)
    gaps = [Gap(tuple(ids), text) for _, ids, text in groups]
    gaps.sort(key=lambda g: (-g.count, -max(g.ids)))
    return gaps
