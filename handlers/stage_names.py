"""The names of sample stages and creator statuses, shown on the card, in /pipeline, reminders
and exports."""

from __future__ import annotations

from bot.domain.pipeline import Stage
from bot.i18n import N_

STAGE_NAMES = {
    Stage.SHIPPED: N_("shipped"),
    Stage.SIGNED: N_("signed"),
    Stage.VIDEO_POSTED: N_("video posted"),
    Stage.RATED_GOOD: N_("rated good"),
    Stage.RATED_POOR: N_("rated poor"),
    Stage.RESHOOT_REQUESTED: N_("reshoot requested"),
    Stage.CODE_RECEIVED: N_("code received"),
    Stage.HANDED_TO_ADS: N_("handed to ads"),
    Stage.DONE: N_("done"),
    Stage.NO_SHOW: N_("no-show"),
    Stage.CANCELLED: N_("cancelled"),
}
STATUS_NAMES = {"active": N_("active"), "paused": N_("paused"), "ended": N_("ended")}
