"""After the sale and around it, as customers write it, on both databases: invoices collected once and seen by
the staff at ``GET /api/invoices``; returns and exchanges from the shop's settings; a cancel that ends the cancel;
a change that is made once; questions about an item's qualities answered from the catalogue or honestly not."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sqlalchemy import select, update

from bot import create_app, open_services
from models import InvoiceRequest, Product
from tests.bot.chat import Chat
from tests.bot.rest import say, texts
from tests.conftest import make_settings

ADDRESS = "李雷 13912345678 浙江省杭州市西湖区文三路100号"




async def order(client: Any, customer: str, item: str = "纯棉圆领短袖T恤 黑色M") -> str:
    await say(client, customer, item)
    await say(client, customer, ADDRESS)
    done = await say(client, customer, "确认")
    assert done["stage"] == "shipping", texts(done)
    [number] = re.findall(r"KF\d{8,14}", texts(done))
    return number


async def test_invoice_details_spread_over_messages_are_asked_for_once_and_reach_the_staff(client: Any) -> None:
    number = await order(client, "inv-1")
    answer = await say(client, "inv-1", "麻烦开张发票")
    assert "抬头" in texts(answer) and "邮箱" in texts(answer)
    answer = await say(client, "inv-1", "抬头：杭州青禾科技有限公司 税号91330106MA2B3C4D5E")
    assert "邮箱" in texts(answer) and "税号" not in texts(answer).split("还差")[-1], "only what is missing"
    answer = await say(client, "inv-1", "qinghe@163.com")
    assert number in texts(answer) and "3个工作日" in texts(answer), texts(answer)
    again = await say(client, "inv-1", "抬头 杭州青禾科技有限公司 税号91330106MA2B3C4D5E 邮箱qinghe@163.com")
    assert "登记过" in texts(again), "given again: not a second request, and not asked again"

    listing = await (await client.get("/api/invoices")).json()
    [request] = listing["invoices"]
    assert (request["order_no"], request["kind"], request["title"], request["tax_no"], request["email"]) == (
        number, "company", "杭州青禾科技有限公司", "91330106MA2B3C4D5E", "qinghe@163.com")
    assert request["status"] == "requested" and request["items"][0]["name"] == "纯棉圆领短袖T恤"

    issued = await client.post(f"/api/invoices/{request['id']}/issued", json={"invoice_no": "FP-0001"})
    assert issued.status == 200 and (await issued.json())["status"] == "issued"
    assert (await client.post(f"/api/invoices/{request['id']}/issued")).status == 409, "issued once"
    assert (await client.post("/api/invoices/99999/issued")).status == 404
    assert (await (await client.get("/api/invoices")).json())["invoices"] == []
    done = (await (await client.get("/api/invoices", params={"status": "issued"})).json())["invoices"]
    assert [d["invoice_no"] for d in done] == ["FP-0001"]
    assert (await client.get("/api/invoices", params={"status": "lost"})).status == 400


async def test_invoice_details_given_before_the_order_go_on_it_when_it_is_placed(client: Any) -> None:
    await say(client, "inv-2", "羊毛针织围巾 灰色 一条")
    answer = await say(client, "inv-2", "要开个人发票 发到wangfang@qq.com")
    assert "wangfang@qq.com" in texts(answer) and "下单后" in texts(answer), texts(answer)
    await say(client, "inv-2", "王芳 13700001111 上海市徐汇区漕溪北路1号")
    done = await say(client, "inv-2", "对的")
    assert "登记开票" in texts(done), texts(done)
    [request] = (await (await client.get("/api/invoices")).json())["invoices"]
    assert request["kind"] == "personal" and request["email"] == "wangfang@qq.com"


async def test_the_invoice_question_with_no_order_is_not_a_promise(client: Any) -> None:
    answer = await say(client, "inv-3", "你们能开发票吗")
    assert "下单后" in texts(answer) and "登记" not in texts(answer).split("下单后")[0]
    assert (await (await client.get("/api/invoices")).json())["invoices"] == []


async def test_a_return_is_explained_from_the_shops_settings_and_the_address_comes_from_a_person(client: Any) -> None:
    number = await order(client, "ret-1")
    shipped = await client.post(f"/api/shipping/{number}/ship", json={"tracking_no": "ZT123456"})
    assert shipped.status == 200
    answer = await say(client, "ret-1", "衣服不喜欢想退 运费谁出")
    assert "自己承担" in texts(answer) and "运费险" not in texts(answer), "the demo shop sells no shipping insurance"
    assert answer["status"] == "bot", "a return without a fault is not a dispute"
    answer = await say(client, "ret-1", "多久能退款")
    assert "1–3个工作日" in texts(answer)
    answer = await say(client, "ret-1", "退货寄到哪里")
    assert answer["status"] == "waiting_agent" and "同事" in texts(answer), "no address is set: a person gives it"
    assert "省" not in texts(answer) and "路" not in texts(answer), "no address is made up"


async def test_with_a_return_address_and_insurance_set_the_bot_says_them(
    aiohttp_client: Any, tmp_path: Path, db_url: str, classifier: Any
) -> None:
    settings = make_settings(tmp_path, db_url, return_postage="insurance", refund_days="2–5",
                             return_address="暖暖衣橱售后 0571-88886666 浙江省杭州市余杭区文一西路1号")
    client = await aiohttp_client(create_app(settings, classifier=classifier))
    answer = await say(client, "ret-2", "尺码不合适想退 退货地址发我一下 运费谁出")
    assert "文一西路1号" in texts(answer) and "运费险" in texts(answer), texts(answer)
    assert answer["status"] == "bot"
    assert "2–5个工作日" in texts(await say(client, "ret-2", "退款多久到账"))


async def test_a_return_of_an_order_not_yet_shipped_is_a_cancel_or_a_change(client: Any) -> None:
    await order(client, "ret-3")
    answer = await say(client, "ret-3", "我想退货")
    assert "还没发货" in texts(answer) and "取消订单" in answer["replies"][-1]["buttons"], texts(answer)


async def test_a_cancel_ends_the_cancel_and_the_refund_question_gets_the_refund_timing(client: Any) -> None:
    number = await order(client, "can-1")
    answer = await say(client, "can-1", "不想要了 帮我取消")
    assert "已经帮您取消" in texts(answer) and number in texts(answer)
    answer = await say(client, "can-1", "确认取消")
    assert "已经取消好了" in texts(answer) and "码" not in texts(answer), texts(answer)
    answer = await say(client, "can-1", "钱什么时候退回来")
    assert answer["status"] == "bot" and "1–3个工作日" in texts(answer), "a refund question, not a payment dispute"
    tasks = (await (await client.get("/api/shipping", params={"status": "cancelled"})).json())["tasks"]
    assert [t["order_no"] for t in tasks] == [number]


async def test_a_change_is_made_once_and_hurrying_it_is_told_it_is_done(client: Any) -> None:
    number = await order(client, "chg-1")
    answer = await say(client, "chg-1", "地址写错了 改成浙江省杭州市滨江区江南大道500号")
    assert "江南大道500号" in texts(answer)
    answer = await say(client, "chg-1", "麻烦快点改")
    assert "已经改好了" in texts(answer) and "江南大道500号" in texts(answer), texts(answer)
    [task] = (await (await client.get("/api/shipping", params={"status": "intercepted"})).json())["tasks"]
    assert task["order_no"] == number and "江南大道500号" in task["address"], "the warehouse has the new address"


async def test_a_bigger_quantity_takes_stock_and_one_beyond_it_changes_nothing(services: Any) -> None:
    chat = Chat(services)
    await chat.say("纯棉中筒袜五双装 黑色 一盒")
    await chat.say(ADDRESS)
    await chat.say("确认")
    [placed] = await chat.orders()

    async def stock() -> int:
        [left] = await chat.query(select(Product.stock).where(Product.sku == "SO-001"))
        return int(left)

    before = await stock()
    await chat.say(f"订单{placed.order_no}数量改成3盒")
    assert "数量改为3" in chat.text, chat.text
    assert await stock() == before - 2
    await services.db.run(lambda session: session.execute(update(Product).where(Product.sku == "SO-001").values(stock=1)))
    await chat.say(f"订单{placed.order_no}数量改成6盒")
    assert "数量改为" not in chat.text and "改好" not in chat.text, "more than the stock: not claimed as changed"
    [again] = await chat.orders()
    assert again.items[0].quantity == 3 and await stock() == 1


async def test_quality_questions_are_answered_from_the_catalogue_each_one(services: Any) -> None:
    chat = Chat(services)
    await chat.say("碎花雪纺连衣裙有内衬吗 会不会透 能机洗吗 哪里产的")
    for fact in ("有内衬", "不透", "手洗", "广州"):
        assert fact in chat.text, (fact, chat.text)
    assert chat.last.status == "bot"


async def test_what_the_catalogue_does_not_say_is_said_plainly_and_a_colleague_gets_the_question(services: Any) -> None:
    chat = Chat(services)
    await chat.say("纯棉圆领短袖T恤有实拍图吗")
    assert "资料里没有" in chat.text and "请同事确认" in chat.buttons, chat.text
    await chat.click("请同事确认")
    assert chat.last.status == "waiting_agent"
    conversation = await chat.conversation()
    assert conversation.escalation_reason == "human"


async def test_a_question_mid_order_is_answered_and_the_pending_one_asked_again(services: Any) -> None:
    chat = Chat(services)
    await chat.say("轻薄白鸭绒羽绒服 我要黑色")
    assert "码" in chat.text
    await chat.say("偏大吗 零下十度够不够暖")
    assert "码数正" in chat.text and "零下5℃" in chat.text, chat.text
    assert chat.text.rstrip().endswith(("呢？", "哦。", "～", "？", "哦～")) and "码" in chat.text.splitlines()[-1], chat.text
    await chat.say("M")
    assert "地址" in chat.text, "the size taken: the next detail asked"


async def test_the_shipped_catalogue_and_existing_shop_keep_what_they_have(tmp_path: Path, sqlite_url: str, classifier: Any) -> None:
    """A shop that started before the qualities were in the schema keeps its rows: the answers say "not written"
    until the shop fills them in, and nothing breaks."""
    settings = make_settings(tmp_path, sqlite_url)
    async with open_services(settings, classifier=classifier) as running:
        def strip(session: Any) -> None:
            for product in session.execute(select(Product)).scalars():
                product.attributes = {k: v for k, v in product.attributes.items() if k not in ("origin", "see_through")}
        await running.db.run(strip)
    async with open_services(settings, classifier=classifier) as running:
        chat = Chat(running)
        await chat.say("碎花雪纺连衣裙哪里产的")
        assert "资料里没有" in chat.text and "广州" not in chat.text, chat.text
        assert not await chat.query(select(InvoiceRequest))


async def test_a_question_asked_with_the_order_is_answered_before_the_next_question(services: Any) -> None:
    chat = Chat(services)
    await chat.say("纯棉圆领短袖T恤")
    await chat.say("那要白色M码 一件就好~ 包邮不")
    last = chat.last.replies[-1].text
    assert "地址" in last and "包邮" in chat.text, "the shipping answer first, the address question last"


async def test_adding_to_an_order_not_yet_placed_is_buying_not_changing_an_order(services: Any) -> None:
    chat = Chat(services)
    await chat.say("冰丝POLO衫 藏青色 XL 要两件，张建国 13915267348 江苏省南京市鼓楼区中山北路283号4栋301，不要放快递柜")
    assert chat.last.stage == "confirm_order" and "×" not in chat.text and "2" in chat.text, chat.text
    assert "没查到您的订单" not in chat.text


async def test_a_delivery_note_while_choosing_is_taken_not_queued_as_a_complaint(services: Any) -> None:
    chat = Chat(services)
    await chat.say("帆布鞋黑色42码")
    assert "有货" in chat.text, "a size named is a stock question, not a size list"
    await chat.say("快递别放柜子 送之前打电话")
    assert chat.last.status == "bot" and "备注" in chat.text and "打电话" in chat.text, chat.text
    await chat.say("黄磊 13308301234 重庆市渝北区金山路18号8栋2204")
    await chat.say("确认")
    [order] = await chat.orders()
    assert "打电话" in order.shipping_task.notes and "柜" in order.shipping_task.notes


async def test_a_quality_question_with_no_item_in_view_asks_which_then_answers_it(services: Any) -> None:
    chat = Chat(services)
    await chat.say("能机洗吗还是得干洗")
    assert "哪一款" in chat.text or "哪件" in chat.text, chat.text
    await chat.say("缎面垂感长袖衬衫")
    assert "手洗或干洗" in chat.text, "the question asked before the item was named is answered"


async def test_taking_back_an_order_that_has_not_left_is_a_cancel(services: Any) -> None:
    chat = Chat(services)
    await chat.say("工装裤军绿L码来一条")
    await chat.say("黄俊杰 18576230941 广东省广州市天河区天河北路233号9栋1703")
    await chat.say("对")
    await chat.say("哎等下 这单退了吧 不要了")
    assert "已经帮您取消" in chat.text, "the order named and taken back: cancelled, not a return"
    [order] = await chat.orders()
    assert order.status == "cancelled"
    await chat.say("钱是原路退回吗")
    assert "原支付方式" in chat.text and chat.last.status == "bot", chat.text


async def test_the_return_address_asked_before_buying_is_not_a_hand_over(services: Any) -> None:
    chat = Chat(services)
    await chat.say("请问你们支持7天无理由退货吗？")
    assert "7天" in chat.text and chat.last.status == "bot"
    await chat.say("退货地址找谁要？")
    assert chat.last.status == "bot" and "同事" in chat.text, chat.text


async def test_no_invoice_in_the_parcel_is_a_note_not_an_invoice_request(services: Any) -> None:
    chat = Chat(services)
    await chat.say("羊毛针织围巾")
    await chat.say("那要一条酒红 一条灰色，直接寄给我爸妈，包裹里别放发票和价格单，是送人的")
    assert "抬头" not in chat.text, chat.text


async def test_a_customer_waiting_for_a_person_is_not_told_the_same_paragraph_every_message(services: Any) -> None:
    chat = Chat(services)
    await chat.say("转人工")
    assert chat.last.status == "waiting_agent" and "第 1 位" in chat.text
    full = chat.text
    answers = []
    for text in ("有人吗", "人呢", "快点", "还在吗"):
        await chat.say(text)
        answers.append(chat.text)
    assert full not in answers[0] and "第 1 位" in answers[0], "a short word that still says where they are"
    assert any("不在线" in a or "没有人工客服在线" in a for a in answers[1:]), "the full answer comes back now and then"
    assert chat.last.status == "waiting_agent"


async def test_received_goods_that_do_not_fit_are_an_exchange_not_a_complaint(client: Any) -> None:
    """No fault, just the wrong size: the shop's exchange process, the postage from the settings, and the return
    address from a colleague (offered, not invented) — the chat stays with the bot."""
    first = await client.post("/api/messages", json={"customer": "fit-1", "text": "前天收到的牛仔裤 M码 腰那里有点紧 想换L"})
    body = await first.json()
    assert body["status"] == "bot" and body["intent"] == "return_refund", body
    second = await client.post("/api/messages", json={"customer": "fit-1", "text": "换的话运费谁出 地址发我一下"})
    answer = await second.json()
    text = "\n".join(r["text"] for r in answer["replies"])
    assert answer["status"] == "bot" and "运费" in text and "要退货地址" in [b for r in answer["replies"] for b in r["buttons"]]


async def test_a_change_to_an_order_that_cannot_be_found_goes_to_a_person_with_the_request(client: Any) -> None:
    """The bot cannot change what it cannot find: asked once for the number, and when that finds nothing either,
    the request is handed to a colleague (the chat queued, the words kept) — not a button to press, not a loop."""
    first = await say(client, "lost-1", "地址填错了 帮我改成浙江省杭州市滨江区江南大道500号")
    assert first["status"] == "bot" and "订单号" in texts(first), texts(first)
    second = await say(client, "lost-1", "KF2026120199999")
    assert second["status"] == "waiting_agent", texts(second)
    assert "转给同事" in texts(second) and "改好" not in texts(second).replace("处理好", ""), texts(second)


async def test_goods_that_do_not_suit_are_an_exchange_not_a_complaint(client: Any) -> None:
    answer = await say(client, "suit-1", "你好 条纹长袖收到了 白底红条的 穿上有点显黑")
    assert answer["status"] == "bot" and answer["intent"] == "return_refund", texts(answer)
    assert "7天" in texts(answer) and "抱歉" not in texts(answer), texts(answer)


async def test_questions_asked_while_a_complaint_is_taken_down_are_answered(client: Any) -> None:
    """How to send back a wrong item, and when the double charge comes back: answered from the shop's settings (the
    shop pays a wrong item's postage; refunds in 1–3 working days after a colleague checks), the chat still queued."""
    await say(client, "wait-1", "你好，我前天收到货，打开发现发错了。")
    await say(client, "wait-1", "我买的是男士弹力修身牛仔裤，黑色XL，收到的是深蓝色的，标签上是L码。")
    answer = await say(client, "wait-1", "周末要穿，能不能尽快给我补发正确的？发错的这条我怎么寄回？")
    assert answer["status"] == "waiting_agent" and "运费都由我们承担" in texts(answer), texts(answer)
    await say(client, "wait-2", "你们怎么扣了我两次款 同一个订单扣了两遍")
    answer = await say(client, "wait-2", "我截图都有 多扣的什么时候退")
    assert answer["status"] == "waiting_agent" and "1–3个工作日" in texts(answer), texts(answer)


async def test_while_a_colleague_makes_a_change_the_refund_and_shipped_questions_are_answered(client: Any) -> None:
    await say(client, "chg-9", "你好 我昨晚下的单 能改地址吗")
    await say(client, "chg-9", "这周要带团不在家 改寄到单位咯")
    shipped = await say(client, "chg-9", "要是已经发出去了咋办噢")
    assert shipped["status"] == "waiting_agent" and "拦截" in texts(shipped) and "欢迎" not in texts(shipped)
    await say(client, "cnl-9", "亲！！我刚拍的牛仔裤能取消吗 拍错码了")
    await say(client, "cnl-9", "就十分钟前 应该还没发货吧")
    refund = await say(client, "cnl-9", "先取消吧 我再量量腰围 钱多久退回来")
    assert refund["status"] == "waiting_agent" and "1–3个工作日" in texts(refund), texts(refund)


async def test_a_line_change_worked_out_for_lines_that_changed_meanwhile_changes_nothing(services: Any) -> None:
    """Between reading an order and changing it, a colleague may have edited its lines: the store refuses the
    change whole (the engine then says it was not made), never changing another line or taking out the last."""
    from bot.conversation import ChangeOrder
    from bot.engine import store

    chat = Chat(services)
    await chat.say("羊毛混纺圆领毛衣 燕麦色 S 再整一条围巾 也燕麦色")
    await chat.say(ADDRESS)
    await chat.say("确认")
    [placed] = await chat.orders()
    customer = placed.customer_id

    def attempt(action: ChangeOrder) -> Any:
        def work(session: Any) -> str:
            try:
                store.change_order(session, customer, action)
            except store.LinesChanged:
                session.rollback()
                return "refused"
            return "changed"
        return work

    gone_line = ChangeOrder(placed.order_no, {"size": "M"}, line=("KN-001", "酒红", "S"))
    assert await services.db.run(attempt(gone_line)) == "refused"
    everything = ChangeOrder(placed.order_no, {}, drop=("KN-001", "SC-001"))
    assert await services.db.run(attempt(everything)) == "refused"
    [after] = await chat.orders()
    assert sorted((i.sku, i.colour, i.size) for i in after.items) == [("KN-001", "燕麦色", "S"), ("SC-001", "燕麦色", "均码")]
