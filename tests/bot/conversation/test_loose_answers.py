"""What the fresh sets of the thirteenth session (AT: shoppers who answer loosely — ahead of the question, two at
once, about items by their looks, for the family; AU: office workers and students in the first week of winter —
returning buyers, group buys, voice input) wrote and the bot misread, with the kinds left from AP–AS, on both
databases. Each checks what the customer would notice: the reply, the chat's status and the order the warehouse
gets (``GET /api/shipping``).
"""

from __future__ import annotations

from typing import Any

from tests.bot.rest import order_lines as lines
from tests.bot.rest import place as placed
from tests.bot.rest import say, tasks, texts

ADDRESS = "周静 13851627094 江苏省南京市玄武区中山门大街301号月苑小区3栋1102"
PROBLEM_CHECK = "遇到问题了吗"


async def place(client: Any, customer: str, address: str = ADDRESS) -> str:
    return await placed(client, customer, address)


# ---------------------------------------------------------------- what an item is, said loosely


async def test_blue_and_white_stripes_are_the_navy_striped_colour(client: Any) -> None:
    shown = await say(client, "la-1", "救命 那个蓝白条纹的长袖 像海军那种 还有吗")
    assert "白底藏青条" in texts(shown), texts(shown)
    await say(client, "la-1", "M 一件")
    await place(client, "la-1")
    assert await lines(client) == [("法式条纹长袖T恤", "白底藏青条", "M", 1)]


async def test_a_loose_name_for_a_shade_with_another_turned_down(client: Any) -> None:
    await say(client, "la-2", "轻薄羽绒服 L码")
    await say(client, "la-2", "颜色要那个土黄色的不要黑的她说黑的显老")
    await place(client, "la-2")
    assert await lines(client) == [("轻薄白鸭绒羽绒服", "卡其", "L", 1)]


async def test_the_trousers_asked_about_stay_when_a_cap_is_wanted_too(client: Any) -> None:
    await say(client, "la-3", "工装裤 军绿 有xl没")
    await say(client, "la-3", "等下来单了")
    await say(client, "la-3", "送完了 帽子也要一个 卡其")
    await place(client, "la-3")
    assert await lines(client) == [("纯棉休闲工装裤", "军绿", "XL", 1), ("纯棉软顶棒球帽", "卡其", "均码", 1)]


async def test_whose_a_colour_is_names_no_third_scarf(client: Any) -> None:
    await say(client, "la-4", "羊毛围巾 送老人的")
    await say(client, "la-4", "两条 一条红的一条灰的 红的给我妈")
    await place(client, "la-4")
    assert await lines(client) == [("羊毛针织围巾", "灰色", "均码", 1), ("羊毛针织围巾", "酒红", "均码", 1)]


async def test_ten_hours_at_a_desk_is_no_count(client: Any) -> None:
    await say(client, "la-5", "我想买一条男士弹力修身牛仔裤我一天坐十个小时写代码所以要弹力好一点的 黑色XL")
    await place(client, "la-5")
    assert await lines(client) == [("男士弹力修身牛仔裤", "黑色", "XL", 1)]


# ---------------------------------------------------------------- several people, a group buy


async def test_a_group_where_one_only_says_her_size_gets_a_line_each(client: Any) -> None:
    await say(client, "la-6", "轻薄羽绒服团购 5件")
    await say(client, "la-6", "先说都要黑色")
    sized = await say(client, "la-6", "小刘165/58kg、老张172/68kg、我178/75kg、女生A说M、女生B160/48kg")
    assert "女生A按说的M码" in texts(sized) and "（）" not in texts(sized), texts(sized)
    await place(client, "la-6", "彭宇 13545087216 湖北省武汉市洪山区光谷大道77号 光谷金融港B18栋6楼")
    assert await lines(client) == [("轻薄白鸭绒羽绒服", "黑色", "L", 1), ("轻薄白鸭绒羽绒服", "黑色", "M", 2),
                                   ("轻薄白鸭绒羽绒服", "黑色", "S", 1), ("轻薄白鸭绒羽绒服", "黑色", "XL", 1)]


# ---------------------------------------------------------------- after ordering


async def test_a_waist_question_after_a_tee_and_a_skirt_is_about_the_skirt(client: Any) -> None:
    await say(client, "la-7", "法式条纹长袖T恤 白底藏青条 S")
    await say(client, "la-7", "另外高腰百褶裙 卡其 S")
    await place(client, "la-7")
    answer = await say(client, "la-7", "腰是鬆緊的嗎 我吃飽會凸😂")
    assert "松紧" in texts(answer) and "哪一款" not in texts(answer), texts(answer)


async def test_one_more_cap_for_the_husband_changes_the_count(client: Any) -> None:
    await say(client, "la-8", "碎花雪纺连衣裙 黄色碎花 M")
    await say(client, "la-8", "再加一顶米白色棒球帽")
    await place(client, "la-8")
    changed = await say(client, "la-8", "哦哦 那就我和老公两顶 米白色的")
    assert "数量改为2" in texts(changed), texts(changed)
    assert await lines(client) == [("碎花雪纺连衣裙", "黄色碎花", "M", 1), ("纯棉软顶棒球帽", "米白色", "均码", 2)]


async def test_the_order_s_address_said_again_by_voice(client: Any) -> None:
    await say(client, "la-9", "男士弹力修身牛仔裤 黑色XL")
    number = await place(client, "la-9", "王浩 13823765094 深圳市南山区科苑路88号云栖科技大厦B座1806")
    again = await say(client, "la-9", "地止是深圳市南山区科苑路88号云栖科技大厦B座1806收件任王浩电话13823765094")
    assert number in texts(again) and "寄到这个地址" in texts(again), texts(again)


# ---------------------------------------------------------------- questions answered, not queued


async def test_outgrown_clothes_are_shopping_not_a_return(client: Any) -> None:
    answer = await say(client, "la-10", "老板 娃儿一年长了快十公分 去年的短袖全部穿不下了😂")
    assert "短袖" in texts(answer) and "无理由" not in texts(answer), texts(answer)
    asked = await say(client, "la-10", "学校要求穿白的 白的透不透哦")
    assert asked["status"] == "bot" and "专人" not in texts(asked), texts(asked)


async def test_a_collar_is_a_polo_or_a_shirt_and_turning_down_a_tee_is_no_complaint(client: Any) -> None:
    shown = await say(client, "la-11", "你好 想给我爸买件夏天穿的 有领子的那种 摸着凉凉的")
    assert "POLO" in texts(shown) and "圆领短袖T恤" not in texts(shown), texts(shown)
    turned = await say(client, "la-11", "他不喜欢T恤 说没领子不正式")
    assert PROBLEM_CHECK not in texts(turned) and "圆领短袖T恤" not in texts(turned), texts(turned)
    assert turned["status"] == "bot"


async def test_whether_two_items_go_together_is_answered_from_the_catalogue(client: Any) -> None:
    await say(client, "la-12", "法式条纹长袖T恤有吗")
    together = await say(client, "la-12", "配那个黑色的百褶裙会好看吗")
    assert "推荐的搭配" in texts(together) and "有货" not in texts(together), texts(together)
    await say(client, "la-13", "小白鞋有吗")
    unsure = await say(client, "la-13", "配阔腿裤好看吗")
    assert "没有专门推荐过" in texts(unsure), texts(unsure)


async def test_a_sale_heard_of_is_no_haggle(client: Any) -> None:
    await say(client, "la-14", "轻薄羽绒服是白鸭绒的吗")
    answer = await say(client, "la-14", "我孙女说双十二便宜我给我和我老伴儿一人买一件")
    assert "价格已经很实在" not in texts(answer) and "优惠券" not in texts(answer), texts(answer)


async def test_a_person_asked_for_with_nothing_wrong_is_handed_over_at_once(client: Any) -> None:
    await say(client, "la-15", "羽绒服有吗")
    answer = await say(client, "la-15", "你这个说的我听不懂 你找个人打电话给我吧")
    assert answer["status"] == "waiting_agent" and PROBLEM_CHECK not in texts(answer), texts(answer)


async def test_a_question_about_the_shop_the_bot_cannot_answer_is_said_so(client: Any) -> None:
    answer = await say(client, "la-16", "诶你们店在哪 重庆有实体店没")
    assert "没有准确的资料" in texts(answer) and "我在的" not in texts(answer), texts(answer)
    chat = await say(client, "la-17", "哈哈今天好冷啊")
    assert "我在的" not in texts(chat), texts(chat)


async def test_an_earlier_purchase_told_is_not_bought_again(client: Any) -> None:
    await say(client, "la-18", "去年买过你们的轻薄羽绒服 黑色L")
    await say(client, "la-18", "挺好 再来一件一样的 换藏青")
    await say(client, "la-18", "L 一样")
    await place(client, "la-18")
    assert await lines(client) == [("轻薄白鸭绒羽绒服", "藏青", "L", 1)]


async def test_a_size_at_the_problem_question_after_an_earlier_purchase_is_shopping(client: Any) -> None:
    await say(client, "la-19", "你好~ 去年在你们家买的那件羊毛毛衣 圆领的 燕麦色")
    sized = await say(client, "la-19", "M，跟去年一样")
    assert sized["status"] == "bot" and "颜色" in texts(sized), texts(sized)
    await say(client, "la-19", "今年想再来一件一样的 换个颜色~ 酒红的")
    await place(client, "la-19")
    assert await lines(client) == [("羊毛混纺圆领毛衣", "酒红", "M", 1)]


async def test_a_child_crying_is_a_pause(client: Any) -> None:
    await say(client, "la-20", "碎花连衣裙 黄色碎花 M")
    paused = await say(client, "la-20", "娃在闹 先这样 地址一会发")
    assert "不着急" in texts(paused) or "您先忙" in texts(paused), texts(paused)
    await place(client, "la-20")
    assert await lines(client) == [("碎花雪纺连衣裙", "黄色碎花", "M", 1)]


async def test_a_dorm_s_four_sizes_with_one_colour_for_the_other_three(client: Any) -> None:
    await say(client, "la-21", "我们寝室想一起买睡衣hhh 就那个纯棉长袖的套装 四套")
    sized = await say(client, "la-21", "按身高体重推荐就行：我158/95斤，小雨162/104斤，阿琪168/120斤，佳佳172/136斤")
    assert "佳佳（172cm、68kg）建议XL码" in texts(sized), texts(sized)
    await say(client, "la-21", "佳佳雾霾蓝，其他三个浅粉")
    await place(client, "la-21", "李佳 13811112222 北京市海淀区学院路37号北航学生公寓12号楼305")
    assert await lines(client) == [("纯棉长袖睡衣套装", "浅粉", "L", 1), ("纯棉长袖睡衣套装", "浅粉", "M", 2),
                                   ("纯棉长袖睡衣套装", "雾霾蓝", "XL", 1)]


async def test_some_of_the_people_measured_again_keeps_the_others(client: Any) -> None:
    await say(client, "la-22", "轻薄羽绒服 5件 都要黑色")
    await say(client, "la-22", "小刘165/58kg、老张172/68kg、我178/75kg、女生A说M、女生B160/48kg")
    await say(client, "la-22", "小刘 165 58kg，老张 172 68kg，我 178 75kg")
    await place(client, "la-22", "彭宇 13545087216 湖北省武汉市洪山区光谷大道77号 光谷金融港B18栋6楼")
    assert sum(q for *_, q in await lines(client)) == 5


async def test_praise_of_an_earlier_purchase_is_no_complaint(client: Any) -> None:
    await say(client, "la-23", "你好~ 去年在你们家买的那件羊毛毛衣 圆领的 燕麦色")
    praised = await say(client, "la-23", "穿了一冬天都没怎么起球 挺好的")
    assert praised["status"] == "bot" and "专人" not in texts(praised), texts(praised)


async def test_a_return_because_mum_does_not_like_it_is_no_complaint(client: Any) -> None:
    await say(client, "la-24", "阔腿裤能退吗 没穿过 吊牌都在")
    reason = await say(client, "la-24", "给我妈买的 她说太滑了穿不习惯")
    assert reason["status"] == "bot" and PROBLEM_CHECK not in texts(reason), texts(reason)
    days = await say(client, "la-24", "收到四天了")
    assert days["status"] == "bot" and "快递的问题" not in texts(days), texts(days)


async def test_which_order_to_cancel_is_no_new_purchase(client: Any) -> None:
    await say(client, "la-25", "刚刚拍的那个羽绒服能取消吗")
    await say(client, "la-25", "我老公说他昨天已经给我买了 一模一样的 笑死")
    which = await say(client, "la-25", "奶白色 M 那个")
    assert "地址" not in texts(which) and which["status"] == "waiting_agent", texts(which)


async def test_another_whole_address_pasted_after_ordering_is_where_it_goes(client: Any) -> None:
    await say(client, "la-26", "男士弹力修身牛仔裤 黑色XL")
    await place(client, "la-26", "王浩 13823765094 深圳市南山区科苑路88号云栖科技大厦B座1806")
    moved = await say(client, "la-26", "收件人：王浩\n手机号码：13823765094\n所在地区：广东省 深圳市 南山区\n"
                                       "详细地址：科苑路99号创新大厦A座1201")
    assert "改好" in texts(moved) and "所在地区" not in texts(moved), texts(moved)
    [task] = await tasks(client)
    assert "创新大厦A座1201" in task["address"] and "所在地区" not in task["address"], task["address"]


async def test_whether_pyjamas_are_cold_in_winter_is_answered(client: Any) -> None:
    await say(client, "la-27", "纯棉长袖睡衣套装")
    answer = await say(client, "la-27", "冬天穿会不会冷啊 我们宿舍有暖气")
    assert "冬天偏薄" in texts(answer), texts(answer)


async def test_a_bare_height_and_weight_size_both_items_asked_about(client: Any) -> None:
    sized = await say(client, "la-28", "那条绿色工装裤 还有那个牛仔外套 173 68 穿啥码")
    assert "身高和体重" not in texts(sized) and texts(sized).count("L码") >= 2, texts(sized)
    await say(client, "la-28", "都L")
    await say(client, "la-28", "外套深蓝")
    await place(client, "la-28", "刘一鸣 17710348852 北京市朝阳区望京西园三区312号楼2单元1602")
    assert await lines(client) == [("水洗牛仔夹克", "深蓝", "L", 1), ("纯棉休闲工装裤", "军绿", "L", 1)]


async def test_both_m_right_after_asking_about_the_trousers(client: Any) -> None:
    await say(client, "la-29", "缎面那件衬衫 香槟色会透吗")
    await say(client, "la-29", "那阔腿裤呢 还有M吗")
    await say(client, "la-29", "ok那衬衫换黑色吧")
    await say(client, "la-29", "都M")
    await say(client, "la-29", "裤子也黑色")
    await place(client, "la-29", "张薇 18616273094 上海市浦东新区银城中路501号上海中心大厦B1")
    assert await lines(client) == [("冰丝垂感阔腿裤", "黑色", "M", 1), ("缎面垂感长袖衬衫", "黑色", "M", 1)]


async def test_the_colours_he_already_wears_are_no_choice(client: Any) -> None:
    await say(client, "la-30", "羊毛混纺圆领毛衣 L")
    chosen = await say(client, "la-30", "你们说哪个好…要不藏青吧 他衣服都是黑灰的")
    assert "没有灰色" not in texts(chosen), texts(chosen)
    await place(client, "la-30")
    assert await lines(client) == [("羊毛混纺圆领毛衣", "藏青", "L", 1)]


async def test_what_he_wears_among_the_items_shown_narrows_them_for_him(client: Any) -> None:
    await say(client, "la-31", "老板 我爸六十大寿 想买件衣服给他 你帮我推荐一下")
    narrowed = await say(client, "la-31", "他在汕头 天气热 他天天穿那种有领子的短袖")
    assert PROBLEM_CHECK not in texts(narrowed) and "POLO" in texts(narrowed), texts(narrowed)
    assert "缎面" not in texts(narrowed) and "圆领短袖T恤" not in texts(narrowed), texts(narrowed)
    sized = await say(client, "la-31", "170 130斤")
    assert "冰丝短袖POLO衫建议选L码" in texts(sized), texts(sized)


async def test_a_selling_point_pasted_from_the_page_names_the_item(client: Any) -> None:
    await say(client, "la-32", "含50%羊绒轻又暖")
    await say(client, "la-32", "这个大衣")
    stock = await say(client, "la-32", "驼色M还有吗")
    assert "双面羊绒大衣" in texts(stock) and "哪件" not in texts(stock), texts(stock)
    await say(client, "la-32", "就它")
    await place(client, "la-32", "周敏 13916582230 上海市静安区南京西路1266号恒隆广场办公楼2座3108")
    assert await lines(client) == [("双面羊绒大衣", "驼色", "M", 1)]


async def test_what_is_looked_for_said_step_by_step_is_shown(client: Any) -> None:
    await say(client, "la-33", "您好，麻烦推荐一下适合我的")
    coats = await say(client, "la-33", "天冷了想买件外套，年纪大了怕重")
    assert "轻薄白鸭绒羽绒服" in texts(coats) and "身高体重" not in texts(coats), texts(coats)
    cheaper = await say(client, "la-33", "不要太贵的，四百以内")
    assert "400元以内" in texts(cheaper) and "双面羊绒大衣" not in texts(cheaper), texts(cheaper)


async def test_a_colleague_s_item_joins_one_s_own(client: Any) -> None:
    await say(client, "la-34", "我要高腰直筒牛仔裤 深蓝 我160 100斤")
    await say(client, "la-34", "同事要那个冰丝阔腿裤 黑色 她说她穿L")
    await place(client, "la-34", "孙悦 18937165042 河南省郑州市金水区花园路39号国贸中心A座2206")
    assert await lines(client) == [("冰丝垂感阔腿裤", "黑色", "L", 1), ("高腰直筒牛仔裤", "深蓝", "M", 1)]


async def test_a_count_that_does_not_match_twice_goes_to_a_person_not_round_again(client: Any) -> None:
    await say(client, "la-35", "冰丝阔腿裤 黑色 L")
    await say(client, "la-35", "孙悦 18937165042 河南省郑州市金水区花园路39号国贸中心A座2206")
    for _ in range(2):
        asked = await say(client, "la-35", "嗯对 就这两条")
        assert "单里现在是1件" in texts(asked), texts(asked)
    handed = await say(client, "la-35", "嗯对 就这两条")
    assert handed["status"] == "waiting_agent" and "单里现在是1件" not in texts(handed), texts(handed)
    assert await lines(client) == []


async def test_others_of_a_sold_out_item_are_shown_and_sized(client: Any) -> None:
    await say(client, "la-36", "你好我想给我孙子买那个家荣连帽为衣")
    others = await say(client, "la-36", "没有了啊那有什么别的")
    assert "纯棉圆领短袖T恤" in texts(others) and "没太明白" not in texts(others), texts(others)
    sized = await say(client, "la-36", "他一米八五一百八十斤胖胖的")
    assert "纯棉圆领短袖T恤建议选XXL码" in texts(sized) and "卫衣" not in texts(sized), texts(sized)
