""""12月20号前能到吗", "周五能收到不", "过年前来得及吗": the day the customer needs the parcel by is read from the
message, and the answer is worked out from the shop's dispatch cut-off and delivery days on the shop's clock — in
time, tight, or too late — instead of the general delivery line. A table of how days are said, then conversations
through the REST API on both databases with the shop's clock set."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from bot import create_app
from bot.conversation.arrival import needed_by
from tests.bot.desk.test_auth import Clock
from tests.bot.rest import order_lines as lines
from tests.bot.rest import place, say, texts

TUESDAY = dt.date(2026, 12, 8)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("12月20号之前能收到吗", dt.date(2026, 12, 20)),
        ("十二月二十号能到吗", dt.date(2026, 12, 20)),
        ("12.20前能到吗", dt.date(2026, 12, 20)),
        ("20号前能到吗", dt.date(2026, 12, 20)),
        ("5号能到吗", dt.date(2027, 1, 5)),  # the 5th has passed this month: next month's
        ("1月3日前收得到吗", dt.date(2027, 1, 3)),  # January has passed this year: next year's
        ("周五能到吗", dt.date(2026, 12, 11)),
        ("星期天前能收到不", dt.date(2026, 12, 13)),
        ("下周三之前能到吗", dt.date(2026, 12, 16)),
        ("这周末能收到吗", dt.date(2026, 12, 12)),
        ("幾時可以到？下個禮拜去旅行", dt.date(2026, 12, 14)),  # by the start of next week
        ("明天能到吗", dt.date(2026, 12, 9)),
        ("今天下单明天能到吗", dt.date(2026, 12, 9)),  # the day it should come, not the day it is ordered
        ("大后天能到不", dt.date(2026, 12, 11)),
        ("三天内能到吗", dt.date(2026, 12, 11)),
        ("圣诞节前能到吗 送人的", dt.date(2026, 12, 25)),
        ("元旦前能收到吗", dt.date(2027, 1, 1)),
        ("过年前来得及吗", dt.date(2027, 2, 5)),  # New Year's Eve of the lunar year
        ("春节前能到吗", dt.date(2027, 2, 6)),
        ("聖誕節前收得到嗎", dt.date(2026, 12, 25)),  # Traditional characters
        ("几时能到", None),
        ("地址 人民路18号 几号能到", None),  # a house number is no day
        ("38号的鞋几天能到", None),  # nor a shoe size
        ("一年前买过 这次几天到", None),
        ("邮到劲松南路八号院 赵建国 手机一八六一一七二三零九五", None),  # 六一 inside a phone said in words
        ("六一前能到吗 给孩子的", dt.date(2027, 6, 1)),
    ],
)
def test_the_day_needed_by(text: str, day: dt.date | None) -> None:
    found = needed_by(text, TUESDAY)
    assert (found[1] if found else None) == day, found


async def _shop(aiohttp_client: Any, settings: Any, classifier: Any, hour: int) -> Any:
    clock = Clock()
    clock.now = dt.datetime(2026, 12, 8, hour, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))).astimezone(dt.UTC)
    return await aiohttp_client(create_app(settings, classifier=classifier, clock=clock))


async def test_a_day_far_enough_is_in_time_and_a_near_one_is_tight(
    aiohttp_client: Any, settings: Any, classifier: Any,
) -> None:
    client = await _shop(aiohttp_client, settings, classifier, hour=9)  # a Tuesday morning, before the 16:00 cut-off
    far = texts(await say(client, "nd-1", "羽绒服 12月20号之前能收到吗 送人的"))
    assert "12月10日" in far and "12月12日" in far and "12月20日" in far, far
    assert "来不及" not in far and "紧" not in far, far
    near = texts(await say(client, "nd-2", "要件黑色羽绒服 周五能到吗"))
    assert "周五（12月11日）" in near and ("紧" in near or "悬" in near), near


async def test_after_the_cut_off_tomorrow_is_too_late_and_said_so(
    aiohttp_client: Any, settings: Any, classifier: Any,
) -> None:
    client = await _shop(aiohttp_client, settings, classifier, hour=18)  # after the cut-off: it ships tomorrow
    late = texts(await say(client, "nd-3", "围巾明天能到吗 急用"))
    assert "明天（12月9日）" in late and "12月11日" in late and "来不及" in late, late


async def test_the_day_asked_beside_an_order_is_answered_and_the_order_goes_on(
    aiohttp_client: Any, settings: Any, classifier: Any,
) -> None:
    client = await _shop(aiohttp_client, settings, classifier, hour=10)
    answer = texts(await say(client, "nd-4", "小白鞋 米白色 39码 一双 过年前能到吗"))
    assert "除夕（2月5日）" in answer and "来不及" not in answer, answer
    assert await place(client, "nd-4", "何静 13922408651 广东省东莞市南城区鸿福路96号 3栋207")
    assert await lines(client) == [("经典帆布小白鞋", "米白色", "39", 1)]


async def test_when_an_order_just_placed_comes_is_answered_for_the_trip_however_it_is_typed(
    aiohttp_client: Any, settings: Any, classifier: Any,
) -> None:
    client = await _shop(aiohttp_client, settings, classifier, hour=10)
    await say(client, "nd-5", "碎花雪紡裙 M 黃色碎花")
    assert await place(client, "nd-5", "陳嘉欣 13510827736 廣東省深圳市福田區福華三路88號時代財富大廈B座1206")
    trip = texts(await say(client, "nd-5", "幾時可以到？下個禮拜去旅行想著"))
    assert "12月14日" in trip and "12月10日" in trip and "没太明白" not in trip, trip
    assert "现在拍" not in trip, trip  # (the order is placed: not worded as a new one)
