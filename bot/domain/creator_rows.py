"""One row of a marketplace export of creators (the creators import, bot/imports.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.domain.creator_stats import parse_stats_pairs
from bot.domain.creators import handle_key, normalize_handle, parse_followers, parse_platform
from bot.domain.creators import parse_tier as _parse_tier

__all__ = ["CREATOR_ALIASES", "CreatorRow", "parse_creator_row"]

# English or Chinese headers (simplified and traditional); the earlier alias wins on a tie.
CREATOR_ALIASES: dict[str, tuple[str, ...]] = {
    "handle": ("handle", "creator", "达人昵称", "达人账号", "达人名称", "達人暱稱", "達人帳號"),
    "platform": ("platform", "平台"),
    "tier": ("tier", "等级", "层级", "等級", "層級"),
    "followers": ("followers", "粉丝数", "粉丝量", "粉絲數"),
    "categories": ("category", "categories", "主营类目", "类目", "主營類目", "類目"),
    "adult": ("adult", "18岁以上占比", "18歲以上佔比"),
    "female": ("female", "女性粉丝占比", "女性粉絲佔比"),
    "posts": ("posts", "近30天作品数", "近30天作品數"),
    "interaction": ("interaction", "互动率", "互動率"),
    "products": ("products", "近28天推广商品数", "近28天推廣商品數"),
    "owner": ("owner", "owner_id", "负责商务", "負責商務", "商务", "BD"),
}
_STAT_KEYS = ("categories", "adult", "female", "posts", "interaction", "products")


@dataclass(slots=True)
class CreatorRow:
    """What a row says; an empty cell says nothing (the stored value stands)."""

    handle: str
    platform: str
    tier: str | None = None
    followers: int | None = None
    stats: dict[str, object] = field(default_factory=dict)  # parse_stats_pairs' output
    owner: str = ""  # a Telegram user id or @username, resolved by the use case

    @property
    def key(self) -> tuple[str, str]:
        return self.platform, handle_key(self.handle)


def parse_creator_row(cells: list[str], cols: dict[str, int]) -> CreatorRow:
    """Raises the domain's DomainError (bad_handle, bad_platform, bad_tier, bad_followers,
    bad_stat); a creator with no platform is on `other`."""
    cell = {f: cells[i].strip() for f, i in cols.items()}
    row = CreatorRow(
        normalize_handle(cell["handle"]),
        parse_platform(cell["platform"]).value if cell.get("platform") else "other",
    )
    if cell.get("tier"):
        row.tier = _parse_tier(cell["tier"]).value
    if cell.get("followers"):
        row.followers = parse_followers(cell["followers"])
    row.stats = parse_stats_pairs([f"{k}={cell[k]}" for k in _STAT_KEYS if cell.get(k)])
    row.owner = cell.get("owner", "")
    return row
