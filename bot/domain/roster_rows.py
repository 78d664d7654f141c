"""The sharer roster file's rules (SPEC §3): which rows name a sharer, and how the rows apply on
top of what is stored — later rows replace earlier ones, empty cells keep the stored value, an
inviter that would close a loop in the inviter tree is refused, "my leader is me" makes a leader,
and inviters and leaders without a row get a placeholder."""

from __future__ import annotations

from typing import Any

from bot.domain.orders import RowError
from bot.domain.referrals import reaches
from bot.domain.tables import Table

ROSTER_ALIASES: dict[str, tuple[str, ...]] = {
    "sharer_id": ("sharer_id", "分享员ID", "分享员id"),
    "name": ("name", "昵称"),
    "buyer_id": ("buyer_id", "买家ID"),
    "inviter_id": ("inviter_id", "邀请人ID"),
    "leader_id": ("leader_id", "团长ID"),
}


def read_rows(
    table: Table, cols: dict[str, int]
) -> tuple[list[tuple[int, str, dict[str, str]]], list[RowError], int]:
    """(line, sharer_id, non-key cells by field) of each row that names a sharer, in order;
    the rejected rows, the table's own among them; the rows read."""
    rows: list[tuple[int, str, dict[str, str]]] = []
    errors: list[RowError] = []
    read = 0
    for line, cells in table:
        read += 1
        got = {f: cells[i].strip() for f, i in cols.items()}
        sid = got.pop("sharer_id")
        if not sid:
            errors.append(RowError(line, "missing_sharer_id"))
        elif got.get("inviter_id") == sid:
            errors.append(RowError(line, "self_referral", {"sharer": sid}))
        else:
            rows.append((line, sid, got))
    return rows, errors + table.rejected, read + len(table.rejected)


def apply_rows(
    rows: list[tuple[int, str, dict[str, str]]],
    stored: dict[str, dict[str, Any]],
    errors: list[RowError],
) -> tuple[dict[str, dict[str, Any]], list[tuple[int, str]], set[str]]:
    """The sharers as they will be stored (file rows and placeholders), the replaced lines and
    the ids whose rows were accepted.

    Rows apply in file order; a later row for the same id replaces the earlier one (each on
    top of what was stored), unless it would close a loop in the inviter tree: then it is
    rejected and the earlier row stands.
    """
    inviters = {sid: v["inviter_id"] for sid, v in stored.items() if v["inviter_id"]}
    final: dict[str, dict[str, Any]] = {}
    accepted: dict[str, int] = {}
    replaced: list[tuple[int, str]] = []
    blank = {"name": "", "buyer_id": "", "inviter_id": "", "leader_id": "", "is_leader": 0}
    for line, sid, got in rows:
        values = dict(stored.get(sid) or blank)
        values.update({f: v for f, v in got.items() if v})
        inviter = values["inviter_id"]
        if inviter and reaches(inviters, inviter, sid):
            errors.append(RowError(line, "cycle", {"sharer": sid, "inviter": inviter}))
            continue
        if values["leader_id"] == sid:  # "my leader is me": a leader, not their own member
            values["leader_id"] = stored.get(sid, blank)["leader_id"]
            values["is_leader"] = 1
        if inviter:
            inviters[sid] = inviter
        else:
            inviters.pop(sid, None)
        if sid in accepted:
            replaced.append((accepted[sid], sid))
        accepted[sid] = line
        final[sid] = values
    for sid in list(final):
        inviter, leader = final[sid]["inviter_id"], final[sid]["leader_id"]
        for ref in (inviter, leader):
            if ref and ref not in final:
                final[ref] = dict(stored.get(ref) or blank)
        if leader:
            final[leader]["is_leader"] = 1
    return final, replaced, set(accepted)
