"""The referral tree (SPEC §3): who invited whom, and teams.

One home for these rules, used alike by referral links (storage/sharers.py), the roster
import (storage/roster.py) and the commission engine; storage only loads the edges and saves.
- Nobody is their own inviter or leader: such a link is refused where it enters, and an old
  one in the store is ignored.
- The inviter links never loop: a new link is refused when the inviter's chain reaches back.
- A sharer whose inviter is a team leader joins that team, unless they already have a leader;
  a new leader's invitees without a leader join too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Protocol

from bot.domain.money import DomainError

__all__ = [
    "ReferralError",
    "check_link",
    "inviter_of",
    "joiners",
    "leader_after_link",
    "leader_of",
    "reaches",
]


class ReferralError(DomainError):
    """Codes: self_referral, cycle, has_inviter (sharer_id)."""


class _Linked(Protocol):
    @property
    def sharer_id(self) -> str: ...
    @property
    def inviter_id(self) -> str: ...
    @property
    def leader_id(self) -> str: ...


def inviter_of(sharer: _Linked) -> str:
    """The inviter that counts ('' when none, or when it names the sharer themself)."""
    return "" if sharer.inviter_id == sharer.sharer_id else sharer.inviter_id


def leader_of(sharer: _Linked) -> str:
    return "" if sharer.leader_id == sharer.sharer_id else sharer.leader_id


def reaches(inviters: Mapping[str, str], start: str, target: str) -> bool:
    """Does the inviter chain from `start` (start included) pass through `target`?"""
    seen: set[str] = set()
    node = start
    while node and node not in seen:
        if node == target:
            return True
        seen.add(node)
        node = inviters.get(node, "")
    return False


def check_link(
    sharer_id: str, inviter_id: str, inviters: Mapping[str, str], *, current: str = ""
) -> None:
    """Refuse making `inviter_id` the inviter of `sharer_id`.

    `inviters`: every stored inviter link (sharer → inviter); `current`: the sharer's inviter
    now, which a referral link never replaces."""
    if sharer_id == inviter_id:
        raise ReferralError("self_referral")
    if current and current != sharer_id:
        raise ReferralError("has_inviter", sharer_id=current)
    if reaches(inviters, inviter_id, sharer_id):
        raise ReferralError("cycle")


def leader_after_link(current_leader: str, inviter_id: str, inviter_is_leader: bool) -> str:
    """The sharer's leader once `inviter_id` is their inviter."""
    if current_leader:
        return current_leader
    return inviter_id if inviter_is_leader else ""


def joiners(leader_id: str, sharers: Iterable[_Linked]) -> list[str]:
    """The ids that join a new leader's team: their invitees who have no leader yet."""
    return sorted(
        s.sharer_id
        for s in sharers
        if s.inviter_id == leader_id and s.sharer_id != leader_id and not leader_of(s)
    )
