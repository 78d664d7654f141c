"""What people type: Hypothesis strategies for command arguments, people, chats and actions."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import strategies as st

from tests.e2e.fuzz.world import CHATS, PERSONAS

# Arguments a person could plausibly (or mischievously) type, across every command's grammar.
TOKENS = [
    # references: samples, creators, sharers, people
    "#1", "#2", "#3", "#12", "#0", "#-1", "#99999999999999999999", "#", "##2",
    "lily", "@lily", "lily@douyin", "lily:douyin", "x@douyin", "luna@mars", "小美", "@小美",
    "EVE01", "FAY01", "GUS01", "NOPE99", "1", "2", "6", "8", "9", "-1001",
    # roles, chats, switches, periods
    "bd", "ads", "manager", "leader", "sharer", "sharers", "managers", "admin",
    "on", "off", "all", "week", "month", "year", "teams", "overdue", "mine", "poster",
    "creators", "samples", "csv", "xlsx", "zh-hans", "zh-hant", "en", "fr",
    # months, dates, durations
    "2026-11", "2026-10", "2026-12", "0000-01", "9999-12", "2026-13", "2026-00", "2026-1",
    "2026-11-31", "2026-02-29", "12/2/26", "2026年11月", "2d", "0d", "-3d", "99999999d", "30m",
    # creator fields and sample words
    "S", "A", "B", "C", "s", "douyin", "xiaohongshu", "tiktok", "channels", "other", "mars",
    "120万", "1.5万", "9000", "-5", "good", "poor", "replied", "urgent", "SF1001", "SKU-001",
    "posts=9999999999999999999", "followers=-1", "https://v.douyin.com/iRNBho6u/", "http://",
    # numbers and money
    "0", "-0", "3.14", "1e309", "nan", "inf", "99999999999999999999999", "9223372036854775808",
    "-9223372036854775809", "92233720368547758.07", "¥1,234.50", "1,234.50", "50%", "200%",
    "-1%", "０１２", "٣", "0x10",
    # quoting, markup, injection, odd characters
    '"', "'", '""', "''", '"unbalanced', "'half", '"Hydra Mask 50ml"', "<b>", "</b>", "<i>x</b>",
    "&amp;", "&", "<", ">", "<script>alert(1)</script>", "'; DROP TABLE creators; --",
    "1 OR 1=1", "%s", "{}", "{name}", "\\", "😀", "👍🏽", "🇨🇳", "中文", "繁體中文", "\u200b",
    "\u202e", "a\nb", "\t",
]  # fmt: skip
LONG_TEXTS = ["x" * 4000, "长" * 4000, "😀" * 1000, "<b>" * 1000, "&amp;" * 800]

_free_text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=24)
token = st.one_of(
    st.sampled_from(TOKENS),
    st.integers(-(10**25), 10**25).map(str),
    _free_text.filter(lambda t: t.strip() != ""),
)
arguments = st.one_of(
    st.lists(token, max_size=5).map(" ".join),
    st.sampled_from(LONG_TEXTS),
    st.lists(token, min_size=1, max_size=3).map(lambda ts: '"' + " ".join(ts)),
)
persona = st.sampled_from(sorted(PERSONAS))
chat = st.sampled_from([*sorted(CHATS), "dm"])


@dataclass(frozen=True)
class Say:
    who: str
    where: str
    text: str

    def __str__(self) -> str:
        return f"{self.who} in {self.where}: {self.text[:200]!r}"


@dataclass(frozen=True)
class Press:
    who: str
    where: str
    message: int  # picks among the pressable messages there, newest first
    button: int

    def __str__(self) -> str:
        return f"{self.who} presses in {self.where} (message {self.message}, button {self.button})"


@dataclass(frozen=True)
class Wait:
    hours: int

    def __str__(self) -> str:
        return f"wait {self.hours}h"


def says(command_names: list[str]) -> st.SearchStrategy[Say]:
    name = st.sampled_from(command_names)
    suffix = st.sampled_from(["", "", "", "@crewbot_bot"])
    text = st.builds(
        lambda n, at, args: (f"/{n}{at} {args}".rstrip())[:4096], name, suffix, arguments
    )
    return st.builds(Say, persona, chat, text)


presses = st.builds(Press, persona, chat, st.integers(0, 5), st.integers(0, 7))
waits = st.builds(Wait, st.integers(1, 24))


def actions(command_names: list[str]) -> st.SearchStrategy[list[Say | Press | Wait]]:
    # Mostly commands; presses need earlier answers with buttons; time passes now and then.
    say = says(command_names)
    one = st.one_of(say, say, say, say, say, presses, presses, waits)
    return st.lists(one, min_size=1, max_size=4)
