"""FAQ lookup among 2,000 entries (mixed Chinese and English) and the index build at start.

    .venv/bin/python bench/bench_faq.py [--entries 2000] [--queries 500] [--seed 7]

Entries are the data set's (bench/generate.py `faq_corpus`): the quality set's 34 real entries
(tests/data/faq_quality.json) plus generated ones, a quarter of them in English. Queries
are the quality set's 102 paraphrases and generated ones, a third in Traditional Chinese.
Baseline, measured in the same run: rapidfuzz's process.extractOne (WRatio) over every
entry's normalised question — the plain way to find the closest question.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generate import FAQ_ASKS, FAQ_EN_ASKS, FAQ_EN_TOPICS, FAQ_TOPICS, faq_corpus  # noqa: E402
from opencc import OpenCC  # noqa: E402
from rapidfuzz import fuzz, process  # noqa: E402

from bot.domain.faq import FaqEntry, FaqIndex  # noqa: E402
from bot.domain.faq_text import normalise  # noqa: E402

TOPICS, ASKS, EN_TOPICS, EN_ASKS = FAQ_TOPICS, FAQ_ASKS, FAQ_EN_TOPICS, FAQ_EN_ASKS


def corpus(n: int, rng: random.Random) -> list[FaqEntry]:
    return [FaqEntry(i, q, a) for i, (q, a) in enumerate(faq_corpus(n, rng), start=1)]


def queries(n: int, rng: random.Random) -> list[str]:
    data = json.loads((ROOT / "tests/data/faq_quality.json").read_text("utf-8"))
    found = [q for q, _, _ in data["questions"]] + data["chatter"]
    s2t = OpenCC("s2t")
    while len(found) < n:
        if rng.random() < 0.3:
            text = f"{rng.choice(EN_ASKS)} {rng.choice(EN_TOPICS)}"
        else:
            text = f"请问{rng.choice(TOPICS)}{rng.choice(ASKS)}呀"
            text = s2t.convert(text) if rng.random() < 0.33 else text
        found.append(text)
    return found[:n]


def timed(fn, items) -> list[float]:  # type: ignore[no-untyped-def]
    out = []
    for item in items:
        start = time.perf_counter()
        fn(item)
        out.append((time.perf_counter() - start) * 1000)
    return out


def summary(name: str, ms: list[float]) -> tuple[float, float]:
    ms = sorted(ms)
    p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))]
    print(f"{name:<34} median {statistics.median(ms):7.2f} ms   p99 {p99:7.2f} ms   "
          f"max {ms[-1]:7.2f} ms")  # fmt: skip
    return statistics.median(ms), p99


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=2000)
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    entries, asked = corpus(args.entries, rng), queries(args.queries, rng)
    start = time.perf_counter()
    normalise("預熱")  # OpenCC's dictionaries load once per process
    first = (time.perf_counter() - start) * 1000
    start = time.perf_counter()
    index = FaqIndex(entries)
    build = (time.perf_counter() - start) * 1000
    print(f"{len(entries)} entries, {len(asked)} queries")
    print(f"OpenCC first load {first:.0f} ms; index build {build:.0f} ms (target ≤ 1000 ms)")
    start = time.perf_counter()
    choices = [normalise(e.question) for e in entries]
    print(f"baseline prepare (normalise all)   {(time.perf_counter() - start) * 1000:.0f} ms")
    ours = summary("FaqIndex.search (target ≤10/≤30)", timed(index.search, asked))
    baseline = lambda q: process.extractOne(normalise(q), choices, scorer=fuzz.WRatio)  # noqa: E731
    base = summary("baseline extractOne(WRatio)", timed(baseline, asked))
    rows = [
        dict(figure=f"search {what}, {len(entries)} entries (ms)", value=round(a, 2),
             baseline=round(b, 2), ratio=round(a / b, 2), goal=goal)
        for what, a, b, goal in (("median", ours[0], base[0], "≤ 10"),
                                 ("p99", ours[1], base[1], "≤ 30"))
    ] + [dict(figure="index build (ms)", value=round(build), baseline="", ratio="",
              goal="≤ 1000")]  # fmt: skip
    print(json.dumps({"bench": "bench_faq", "rows": rows}, ensure_ascii=False))


if __name__ == "__main__":
    main()
