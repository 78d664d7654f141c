"""Sharer identities: bindings to Telegram accounts, referrals, teams, hiding from boards.

An id is bound to one person only and a request is decided once (checked here, inside the
write); the referral tree's rules (self-referral, loops, who joins a team) are
bot.domain.referrals': this module loads the edges they need and saves the outcome.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from bot.domain.money import DomainError
from bot.domain.referrals import ReferralError, check_link, joiners, leader_after_link
from storage import audit
from storage.db import Database, to_ts

_CODE_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"  # no 0/o/1/l: read aloud without mistakes


class SharerError(DomainError):
    """Codes: unknown_sharer, taken, already_yours, already_bound (sharer_id), pending,
    decided, bad_link, self_referral, cycle, has_inviter."""


@dataclass(frozen=True, slots=True)
class Sharer:
    sharer_id: str
    name: str
    buyer_id: str
    inviter_id: str
    leader_id: str
    is_leader: bool
    user_id: int | None
    referral_code: str | None
    hidden: bool

    @property
    def display(self) -> str:
        return self.name or self.sharer_id


@dataclass(frozen=True, slots=True)
class BindRequest:
    id: int
    user_id: int
    sharer_id: str
    status: str
    decided_by: int | None


def _sharer(row: aiosqlite.Row) -> Sharer:
    return Sharer(
        sharer_id=row["sharer_id"],
        name=row["name"] or "",
        buyer_id=row["buyer_id"] or "",
        inviter_id=row["inviter_id"] or "",
        leader_id=row["leader_id"] or "",
        is_leader=bool(row["is_leader"]),
        user_id=row["user_id"],
        referral_code=row["referral_code"],
        hidden=bool(row["hidden"]),
    )


def _request(row: aiosqlite.Row) -> BindRequest:
    return BindRequest(
        row["id"], row["user_id"], row["sharer_id"], row["status"], row["decided_by"]
    )


async def _ensure_row(conn: aiosqlite.Connection, sharer_id: str, now: datetime) -> None:
    # An id known only from orders gets its roster row when it is first bound or promoted.
    await conn.execute(
        "INSERT INTO sharers (sharer_id, created_at, updated_at) VALUES (?, ?, ?)"
        " ON CONFLICT(sharer_id) DO NOTHING",
        (sharer_id, to_ts(now), to_ts(now)),
    )


class Sharers:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, sharer_id: str) -> Sharer | None:
        row = await self.db.fetchone("SELECT * FROM sharers WHERE sharer_id = ?", (sharer_id,))
        return None if row is None else _sharer(row)

    async def by_user(self, user_id: int) -> Sharer | None:
        row = await self.db.fetchone("SELECT * FROM sharers WHERE user_id = ?", (user_id,))
        return None if row is None else _sharer(row)

    async def known(self, sharer_id: str) -> bool:
        """Known from the roster or from at least one attributed order."""
        if await self.get(sharer_id) is not None:
            return True
        found = await self.db.fetchval(
            "SELECT 1 FROM orders WHERE sharer_id = ? LIMIT 1", (sharer_id,)
        )
        return found is not None

    async def many(self, ids: list[str]) -> dict[str, Sharer]:
        out: dict[str, Sharer] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            rows = await self.db.fetchall(
                f"SELECT * FROM sharers WHERE sharer_id IN ({marks})", chunk
            )
            out.update((row["sharer_id"], _sharer(row)) for row in rows)
        return out

    async def invitees(self, sharer_id: str) -> list[Sharer]:
        rows = await self.db.fetchall(
            "SELECT * FROM sharers WHERE inviter_id = ? AND sharer_id <> ? ORDER BY sharer_id",
            (sharer_id, sharer_id),
        )
        return [_sharer(row) for row in rows]

    async def team(self, leader_id: str) -> list[Sharer]:
        rows = await self.db.fetchall(
            "SELECT * FROM sharers WHERE leader_id = ? AND sharer_id <> ? ORDER BY sharer_id",
            (leader_id, leader_id),
        )
        return [_sharer(row) for row in rows]

    async def bound(self) -> list[Sharer]:
        rows = await self.db.fetchall(
            "SELECT * FROM sharers WHERE user_id IS NOT NULL ORDER BY sharer_id"
        )
        return [_sharer(row) for row in rows]

    # --- binding -----------------------------------------------------------------------

    async def request_bind(self, user_id: int, sharer_id: str, *, now: datetime) -> BindRequest:
        mine = await self.by_user(user_id)
        if mine is not None:
            code = "already_yours" if mine.sharer_id == sharer_id else "already_bound"
            raise SharerError(code, sharer_id=mine.sharer_id)
        if not await self.known(sharer_id):
            raise SharerError("unknown_sharer", sharer_id=sharer_id)
        target = await self.get(sharer_id)
        if target is not None and target.user_id is not None:
            raise SharerError("taken", sharer_id=sharer_id)
        async with self.db.transaction() as conn:
            pending = await self.db.fetchval(
                "SELECT sharer_id FROM bind_requests WHERE status = 'pending'"
                " AND (user_id = ? OR sharer_id = ?)",
                (user_id, sharer_id),
            )
            if pending is not None:
                raise SharerError("pending", sharer_id=pending)
            rows = await conn.execute_fetchall(
                "INSERT INTO bind_requests (user_id, sharer_id, requested_at) VALUES (?, ?, ?)"
                " RETURNING id",
                (user_id, sharer_id, to_ts(now)),
            )
            request_id = int(rows[0][0])
            await audit.record(
                conn, at=now, actor_id=user_id, action="bind_request", entity="sharer",
                entity_id=sharer_id, after={"request": request_id, "user_id": user_id},
            )  # fmt: skip
        return BindRequest(request_id, user_id, sharer_id, "pending", None)  # type: ignore[arg-type]

    async def bind_request(self, request_id: int) -> BindRequest | None:
        row = await self.db.fetchone("SELECT * FROM bind_requests WHERE id = ?", (request_id,))
        return None if row is None else _request(row)

    async def decide(
        self, request_id: int, approve: bool, *, actor_id: int, now: datetime
    ) -> tuple[BindRequest, Sharer | None]:
        """Approve or reject once. On approval the id is bound, and an inviter remembered from
        a referral link is applied. Returns the decided request and the inviter applied."""
        inviter = None
        async with self.db.transaction() as conn:
            request = await self.bind_request(request_id)
            if request is None or request.status != "pending":
                raise SharerError("decided")
            if approve:
                target = await self.get(request.sharer_id)
                if target is not None and target.user_id not in (None, request.user_id):
                    raise SharerError("taken", sharer_id=request.sharer_id)
                if await self.by_user(request.user_id) is not None:
                    raise SharerError("already_bound", sharer_id=request.sharer_id)
                await _ensure_row(conn, request.sharer_id, now)
                await conn.execute(
                    "UPDATE sharers SET user_id = ?, updated_at = ? WHERE sharer_id = ?",
                    (request.user_id, to_ts(now), request.sharer_id),
                )
                await audit.record(
                    conn, at=now, actor_id=actor_id, action="bind", entity="sharer",
                    entity_id=request.sharer_id, before=None, after=request.user_id,
                )  # fmt: skip
                inviter = await self._apply_pending_referral(conn, request, now)
            status = "approved" if approve else "rejected"
            await conn.execute(
                "UPDATE bind_requests SET status = ?, decided_by = ?, decided_at = ? WHERE id = ?",
                (status, actor_id, to_ts(now), request_id),
            )
            await audit.record(
                conn, at=now, actor_id=actor_id, action=f"bind_{status}", entity="bind_request",
                entity_id=request_id, before="pending", after=status,
            )  # fmt: skip
        decided = BindRequest(request.id, request.user_id, request.sharer_id, status, actor_id)
        return decided, inviter

    async def _apply_pending_referral(
        self, conn: aiosqlite.Connection, request: BindRequest, now: datetime
    ) -> Sharer | None:
        inviter_id = await self.db.fetchval(
            "SELECT inviter_id FROM referral_pending WHERE user_id = ?", (request.user_id,)
        )
        if inviter_id is None:
            return None
        await conn.execute("DELETE FROM referral_pending WHERE user_id = ?", (request.user_id,))
        try:
            return await self._link(conn, request.sharer_id, inviter_id, request.user_id, now)
        except SharerError:
            return None  # the link no longer fits (self, loop, inviter set by the roster)

    # --- referrals ---------------------------------------------------------------------

    async def referral_code(self, sharer_id: str, *, now: datetime) -> str:
        sharer = await self.get(sharer_id)
        if sharer is not None and sharer.referral_code:
            return sharer.referral_code
        code = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))
        async with self.db.transaction() as conn:
            await _ensure_row(conn, sharer_id, now)
            await conn.execute(
                "UPDATE sharers SET referral_code = ?, updated_at = ?"
                " WHERE sharer_id = ? AND referral_code IS NULL",
                (code, to_ts(now), sharer_id),
            )
            await audit.record(
                conn, at=now, actor_id=None, action="referral_code", entity="sharer",
                entity_id=sharer_id, after=code,
            )  # fmt: skip
        return (await self.get(sharer_id)).referral_code  # type: ignore[union-attr,return-value]

    async def open_referral(self, user_id: int, code: str, *, now: datetime) -> tuple[str, Sharer]:
        """Someone opened a referral link: ("linked" | "remembered", inviter)."""
        row = await self.db.fetchone("SELECT * FROM sharers WHERE referral_code = ?", (code,))
        if row is None or not code:
            raise SharerError("bad_link")
        inviter = _sharer(row)
        if inviter.user_id == user_id:
            raise SharerError("self_referral")
        mine = await self.by_user(user_id)
        async with self.db.transaction() as conn:
            if mine is None:
                await conn.execute(
                    "INSERT INTO referral_pending (user_id, inviter_id, at) VALUES (?, ?, ?)"
                    " ON CONFLICT(user_id) DO UPDATE SET inviter_id = excluded.inviter_id,"
                    " at = excluded.at",
                    (user_id, inviter.sharer_id, to_ts(now)),
                )
                return "remembered", inviter
            await self._link(conn, mine.sharer_id, inviter.sharer_id, user_id, now)
        return "linked", inviter

    async def _inviters(self) -> dict[str, str]:
        rows = await self.db.fetchall(
            "SELECT sharer_id, inviter_id FROM sharers WHERE COALESCE(inviter_id, '') <> ''"
        )
        return {r[0]: r[1] for r in rows}

    async def _link(
        self, conn: aiosqlite.Connection, sharer_id: str, inviter_id: str, actor: int, now: datetime
    ) -> Sharer:
        me = await self.get(sharer_id)
        try:
            check_link(
                sharer_id, inviter_id, await self._inviters(), current=me.inviter_id if me else ""
            )
        except ReferralError as exc:
            raise SharerError(exc.code, **exc.params) from None
        inviter = await self.get(inviter_id)
        assert inviter is not None
        leader = leader_after_link(me.leader_id if me else "", inviter_id, inviter.is_leader)
        await conn.execute(
            "UPDATE sharers SET inviter_id = ?, leader_id = ?, updated_at = ? WHERE sharer_id = ?",
            (inviter_id, leader or None, to_ts(now), sharer_id),
        )
        await audit.record(
            conn, at=now, actor_id=actor, action="inviter", entity="sharer",
            entity_id=sharer_id, before=None, after=inviter_id,
        )  # fmt: skip
        return inviter

    # --- teams and visibility ----------------------------------------------------------

    async def make_leader(self, sharer_id: str, *, actor_id: int, now: datetime) -> int:
        """Make a team leader; their invitees without a leader join. Returns how many joined."""
        if not await self.known(sharer_id):
            raise SharerError("unknown_sharer", sharer_id=sharer_id)
        async with self.db.transaction() as conn:
            await _ensure_row(conn, sharer_id, now)
            before = await self.get(sharer_id)
            await conn.execute(
                "UPDATE sharers SET is_leader = 1, updated_at = ? WHERE sharer_id = ?",
                (to_ts(now), sharer_id),
            )
            ids = joiners(sharer_id, await self.invitees(sharer_id))
            await conn.executemany(
                "UPDATE sharers SET leader_id = ?, updated_at = ? WHERE sharer_id = ?",
                [(sharer_id, to_ts(now), sid) for sid in ids],
            )
            joined = len(ids)
            await audit.record(
                conn, at=now, actor_id=actor_id, action="leader", entity="sharer",
                entity_id=sharer_id, before=bool(before and before.is_leader),
                after={"is_leader": True, "joined": joined},
            )  # fmt: skip
        return joined

    async def set_hidden(
        self, sharer_id: str, hidden: bool, *, actor_id: int, now: datetime
    ) -> None:
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE sharers SET hidden = ?, updated_at = ? WHERE sharer_id = ?",
                (int(hidden), to_ts(now), sharer_id),
            )
            await audit.record(
                conn, at=now, actor_id=actor_id, action="hidden", entity="sharer",
                entity_id=sharer_id, before=not hidden, after=hidden,
            )  # fmt: skip
