"""Demo data for the console: the chats registered, roles granted, and each feature's own
sample data, all entered through the real bot as the people of the console would."""

from __future__ import annotations

import importlib

from bot.offline.driver import Driver

# Each feature with demo data offers `async def load(driver, people, groups)`.
FEATURE_DEMOS = ("bot.offline.demo_pipeline", "bot.offline.demo_sharers")


async def load_demo(driver: Driver) -> None:
    from bot.offline.cast import GROUPS, PEOPLE

    ada = PEOPLE["ada"].id
    for purpose, chat_id in GROUPS.items():
        await driver.say(ada, chat_id, f"/setup {purpose}")
    for person, role in (("bob", "bd"), ("cai", "bd"), ("dan", "ads"), ("eve", "leader")):
        await driver.say(ada, ada, f"/grant {PEOPLE[person].id} {role}")
    for person in PEOPLE.values():
        await driver.say(person.id, person.id, "/start")
    for name in FEATURE_DEMOS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError:
            continue
        await module.load(driver, PEOPLE, GROUPS)
