"""Console demo data for the creator pipeline: creators in every tier and samples spread over
the stages, all entered through the real bot by the console's BD reps (bob, cai) and the ads
team (dan), exactly as people would type them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.driver import Driver

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
    ("bob", ['/sample lily "Hydra Mask 50ml" SF1001', "/signed #1",
             "/video #1 https://v.douyin.com/iRNBho6u/", "/quality #1 good",
             "/code #1 AUTH-7731 30"]),
    ("bob", ['/sample mia "Vitamin C Serum" SF1002', "/signed #2",
             "/video #2 https://www.xiaohongshu.com/explore/6650a1", "/quality #2 good",
             "/code #2 XHS-2291 7"]),
    ("bob", ['/sample nora "Silk Scarf"', "/signed #3", "/video #3 https://vm.tiktok.com/ZM1",
             '/quality #3 poor "show the scarf in daylight, 15s max"']),
    ("cai", ['/sample 小美 "Night Cream"', "/signed #4", "/video #4 https://v.douyin.com/xm4/",
             "/quality #4 good"]),
    ("cai", ['/sample ken "Aroma Diffuser"', "/signed #5",
             "/video #5 https://channels.weixin.qq.com/v/ken5"]),
    ("cai", ['/sample ava "Lip Tint"', "/signed #6", "/chased #6"]),
    ("bob", ['/sample lily "Sun Cream SPF50" SF1007 urgent']),
    ("bob", ["/sample mia Toner", "/sample_cancel #8"]),
]  # fmt: skip


async def load(driver: Driver, people: Mapping[str, Any], groups: Mapping[str, int]) -> None:
    bd, ads = groups["bd"], groups["ads"]
    for who, creators in CREATORS.items():
        for line in creators:
            await driver.say(people[who].id, bd, f"/creator_add {line}")
    for who, lines in SAMPLES:
        for line in lines:
            await driver.say(people[who].id, bd, line)
    # The ads team reports on the first sample: it is done, and Bob sees the ROI.
    await driver.say(people["dan"].id, ads, "/adstats #1 1000 50000 1500 60 9000")
