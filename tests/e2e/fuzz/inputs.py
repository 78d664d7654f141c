"""What people type: Hypothesis strategies for command arguments, people, chats and actions."""

from __future__ import annotations

import re
from dataclasses import dataclass

from hypothesis import strategies as st

from handlers.registry import Command
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
_number = st.one_of(
    st.sampled_from(["1", "99999999999999999999999", "-5", "0", "1.5", "1万", "120万", "nan",
                     "9223372036854775808", "-9223372036854775809", "1e309", "٣", "50%"]),
    st.integers(-(10**22), 10**22).map(str),
)  # fmt: skip


def _rarely(common: st.SearchStrategy[str], rare: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """`rare` one time in sixteen: Hypothesis favours a choice's first branch, so gate it."""
    return st.integers(0, 15).flatmap(lambda n: rare if n == 15 else common)


_words = _rarely(st.lists(token, min_size=1, max_size=4).map(" ".join), st.sampled_from(LONG_TEXTS))
_refs = ["lily", "@lily", "lily@douyin", "lily:douyin", "小美", "mia", "x@douyin", "nobody"]
_samples = ["#1", "#2", "#5", "#7", "#9", "#0", "#12", "#99999999999999999999", "#-3"]
_months = ["2026-11", "2026-10", "2026-12", "0000-01", "9999-12", "2026-13", "2026-1", "11"]
# What each placeholder of a usage line (handlers/registry.py) is filled with, most of the time.
SLOTS: dict[str, st.SearchStrategy[str]] = {
    "handle": st.sampled_from(_refs),
    "#N": st.sampled_from(_samples),
    "role": st.sampled_from(["manager", "bd", "ads", "leader", "admin", "sharer"]),
    "user_id": st.sampled_from(["2", "3", "4", "8", "9", "0", "-1", "99999999999999999999999"]),
    "sharer_id": st.sampled_from(["EVE01", "FAY01", "GUS01", "HAN01", "eve01", "NOPE", "#1"]),
    "platform": st.sampled_from(["douyin", "xiaohongshu", "tiktok", "channels", "mars", "抖音"]),
    "YYYY-MM": st.sampled_from(_months),
    "url": st.sampled_from(["https://v.douyin.com/iRNBho6u/", "http://", "ftp://x", "<b>"]),
    "sku": st.sampled_from(["SKU-001", "SKU-002", "NOPE", "year", "teams"]),
    "N": _number,
}
_NUMERIC = {"followers", "valid_days", "spend", "impressions", "clicks", "orders", "gmv"}
_KEYS = ["posts", "followers", "adult", "female", "interaction", "median_views", "mars"]


def _slot(name: str) -> st.SearchStrategy[str]:
    if "|" in name:
        parts = name.split("|")
        return st.one_of(*(SLOTS.get(p.strip("<>"), st.just(p)) for p in parts))
    if name in SLOTS:
        return SLOTS[name]
    return _number if name in _NUMERIC else _words


def _word(word: str) -> st.SearchStrategy[str]:
    """One word of a usage line: a placeholder to fill, a choice, or a literal."""
    optional = word.startswith("[") and word.endswith("]")
    word = word.strip("[]")
    if word.startswith("<") and word.endswith(">"):
        value = _slot(word[1:-1])
    elif "=" in word:  # key=value… and goal=brand|sales
        key = st.sampled_from(_KEYS) if word.endswith("…") else st.just(word.partition("=")[0])
        pair = st.builds(lambda k, v: f"{k}={v}", key, _number | st.sampled_from(["brand", "x"]))
        value = st.lists(pair, min_size=1, max_size=3 if word.endswith("…") else 1).map(" ".join)
    elif ">=" in word:
        value = _number.map(lambda n, w=word: w.replace("N", n))
    elif word in SLOTS:  # a bare YYYY-MM
        value = SLOTS[word]
    elif "|" in word:
        value = _slot(word)
    else:
        value = st.just(word)
    # Now and then the wrong kind of thing where a value belongs.
    value = st.one_of(value, value, value, token)
    return st.one_of(value, st.just("")) if optional else value


def usage_arguments(usage: str) -> st.SearchStrategy[str]:
    """Arguments shaped like a command's usage line, with random values and random mistakes."""
    forms = []
    for form in usage.split(" | "):
        form = re.sub(r"\([^)]*\)", "", form)  # "(as a reply)", "(caption of a file)"
        words = [w for w in form.split()[1:] if w not in ("+", "CSV/XLSX")]
        forms.append(st.tuples(*map(_word, words)).map(lambda ws: " ".join(w for w in ws if w)))
    return st.one_of(*forms)


arguments = _rarely(
    st.one_of(
        st.lists(token, max_size=5).map(" ".join),
        st.lists(token, min_size=1, max_size=3).map(lambda ts: '"' + " ".join(ts)),
    ),
    st.sampled_from(LONG_TEXTS),
)
# Those who pass most gates come up more often, so that arguments get past "this is for BD".
persona = st.sampled_from([*sorted(PERSONAS), "admin", "admin", "manager", "bd"])
# The roles each persona holds in the seeded world (an admin passes every gate).
HOLDS = {
    "admin": {"admin", "manager", "bd", "ads"},
    "manager": {"manager", "bd", "ads"},
    "bd": {"bd"},
    "ads": {"ads"},
    "leader": {"leader", "sharer"},
    "sharer": {"sharer"},
    "stranger": set(),
}


def _who_may(command: Command) -> st.SearchStrategy[str]:
    """Half the time someone the command's gate lets through, so the arguments get read."""
    allowed = [p for p, roles in HOLDS.items() if command.roles is None or command.roles & roles]
    return st.one_of(st.sampled_from(allowed), persona)


HOMES = {"bd": "bd", "ads": "ads", "manager": "managers", "admin": "managers"}


def _where(command: Command) -> st.SearchStrategy[str]:
    """Half the time the chat the command is at home in, the other half anywhere."""
    if command.where == "private":
        return st.one_of(st.just("dm"), chat)
    homes = sorted({HOMES[r] for r in command.roles or () if r in HOMES}) or ["dm", "sharers"]
    return st.one_of(st.sampled_from(homes), chat)


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
    kind: int  # picks a kind of button this person can see (see checks._press)
    pick: int  # and one button of that kind, newest first

    def __str__(self) -> str:
        return f"{self.who} presses a button (kind {self.kind}, pick {self.pick})"


@dataclass(frozen=True)
class Upload:
    who: str
    where: str
    filename: str
    data: bytes
    caption: str

    def __str__(self) -> str:
        what = f"{self.filename!r} {self.data[:60]!r}… ({len(self.data)} bytes)"
        return f"{self.who} in {self.where} uploads {what} with caption {self.caption!r}"


@dataclass(frozen=True)
class Wait:
    hours: int

    def __str__(self) -> str:
        return f"wait {self.hours}h"


def says(registered: list[Command]) -> st.SearchStrategy[Say]:
    def typed(command: Command) -> st.SearchStrategy[Say]:
        args = st.one_of(usage_arguments(command.usage), usage_arguments(command.usage), arguments)
        suffix = st.sampled_from(["", "", "", "@crewbot_bot"])
        text = st.builds(lambda at, a: f"/{command.name}{at} {a}".rstrip()[:4096], suffix, args)
        return st.builds(Say, _who_may(command), _where(command), text)

    # sampled_from, not one_of: every command comes up about as often as any other.
    return st.sampled_from(registered).flatmap(typed)


presses = st.builds(Press, persona, st.integers(0, 30), st.integers(0, 30))
waits = st.builds(Wait, st.integers(1, 6))


_ORDERS_HEADER = "订单号,支付时间,分享员ID,买家ID,商品ID,实付金额,退款金额"
_cells = st.one_of(token, st.sampled_from(["EVE01", "2026-11-20 12:00", "¥1,234.50", "", '"']))
_csv_rows = st.lists(st.lists(_cells, min_size=1, max_size=8).map(",".join), max_size=6)
_file_bodies = st.one_of(
    st.builds(lambda rows: "\n".join([_ORDERS_HEADER, *rows]).encode("utf-8-sig"), _csv_rows),
    st.builds(lambda rows: "\n".join(["分享员ID,昵称,买家ID,邀请人ID", *rows]).encode(), _csv_rows),
    st.builds(
        lambda rows: "\n".join(["订单号,金额", *rows]).encode("shift_jis", "replace"), _csv_rows
    ),
    st.sampled_from([b"", b"PK\x03\x04broken", b"\xff\xfe\x00garbage", b"\x89PNG\r\n"]),
    st.binary(max_size=200),
)
# Imports are for managers in a private chat: most uploads go there, to get past the gate.
uploads = st.builds(
    Upload,
    st.sampled_from(["manager", "admin", "admin", *sorted(PERSONAS)]),
    st.sampled_from(["dm", "dm", "dm", *sorted(CHATS)]),
    st.sampled_from(["orders.csv", "分享员.csv", "creators.xlsx", "orders.xlsx", "a.txt", "x"]),
    _file_bodies,
    st.sampled_from(
        ["/import", "/import_sharers", "/import_creators", "", "hello", "/import@crewbot_bot"]
    ),
)
# Plain words, not commands: a private chat answers with a hint, a group stays quiet.
chatter = st.builds(Say, persona, chat, st.lists(token, min_size=1, max_size=4).map(" ".join))


def actions(registered: list[Command]) -> st.SearchStrategy[list[Say | Press | Upload | Wait]]:
    # Mostly commands; presses need earlier answers with buttons; time passes now and then.
    strategies = {
        "say": says(registered),
        "press": presses,
        "wait": waits,
        "upload": uploads,
        "chatter": chatter,
    }
    kinds = ["say"] * 8 + ["press"] * 3 + ["wait", "upload", "chatter"]
    one = st.sampled_from(kinds).flatmap(strategies.__getitem__)
    return st.lists(one, min_size=1, max_size=4)
