"""The people and chats of the offline console, its demo data and the random-input test."""

from __future__ import annotations

from dataclasses import dataclass

from bot.offline.local_api import LocalBotAPI


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    language_code: str
    about: str


# The cast of the console and its demo data. Ada is the bot admin (listed in ADMIN_IDS).
PEOPLE = {
    "ada": Person(1, "Ada", "zh-hans", "bot admin, manager"),
    "bob": Person(2, "Bob", "zh-hans", "BD rep"),
    "cai": Person(3, "蔡小明", "zh-hans", "BD rep"),
    "dan": Person(4, "Dan", "zh-hans", "ads team"),
    "eve": Person(5, "Eve", "en", "sharer, team leader"),
    "fay": Person(6, "Fay", "zh-hant", "sharer"),
    "gus": Person(7, "Gus", "zh-hans", "sharer"),
}
GROUPS = {"bd": -1001, "ads": -1002, "sharers": -1003, "managers": -1004}
GROUP_TITLES = {"bd": "BD team", "ads": "Ads team", "sharers": "Sharers", "managers": "Managers"}
# A group the bot is in that nobody registered: to see what the bot does with strangers.
OTHER = ("other", -1005, "Random group")


def declare_cast(api: LocalBotAPI) -> None:
    for key, person in PEOPLE.items():
        api.user(person.id, person.name, username=key, language_code=person.language_code)
    members = {p.id for p in PEOPLE.values()}
    for name, chat_id in GROUPS.items():
        api.group(chat_id, GROUP_TITLES[name], admins={PEOPLE["ada"].id}, members=members)
    api.group(OTHER[1], OTHER[2], admins={PEOPLE["ada"].id}, members=members)
