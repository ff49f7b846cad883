"""What two fresh sets of shoppers (AC and AD of 2026-12-07: phones on a commute, careful buyers) wrote and the bot
misread, on both databases: a see-through question with measurements taken as a purchase; an item dropped while
the address is asked; a daughter shown men's jeans; "等下 到站了" asked whether something went wrong; "白T" and
"同一个码"; a colour that picks one of two items shown; one person's colour changed in a couple's order. Each checks
what the customer would notice: the reply, the chat's status and the order the warehouse gets (``GET /api/shipping``).
"""

from __future__ import annotations

from typing import Any

from tests.bot.rest import order_lines as lines
from tests.bot.rest import place as placed
from tests.bot.rest import say, tasks, texts

ADDRESS = "何佩琪 13758820461 浙江省宁波市鄞州区天童南路588号宁波文化广场A座2210"


async def place(client: Any, customer: str) -> str:
    return await placed(client, customer, ADDRESS)


async def test_a_question_with_measurements_buys_nothing_and_an_item_dropped_mid_order_leaves_the_rest(
    client: Any,
) -> None:
    asked = await say(client, "og-1", "那看看衣服吧 缎面衬衫香槟色透不透 我156 92斤")
    assert "微透" in texts(asked) and "S码" in texts(asked) and "地址" not in texts(asked), texts(asked)
    await say(client, "og-1", "那要黑色S 再来条黑色阔腿裤S")
    dropped = await say(client, "og-1", "算了裤子先不要了 就衬衫")
    assert "先不要了" in texts(dropped) and "地址" in texts(dropped) and "祝您" not in texts(dropped), texts(dropped)
    await place(client, "og-1")
    assert await lines(client) == [("缎面垂感长袖衬衫", "黑色", "S", 1)]


async def test_a_mother_on_the_metro_gets_her_daughters_jeans_and_a_white_tee_of_the_same_size(client: Any) -> None:
    shown = await say(client, "og-2", "给我闺女买条牛仔裤 她一米五六 92斤")
    assert "高腰直筒牛仔裤" in texts(shown) and "男士" not in texts(shown) and "S码" in texts(shown), texts(shown)
    length = await say(client, "og-2", "她个子不高 会不会拖地啊")
    assert "九分" in texts(length) and "包退包换" not in texts(length), texts(length)
    await say(client, "og-2", "那要浅蓝的")
    away = await say(client, "og-2", "等下 到站了")
    assert away["status"] == "bot" and "不着急" in texts(away) and "问题" not in texts(away), texts(away)
    await say(client, "og-2", "好了继续 再配一件白T 同一个码吧")
    await place(client, "og-2")
    assert await lines(client) == [("纯棉圆领短袖T恤", "白色", "S", 1), ("高腰直筒牛仔裤", "浅蓝", "S", 1)]


async def test_a_colour_only_one_of_the_items_shown_is_made_in_chooses_it(client: Any) -> None:
    await say(client, "og-3", "牛仔裤有哪些款")
    chosen = await say(client, "og-3", "那要浅蓝的")
    assert "高腰直筒牛仔裤" in texts(chosen) and "码" in texts(chosen), texts(chosen)


async def test_one_persons_colour_changed_after_a_couples_order_changes_that_line_only(client: Any) -> None:
    await say(client, "og-4", "睡衣可以买情侣款吗")
    await say(client, "og-4", "我160 100斤 他180 156斤")
    await say(client, "og-4", "我要浅粉 他雾霾蓝吧")
    await place(client, "og-4")
    await say(client, "og-4", "纱布的洗了会缩吗")
    changed = await say(client, "og-4", "啊他刚说不要蓝的 要浅灰")
    assert "浅灰" in texts(changed) and "核对" not in texts(changed), texts(changed)
    assert await lines(client) == [("纯棉长袖睡衣套装", "浅灰", "XXL", 1), ("纯棉长袖睡衣套装", "浅粉", "M", 1)]


async def test_a_careful_buyer_gets_each_question_answered_and_one_items_colour_changed_clause_by_clause(
    client: Any,
) -> None:
    asked = await say(client, "og-5", "缎面那件衬衫香槟色透不透？会不会一坐就皱？是不是只能干洗？")
    assert all(word in texts(asked) for word in ("微透", "不易起皱", "手洗或干洗")), texts(asked)
    checked = await say(client, "og-5", "那就要黑色，我161，102斤，M对吗？阔腿裤也想要一条黑色的，同样M？")
    assert "M码" in texts(checked), texts(checked)
    await place(client, "og-5")
    changed = await say(client, "og-5", "裤子改成灰色吧，跟黑衬衫撞色了，衬衫还是黑的。")
    assert "灰色" in texts(changed) and "现在就是黑色" not in texts(changed) and "挑了" not in texts(changed), texts(changed)
    assert await lines(client) == [("冰丝垂感阔腿裤", "灰色", "M", 1), ("缎面垂感长袖衬衫", "黑色", "M", 1)]


async def test_a_building_number_put_right_at_the_read_back_or_after_ordering_is_the_orders_address(
    client: Any,
) -> None:
    read = await say(client, "og-6", "纯棉长袖睡衣套装 浅粉L一套 雾霾蓝XL一套 张丽 13912547806 "
                                     "南京市建邺区江东中路399号万达华府21栋1602 别打电话放快递柜")
    assert "21栋" in texts(read), texts(read)
    fixed = await say(client, "og-6", "对 等下 是12栋 不是21栋")
    assert "12栋" in texts(fixed) and "下单成功" not in texts(fixed), texts(fixed)
    await say(client, "og-6", "确认")
    [task] = await tasks(client)
    assert "12栋1602" in task["address"], task
    await say(client, "og-6", "纱布的洗了会不会缩")
    again = await say(client, "og-6", "不对 是3单元 其他没错")
    assert "祝您" not in texts(again), texts(again)
    [task] = await tasks(client)
    assert "12栋1602" in task["address"] and "3单元" not in task["address"], task
    moved = await say(client, "og-6", "不对 是15栋 不是12栋 其他没错")
    assert "15栋" in texts(moved) and "祝您" not in texts(moved), texts(moved)
    [task] = await tasks(client)
    assert "15栋1602" in task["address"], task


async def test_each_childs_item_named_in_their_own_words_is_sized_from_its_own_chart_and_asked_about_by_name(
    client: Any,
) -> None:
    await say(client, "og-7", "在吗 我想给两个孩子买衣服 女儿155 84斤 想要那个百褶半身裙 黑色的 "
                              "儿子173 130斤 要纯棉那个圆领短袖 也黑色")
    washed = await say(client, "og-7", "那T恤黑色的洗了会不会掉色 儿子衣服都是丢洗衣机的")
    assert "冷水机洗" in texts(washed) and "百褶" not in texts(washed), texts(washed)
    await place(client, "og-7")
    assert await lines(client) == [("纯棉圆领短袖T恤", "黑色", "L", 1), ("高腰百褶半身裙", "黑色", "S", 1)]


async def test_my_one_of_a_couples_order_changed_by_who_it_is_for_and_the_address_sent_again_in_traditional(
    client: Any,
) -> None:
    await say(client, "og-8", "羊毛混纺圆领毛衣")
    await say(client, "og-8", "我162cm 50kg，男朋友180cm 78kg，各要一件，我要酒紅，他要燕麥色")
    await placed(client, "og-8", "陳嘉欣 13612849930 广东省深圳市南山区科技南十二路9号曙光大厦A座1608", yes="係，冇問題，落單吧")
    changed = await say(client, "og-8", "我那件還是換杏色吧，酒紅怕太搶眼")
    assert changed["status"] == "bot" and "杏色" in texts(changed), texts(changed)
    assert await lines(client) == [("羊毛混纺圆领毛衣", "杏色", "S", 1), ("羊毛混纺圆领毛衣", "燕麦色", "XL", 1)]
    again = await say(client, "og-8", "地址：深圳市南山區科技南十二路9號曙光大廈A座1608，陳嘉欣，13612849930，工作日送到公司前台就好")
    assert "核对" not in texts(again) and "前台" in texts(again), texts(again)
    assert await lines(client) == [("羊毛混纺圆领毛衣", "杏色", "S", 1), ("羊毛混纺圆领毛衣", "燕麦色", "XL", 1)]
    [task] = await tasks(client)
    assert "前台" in (task.get("notes") or ""), task


async def test_three_questions_about_an_item_and_its_delivery_buy_nothing(client: Any) -> None:
    asked = await say(client, "og-9", "你好，想问一下那款纯棉圆领T恤，白色的单穿会不会透？洗了会不会缩水？我在成都，今天下单大概几天能到？")
    assert all(word in texts(asked) for word in ("不透", "缩", "2–4天")), texts(asked)
    assert "哪个码" not in texts(asked) and "地址" not in texts(asked), texts(asked)


async def test_a_husbands_line_changed_at_the_read_back_by_who_it_is_for(client: Any) -> None:
    await say(client, "og-10", "纯棉圆领T恤")
    await say(client, "og-10", "我S（160cm/96斤），老公XL（178cm/150斤），都要白色")
    await say(client, "og-10", "刘静 13882017465 四川省成都市武侯区玉林南路28号玉林小区5栋2单元301")
    read = await say(client, "og-10", "等一下，我老公那件还是换成黑色吧，雾霾蓝他估计不穿。其他没问题。")
    assert "白色 S ×1" in texts(read) and "黑色 XL ×1" in texts(read) and "包退包换" not in texts(read), texts(read)
    await say(client, "og-10", "确认")
    assert await lines(client) == [("纯棉圆领短袖T恤", "白色", "S", 1), ("纯棉圆领短袖T恤", "黑色", "XL", 1)]


async def test_haggling_with_a_reason_gets_the_allowed_concession_at_once(client: Any) -> None:
    await say(client, "og-11", "羊毛混纺圆领毛衣")
    haggled = await say(client, "og-11", "有点贵 老顾客了 能便宜点吗")
    assert "优惠券" in texts(haggled) and "很实在" not in texts(haggled), texts(haggled)


async def test_wanting_a_new_one_while_a_complaint_waits_is_the_complaints_wish_not_a_purchase(client: Any) -> None:
    await say(client, "og-12", "您好，打扰一下，我前几天买的羽绒服拉链头掉了，拉不上")
    await say(client, "og-12", "才穿了两次，应该不是我用力的问题")
    aside = await say(client, "og-12", "另外一起买的围巾有点掉毛，这个正常吗")
    assert "属正常" in texts(aside), texts(aside)
    wish = await say(client, "og-12", "希望能换一件，麻烦了")
    assert wish["status"] == "waiting_agent" and "颜色" not in texts(wish) and "换" in texts(wish), texts(wish)


async def test_a_no_fault_return_is_told_its_conditions_and_who_pays_the_postage_back(client: Any) -> None:
    await say(client, "og-13", "百褶裙收到了 穿着有点长 想退")
    no_fault = await say(client, "og-13", "没有质量问题 就是不太适合我")
    assert "吊牌完好" in texts(no_fault) and "包退包换" not in texts(no_fault), texts(no_fault)
    postage = await say(client, "og-13", "运费谁出啊")
    assert "自己承担" in texts(postage) and "包邮" not in texts(postage), texts(postage)


async def test_how_a_colour_looks_on_her_is_honestly_not_in_the_details_and_a_skin_tone_is_no_colour(
    client: Any,
) -> None:
    await say(client, "og-14", "这个白T洗了会缩吗")
    which = await say(client, "og-14", "雾霾蓝和燕麦色哪个显白")
    assert "资料里没有写" in texts(which) and "有货" not in texts(which), texts(which)
    skin = await say(client, "og-14", "我黄皮")
    assert "黄色" not in texts(skin), texts(skin)
    gone = await say(client, "og-14", "啊到站了 下次再说")
    assert "哪个码" not in texts(gone), texts(gone)


async def test_asked_whether_it_is_a_machine_it_says_so_and_a_size_checked_in_cantonese_is_answered(
    client: Any,
) -> None:
    robot = await say(client, "og-15", "你是不是机器")
    assert "智能" in texts(robot), texts(robot)
    await say(client, "og-15", "你好 有冇羊毛混纺圆领毛衣")
    checked = await say(client, "og-15", "我168 58kg 著M得唔得")
    assert "M码" in texts(checked), texts(checked)


async def test_questions_beside_a_waiting_complaint_get_what_the_shop_can_say_now(client: Any) -> None:
    await say(client, "og-16", "我10号买的羽绒服到现在还没到 中通单号三天没更新了 是不是丢了")
    await say(client, "og-16", "你们说2到4天 这都一个礼拜了 要么补发要么退钱")
    invoice = await say(client, "og-16", "还有 这单的发票也给我开一下 个人抬头 发邮箱 maerdan@163.com")
    assert "电子普通发票" in texts(invoice) and invoice["status"] == "waiting_agent", texts(invoice)
    await say(client, "og-17", "喂 我买嘢俾你哋扣咗两次钱")
    await say(client, "og-17", "同一张单 一百五十九 扣咗两次")
    when = await say(client, "og-17", "几时退返俾我")
    assert "1–3个工作日" in texts(when), texts(when)
    await say(client, "og-18", "你们怎么回事 我买的燕麦色发来是黑的")
    await say(client, "og-18", "订单上写得清清楚楚燕麦色L")
    await say(client, "og-18", "换 马上换 运费我可不出")
    soon = await say(client, "og-18", "多久能换到 我下周要穿")
    assert "安排发出" in texts(soon) and soon["status"] == "waiting_agent", texts(soon)
    today = await say(client, "og-18", "换的那件今天能发吗")
    assert "16:00前" in texts(today) and today["status"] == "waiting_agent", texts(today)


async def test_the_refund_of_a_cancel_asked_while_a_colleague_finds_the_order_gets_its_timing(client: Any) -> None:
    await say(client, "og-19", "在吗 我十分钟前下的法式条纹T恤拍错颜色了 能直接取消吗")
    await say(client, "og-19", "还没发货吧")
    refund = await say(client, "og-19", "取消了钱多久退回来")
    assert "原路退回" in texts(refund) and "1–3个工作日" in texts(refund), texts(refund)


async def test_each_item_restated_with_its_colour_at_the_read_back_changes_only_its_own_line(client: Any) -> None:
    await say(client, "og-20", "你好，我想给我爸买生日礼物，他171，130斤，那个羊毛混纺圆领毛衣穿哪个码？藏青色。")
    await say(client, "og-20", "再加一条羊毛围巾，酒红的，可以加礼盒吗？老人脖子敏感，会不会扎？")
    await say(client, "og-20", "于德福 13704519632 黑龙江省哈尔滨市南岗区西大直街118号省电力小区3栋4单元601")
    read = await say(client, "og-20", "对，藏青毛衣L加灰色围巾，礼盒包装，可以")
    assert "羊毛针织围巾 灰色" in texts(read) and "羊毛混纺圆领毛衣 藏青 L" in texts(read), texts(read)
    await say(client, "og-20", "确认")
    assert await lines(client) == [("羊毛混纺圆领毛衣", "藏青", "L", 1), ("羊毛针织围巾", "灰色", "均码", 1)]


async def test_a_change_to_an_item_the_order_does_not_hold_changes_nothing_and_says_so(client: Any) -> None:
    await say(client, "og-21", "羊毛混纺圆领毛衣 藏青 L")
    await place(client, "og-21")
    changed = await say(client, "og-21", "围巾换成灰色吧，我爸不爱红的。毛衣不变。")
    assert "没有羊毛针织围巾" in texts(changed) and "改为" not in texts(changed), texts(changed)
    assert await lines(client) == [("羊毛混纺圆领毛衣", "藏青", "L", 1)]


async def test_a_worry_about_the_jacket_dyeing_the_white_tees_is_about_the_jacket(client: Any) -> None:
    await say(client, "og-22", "牛仔夹克175 130斤穿啥码")
    fading = await say(client, "og-22", "浅蓝的会掉色不 我白T多")
    assert "浮色" in texts(fading) and "T恤" not in texts(fading), texts(fading)


async def test_a_colour_turned_down_beside_the_change_of_one_line_changes_only_that_line(client: Any) -> None:
    await say(client, "og-23", "羊毛混纺圆领毛衣 藏青 L 再加一条羊毛围巾 酒红")
    await place(client, "og-23")
    changed = await say(client, "og-23", "围巾换成灰色吧，我爸不爱红的。毛衣不变。")
    assert changed["status"] == "bot" and "灰色" in texts(changed), texts(changed)
    assert await lines(client) == [("羊毛混纺圆领毛衣", "藏青", "L", 1), ("羊毛针织围巾", "灰色", "均码", 1)]


async def test_careful_questions_in_their_own_words_are_answered_from_the_catalogue(client: Any) -> None:
    await say(client, "og-24", "冰丝短袖POLO衫")
    fit = await say(client, "og-24", "会不会太贴身我肚子有点大")
    assert "弹力" in texts(fit) and "没有写" not in texts(fit), texts(fit)
    coat = await say(client, "og-25", "双面羊绒大衣的成分具体是多少？有没有里布？北京一月份穿够不够？")
    assert all(word in texts(coat) for word in ("羊绒", "内衬", "严寒")), texts(coat)
    await say(client, "og-26", "轻薄羽绒服")
    packed = await say(client, "og-26", "可唔可以收埋个细袋度")
    assert "小包" in texts(packed), texts(packed)
    await say(client, "og-27", "纯棉休闲工装裤")
    cuffs = await say(client, "og-27", "裤脚能收吗")
    assert "束脚" in texts(cuffs), texts(cuffs)


async def test_an_exchange_or_return_gets_when_the_new_one_ships_and_who_says_how_to_send_it_back(
    client: Any,
) -> None:
    first = await say(client, "og-28", "亲 我前天收到的百褶裙有点大 能换小一码吗 M换S 颜色还是卡其")
    assert "有货" not in texts(first), texts(first)
    await say(client, "og-28", "吊牌都在 就试了一下")
    when = await say(client, "og-28", "换货运费是我出吗 寄回去到你们那边多久能发新的")
    assert "自己承担" in texts(when) and "发新的" in texts(when), texts(when)
    await say(client, "og-29", "小白鞋到了 上脚觉得不好看 想退 只在家里地毯上试了一下")
    courier = await say(client, "og-29", "好吧 那我寄中通可以吧")
    assert "退货地址" in texts(courier) and "备注" not in texts(courier) and "哪个码" not in texts(courier), texts(courier)
    phone = await say(client, "og-29", "订单手机15102736680 收件人郑可")
    assert "哪个码" not in texts(phone) and "我在的" not in texts(phone), texts(phone)


async def test_three_colleagues_measured_without_names_are_sized_each_and_one_changed_by_height(client: Any) -> None:
    sized = await say(client, "og-30", "您好，我们公司年会要统一买牛津纺衬衫，三个人：168cm 60kg，173cm 68kg，183cm 82kg，分别拿什么码？")
    assert all(size in texts(sized) for size in ("M码", "L码", "XXL码")), texts(sized)
    await say(client, "og-30", "那就都要白色。")
    await place(client, "og-30")
    assert await lines(client) == [("男士牛津纺长袖衬衫", "白色", "L", 1), ("男士牛津纺长袖衬衫", "白色", "M", 1),
                                   ("男士牛津纺长袖衬衫", "白色", "XXL", 1)]
    changed = await say(client, "og-30", "不好意思，173那位要浅蓝的，其他两件还是白色。")
    assert "浅蓝" in texts(changed) and "数量" not in texts(changed), texts(changed)
    assert await lines(client) == [("男士牛津纺长袖衬衫", "浅蓝", "L", 1), ("男士牛津纺长袖衬衫", "白色", "M", 1),
                                   ("男士牛津纺长袖衬衫", "白色", "XXL", 1)]


async def test_a_colour_switched_with_a_no_and_a_stripe_switched_with_suan_le_keep_both_items(client: Any) -> None:
    await say(client, "og-31", "高腰直筒牛仔裤浅蓝 162/100斤")
    switched = await say(client, "og-31", "啊不对浅蓝我有了 换黑色")
    assert "祝您" not in texts(switched), texts(switched)
    await say(client, "og-31", "再加件条纹t 白底藏青条吧 同码吗")
    stripe = await say(client, "og-31", "算了条纹换燕麦色底黑条 藏青那个太像校服")
    assert "先不要了" not in texts(stripe), texts(stripe)
    await place(client, "og-31")
    assert await lines(client) == [("法式条纹长袖T恤", "燕麦色底黑条", "M", 1), ("高腰直筒牛仔裤", "黑色", "M", 1)]


async def test_after_a_sold_out_hoodie_the_jacket_and_jeans_named_are_the_order(client: Any) -> None:
    await say(client, "og-32", "加绒卫衣 灰色 M 有没")
    await say(client, "og-32", "孩子13 168 116斤")
    instead = await say(client, "og-32", "没了？？那有啥能替的 外套")
    assert "牛仔夹克" in texts(instead) and "没太明白" not in texts(instead), texts(instead)
    chosen = await say(client, "og-32", "牛仔夹克深蓝 M吧 再来条男款牛仔裤 深蓝")
    assert "断货" not in texts(chosen) and "卖完" not in texts(chosen), texts(chosen)
    await say(client, "og-32", "他腿不粗 就M")
    await place(client, "og-32")
    assert await lines(client) == [("水洗牛仔夹克", "深蓝", "M", 1), ("男士弹力修身牛仔裤", "深蓝", "M", 1)]


async def test_a_grandmothers_jacket_colour_said_before_turning_to_the_grandsons_shoes_stays(client: Any) -> None:
    await say(client, "og-33", "你好。我想买件轻薄的羽绒服，自己穿。我一米六八，一百二十斤。")
    shoes = await say(client, "og-33", "黑色的。另外给孙子买双帆布鞋，他十岁，脚长二十二点二公分，有没有他穿的？")
    assert "脚长222mm" in texts(shoes) and "35码" in texts(shoes), texts(shoes)
    await say(client, "og-33", "白的不耐脏，要黑色的。")
    await place(client, "og-33")
    assert await lines(client) == [("经典帆布小白鞋", "黑色", "35", 1), ("轻薄白鸭绒羽绒服", "黑色", "M", 1)]


async def test_a_cantonese_yes_with_thanks_places_the_order(client: Any) -> None:
    await say(client, "og-34", "男士弹力修身牛仔裤 黑色 XL")
    number = await placed(client, "og-34", "陈嘉欣 15914728306 广东省广州市海珠区江南大道中148号南华西小区5座603",
                          yes="啱啦 唔该晒")
    assert number, "the order is placed"
    assert await lines(client) == [("男士弹力修身牛仔裤", "黑色", "XL", 1)]


async def test_shanghainese_questions_and_a_pronoun_are_understood(client: Any) -> None:
    itch = await say(client, "og-35", "小姑娘 侬屋里迪只羊毛衫扎伐？阿拉老头子皮肤敏感额")
    assert "不扎" in texts(itch), texts(itch)
    pills = await say(client, "og-35", "起球伐 老早买过一件穿两趟就起球了 气煞")
    assert pills["status"] == "bot" and "起球" in texts(pills) and "问题" not in texts(pills), texts(pills)
    await say(client, "og-35", "好额 阿拉老头子一米七五 一百四十斤 我一米五八 一百斤 各买一件 伊要藏青 我要酒红")
    await place(client, "og-35")
    assert await lines(client) == [("羊毛混纺圆领毛衣", "藏青", "L", 1), ("羊毛混纺圆领毛衣", "酒红", "S", 1)]


async def test_a_grandmother_asking_for_childrens_clothes_is_told_honestly_and_never_queued(client: Any) -> None:
    kids = await say(client, "og-36", "请问你们有小孩子穿的衣服吗？我外孙五岁了")
    assert "没有" in texts(kids) and kids["status"] == "bot", texts(kids)
    sized = await say(client, "og-36", "一米一左右，四十来斤")
    assert sized["status"] == "bot" and "抱歉" not in texts(sized), texts(sized)
    shoes = await say(client, "og-36", "鞋子呢？他脚才十七公分")
    assert shoes["status"] == "bot" and "遇到问题" not in texts(shoes), texts(shoes)
    bye = await say(client, "og-36", "那就算了，谢谢你啊")
    assert bye["status"] == "bot" and "专人" not in texts(bye), texts(bye)


async def test_saying_one_will_not_complain_is_chat_and_a_white_tee_asked_in_black_is_black(client: Any) -> None:
    await say(client, "og-37", "你是机器人吧")
    joke = await say(client, "og-37", "说实话 我不会投诉的😂")
    assert joke["status"] == "bot" and "交代" not in texts(joke), texts(joke)
    await say(client, "og-38", "白t有黑的吗")
    await say(client, "og-38", "173 132斤 穿啥码")
    await say(client, "og-38", "行 下单吧")
    await place(client, "og-38")
    assert await lines(client) == [("纯棉圆领短袖T恤", "黑色", "L", 1)]


async def test_the_same_size_asked_about_for_a_second_item_gets_its_own_charts_size(client: Any) -> None:
    await say(client, "og-39", "阔腿裤仲有冇货呀")
    await say(client, "og-39", "我160 100斤 着咩码啱")
    asked = await say(client, "og-39", "咁要黑色M一条 再加件白色圆领T 同一个码系咪都得")
    assert "S码" in texts(asked), texts(asked)
    await place(client, "og-39")
    assert await lines(client) == [("冰丝垂感阔腿裤", "黑色", "M", 1), ("纯棉圆领短袖T恤", "白色", "S", 1)]


async def test_an_item_set_aside_while_browsing_two_and_the_other_kept_with_its_colour_said_after(client: Any) -> None:
    await say(client, "og-40", "我想要百褶裙和那个缎面衬衫 我160 50kg 各穿么子码咯")
    aside = await say(client, "og-40", "缎面那个要手洗啊？我懒得很 算了不要衬衫了")
    assert "不考虑" in texts(aside) and "祝您" not in texts(aside), texts(aside)
    tee = await say(client, "og-40", "那换成纯棉T恤咯 燕麦色 裙子要雾霾蓝")
    assert "S码" in texts(tee), texts(tee)
    await place(client, "og-40")
    assert await lines(client) == [("纯棉圆领短袖T恤", "燕麦色", "S", 1), ("高腰百褶半身裙", "雾霾蓝", "M", 1)]


async def test_a_choice_with_a_return_question_is_ordered_and_answered(client: Any) -> None:
    await say(client, "og-41", "你好，想問一下碎花雪紡連衣裙會不會透？夏天穿想要不用穿打底的")
    await say(client, "og-41", "我165cm 56kg，腰不算粗，應該穿哪個碼？")
    both = await say(client, "og-41", "好的，那要黃色碎花 L碼一件。如果收到覺得顏色不喜歡可以退嗎？")
    assert "7天" in texts(both) and "地址" in texts(both), texts(both)
    await say(client, "og-42", "高腰直筒牛仔裤 我160 100斤")
    await say(client, "og-42", "本来想要浅蓝的 但是浅蓝会不会显腿粗哈 深蓝会掉色吗")
    await say(client, "og-42", "那还是深蓝吧 M 一条 要是穿着不合适能退吗 退的话运费谁出")
    await place(client, "og-42")
    assert await lines(client) == [("高腰直筒牛仔裤", "深蓝", "M", 1)]


async def test_a_couple_named_me_and_him_get_their_colours_and_the_haggle_is_answered(client: Any) -> None:
    await say(client, "og-43", "姑娘 你们这羽绒服北京冬天穿够不够暖啊 薄的会不会冻着")
    await say(client, "og-43", "我1米58 104斤 我老伴1米75 140斤 各穿什么码")
    both = await say(client, "og-43", "我要卡其的 他要黑的 两件快八百了 能不能便宜点啊")
    assert "优惠券" in texts(both) and "什么颜色" not in texts(both), texts(both)
    await place(client, "og-43")
    assert await lines(client) == [("轻薄白鸭绒羽绒服", "卡其", "S", 1), ("轻薄白鸭绒羽绒服", "黑色", "L", 1)]


async def test_one_item_out_and_another_in_at_the_read_back_keeps_the_rest(client: Any) -> None:
    await say(client, "og-44", "高腰直筒牛仔裤我167 116斤穿什么码 会不会勒肚子")
    await say(client, "og-44", "好 深蓝L 再来一件条纹长袖T 白底藏青条")
    await say(client, "og-44", ADDRESS)
    read = await say(client, "og-44", "嗯 条纹的不要 就牛仔裤和白T")
    assert "高腰直筒牛仔裤 深蓝 L" in texts(read) and "法式条纹" not in texts(read), texts(read)
    await say(client, "og-44", "确认")
    assert await lines(client) == [("纯棉圆领短袖T恤", "白色", "M", 1), ("高腰直筒牛仔裤", "深蓝", "L", 1)]
