"""The sale: greeting, questions about items and shipping, recommendations, haggling, doubts.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from decimal import Decimal
from typing import Any

from bot.conversation import facts as _facts
from bot.conversation.arrival import arrival_answer
from bot.conversation.buttons import _ASK_COLLEAGUE, AFTER_ANSWER, MENU, _menu_for
from bot.conversation.cart import _cart_total, _terms
from bot.conversation.catalogue import Catalogue, Need, ProductView, format_money, sexes_named
from bot.conversation.cues import (
    _ALTERNATIVE_WORDS,
    _ASKS,
    _ASKS_PERK,
    _ATTRIBUTE_WORDS,
    _BEST_SELLING,
    _COLOUR_WORDS,
    _IN_TIME,
    _LATER,
    _LOOK,
    _MATERIAL_WORDS,
    _PRICE_WORDS,
    _SIZE_WORDS,
    _STOCK_WORDS,
    _WHEN,
    COURIER_NAMES,
)
from bot.conversation.decision import Decision, Turn
from bot.conversation.focus import _fact_about, _focus, _order_for, _others_named, _product_values
from bot.conversation.sizing import _advise_size, _sizes_for_people
from bot.conversation.slots import SIZE_QUESTION, Extracted, extract, mentions_any, need_from, simplify
from bot.conversation.state import Pending, Stage
from replies import Fragment, Value

_ACCOUNT_WORDS = ("账号", "账户", "帐号", "登录", "登陆", "登不上", "密码", "验证码", "注册", "会员", "积分", "绑定", "解绑",
                  "实名", "京豆", "plus", "封号", "冻结")
_ROBOT_WORDS = ("机器人", "真人吗", "是人吗", "人工智能", "ai", "自动回复", "智能客服", "是不是机器", "是机器吗", "机械人",
                "是不是真人", "系唔系真人", "系咪机器", "是不是人啊", "bot", "真人还是", "还是机器", "是机器")
_COURIERS = (*COURIER_NAMES, "快递", "物流")
_DEICTIC = ("这件", "这款", "这个", "那件", "那款", "它", "这条", "这双", "这顶", "宝贝", "链接", "这套")
_ASKS_FOR = re.compile(r"有没有|有没|卖不卖|有卖|有.{1,10}(吗|么|嘛)|卖.{0,6}(吗|么)")
_REMOTE = ("新疆", "西藏", "青海", "内蒙", "宁夏", "甘肃", "海南", "偏远", "拉萨", "乌鲁木齐", "喀什", "阿克苏", "伊犁")
_ABROAD = ("香港", "澳门", "台湾", "国外", "海外", "境外", "美国", "日本", "加拿大", "英国", "澳洲", "新加坡", "马来西亚")


def _answer_facts(d: Decision, product: ProductView, aspects: list[_facts.Aspect], text: str) -> None:
    """One bubble: what the catalogue says of each quality asked about, then — for those it does not say — that
    it does not, with a colleague offered (the question kept for them)."""
    parts, unknown = _fact_parts(d, product, aspects, text)
    d.stage = Stage.CONSULT
    if parts:  # (none: the size advice just given said the fit note already — "脚背有点高" after the foot length)
        d.say(*parts, buttons=(_ASK_COLLEAGUE, "我要买") if unknown else AFTER_ANSWER)
    if any(a.name == "gift" and _facts.answer(product, a).fact for a in aspects) and not d.slots.get("order_no") \
            and _WANTS_A_GIFT_BOX.search(plain := simplify(text)) and not mentions_any(plain, ("多少钱", "收费", "要钱", "加钱")) \
            and "礼盒" not in str(d.slots.get("notes") or ""):
        # "送人的 能不能包个礼盒": yes — and the gift box goes in the notes of the order being put together
        d.slots["notes"] = "；".join(filter(None, (str(d.slots.get("notes") or ""), "礼盒包装")))
        d.say(("close.note_taken", {"notes": "礼盒包装"}))


# "能不能包个礼盒" / "要礼盒包装" / "加个礼盒": a gift box wanted (a price asked of it is only a question)
_WANTS_A_GIFT_BOX = re.compile(r"包(个|一下|成)?礼[盒合]|(要|加|用|配)(个|一个)?礼[盒合]|礼[盒合]包装")


def _fact_parts(
    d: Decision, product: ProductView, aspects: list[_facts.Aspect], text: str, *, named: bool = False
) -> tuple[list[tuple[str, Mapping[str, Value]]], list[str]]:
    """What the catalogue says of each quality asked about, and the qualities it does not say (kept for a
    colleague as ``unknown_question``); ``named``: each fact says which item it is of (several items answered)."""
    parts: list[tuple[str, Mapping[str, Value]]] = []
    unknown = []
    for aspect in aspects:
        found = _facts.answer(product, aspect)
        if isinstance(found.fact, str) and _advice_said(d, found.fact):
            continue
        if found.fact:
            parts.append(("product.fact_of" if named else "product.fact",
                          {"product": product.name, "aspect": aspect.label, "fact": found.fact}))
        else:
            unknown.append(aspect.label)
    if unknown:
        parts.append(("product.fact_unknown", {"product": product.name, "aspect": "、".join(unknown)}))
        d.slots["unknown_question"] = f"{product.name}：{text.strip()[:120]}"
    return parts, unknown


def _advice_said(d: Decision, fact: str) -> bool:
    """The fit note's advice was already said in this reply (a size advised one up for a build told)."""
    return any(key == "consult.size_advice_up" and str(values.get("advice")) in fact
               for say in d.says for key, values in say.parts)


def _sold_out(d: Decision, product: ProductView, catalogue: Catalogue, values: dict[str, Value]) -> None:
    """Say ``product`` is sold out, with similar items in stock; nothing chosen of it stays (a colour asked about
    does not make it a line of the order when the customer goes on to other items)."""
    similar = [p for p in catalogue if p.category == product.category and p.in_stock and p.sku != product.sku]
    if similar:  # (boots sold out: the canvas shoes — never T-shirts called "similar")
        d.say(("consult.out_of_stock", values), buttons=_menu_for(similar))
    else:
        d.say(("consult.out_of_stock_none_alike", values), buttons=_menu_for(catalogue.best_sellers()))
    if d.slots.get("product") == product.sku:
        for detail in ("size", "colour", "quantity"):
            d.slots.pop(detail, None)
    d.slots["lines"] = [line for line in d.slots.get("lines") or [] if line.get("sku") != product.sku]


def _clarify(d: Decision) -> Decision:
    count = int(d.slots.get("misunderstood") or 0) + 1
    d.slots["misunderstood"] = count
    d.slots["pending"] = Pending.CLARIFY
    d.intent = "other"
    if count >= 2:
        d.say(("clarify.offer_human", {}), buttons=("转人工", "继续和小助手聊"))
    else:
        d.say(("clarify.ask", {}), buttons=("咨询商品", "查订单", "退换货", "转人工"))
    return d


# ------------------------------------------------------------------ the steps


# Surprised, kindly, that someone answers ("你们客服这么晚还在啊", "大半夜的还有人回消息")
# "问个事" / "咨询一下" / "请问": a question is coming
JUST_ASKING = re.compile(r"(你好|您好|亲|老板|在吗)?[，,\s]*(我)?(想|要)?(问|咨询|打听|请教)(个|一个|一下|下)?(事|事情|事儿|问题|哈)?"
                         r"|请问")
_STILL_THERE = re.compile(r"(这么晚|这么早|半夜|大半夜|凌晨|周末|过年|假期|节假日).{0,6}(还在|还有人|还上班|也上班|还回|都在|还营业)"
                          r"|还没下班|好敬业|真敬业")


def _greet(d: Decision, t: Turn) -> None:
    ctx = t.ctx
    if _STILL_THERE.search(simplify(t.text)):
        d.say(("greet.still_here", {}), buttons=MENU)
        return
    if JUST_ASKING.fullmatch(simplify(t.text).strip()):  # "问个事": asked to go ahead, not welcomed again
        d.say(("greet.go_ahead", {}), buttons=MENU)
        return
    if d.stage not in (Stage.GREET, Stage.FAREWELL, Stage.SHIPPING):
        d.say(("greet.welcome", {}), buttons=MENU)
        return
    d.stage = Stage.GREET
    key = "greet.welcome_back" if ctx.returning and ctx.first_message else "greet.welcome"
    d.say((key, {}), buttons=MENU)


def _shipping(d: Decision, t: Turn) -> None:
    text, ctx = t.text, t.ctx
    first = ctx.first_message or d.stage == Stage.GREET
    d.stage = Stage.CONSULT
    product = ctx.catalogue.get(d.slots.get("product"))
    plain = simplify(text)
    placed = _order_for(ctx, str(d.slots.get("order_no"))) if d.slots.get("order_no") else None
    asks_fee = mentions_any(text, ("运费", "邮费", "包邮", "快递费"))
    if placed is not None and placed.unshipped and asks_fee \
            and placed.details.get("shipping_fee") and not Decimal(placed.details["shipping_fee"]):
        # "满99包邮是吧 我这凑够了没" after topping up: it is free — said with the order's total
        d.say(("shipping.order_free", {"order_no": placed.order_no, "total": placed.details.get("total", "")}),
              buttons=("查看订单状态", "继续逛逛"))
        return
    if placed is not None and placed.unshipped and asks_fee \
            and Decimal(placed.details.get("shipping_fee") or "0") > 0:
        # "58块还要邮费？" about the order just placed: why, and how it can still ship free (added to, before it
        # leaves the warehouse, it is one parcel)
        d.say(("shipping.order_fee", {"order_no": placed.order_no, "subtotal": placed.details.get("subtotal", ""),
                                      "fee": placed.details.get("shipping_fee", "")}),
              buttons=("看看热销款", "查看订单状态"))
        return
    abroad = next((w for w in _ABROAD if w in plain), None)
    remote = next((w for w in _REMOTE if w in plain), None)
    other_courier = next((c for c in _COURIERS[:-2] if c in plain and c not in simplify(ctx.policy.courier)), None)
    if abroad or remote or other_courier:
        # what the settings say (courier, cut-off, days, free-shipping line), and honestly not what they do not:
        # whether a place is served, a remote surcharge, another courier — a colleague is offered for those
        d.slots["unknown_question"] = text.strip()[:120]
        key = "shipping.abroad" if abroad else "shipping.remote" if remote else "shipping.other_courier"
        named_place = abroad or (remote if remote and remote != "偏远" else None)
        if named_place:
            d.slots["place"] = named_place  # ("偏远地区要加钱吗" later: the place said before)
        place = str(named_place or d.slots.get("place") or "您那边")
        d.say((key, {"place": place, "wanted": other_courier or ""}),
              buttons=(_ASK_COLLEAGUE, "我要买"))
    elif (mentions_any(text, _WHEN + ("啥时候", "几时", "几号")) or _IN_TIME.search(plain)) \
            and not mentions_any(text, ("包邮", "邮费", "运费")):
        d.say(arrival_answer(text, ctx), buttons=AFTER_ANSWER)
    elif mentions_any(text, _COURIERS) and not mentions_any(text, ("包邮", "邮费", "运费")):
        d.say(("shipping.policy", {}), buttons=AFTER_ANSWER)  # "发什么快递": which courier, and when
    elif first and not product:
        d.say(("greet.with_shipping", {}), buttons=("看看热销款", "我要买", "查订单"))
    elif _cart_total(d, t):
        pass
    elif product:
        key = "shipping.free" if product.price >= ctx.policy.free_shipping_threshold else "shipping.not_free"
        d.say((key, {"product": product.name, "price": product.price_text}), buttons=AFTER_ANSWER)
    else:
        d.say(("shipping.policy", {}), buttons=("看看热销款", "我要买"))


_RESTOCK = re.compile(r"补货|到货|进货|上新|什么时候有|啥时候有|几时有|还会有|再有|有货了?(通知|告诉|提醒|说|喊|叫)")
# "那有货了通知我一下吧": a reminder asked for — nothing here can set one, and that is said
_NOTIFY = re.compile(r"(有货|到货|补货|上架|上新|回来)了?.{0,4}(通知|告诉|提醒|说一声|喊|叫|私信|发消息)|(通知|提醒)我")


def _consult(d: Decision, t: Turn) -> None:
    text, ctx = t.text, t.ctx
    d.stage = Stage.CONSULT
    plain_text = simplify(text)
    product, in_category, found = _consulted(d, t, plain_text)
    if product is None:
        _show_which(d, t, in_category)
        return
    values = _product_values(product)
    plain = simplify(text)
    for word in sorted((product.name, *product.aliases), key=len, reverse=True):
        plain = plain.replace(word.lower(), " ")  # "纯棉T恤有哪些颜色" asks about colours, not cotton
    beside = [p for p in ctx.catalogue.in_category(plain) if p.category != product.category and p.in_stock][:3] \
        if re.search(r"和|跟|加|还有|再|配", plain_text) and not _others_named(plain_text, product, ctx.catalogue) else []
    if beside and not d.slots.get("lines"):
        # "想给男朋友买衬衫和裤子": the shirt, and the trousers the shop has for him — shown, so "牛仔裤深蓝" is one
        d.slots["candidates"] = [p.sku for p in beside]
        d.slots["seen"] = [*[sku for sku in d.slots.get("seen") or [] if sku not in d.slots["candidates"]],
                           *d.slots["candidates"], product.sku][-6:]
        d.say(("recommend.intro", {"need": "、".join(sorted({p.category for p in beside}))}), *_items(beside),
              buttons=_menu_for(beside))
    if not product.in_stock and _RESTOCK.search(plain):
        # "啥时候补货": nobody here knows the date — said so, and a colleague offered (never a guessed date)
        d.slots["unknown_question"] = f"{product.name}：{text.strip()[:120]}"
        key = "consult.restock_notify" if _NOTIFY.search(plain) else "consult.restock_unknown"
        d.say((key, values), buttons=(_ASK_COLLEAGUE, "看看热销款"))
        return
    if not product.in_stock and (any(w in plain for w in _STOCK_WORDS) or found.size or found.colour):
        _sold_out(d, product, ctx.catalogue, values)
        return  # "灰色L码还有货吗" for a sold-out item: that it is sold out, before any size talk
    wanted = d.slots.pop("wanted", None)
    if wanted:
        _unavailable(d, product, wanted, values, ctx.catalogue)
        return
    height = found.height or d.slots.get("height")
    weight = found.weight or d.slots.get("weight")
    foot = found.foot or d.slots.get("foot")
    if found.people and product.size_chart and not found.items:
        _sizes_for_people(d, product, found.people, ctx.catalogue, values)
        return
    named_size = bool(found.size and found.size in product.sizes) and not SIZE_QUESTION.search(plain)
    one_size_look = len(product.sizes) <= 1 and bool(_LOOK.search(plain))  # ("…还得猜尺码 就围巾吧 哪个颜色显气色")
    if not named_size and not one_size_look and (
            any(w in plain for w in _SIZE_WORDS) or d.slots.get("pending") == Pending.MEASURE
            or found.height or found.weight or found.foot):
        _answer_size(d, t, product, values, plain, (height, weight, foot))
        return
    _answer_about(d, product, ctx.catalogue, values, plain, found)


def _consulted(d: Decision, t: Turn, plain_text: str) -> tuple[ProductView | None, list[ProductView], Extracted]:
    """The item a question is about (None: the customer is browsing), the items of the category it names, and
    what the message says read against that item."""
    text, ctx, found = t.text, t.ctx, t.found
    product = ctx.catalogue.get(d.slots.get("product"))
    in_category = ctx.catalogue.in_category(plain_text)
    if product is not None and t.named is None and (
        (in_category and product.category not in {p.category for p in in_category})
        or any(w in plain_text for w in _ALTERNATIVE_WORDS)
    ):
        # "牛仔裤有哪些" / "有没有别的卫衣": the customer is browsing, not asking about the current item.
        others = [p for p in (in_category or ctx.catalogue.in_category(product.category)) if p.sku != product.sku]
        if others:
            product = None
            in_category = others
    elif product is None and len(in_category) == 1 and in_category[0].in_stock and not t.named \
            and (found.people or found.height or found.weight or found.foot or found.colour or _ASKS.search(plain_text)):
        # "白色T恤 三个人…分别穿什么码": the one item the words fit — answered about it, not a list of one
        product = in_category[0]
        _focus(d.slots, product)
        found = extract(text, product, catalogue=ctx.catalogue)
        if found.colour in product.colours:  # ("统一买白色T恤": the colour is chosen with it)
            d.slots["colour"] = found.colour
    elif product is None and not in_category and not t.named and (found.height or found.weight or found.foot) and len(
        sized := list({p.sku: p for line in d.slots.get("ordered") or []
                       if (p := ctx.catalogue.get(line.get("sku"))) and p.size_chart and len(p.sizes) > 1}.values())
    ) == 1:  # "我一米七六一百四十四斤穿多大的" just after ordering trousers and a cap: the trousers' size
        product = sized[0]
        found = extract(text, product, catalogue=ctx.catalogue)
    elif product is not None and not product.in_stock and t.named is None and (found.height or found.weight) \
            and len([sku for sku in d.slots.get("candidates") or [] if sku != product.sku]) >= 2:
        product = None  # "他一米八五一百八十斤" after the sold-out hoodie's others were shown: their sizes
        d.slots["candidates"] = [sku for sku in d.slots.get("candidates") or [] if sku != d.slots.get("product")]
    return product, in_category, found


# A young child ("小孩衣服", "外孙女五岁", "幼儿园"), not a grown one ("男孩子二十岁")
_FOR_A_CHILD = re.compile(r"小孩|宝宝|儿童|童装|小朋友|幼儿园|小学|婴儿|(?<![\d十])(?:[一二三四五六七八九\d]|1[0-2]|十[一二]?)岁")


def _show_which(d: Decision, t: Turn, in_category: list[ProductView]) -> None:
    """A question with no item in view: the items it may be about, shown to choose from."""
    text, ctx = t.text, t.ctx
    shown = [p for sku in d.slots.get("candidates") or [] if (p := ctx.catalogue.get(sku))]
    products = [p for p in in_category if p.in_stock][:3] or shown[:3] or ctx.catalogue.best_sellers()
    d.slots["candidates"] = [p.sku for p in products]
    d.slots["pending"] = Pending.WHICH
    found = t.found
    if not in_category and 2 <= len(shown) <= 3 and (found.height or found.weight or found.foot) \
            and all(p.size_chart for p in shown):
        # "170 130斤" with two or three items shown: the size of each — they choose the item, and its size is known
        advised = {p.sku: size for p in shown if (size := _advise_size(d, p, ctx.catalogue, found.height,
                                                                          found.weight, found.foot))}
        d.slots["advised"] = {**(d.slots.get("advised") or {}), **advised}
        return
    if _FOR_A_CHILD.search(simplify(text)) and not any("儿童" in p.audience for p in ctx.catalogue if p.in_stock):
        # "有没有小孩衣服 我外孙女五岁": the shop's clothes are grown-ups' — said so, not adults' tops offered
        d.say(("consult.no_children", {}), buttons=("看看热销款", "转人工"))
        return
    if in_category:  # show what the shop has in that category, with a reason for each
        category = "、".join(sorted({p.category for p in products}))
        d.say(("recommend.intro", {"need": category}), *_items(products), buttons=_menu_for(products))
    elif mentions_any(text, _DEICTIC + _ATTRIBUTE_WORDS) or not _ASKS_FOR.search(simplify(text)):
        d.say(("consult.which_product", {}), buttons=_menu_for(products))
    else:  # "有泳衣吗": something the shop does not carry — say so plainly
        d.say(("consult.not_found", {}), buttons=_menu_for(products))


def _answer_size(
    d: Decision, t: Turn, product: ProductView, values: Mapping[str, Value], plain: str,
    measures: tuple[float | None, float | None, float | None],
) -> None:
    """A question about sizes: the size the measurements give, or the measurements asked for, or the sizes.

    ``plain``: the message simplified, the item's own names taken out.
    """
    ctx, plain_text, (height, weight, foot) = t.ctx, simplify(t.text), measures
    if (height or weight or foot) and product.size_chart:
        if size := _advise_size(d, product, ctx.catalogue, height, weight, foot):
            d.slots["size"] = size
        for other in _others_named(plain_text, product, ctx.catalogue):
            # "那个百褶裙和条纹长袖t恤 她穿什么码啊": each item's own size, from its own chart
            if other.size_chart and (other_size := _advise_size(d, other, ctx.catalogue, height, weight, foot)):
                # (kept as advice, not as a line: the item is bought only if the customer goes on to choose it)
                d.slots["advised"] = {**(d.slots.get("advised") or {}), other.sku: other_size}
        return  # (the size, or that none in the chart fits)
    if product.size_chart and SIZE_QUESTION.search(plain):
        d.slots["pending"] = Pending.MEASURE
        d.say(("consult.size_need_measure", values))
        return
    if len(product.sizes) <= 1:
        d.say(("consult.one_size", values), buttons=("我要买", "有什么颜色"))
    else:
        d.say(("consult.sizes", values), buttons=("尺码推荐", "我要买"))


def _answer_about(
    d: Decision, product: ProductView, catalogue: Catalogue, values: dict[str, Value], plain: str, found: Extracted
) -> None:
    """Anything else asked of the item: stock, a quality the description answers, material, colours, price."""
    if not product.in_stock:
        _sold_out(d, product, catalogue, values)
        return
    if _LOOK.search(plain) and len(product.colours) > 1 and re.search(r"颜色|哪个色|什么色|啥色", plain):
        d.slots["unknown_question"] = f"{product.name}：{plain[:120]}"  # "哪个颜色显气色": the colours, no verdict
        d.say(("product.colour_look_unknown", values), buttons=(_ASK_COLLEAGUE, "我要买"))
        return
    if _LOOK.search(plain) and _not_in_the_details(d, product, plain):
        return  # "雾霾蓝和燕麦色哪个显白": how it looks on someone is not in the details — said so, not the stock
    if any(w in plain for w in _STOCK_WORDS) or found.size or found.colour:
        variant = "、".join(v for v in (found.colour, found.size) if v and (v in product.colours or v in product.sizes))
        if variant:  # "有红色的吗" → "酒红有货哦"
            values = {**values, "product": f"{product.name}（{variant}）"}
        if product.stock <= 5:
            d.say(("consult.low_stock", values), buttons=("我要买",))
        else:
            d.say(("consult.in_stock", values), buttons=("我要买", "尺码推荐"))
        return
    fact = _fact_about(product, plain)
    if fact:  # "透不透" / "会缩水吗": the description answers it
        d.say(("objection.product_fact", fact), buttons=AFTER_ANSWER)
    elif any(w in plain for w in _MATERIAL_WORDS):
        d.say(("consult.material", values), buttons=AFTER_ANSWER)
    elif any(w in plain for w in _COLOUR_WORDS):
        d.say(("consult.colours", values), buttons=product.colours[:4])
    elif any(w in plain for w in _PRICE_WORDS):
        d.say(("consult.price", values), buttons=AFTER_ANSWER)
    elif not _not_in_the_details(d, product, plain):
        d.say(("consult.overview", values), ("consult.follow_up" if len(product.sizes) > 1 else "consult.follow_up_one_size",
                                             {}), buttons=AFTER_ANSWER)  # (a one-size scarf: no size asked)


# A question about one particular thing ("孕妇能穿吗", "实物和图片颜色一样吗") — not how good the item is in general
# ("质量怎么样", "靠谱吗"), which the shop's promises answer.
_SPECIFIC_QUESTION = re.compile(r"会不会|会唔会|能穿吗|可以穿吗|能不能穿|适合|合适吗|一样吗|色差|正常吗|能不能|可不可以|"
                                + _LOOK.pattern)
_GENERAL_QUALITY = re.compile(r"质量|做工|靠谱|好不好|怎么样|咋样|值不值|值得|假|次品|瑕疵|放心|真的吗|骗|保证|好看")


def _not_in_the_details(d: Decision, product: ProductView, text: str) -> bool:
    """A particular question the item's details do not answer: said so, with a colleague offered (the question
    kept for them) — never the quality promise or an overview in its place. False when it is no such question."""
    plain = simplify(text)
    if not _SPECIFIC_QUESTION.search(plain) or _GENERAL_QUALITY.search(plain):
        return False
    d.slots["unknown_question"] = f"{product.name}：{text.strip()[:120]}"
    d.say(("product.question_unknown", {"product": product.name}), buttons=(_ASK_COLLEAGUE, "我要买"))
    return True


def _unavailable(
    d: Decision, product: ProductView, wanted: Mapping[str, str], values: Mapping[str, Value], catalogue: Catalogue
) -> None:
    """The reply for a size or colour the product is not made in, with the ones it is made in — and, for a colour,
    the items of its kind that are made in it ("阔腿裤没有深蓝": the jeans in 深蓝), kept for the one chosen."""
    options = product.colours if wanted["kind"] == "colour" else product.sizes
    shade = wanted["value"].removesuffix("色")
    made_in = {p.sku: colour for p in catalogue if p.category == product.category and p.sku != product.sku
               and p.in_stock and wanted["kind"] == "colour"
               for colour in p.colours if colour.removesuffix("色") == shade}
    elsewhere = [p for sku in list(made_in)[:2] if (p := catalogue.get(sku))]
    parts: list[tuple[str, Mapping[str, Value]]] = [("consult.variant_unavailable", {**values, "wanted": wanted["value"]})]
    if elsewhere:
        parts.append(("consult.colour_elsewhere", {"colour": wanted["value"],
                                                   "related": "、".join(p.name for p in elsewhere)}))
        d.slots["colour_of_which"] = {p.sku: made_in[p.sku] for p in elsewhere}
    d.say(*parts, buttons=(*options[:6], *(p.name for p in elsewhere)))


def _items(products: list[ProductView]) -> list[tuple[str, Mapping[str, str]]]:
    """One recommend.item line per product: name, price and the reason to buy it."""
    return [
        ("recommend.item", {"product": p.name, "price": p.price_text,
                            "reason": p.selling_points[0] if p.selling_points else p.description})
        for p in products
    ]


def _with_the_need_before(need: Need, slots: dict[str, Any]) -> Need:
    """What the customer said they look for now, with what they said before where now says nothing of it ("我爸…"
    then "有领子的": still his; "想买件外套" then "四百以内": coats within 400) — kept for the next time."""
    before = slots.get("need_said") or {}
    if need and before:
        need = replace(need, **{name: frozenset(before[name]) for name in ("categories", "audience", "seasons", "kinds")
                                if not getattr(need, name) and before.get(name)},
                       budget=need.budget if need.budget is not None else (
                           Decimal(str(before["budget"])) if before.get("budget") else None))
    if need:
        slots["need_said"] = {name: sorted(getattr(need, name)) for name in ("categories", "audience", "seasons", "kinds")}
        slots["need_said"]["budget"] = str(need.budget) if need.budget is not None else None
    return need


# "颜色你帮我挑一个吧" / "你帮我选个颜色" / "啥颜色好": the shop asked to choose the colour of the item in view
_PICK_A_COLOUR = re.compile(r"颜色.{0,8}(你|您)(帮我|给我|帮忙|替我)?(挑|选|定|推荐|做主|看着)|(帮我|你|您)(挑|选|推荐)(个|一个|一下)?颜色|"
                            r"(什么|啥|哪个|哪种)颜色(好|合适|适合|百搭)|颜色.{0,4}(看着办|随便|都行|无所谓)")
# The colours most people choose for a man's and for a woman's piece, and for anyone — a suggestion, said as one
_COLOURS_FOR = {"男": ("藏青", "灰色", "深灰", "黑色", "卡其", "深蓝", "燕麦色"),
                "女": ("燕麦色", "酒红", "米白", "杏色", "雾霾蓝", "灰色", "黑色"),
                "": ("黑色", "灰色", "燕麦色", "藏青", "白色", "米白")}


_HIS_HERS = {"男": re.compile(r"男|孙子|儿子|老公|爸|爷|外公|哥|弟|小伙"), "女": re.compile(r"女|孙女|闺女|老婆|妈|奶奶|外婆|姐|妹")}  # (姑娘 is said to the shop)


def _colour_picked(d: Decision, product: ProductView, plain: str) -> None:
    """The colour the shop was asked to choose: two it suggests (for a man or a woman, when the message says which),
    and the question which one — the customer still chooses."""
    sexes = sexes_named(plain) | {sex for sex, words in _HIS_HERS.items() if words.search(plain)}
    sex = next(iter(sexes)) if len(sexes) == 1 else ""
    picks = [c for c in _COLOURS_FOR[sex] if c in product.colours][:2] or list(product.colours[:2])
    d.stage = Stage.CLOSE if d.slots.get("quantity") or d.slots.get("lines") else Stage.CONSULT
    d.slots["pending"] = Pending.COLOUR
    d.say(("recommend.colour_pick", {"product": product.name, "colours": "、".join(product.colours),
                                     "colour": "或".join(picks), "who": {"男": "给男生的", "女": "给女生的"}.get(sex, "")}),
          buttons=tuple(product.colours[:6]))


def _recommend(d: Decision, t: Turn) -> None:
    text, ctx = t.text, t.ctx
    product = ctx.catalogue.get(d.slots.get("product"))
    if product is not None and len(product.colours) > 1 and not d.slots.get("colour") \
            and _PICK_A_COLOUR.search(plain := simplify(text)):
        _colour_picked(d, product, plain)  # "颜色你帮我挑一个吧 男孩子二十岁": two suggested, and which one
        return
    d.stage = Stage.RECOMMEND
    need = _with_the_need_before(need_from(text), d.slots)
    if not need and (gone := ctx.catalogue.get(d.slots.get("product"))) is not None and not gone.in_stock:
        need = Need(categories=frozenset({gone.category}))  # "没有了啊那有什么别的": others of its kind
    if not need and text not in ("看看热销款", "随便看看热销款", "继续逛逛") and not d.slots.get("asked_need") \
            and not _BEST_SELLING.search(simplify(text)):  # ("你们卖得最好的是啥": shown at once)
        d.slots["asked_need"] = True
        d.slots["pending"] = Pending.NEED
        d.say(("recommend.ask_need", {}), buttons=("自己穿", "送人", "随便看看热销款"))
        return
    picks = ctx.catalogue.recommend(need) if need else []
    parts: list[tuple[str, Mapping[str, Value]]] = []
    if need and len(picks) == 1:
        parts.append(("recommend.intro_one", {"need": need.describe()}))
    elif need and picks:
        parts.append(("recommend.intro", {"need": need.describe()}))
    elif need:
        parts.append(("recommend.none", {"need": need.describe()}))
        picks = ctx.catalogue.best_sellers()
    else:
        parts.append(("recommend.intro_general", {}))
        picks = ctx.catalogue.best_sellers()
    parts.extend(_items(picks))
    related = [r for r in ctx.catalogue.related_to(picks[0]) if r not in picks] if picks else []
    if related:
        parts.append(("recommend.related", {"product": picks[0].name, "related": related[0].name}))
    d.slots["candidates"] = [p.sku for p in picks]
    if len(picks) == 1:
        _focus(d.slots, picks[0])
        if d.slots.get("pending") == Pending.WHICH:
            d.slots["pending"] = None  # (the one item shown is the one talked about now)
    d.say(*parts, buttons=_menu_for(picks))
    found = t.found
    if len(picks) == 1 and (found.height or found.weight or found.foot):  # "他178 144斤": its size, at once
        if size := _advise_size(d, picks[0], ctx.catalogue, found.height, found.weight, found.foot):
            d.slots["size"] = size


# Haggling with a reason the shop may reward at once ("买三件能便宜点不", "老顾客了", "第一次买", "送袜子也行"): the
# first allowed concession, not a hold first
_A_REASON_TO_GIVE = re.compile(r"[两三四五六七八九十俩\d]\s*[件条双套个]|多买|一起买|老顾客|老客户|回头客|买过好几次|常来|"
                               r"第一次买|新客|学生|送.{0,3}(袜子|赠品|小礼物).{0,3}(也行|也可以|就行)|诚心要|诚心买")


def _bargain(d: Decision, t: Turn) -> None:
    text, ctx = t.text, t.ctx
    d.stage = Stage.OBJECTION
    policy = ctx.policy
    rounds = int(d.slots.get("bargain_round") or 0) + 1
    d.slots["bargain_round"] = rounds
    granted: list[str] = list(d.slots.get("concessions") or [])
    ordered = {line.get("sku") for line in d.slots.get("ordered") or ()}
    if d.slots.get("order_no") and d.slots.get("product") in (None, *ordered) and not d.slots.get("lines") \
            and not d.slots.get("merge_into"):  # (nor about the item just ordered, talked about again)
        # "学生党钱包已阵亡 能便宜点不" after the order is placed: its total is set — no coupon promised for it
        d.say(("objection.after_order", {"order_no": str(d.slots["order_no"])}), buttons=("查看订单状态", "继续逛逛"))
        return
    product = ctx.catalogue.get(d.slots.get("product"))
    price = product.price * int(d.slots.get("quantity") or 1) if product else None
    buttons = ("好的，我要了", "再看看")
    if rounds == 1 and not _ASKS_PERK.search(simplify(text)) and not _A_REASON_TO_GIVE.search(simplify(text)):
        if mentions_any(text, ("别家", "别人家", "其他家", "别的店", "拼多多", "便宜好多", "比你们便宜")):
            d.say(("objection.price_match", {}), buttons=buttons)
        else:
            d.say(("objection.bargain_hold", {}), buttons=buttons)
        return
    ladder = []
    if policy.coupon_amount > 0 and (price is None or price >= policy.coupon_min_total):
        ladder.append("coupon")
    if policy.gift:
        ladder.append("gift")
    if policy.free_shipping_concession and (price is None or price < policy.free_shipping_threshold):
        ladder.append("free_shipping")
    for step in ladder:
        if step not in granted:
            granted.append(step)
            d.slots["concessions"] = granted
            key = {"coupon": "objection.bargain_coupon", "gift": "objection.bargain_gift",
                   "free_shipping": "objection.bargain_free_shipping"}[step]
            d.say((key, {}), buttons=buttons)
            return
    d.say(("objection.bargain_floor", {}), buttons=buttons)


# a worry about the fit: the build told, or how tight it feels
_SIZE_WORRY = re.compile(r"勒|紧|卡|粗|胖|宽|挤|磨|码|大一|小一")


def _doubt(d: Decision, t: Turn) -> None:
    text = t.text
    plain = simplify(text)
    if (browse := re.search(r"(再|先|也|顺便)看看(.{2,10})", plain)) and t.ctx.catalogue.find(browse.group(2)) is not None:
        # "…都M 再看看小白鞋": a look at another item, not hesitation — that item is what is answered
        if not d.says:
            _consult(d, t)
        return
    if d.slots.get("product") and re.search(r"想买|想要|要买|想入|想拍", plain) and not re.search(
        r"吗|么|嘛|[?？]|会不会|怕|担心|质量|靠谱|真的|假", plain
    ):  # "我想买那个冰丝的菠萝衫 就是带领子的那种短袖": the item, not a reassurance nobody asked for
        _consult(d, t)
        return
    if any(key.startswith("consult.size_advice") for say in d.says for key, _ in say.parts) and _SIZE_WORRY.search(plain):
        return  # "我腿粗 蹲下裆那块勒得慌": the size advice for the build said already answers the worry
    d.stage = Stage.OBJECTION
    if any(w in plain for w in ("正品", "真的假的", "假货", "真假", "正版", "授权", "专柜", "原装", "山寨", "高仿", "a货")):
        key = "objection.authentic"
    elif any(w in plain for w in ("码", "大了", "小了", "合身", "穿不了", "尺寸", "胖", "瘦", "显")):
        key = "objection.fit"
    elif any(w in plain for w in ("考虑", "再看看", "逛逛", "对比", "比较一下", "比一比", "别家", "谂下", "諗下", "想下", "想想", "犹豫", "纠结", "商量", "问问", "等等", "回头", "再说",
                                  "先看看", "没想好", "还没定")) or _LATER.search(plain):
        key = "objection.think"
    else:
        key = "objection.quality"
        product = t.ctx.catalogue.get(d.slots.get("product"))
        fact = _fact_about(product, plain)
        if fact:  # "会不会起球" about a product whose description answers it: answer with the fact
            d.say(("objection.product_fact", fact), buttons=("好的，我要了", "再看看"))
            return
        if product is not None and _not_in_the_details(d, product, t.text):
            return
        if product is None and not _GENERAL_QUALITY.search(plain) and not _facts.asked(plain):
            # ("那你会不会累啊": not about the goods at all; "会不会起球" with no item: which one is asked below)
            _other(d, t)
            return
    focus = t.ctx.catalogue.get(d.slots.get("product"))
    if key == "objection.fit" and d.says and focus is not None and len(focus.sizes) <= 1:
        return  # ("围巾不是均码的吗": its one size said already — no size worry to soothe, no exchange of sizes)
    buttons: tuple[str, ...] = ("尺码推荐", "我要买") if key == "objection.fit" else ("好的，我要了", "再看看")
    if key == "objection.think":
        buttons = ("看看热销款",)
    d.say((key, {}), buttons=buttons)


def _thanks(d: Decision, t: Turn) -> None:
    d.stage = Stage.FAREWELL
    d.say(("farewell.sale" if d.slots.get("sale") else "farewell.no_sale", {}))


def _payment(d: Decision, t: Turn) -> None:
    """How to pay: the shop's settings do not say (payment happens outside kefu) — said so, with a colleague."""
    d.slots["unknown_question"] = t.text.strip()[:120]
    d.say(("other.payment_unknown", {}), buttons=(_ASK_COLLEAGUE, "我要买"))


def _custom(d: Decision, t: Turn) -> None:
    """Made to order (a logo printed, a name embroidered, a hem shortened): the catalogue does not offer it — said so,
    with a colleague who can tell."""
    d.slots["unknown_question"] = t.text.strip()[:120]
    d.say(("consult.custom_unknown", {}), buttons=(_ASK_COLLEAGUE, "看看热销款"))


_HOW_FAR_TO_FREE = re.compile(r"差多少|还差几|差几块|差几元|差多少钱|还要凑多少|凑多少")


def _total(d: Decision, t: Turn) -> None:
    """What the order being put together — or the one just placed — comes to, and its postage."""
    s, ctx = d.slots, t.ctx
    product = ctx.catalogue.get(s.get("product"))
    if product is not None:
        subtotal, discount, fee, note = _terms(s, product, ctx)
        if fee and _HOW_FAR_TO_FREE.search(simplify(t.text)):  # "差多少": what is missing for free postage
            d.say(("shipping.gap", {"subtotal": format_money(subtotal - discount), "amount": format_money(
                ctx.policy.free_shipping_threshold - (subtotal - discount))}), buttons=("我要买", "看看热销款"))
            return
        d.say(("confirm.total", {"total": format_money(subtotal - discount + fee), "price_note": note}),
              buttons=("我要买", "再看看") if s.get("pending") != Pending.READBACK else ("确认无误", "需要修改"))
        return
    order = _order_for(ctx, str(s.get("order_no") or ""))
    if order is not None and order.details.get("total"):
        fee = Decimal(order.details.get("shipping_fee") or "0")
        d.say(("confirm.total_placed", {"order_no": order.order_no, "total": order.details["total"],
                                        "price_note": Fragment("part.shipping_fee", {"fee": format_money(fee)})
                                        if fee else Fragment("part.shipping_free")}),
              buttons=("查看订单状态", "继续逛逛"))
        return
    d.say(("shipping.policy", {}), buttons=AFTER_ANSWER)


def _other(d: Decision, t: Turn) -> None:
    text = t.text
    if mentions_any(text, _ROBOT_WORDS):
        d.say(("other.robot", {}), buttons=("转人工", "看看热销款"))
    elif mentions_any(text, _ACCOUNT_WORDS):  # what the bot cannot see: it says so and offers a person
        d.say(("other.account", {}), buttons=("转人工", "继续和小助手聊"))
    elif _ASKS.search(plain := simplify(text)) and re.search(r"你们|店|公司|有没有|[?？]|吗|没$", plain) and len(plain) >= 5:
        # "你们店在哪 重庆有实体店没": a question about the shop the bot has nothing on — said so, a colleague offered
        d.slots["unknown_question"] = text.strip()[:200]
        d.say(("other.unknown_question", {}), buttons=(_ASK_COLLEAGUE, "看看热销款"))
    else:
        d.say(("other.chitchat", {}), buttons=MENU)
