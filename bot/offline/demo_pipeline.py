"""Console demo data for the creator pipeline: creators in every tier and samples spread over
the stages (one a no-show), all entered through the real bot by the console's BD reps (bob,
cai) and the ads team (dan), exactly as people would type them."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from bot.offline.driver import Driver

CREATORS = {
    "bob": [
        "lily S douyin 120万 beauty",
        "mia A xiaohongshu 8万 skincare",
        "nora B tiktok 1.5万 fashion",
    ],
    "cai": ["小美 S douyin 50万 美妆", "ken A channels 3万 home", "ava B other 9000 makeup"],
}
# (who, lines): each sample walks as far as its stage needs; numbers follow the order here.
SAMPLES = [
    ("bob", ['/sample lily "Hydra Mask 50ml" SF1001', "/signed #2",
             "/video #2 https://v.douyin.com/iRNBho6u/", "/quality #2 good",
             "/code #2 AUTH-7731 30"]),
    ("bob", ['/sample mia "Vitamin C Serum" SF1002', "/signed #3",
             "/video #3 https://www.xiaohongshu.com/explore/6650a1", "/quality #3 good",
             "/code #3 XHS-2291 7"]),
    ("bob", ['/sample nora "Silk Scarf"', "/signed #4", "/video #4 https://vm.tiktok.com/ZM1",
             '/quality #4 poor "show the scarf in daylight, 15s max"']),
    ("cai", ['/sample 小美 "Night Cream"', "/signed #5", "/video #5 https://v.douyin.com/xm4/",
             "/quality #5 good"]),
    ("cai", ['/sample ken "Aroma Diffuser"', "/signed #6",
             "/video #6 https://channels.weixin.qq.com/v/ken5"]),
    ("cai", ['/sample ava "Lip Tint"', "/signed #7", "/chased #7"]),
    ("bob", ['/sample lily "Sun Cream SPF50" SF1007 urgent']),
    ("bob", ["/sample mia Toner", "/sample_cancel #9"]),
]  # fmt: skip


# Sample #1 is signed for ten days ago and never filmed: the demo starts the clock ten days
# back and lets the days pass, so it is chased MAX_CHASES times and becomes a no-show; the other
# samples are sent today.
NO_SHOW = ['/sample nora "Beach Hat"', "/signed #1"]


async def load(driver: Driver, people: Mapping[str, Any], groups: Mapping[str, int]) -> None:
    bd, ads = groups["bd"], groups["ads"]
    driver.services.clock.advance(-timedelta(days=10))
    for who, creators in CREATORS.items():
        for line in creators:
            await driver.say(people[who].id, bd, f"/creator_add {line}")
    for line in NO_SHOW:
        await driver.say(people["bob"].id, bd, line)
    for _ in range(5):
        await driver.wait(timedelta(days=2))
    for who, lines in SAMPLES:
        for line in lines:
            await driver.say(people[who].id, bd, line)
    # The ads team reports on the first sample: it is done, and Bob sees the ROI.
    await driver.say(people["dan"].id, ads, "/adstats #2 1000 50000 1500 60 9000")
