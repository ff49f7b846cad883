"""What two fresh sets of shoppers (AI and AJ of 2026-12-07: tired people after work; older shoppers, Traditional
characters and Cantonese) wrote and the bot misread, on both databases: notes in Traditional script or glued to
the address; a white tee named beside a question; two items with their colours in one run-on sentence; a colour
taken back with "算了还是"; a count before three sizes at the read-back; pounds; a Cantonese sweater; the
recipient's label; a colour the item is not made in; refund questions and a return on its way back read as
complaints; a sold-out item still asked about; measurements taken for a request for a person; a size to check; a
cancel described by its item; questions while a complaint waits. Each checks what the customer would notice: the
reply, the chat's status and the order the warehouse gets (``GET /api/shipping``).
"""

from __future__ import annotations

from typing import Any

from tests.bot.rest import order_lines as lines
from tests.bot.rest import place as placed
from tests.bot.rest import say, tasks, texts

ADDRESS = "陈静怡 13588207416 浙江省杭州市西湖区文三路398号东方通信大厦12楼"


async def place(client: Any, customer: str, address: str = ADDRESS) -> str:
    return await placed(client, customer, address)


async def notes(client: Any) -> str:
    return " ".join(t.get("notes") or "" for t in await tasks(client))


# ------------------------------------------------------------------ details read rightly


async def test_a_note_in_traditional_script_and_the_days_nobody_is_in_reach_the_warehouse(client: Any) -> None:
    await say(client, "aw-1", "你好，請問水洗牛仔夾克有深藍色嗎？")
    await say(client, "aw-1", "我168cm，58kg，應該穿什麼尺碼？")
    faded = await say(client, "aw-1", "會不會掉色？我怕染到白T")
    assert "浮色" in texts(faded), texts(faded)
    chosen = await say(client, "aw-1", "OK，那要深藍色一件")
    assert "没有白色" not in texts(chosen), "the white tee is what might be dyed, not a colour asked for"
    await say(client, "aw-1", "寄到公司，平日才有人收，麻煩備注一下週末不要送")
    await place(client, "aw-1")
    assert await lines(client) == [("水洗牛仔夹克", "深蓝", "M", 1)]
    assert "週末不要送" in await notes(client) and "平日才有人收" in await notes(client)


async def test_an_address_ending_with_who_takes_it_in_keeps_that_as_the_note(client: Any) -> None:
    await say(client, "aw-2", "牛津纺衬衫浅蓝L一件")
    readback = await say(client, "aw-2", "黄志伟 13622897014 广东省广州市天河区天河北路233号中信广场写字楼前台代收")
    assert "前台代收" in texts(readback), texts(readback)
    await say(client, "aw-2", "确认")
    placed_tasks = await tasks(client)
    assert placed_tasks[0]["address"].endswith("中信广场写字楼") and "前台代收" in await notes(client)


async def test_the_labelled_recipient_wins_over_where_the_parcel_goes(client: Any) -> None:
    await say(client, "aw-3", "男士牛仔裤 孙子一米八二 一百六十斤 要多大的")
    readback = await say(client, "aw-3", "要深蓝的 一条 寄给孙子学校 收件人李浩然 18092736415 "
                                         "陕西省西安市长安区西长安街558号西北政法大学长安校区 放学校快递站")
    assert "李浩然" in texts(readback) and "孙子学校" not in texts(readback), texts(readback)
    await say(client, "aw-3", "好好 就这样")
    assert await lines(client) == [("男士弹力修身牛仔裤", "深蓝", "XXL", 1)]
    assert "快递站" in await notes(client)


async def test_a_name_after_the_address_and_the_days_nobody_is_in_stay_with_the_order(client: Any) -> None:
    await say(client, "aw-4", "POLO衫 藏青 L")
    readback = await say(client, "aw-4", "寄公司 海南省海口市龙华区国贸大道48号新达商务大厦1506 符晓玲 18976025514 工作日送 周末没人")
    assert "符晓玲" in texts(readback) and "周末没人" in texts(readback), texts(readback)


# ------------------------------------------------------------------ the lines of the order


async def test_two_items_each_with_its_colour_in_one_run_on_sentence_are_two_lines(client: Any) -> None:
    await say(client, "aw-5", "你好我想给我儿子买双小百鞋")
    await say(client, "aw-5", "他脚长二十四点三公分穿多大马数")
    await say(client, "aw-5", "还有那个纯棉T恤他一米六五一百一十斤穿什么马")
    await say(client, "aw-5", "T恤要那个雾麻蓝色的鞋子要白色的各一个")
    await place(client, "aw-5")
    assert await lines(client) == [("纯棉圆领短袖T恤", "雾霾蓝", "M", 1), ("经典帆布小白鞋", "白色", "39", 1)]


async def test_a_colour_taken_back_with_suanle_haishi_leaves_one_line(client: Any) -> None:
    await say(client, "aw-6", "羽绒服还有吗")
    await say(client, "aw-6", "里面就穿个薄打底 158 96斤穿啥码")
    await say(client, "aw-6", "那就S 奶白色好看 但是会不会很脏啊…算了还是黑的吧")
    await place(client, "aw-6")
    assert await lines(client) == [("轻薄白鸭绒羽绒服", "黑色", "S", 1)]


async def test_a_count_before_three_sizes_at_the_readback_is_one_of_each(client: Any) -> None:
    await say(client, "aw-7", "POLO衫帮同事买 都要藏青")
    await say(client, "aw-7", "老陈168cm 120斤，小吴173cm 136斤，阿峰183cm 170斤")
    await say(client, "aw-7", "按这个尺码来")
    await say(client, "aw-7", ADDRESS)
    again = await say(client, "aw-7", "对 三件藏青 M L XXL")
    assert "×3" not in texts(again), texts(again)
    if "核对" in texts(again) or "确认" in texts(again):
        await say(client, "aw-7", "确认")
    assert await lines(client) == [("冰丝短袖POLO衫", "藏青", "L", 1), ("冰丝短袖POLO衫", "藏青", "M", 1),
                                   ("冰丝短袖POLO衫", "藏青", "XXL", 1)]


async def test_lines_said_again_beside_a_new_item_add_only_the_new_item(client: Any) -> None:
    await say(client, "aw-8", "牛仔夹克 他XL 我S")
    await say(client, "aw-8", "都要浅蓝")
    await place(client, "aw-8")
    faded = await say(client, "aw-8", "会掉色吗 他老是把白T和外套一起扔洗衣机🙄")
    assert "浮色" in texts(faded) and "T恤" not in texts(faded), texts(faded)
    added = await say(client, "aw-8", "那都要浅蓝 他XL我S 再加一包袜子黑白灰的")
    assert "纯棉中筒袜五双装 黑白灰混装" in texts(added) and "已经有水洗牛仔夹克" not in texts(added), texts(added)
    await say(client, "aw-8", "确认")
    assert await lines(client) == [("水洗牛仔夹克", "浅蓝", "S", 1), ("水洗牛仔夹克", "浅蓝", "XL", 1),
                                   ("纯棉中筒袜五双装", "黑白灰混装", "均码", 1)]


# ------------------------------------------------------------------ which item


async def test_jeans_said_with_mens_after_the_word_are_the_mens_jeans(client: Any) -> None:
    shown = await say(client, "aw-9", "在吗 给儿子买条牛仔裤 男款那个")
    assert "男士弹力修身牛仔裤" in texts(shown) and "没太明白" not in texts(shown), texts(shown)


async def test_pounds_are_pounds_and_a_cantonese_sweater_is_the_sweater(client: Any) -> None:
    asked = await say(client, "aw-10", "hi 想問下你哋件羊毛冷衫著落會唔會痕㗎？我老竇皮膚好敏感")
    assert "羊毛混纺圆领毛衣" in texts(asked) or "扎" in texts(asked), texts(asked)
    sized = await say(client, "aw-10", "佢大概172cm 145磅左右 應該要咩size")
    assert "L码" in texts(sized) and "65.8kg" in texts(sized), texts(sized)


async def test_a_colour_the_trousers_lack_points_to_the_jeans_and_the_jeans_that_fit_are_bought(client: Any) -> None:
    await say(client, "aw-11", "你好 阔腿裤仲有冇货啊 想要M码")
    lacking = await say(client, "aw-11", "深蓝")
    assert "没有深蓝" in texts(lacking) and "高腰直筒牛仔裤" in texts(lacking), texts(lacking)
    turned = await say(client, "aw-11", "咁都系买牛仔裤算啦 我1米6 96斤 着咩码")
    assert "高腰直筒牛仔裤" in texts(turned) and "M码" in texts(turned) and "阔腿裤" not in texts(turned), texts(turned)
    await place(client, "aw-11", "梁嘉欣 13719284630 广东省广州市海珠区江南大道中168号江南新苑5座1204 放楼下丰巢唔该")
    assert await lines(client) == [("高腰直筒牛仔裤", "深蓝", "M", 1)]


async def test_the_sold_out_boots_are_still_the_ones_asked_about(client: Any) -> None:
    gone = await say(client, "aw-12", "切尔西靴 黑色42 有吗")
    assert "卖完" in texts(gone) and "T恤" not in " ".join(b for r in gone["replies"] for b in r["buttons"]), gone
    colours = await say(client, "aw-12", "都没了？深棕也没有？")
    assert colours["status"] == "bot" and "快递" not in texts(colours), texts(colours)
    fit = await say(client, "aw-12", "那这个鞋码偏大还是偏小 我平时穿42 等补货了再来")
    assert "偏大半码" in texts(fit) and "小白鞋" not in texts(fit), texts(fit)
    bye = await say(client, "aw-12", "好 谢了 回头再说")
    assert bye["status"] == "bot", texts(bye)


# ------------------------------------------------------------------ sizes


async def test_measurements_alone_never_call_a_person(client: Any) -> None:
    await say(client, "aw-13", "男士牛仔裤")
    sized = await say(client, "aw-13", "我172 65kg")
    assert sized["status"] == "bot" and "L码" in texts(sized) and "人工" not in texts(sized), texts(sized)


async def test_a_size_asked_to_be_checked_is_held_against_the_chart(client: Any) -> None:
    await say(client, "aw-14", "男士牛仔裤")
    await say(client, "aw-14", "我172 65kg")
    checked = await say(client, "aw-14", "XL不会太大吗")
    assert "L码" in texts(checked) and "XL码可能" in texts(checked), texts(checked)
    unknown = await say(client, "aw-15", "缎面衬衫还有吗")
    fine = await say(client, "aw-15", "那黑色 162 104斤 M对吧")
    assert "M码正合适" in texts(fine) and "地址" in texts(fine), (texts(unknown), texts(fine))


async def test_a_size_checked_after_ordering_is_answered_not_called_a_repeat(client: Any) -> None:
    await say(client, "aw-16", "纯棉T恤 白色L")
    await place(client, "aw-16")
    checked = await say(client, "aw-16", "我170 65kg L没错吧")
    assert "L码正合适" in texts(checked) and "不用再拍" not in texts(checked), texts(checked)


# ------------------------------------------------------------------ not complaints


async def test_refund_questions_before_buying_are_answered_not_queued(client: Any) -> None:
    await say(client, "aw-17", "您好 我想先问问 你们买多少钱包邮")
    await say(client, "aw-17", "不合适能退吗 几天之内 退的话运费谁出")
    refund = await say(client, "aw-17", "钱退回来要多久 我用的是女儿的支付宝")
    assert refund["status"] == "bot" and "1–3个工作日" in texts(refund), texts(refund)
    courier = await say(client, "aw-17", "你们发什么快递 到我们这儿要几天")
    assert "中通" in texts(courier) and "无理由" not in texts(courier), texts(courier)
    later = await say(client, "aw-17", "好 我都记下了 等我女儿周末回来帮我下 谢谢啊")
    assert later["status"] == "bot" and "哪一款" not in texts(later), texts(later)


async def test_a_return_the_shop_has_signed_for_is_a_refund_question_not_a_courier_complaint(client: Any) -> None:
    signed = await say(client, "aw-18", "你好 我退的那条百褶裙 物流显示你们昨天签收了")
    assert signed["status"] == "bot" and "快递的问题" not in texts(signed), texts(signed)
    when = await say(client, "aw-18", "想问下退款大概什么时候到 是原路退回微信吗")
    assert when["status"] == "bot" and "1–3个工作日" in texts(when), texts(when)


async def test_a_cancel_described_by_its_item_goes_to_a_person_not_to_a_new_sale(client: Any) -> None:
    await say(client, "aw-19", "那个 我刚才下的单能取消吗 就十分钟前")
    described = await say(client, "aw-19", "百褶裙 黑色S 对 就那个")
    assert described["status"] == "waiting_agent" and "地址" not in texts(described), texts(described)


# ------------------------------------------------------------------ while a complaint waits


async def test_a_question_while_a_complaint_waits_is_quoted_back_not_met_with_the_queue_line(client: Any) -> None:
    await say(client, "aw-20", "你们之前那个客服什么态度 问三遍都不理人 最后回一句自己看详情页")
    await say(client, "aw-20", "我要找你们负责人 不要机器人")
    shed = await say(client, "aw-20", "我买的那条灰色围巾掉毛 黑大衣上全是 这算质量问题吗")
    assert "初期会有少量掉毛" in texts(shed) and "留着了" not in texts(shed), texts(shed)
    asked = await say(client, "aw-20", "到底是怎么回事 能不能给个准话")
    assert "能不能给个准话" in texts(asked) and "留着了" not in texts(asked), texts(asked)
    assert asked["status"] == "waiting_agent"


async def test_care_asked_while_a_complaint_waits_is_the_complained_items(client: Any) -> None:
    await say(client, "aw-21", "你好 我上周买的那件轻薄羽绒服 藏青色 穿了两次 袖子那边一直往外钻毛")
    worn = await say(client, "aw-21", "不算特别严重 但是蹭得毛衣上全是白毛 这正常吗")
    assert "毛衣没有白色" not in texts(worn) and worn["status"] == "waiting_agent", texts(worn)
    care = await say(client, "aw-21", "另外想问下这种能不能洗衣机洗 怕洗坏了")
    assert "羽绒" in texts(care) and "羊毛程序" not in texts(care), texts(care)


# ------------------------------------------------------------------ postage


async def test_how_far_from_free_postage_is_said_in_yuan(client: Any) -> None:
    await say(client, "aw-22", "袜子包邮不")
    gap = await say(client, "aw-22", "差多少")
    assert "还差70元" in texts(gap), texts(gap)
