"""What two more fresh sets of shoppers (AK and AL of 2026-12-07: a busy Saturday; small towns, voice input, people
in a hurry) wrote and the bot misread, on both databases: an address sent before anything is chosen; a phone number
put right after ordering; an item named by a word of its name ("百褶的那个"); three people measured without names;
a colour turned down in the same breath ("没有白的啊 那燕麦色吧", "唔好唔好…换返藏青"); "两件都要黑色S" for two items
talked about; a pack's name read as a count; "灰扑扑" read as grey; a sold-out item's restock; a size question
with "偏大" read as a return; the gifts haggled for taken as items. Each checks what the customer would notice:
the reply, the chat's status and the order the warehouse gets (``GET /api/shipping``).
"""

from __future__ import annotations

from typing import Any

from tests.bot.rest import order_lines as lines
from tests.bot.rest import place as placed
from tests.bot.rest import say, tasks, texts

ADDRESS = "吴秀梅 13956240817 安徽省六安市霍邱县城关镇蓼城路阳光小区6栋2单元401"


async def place(client: Any, customer: str, address: str = ADDRESS) -> str:
    return await placed(client, customer, address)


async def test_an_address_sent_before_choosing_is_kept_for_the_order(client: Any) -> None:
    kept = await say(client, "wk-1", "你好 先把地址发你 省得等下忘了 陈秀梅 13706412259 山东省潍坊市奎文区东风东街366号金宝花园3号楼2单元501")
    assert kept["status"] == "bot" and "订单号" not in texts(kept) and "陈秀梅" in texts(kept), texts(kept)
    readback = await say(client, "wk-1", "条纹长袖 白底藏青条 S")
    assert "核对" in texts(readback) and "省得" not in texts(readback), texts(readback)
    assert "东风东街366号" in texts(readback), texts(readback)


async def test_a_phone_put_right_after_ordering_is_the_orders_phone(client: Any) -> None:
    await say(client, "wk-2", "双面羊绒大衣 驼色 S")
    await place(client, "wk-2", "郑淑芬 13857426601 浙江省宁波市海曙区中山西路138号天一家园12栋503")
    fixed = await say(client, "wk-2", "啊手机号打错了 最后三位是610不是601 正确的是13857426610")
    assert "改" in texts(fixed) and "我在的" not in texts(fixed), texts(fixed)
    assert [t["phone"] for t in await tasks(client)] == ["13857426610"]


async def test_an_item_named_by_a_word_of_its_name_is_that_item(client: Any) -> None:
    skirt = await say(client, "wk-3", "你好 想给女朋友买条裙子 百褶的那个 她大概一米六 95斤 买哪个码")
    assert "高腰百褶半身裙" in texts(skirt) and "M码" in texts(skirt), texts(skirt)
    pink = await say(client, "wk-4", "有粉色碎花的吗 想穿去三亚拍照📸")
    assert "碎花雪纺连衣裙" in texts(pink) and "没太明白" not in texts(pink), texts(pink)


async def test_three_people_measured_without_names_each_get_a_size_and_a_line(client: Any) -> None:
    await say(client, "wk-5", "我们部门三个人想穿同款牛仔夹克")
    sized = await say(client, "wk-5", "那就深蓝 尺码帮我看下：一个173 66公斤，一个185 86公斤，一个160 50公斤")
    assert all(s in texts(sized) for s in ("L码", "XXL码", "S码")) and "核对" not in texts(sized), texts(sized)
    await say(client, "wk-5", "可以 就按L、XXL、S各一件 都要深蓝")
    await place(client, "wk-5")
    assert await lines(client) == [("水洗牛仔夹克", "深蓝", "L", 1), ("水洗牛仔夹克", "深蓝", "S", 1),
                                   ("水洗牛仔夹克", "深蓝", "XXL", 1)]


async def test_a_colour_turned_down_in_the_same_breath_is_not_ordered(client: Any) -> None:
    await say(client, "wk-6", "想买情侣毛衣 这款有白色的吗")
    sized = await say(client, "wk-6", "啊没有白的啊 那燕麦色吧 我160 96斤 他178 150斤 各穿什么码呀")
    assert "没有白色" not in texts(sized) and "S码" in texts(sized) and "XL码" in texts(sized), texts(sized)
    await say(client, "wk-6", "好嘞 就燕麦色 我S他XL 各一件")
    await place(client, "wk-6")
    changed = await say(client, "wk-6", "等下等下 我那件换成杏色 他的还是燕麦色 他说一模一样太腻了哈哈")
    assert "杏色" in texts(changed) and "想改哪里" not in texts(changed), texts(changed)
    assert await lines(client) == [("羊毛混纺圆领毛衣", "杏色", "S", 1), ("羊毛混纺圆领毛衣", "燕麦色", "XL", 1)]


async def test_a_colour_taken_back_in_cantonese_leaves_the_one_chosen(client: Any) -> None:
    await say(client, "wk-7", "圆领毛衣 佢一米七五 一百三十斤 着咩码啱啊")
    await say(client, "wk-7", "要酒红啦……唔好唔好 佢话唔钟意红色 换返藏青")
    await place(client, "wk-7")
    assert await lines(client) == [("羊毛混纺圆领毛衣", "藏青", "L", 1)]


async def test_both_of_two_items_talked_about_in_one_variant_are_two_lines(client: Any) -> None:
    await say(client, "wk-8", "您好，想請問緞面襯衫香檳色會透嗎？上班要穿的")
    await say(client, "wk-8", "那我選黑色好了。我身高155，體重45公斤，要穿哪個尺寸？")
    await say(client, "wk-8", "另外冰絲闊腿褲還有貨嗎？黑色S還有嗎")
    await say(client, "wk-8", "好的，兩件都要黑色S，各一件。")
    await place(client, "wk-8")
    assert await lines(client) == [("冰丝垂感阔腿裤", "黑色", "S", 1), ("缎面垂感长袖衬衫", "黑色", "S", 1)]


async def test_a_sold_out_wish_then_a_jacket_and_a_pack_of_socks(client: Any) -> None:
    await say(client, "wk-9", "老板 你们那个加绒卫衣灰色的还有吗 儿子天天念叨要")
    restock = await say(client, "wk-9", "啊没了啊 那什么时候有货 孩子等着穿呢")
    assert "补货" in texts(restock) and "包退包换" not in texts(restock), texts(restock)
    await say(client, "wk-9", "那这个牛仔夹克他能穿不 一米六七 一百一十六斤 男孩子")
    dark = await say(client, "wk-9", "要深蓝的吧 耐脏 浅的他两天就穿得灰扑扑 洗了会掉色不")
    assert "没有灰色" not in texts(dark), texts(dark)
    await say(client, "wk-9", "再给拿一包袜子 黑的 五双那个 一起发")
    await place(client, "wk-9")
    assert await lines(client) == [("水洗牛仔夹克", "深蓝", "M", 1), ("纯棉中筒袜五双装", "全黑", "均码", 1)]


async def test_a_size_question_that_says_it_runs_large_is_no_return_and_gifts_haggled_for_are_no_items(
    client: Any,
) -> None:
    await say(client, "wk-10", "这个双面羊绒大衣真是羊绒的吗 含量多少")
    sized = await say(client, "wk-10", "我一米六三 一百零五斤 平时穿M 你们说偏大 那我穿啥")
    assert "M码" in texts(sized) and "无理由" not in texts(sized) and sized["status"] == "bot", texts(sized)
    await say(client, "wk-10", "六百九十九有点贵啊 便宜点呗 抹个零")
    await say(client, "wk-10", "那券和袜子两个都给我呗")
    chosen = await say(client, "wk-10", "行吧 那就用券 驼色M一件 地址发你")
    assert "袜子" not in texts(chosen) and "五双装" not in texts(chosen), texts(chosen)
    await place(client, "wk-10")
    assert await lines(client) == [("双面羊绒大衣", "驼色", "M", 1)]


async def test_questions_about_the_item_while_a_service_complaint_waits_are_answered_from_the_catalogue(
    client: Any,
) -> None:
    await say(client, "wk-11", "昨天问你们客服百褶裙洗了会不会掉褶 就回我一句自己看详情页 这什么态度")
    await say(client, "wk-11", "我是来买东西的 不是来受气的 那个客服是谁 我要投诉")
    care = await say(client, "wk-11", "算了 你先告诉我 这裙子洗了到底掉不掉褶 能机洗吗")
    assert "不掉褶" in texts(care) and "答不准" not in texts(care), texts(care)
    sized = await say(client, "wk-11", "还有我一米六 一百斤 穿M还是L 先说清楚 我再考虑要不要买")
    assert "M码" in texts(sized) and "慢慢考虑" not in texts(sized), texts(sized)
    assert sized["status"] == "waiting_agent", "the complaint still waits for a person"


async def test_an_invoice_for_last_months_order_is_no_new_sale(client: Any) -> None:
    asked = await say(client, "wk-12", "你好 我们厂上个月在你们这买了二十件白T恤 现在财务要发票")
    assert "码" not in texts(asked) and "发票" in texts(asked), texts(asked)
    given = await say(client, "wk-12", "抬头东莞市长兴五金制品有限公司 税号91441900MA4W8R2L6J 发这个邮箱 dgcx_caiwu@126.com")
    assert "同事" in texts(given) and "下单后" not in texts(given), texts(given)


async def test_one_size_up_for_a_high_instep_is_confirmed_not_contradicted(client: Any) -> None:
    await say(client, "wk-13", "小白鞋 脚长238")
    checked = await say(client, "wk-13", "我脚背高 39合适吧")
    assert "39" in texts(checked) and "不太合身" not in texts(checked) and "身高体重" not in texts(checked), texts(checked)



async def test_a_down_jacket_losing_its_down_in_cantonese_goes_to_a_person(client: Any) -> None:
    first = await say(client, "wk-15", "你哋件羽绒服成日甩毛 着一日成身白毛")
    assert "现在有货" not in texts(first) and "奶白" not in texts(first), texts(first)
    which = await say(client, "wk-15", "买咗一个礼拜 黑色嗰件 L码")
    assert which["status"] == "waiting_agent" and "地址" not in texts(which), texts(which)


async def test_a_remark_that_it_is_a_bot_and_just_looking_are_no_complaint(client: Any) -> None:
    await say(client, "wk-16", "你是机器人吧")
    remark = await say(client, "wk-16", "这么晚还秒回 不是机器人谁信")
    assert remark["status"] == "bot" and "交代" not in texts(remark), texts(remark)
    best = await say(client, "wk-16", "睡不着 随便聊聊 你们卖得最好的是啥")
    assert "纯棉圆领短袖T恤" in texts(best) and "我在的" not in texts(best), texts(best)
    looking = await say(client, "wk-16", "哈哈行吧 就看看 不买")
    assert "慢慢" in texts(looking) and "没太明白" not in texts(looking), texts(looking)


async def test_a_colleague_who_also_wants_one_gets_a_line_of_his_own(client: Any) -> None:
    await say(client, "wk-17", "工装裤有没有束脚的 码数准不准")
    await say(client, "wk-17", "我173 134斤")
    await say(client, "wk-17", "我同事也要一条 他168 120斤 要黑的")
    await say(client, "wk-17", "我的要卡其")
    await place(client, "wk-17")
    assert await lines(client) == [("纯棉休闲工装裤", "卡其", "L", 1), ("纯棉休闲工装裤", "黑色", "M", 1)]


async def test_an_item_looked_at_yesterday_is_asked_about_not_complained_of(client: Any) -> None:
    looked = await say(client, "wk-18", "你好呀 我昨天看的灰色那条裤子 很垂的那种 叫啥来着")
    assert looked["status"] == "bot" and "冰丝垂感阔腿裤" in texts(looked), texts(looked)


async def test_a_choice_with_a_timing_question_is_the_order_and_the_timing(client: Any) -> None:
    await say(client, "wk-19", "請問這件碎花洋裝是雪紡的嗎？淺色的會不會透啊")
    await say(client, "wk-19", "我165公分 55公斤 穿哪個尺寸比較剛好？")
    chosen = await say(client, "wk-19", "好喔 那就黃色碎花L 一件 下個月要去三亞 應該來得及吧")
    assert "2–4天" in texts(chosen) and "地址" in texts(chosen), texts(chosen)
    await place(client, "wk-19")
    assert await lines(client) == [("碎花雪纺连衣裙", "黄色碎花", "L", 1)]


async def test_haggling_after_the_order_is_placed_promises_no_coupon_for_it(client: Any) -> None:
    await say(client, "wk-20", "小白鞋 米白 38")
    await place(client, "wk-20")
    haggled = await say(client, "wk-20", "学生党钱包已阵亡 能便宜点不 求求了🥺")
    assert "优惠券" not in texts(haggled) and "已经下好了" in texts(haggled), texts(haggled)


async def test_a_coat_named_as_what_she_wears_keeps_the_scarf_in_view(client: Any) -> None:
    await say(client, "wk-21", "想给我妈买条围巾当生日礼物，她脖子特别敏感，这个会扎吗")
    shed = await say(client, "wk-21", "会掉毛吗？我妈老穿黑大衣的")
    assert "初期会有少量掉毛" in texts(shed) and "双面羊绒大衣的起球" not in texts(shed), texts(shed)
    await say(client, "wk-21", "那要酒红色的吧，显气色。")
    await place(client, "wk-21")
    assert await lines(client) == [("羊毛针织围巾", "酒红", "均码", 1)]


async def test_a_colour_taken_back_after_an_item_joined_the_order_changes_that_item(client: Any) -> None:
    await say(client, "wk-22", "缎面衬衫 黑色 L")
    await place(client, "wk-22")
    await say(client, "wk-22", "再加条高腰直筒牛仔裤 深蓝 L")
    await say(client, "wk-22", "对")
    changed = await say(client, "wk-22", "哦不对 还是浅蓝吧 深蓝我有了")
    assert "浅蓝" in texts(changed) and "排队打包" not in texts(changed), texts(changed)
    assert await lines(client) == [("缎面垂感长袖衬衫", "黑色", "L", 1), ("高腰直筒牛仔裤", "浅蓝", "L", 1)]
