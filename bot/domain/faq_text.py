"""Text for FAQ matching: one normal form for Simplified, Traditional and English, the
features two texts are compared on, and whether a message reads as a question.

Chinese has no spaces, so texts are compared on characters and character pairs rather than
on words: a typo (拥金 for 佣金) then loses one pair instead of a whole word, and there is no
dictionary to load at start. Words that only make a sentence a question or polite (请问, 怎么,
吗, please, how) are cut out first, so that two questions match on what they ask about.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from opencc import OpenCC

# Interrogatives, particles, pronouns and politeness: they say that something is asked, not
# what. Longest first, so 请问一下 goes before 请问 and 请.
_ZH_NOISE_WORDS = """请问 麻烦问一下 问一下 想问 请教 请 麻烦 亲们 亲 大家 各位 老师 你好 您好 谢谢
    一下 一般 的话 怎么样 怎么 怎样 如何 咋 啥 什么 为什么 哪里 哪儿 哪些 哪个 哪 几个 几
    多少 能不能 可不可以 是不是 有没有 可以 需要 吗 呢 吧 呀 啊 哦 嘛 么 了 的 得 是 我们
    我的 我 你们 你 他们 他 她 这个 那个 就 还 也 都 把 被 或者 还是 要"""
_ZH_NOISE = sorted(_ZH_NOISE_WORDS.split(), key=len, reverse=True)
_EN_NOISE_WORDS = """a an the i me my we our you your he she it its they their is are am was were
    be been
    do does did doing have has had can could would should will shall may might must to of in
    on at for from by with about as and or but if so that this these those there here what
    when where which who whom whose why how please pls plz hi hello hey thanks thank any some
    get got much many"""
_EN_NOISE = frozenset(_EN_NOISE_WORDS.split())
# Ways of saying the same thing that share no character; mapped to one spelling. Kept to
# the community's own vocabulary: a general thesaurus would match unrelated chatter.
_ZH_SAME = {
    "傭金": "佣金", "提成": "佣金", "返佣": "佣金", "返利": "佣金", "几个点": "比例",
    "到账": "发放", "打款": "发放", "发钱": "发放", "排名": "排行榜", "榜单": "排行榜",
    "啥时候": "什么时候", "哪天": "什么时候", "何时": "什么时候", "多久": "时间",
    "开始": "开播", "客户": "客人", "顾客": "客人", "下单": "购买", "买东西": "购买",
}  # fmt: skip
_EN_SAME = {"commissions": "commission", "livestream": "live", "stream": "live"}
_QUESTION_WORDS = re.compile(
    r"[?？]|[吗呢么嘛][\W_]*$|怎么|怎样|如何|多少|哪|几|能不能|可不可以|可以.{0,12}[吗嘛]"
    r"|是不是|有没有|什么|为什么|啥|咋|谁|何时"
)
_EN_QUESTION = re.compile(
    r"^(how|what|what's|whats|when|where|why|who|which|can|could|do|does|did|is|are|will"
    r"|should|may|anyone|any)\b"
)
_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUNS = re.compile(rf"[{_CJK}]+|[a-z0-9]+(?:'[a-z]+)?")
_ZH_NOISE_RE = re.compile("|".join(map(re.escape, _ZH_NOISE)))
_ZH_SAME_RE = re.compile("|".join(map(re.escape, sorted(_ZH_SAME, key=len, reverse=True))))

UNIGRAM = 0.4  # a shared character says less than a shared pair
TRIGRAM = 0.35  # letter triples of an English word: a misspelt word still shares most


@cache
def _t2s() -> OpenCC:
    return OpenCC("t2s")


def normalise(text: str) -> str:
    """Full-width to half-width, lower case, Traditional to Simplified, synonyms unified."""
    folded = unicodedata.normalize("NFKC", text).lower()
    simplified = _t2s().convert(folded)
    return _ZH_SAME_RE.sub(lambda m: _ZH_SAME[m[0]], simplified)


def looks_like_question(text: str) -> bool:
    """Whether a chat message reads as a question (？ ? 吗 呢 怎么 如何 多少 哪 几 …)."""
    plain = normalise(text).strip()
    if len(plain) < 3 or plain.startswith("/"):
        return False
    return bool(_QUESTION_WORDS.search(plain) or _EN_QUESTION.match(plain))


def _stem(word: str) -> str:
    word = word.removesuffix("'s")
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 2 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def content(text: str) -> list[str]:
    """The parts of a normalised text that say what it is about: runs of Chinese characters
    (split where noise words were) and English word stems."""
    parts: list[str] = []
    for run in _RUNS.findall(text):
        if run[0].isascii():
            word = _EN_SAME.get(run, run)
            if word not in _EN_NOISE:
                parts.append(_stem(word))
        else:
            parts.extend(p for p in _ZH_NOISE_RE.sub(" ", run).split() if p)
    return parts


def features(parts: list[str]) -> dict[str, float]:
    """Feature → weight: Chinese characters and adjacent pairs; English words and their
    letter triples."""
    out: dict[str, float] = {}
    for part in parts:
        if part.isascii():
            out[part] = 1.0
            padded = f"<{part}>"
            for i in range(len(padded) - 2):
                out.setdefault("#" + padded[i : i + 3], TRIGRAM)
            continue
        for i, char in enumerate(part):
            out.setdefault(char, UNIGRAM)
            if i:
                out[part[i - 1 : i + 1]] = 1.0
    return out


def fuzzy_form(parts: list[str]) -> str:
    """What rapidfuzz compares: Chinese characters and English words as tokens, so that a
    token-sorted ratio forgives word order."""
    tokens: list[str] = []
    for part in parts:
        tokens.extend([part] if part.isascii() else list(part))
    return " ".join(tokens)
