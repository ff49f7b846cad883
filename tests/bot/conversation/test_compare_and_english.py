"""What the fourteenth session found left from the earlier sets: a question about the two or three items shown is
answered for each, a garment worn over the item is not the item asked about, 衬衣 is a shirt, and shoppers who type
English shopping words (or whole English sentences) are read — on both databases, through the REST API, with the
order the warehouse gets (``GET /api/shipping``).
"""

from __future__ import annotations

from typing import Any

from tests.bot.rest import order_lines as lines
from tests.bot.rest import place, say, texts

ADDRESS = "林晓 13761529084 上海市徐汇区漕溪北路88号圣爱大厦12楼"


# ---------------------------------------------------------------- a question about every item shown


async def test_a_question_about_the_shirts_shown_is_answered_for_each(client: Any) -> None:
    await say(client, "ce-1", "有没有适合通勤的衬衫")
    answered = texts(await say(client, "ce-1", "这几件哪个不容易皱"))
    assert "男士牛津纺长袖衬衫的熨烫" in answered and "缎面垂感长袖衬衫的熨烫" in answered, answered
    assert "哪一款" not in answered and "哪件宝贝" not in answered, answered


async def test_see_through_and_pilling_for_the_two_tees_shown_with_what_is_not_known_said(client: Any) -> None:
    await say(client, "ce-2", "夏天的T恤推荐一下")
    answered = texts(await say(client, "ce-2", "会不会透 起球吗"))
    assert "纯棉圆领短袖T恤的透不透" in answered and "法式条纹长袖T恤的透不透" in answered, answered
    assert "没有写" in answered, answered  # (the striped tee's page says nothing of pilling)
    await say(client, "ce-2", "那就纯棉圆领的 白色 L")
    await place(client, "ce-2", ADDRESS)
    assert await lines(client) == [("纯棉圆领短袖T恤", "白色", "L", 1)]


# ---------------------------------------------------------------- worn over it, and 衬衣


async def test_a_sweater_worn_over_the_shirt_is_not_the_item_asked_about(client: Any) -> None:
    await say(client, "ce-3", "男士牛津纺长袖衬衫 白色 L")
    answered = texts(await say(client, "ce-3", "冬天他外头还要套毛衣的 衬衫要不要买大一号"))
    assert "羊毛混纺圆领毛衣" not in answered, answered


async def test_a_shirt_called_chenyi_is_a_shirt(client: Any) -> None:
    shown = texts(await say(client, "ce-4", "想给老公买件衬衣 上班穿"))
    assert "男士牛津纺长袖衬衫" in shown, shown


# ---------------------------------------------------------------- English


async def test_english_colour_and_size_words_in_chinese_are_read(client: Any) -> None:
    found = texts(await say(client, "ce-5", "有没有black的T恤"))
    assert "黑色" in found, found
    sized = texts(await say(client, "ce-5", "这个size偏大吗 我170 60kg"))
    assert "M码" in sized and "版型" in sized, sized
    await say(client, "ce-5", "ok M black 2 pcs")
    await place(client, "ce-5", ADDRESS)
    assert await lines(client) == [("纯棉圆领短袖T恤", "黑色", "M", 2)]


async def test_a_shopper_writing_english_sentences_gets_the_order(client: Any) -> None:
    greeted = texts(await say(client, "ce-6", "Hi, anyone there? sorry my Chinese typing is slow"))
    assert "没太明白" not in greeted, greeted
    sized = texts(await say(client, "ce-6", "I want to buy a down jacket for my dad. he is about 1米7, 150斤"))
    assert "羽绒服" in sized and "L码" in sized, sized
    warm = texts(await say(client, "ce-6", "Is it warm enough? winter there is like -20"))
    assert "充绒" in warm or "保暖" in warm, warm
    await say(client, "ce-6", "black please")
    await place(client, "ce-6", "艾力 13579920418 新疆乌鲁木齐市天山区解放南路220号南门小区2号楼1单元501")
    assert await lines(client) == [("轻薄白鸭绒羽绒服", "黑色", "L", 1)]


async def test_english_laughter_names_no_item(client: Any) -> None:
    answered = texts(await say(client, "ce-7", "can it arrive soon lol"))
    assert "POLO" not in answered, answered


# ---------------------------------------------------------------- a mind changed right after ordering


async def test_a_size_and_colour_changed_right_after_ordering_change_the_order(client: Any) -> None:
    await say(client, "ce-8", "高腰直筒牛仔裤 浅蓝 M")
    await place(client, "ce-8", ADDRESS)
    changed = texts(await say(client, "ce-8", "那换L 颜色也换深蓝 浅蓝显胖"))
    assert "改好" in changed, changed
    assert await lines(client) == [("高腰直筒牛仔裤", "深蓝", "L", 1)]


async def test_one_item_of_two_changed_by_its_kind_after_ordering(client: Any) -> None:
    await say(client, "ce-9", "缎面垂感长袖衬衫 黑色 M")
    await say(client, "ce-9", "百褶裙也要黑色M")
    await place(client, "ce-9", ADDRESS)
    await say(client, "ce-9", "全黑有点沉闷 裙子换卡其吧")
    assert await lines(client) == [("缎面垂感长袖衬衫", "黑色", "M", 1), ("高腰百褶半身裙", "卡其", "M", 1)]


async def test_fewer_than_ordered_after_ordering_is_no_complaint(client: Any) -> None:
    await say(client, "ce-10", "冰丝垂感阔腿裤 黑色 L 两条 一条给我妈")
    await place(client, "ce-10", ADDRESS)
    fewer = await say(client, "ce-10", "不好意思 我妈说她穿不了阔腿的 只要一条就好")
    assert fewer["status"] == "bot" and "改好" in texts(fewer), texts(fewer)
    assert await lines(client) == [("冰丝垂感阔腿裤", "黑色", "L", 1)]


async def test_each_persons_line_after_ordering_changes_by_whose_it_is(client: Any) -> None:
    await say(client, "ce-11", "男士牛津纺衬衫两件 一件给我老公一件给我儿子")
    await say(client, "ce-11", "老公177cm148斤，儿子172cm132斤")
    await say(client, "ce-11", "都要白色的")
    await place(client, "ce-11", ADDRESS)
    await say(client, "ce-11", "白色单穿透不透啊")
    await say(client, "ce-11", "那我老公那件换浅蓝 儿子的不变")
    assert await lines(client) == [("男士牛津纺长袖衬衫", "浅蓝", "XL", 1), ("男士牛津纺长袖衬衫", "白色", "L", 1)]


# ---------------------------------------------------------------- people measured one by one, builds, notes


async def test_two_people_measured_one_message_each_get_a_line_each_in_their_size(client: Any) -> None:
    await say(client, "ce-12", "纯棉长袖睡衣套装")
    await say(client, "ce-12", "老头子一米七二 一百四十斤")
    await say(client, "ce-12", "我一米五六 一百零四斤")
    await say(client, "ce-12", "他要灰的 我要粉的")
    await place(client, "ce-12", ADDRESS)
    assert await lines(client) == [("纯棉长袖睡衣套装", "浅灰", "XL", 1), ("纯棉长袖睡衣套装", "浅粉", "M", 1)]


async def test_wide_hips_size_up_where_the_fit_note_says_so(client: Any) -> None:
    await say(client, "ce-13", "高腰直筒牛仔裤")
    sized = texts(await say(client, "ce-13", "160cm 50kg，胯比较宽"))
    assert "L码" in sized and "胯宽" in sized, sized
    await say(client, "ce-13", "深蓝")
    await place(client, "ce-13", ADDRESS)
    assert await lines(client) == [("高腰直筒牛仔裤", "深蓝", "L", 1)]


async def test_a_count_of_two_said_before_each_persons_size_is_one_each(client: Any) -> None:
    await say(client, "ce-14", "羊毛混纺圆领毛衣")
    await say(client, "ce-14", "那就燕麦色 两件 她S我XL")
    await place(client, "ce-14", ADDRESS)
    assert await lines(client) == [("羊毛混纺圆领毛衣", "燕麦色", "S", 1), ("羊毛混纺圆领毛衣", "燕麦色", "XL", 1)]


async def test_a_gift_box_each_and_no_product_name_on_the_label_go_on_the_order(client: Any) -> None:
    await say(client, "ce-15", "羊毛针织围巾 酒红 一条")
    await place(client, "ce-15", ADDRESS)
    await say(client, "ce-15", "每条单独一个礼盒哈")
    noted = texts(await say(client, "ce-15", "对了是给她的惊喜 快递单上别写商品名"))
    assert "备注" in noted and "别写商品名" in noted, noted


async def test_unisex_and_slimming_questions_answered_from_the_page(client: Any) -> None:
    both = texts(await say(client, "ce-16", "羊毛毛衣男女都能穿吗"))
    assert "男女都能穿" in both, both
    womens = texts(await say(client, "ce-17", "双面羊绒大衣男的能穿吗"))
    assert "女款" in womens, womens
    hips = texts(await say(client, "ce-18", "阔腿裤遮胯吗"))
    assert "遮胯" in hips, hips
    iron = texts(await say(client, "ce-19", "男士牛津纺衬衫 要不要汤啊 我儿子不会汤衣服"))
    assert "免烫" in iron, iron


# ---------------------------------------------------------------- from the AZ set's first run


async def test_english_me_and_her_sizes_then_colours_by_person(client: Any) -> None:
    await say(client, "ce-20", "Hey 睡衣套装 is it good for couples?")
    await say(client, "ce-20", "me XL, her M")
    await say(client, "ce-20", "她浅粉，我浅灰")
    await place(client, "ce-20", ADDRESS)
    assert await lines(client) == [("纯棉长袖睡衣套装", "浅灰", "XL", 1), ("纯棉长袖睡衣套装", "浅粉", "M", 1)]


async def test_a_house_number_one_in_the_address_is_not_the_first_item_shown(client: Any) -> None:
    await say(client, "ce-21", "工装裤和修身牛仔裤 哪个适合大腿粗的")
    await say(client, "ce-21", "那工装裤吧 黑色 L")
    await say(client, "ce-21", "张子豪 17762940358 江苏省南京市栖霞区文苑路1号南京师范大学仙林校区南苑9栋")
    await say(client, "ce-21", "确认")
    assert await lines(client) == [("纯棉休闲工装裤", "黑色", "L", 1)]


async def test_one_size_up_from_the_size_said(client: Any) -> None:
    await say(client, "ce-22", "碎花雪纺连衣裙 腰是松紧的吗 我腰比较粗")
    await say(client, "ce-22", "160 50 平常穿M")
    await say(client, "ce-22", "蓝色碎花 那听你的拿大一号")
    await place(client, "ce-22", ADDRESS)
    assert await lines(client) == [("碎花雪纺连衣裙", "蓝色碎花", "L", 1)]


async def test_a_quality_question_read_as_shipping_gets_no_shipping_line(client: Any) -> None:
    answered = texts(await say(client, "ce-23", "請問碎花雪紡洋裝會透嗎 同事說雪紡都要穿襯裙"))
    assert "内衬" in answered and "包邮" not in answered, answered


async def test_first_one_colour_then_changed_to_another_is_one_coat(client: Any) -> None:
    await say(client, "ce-24", "双面羊绒大衣 M")
    await say(client, "ce-24", "先驼色后改黑色")
    await place(client, "ce-24", ADDRESS)
    assert await lines(client) == [("双面羊绒大衣", "黑色", "M", 1)]


async def test_a_quality_question_naming_who_it_is_for_gets_no_product_list(client: Any) -> None:
    await say(client, "ce-25", "羊毛针织围巾")
    answered = texts(await say(client, "ce-25", "扎脖子吗 老人皮肤比较敏感"))
    assert "不扎脖子" in answered and "给您挑了" not in answered, answered


async def test_looser_said_with_the_order_sizes_up_from_the_advised_size(client: Any) -> None:
    await say(client, "ce-26", "冰丝短袖POLO衫 我身高170 体重72公斤")
    await say(client, "ce-26", "那要两件 藏青一件 灰色一件 码你帮我定 宽松一点")
    await place(client, "ce-26", ADDRESS)
    assert await lines(client) == [("冰丝短袖POLO衫", "灰色", "XL", 1), ("冰丝短袖POLO衫", "藏青", "XL", 1)]

