"""Which item a message is about, what it chooses of it, and what the order being put together holds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from bot.conversation import facts as _facts
from bot.conversation import invoicing as _invoicing
from bot.conversation.catalogue import Catalogue, ProductView, names_at
from bot.conversation.cues import (
    _ADD_MORE,
    _ALSO_WANTS,
    _ASKS,
    _CANCEL,
    _CHANGE_WORDS,
    _COLOUR_WORDS,
    _DROP,
    _MATERIAL_WORDS,
    _ORDER_PUSH,
    _SIZE_WORDS,
    _STOCK_WORDS,
    DISPUTE_TYPES,
    _chooses,
)
from bot.conversation.slots import (
    SIZE_QUESTION,
    Extracted,
    Item,
    count_value,
    extract,
    mentions_any,
    name_tails,
    simplify,
)
from bot.conversation.state import ORDER_SLOTS, Pending
from bot.conversation.views import Context, OrderView
from replies import Fragment, Value


def _focus(state: dict[str, Any], product: ProductView, *, adding: bool = False) -> None:
    """Switch the conversation to ``product``; details chosen for another product no longer apply — unless the
    customer is adding it to what they chose ("再加一顶黑色棒球帽"): then the choice so far stays in the order."""
    previous = state.get("product")
    chose_previous = bool(state.get("lines") or state.get("size") or state.get("colour"))
    if adding and previous and previous != product.sku and chose_previous:
        # (only an item the customer chose something of: "再来一条围巾" after asking where a sweater is adds one)
        lines = [line for line in state.get("lines") or [] if line.get("sku") != previous]
        own = [line for line in state.get("lines") or [] if line.get("sku") == previous] or [
            {"sku": previous, "size": state.get("size"), "colour": state.get("colour"),
             "quantity": int(state.get("quantity") or 1)}]
        state["lines"] = lines + own
    else:
        # what was chosen of the item left, remembered for when the customer comes back to it in passing
        # ("那就拿蓝色碎花的M 儿子的裤子拿L": the trousers' khaki, chosen before the dress was talked about)
        chosen = {sku: {k: v for k, v in line.items() if k in ("size", "colour") and v}
                  for line in state.get("lines") or [] if (sku := line.get("sku"))}
        if previous and previous != product.sku and (state.get("size") or state.get("colour")):
            chosen[previous] = {k: state[k] for k in ("size", "colour") if state.get(k)}
            if _collected(state):  # (the address was being asked for it: it was being bought, not looked at)
                chosen[previous].update(quantity=str(int(state.get("quantity") or 1)), collected="yes")
        if chosen:
            state["chosen_of"] = {**(state.get("chosen_of") or {}), **chosen}
        state.pop("lines", None)
    state["product"] = product.sku
    state["seen"] = [*[sku for sku in state.get("seen") or [] if sku != product.sku], product.sku][-6:]
    for detail in ("size", "colour", "quantity", "wanted"):
        state.pop(detail, None)
    if (colour := (state.pop("colour_of_which", None) or {}).get(product.sku)) in product.colours:
        state["colour"] = colour  # ("深蓝" to two jeans shown, then the one chosen: in that colour)
    if (size := (state.pop("size_of_which", None) or {}).get(product.sku)) in product.sizes:
        state["size"] = size  # ("黑" then "L" to two tees shown, then the one chosen: black, L)


def _person_named(text: str, state: Mapping[str, Any]) -> tuple[str, str] | None:
    """The item and size bought for the one person a message names ("我那件還是換杏色", "他那套要浅灰", "我老公那件还是
    换成黑色") — by the size their measurements gave; None when it names none of them, or several."""
    people = state.get("people") if isinstance(state.get("people"), dict) else None
    if not people:
        return None
    who_sizes = {str(p.get("who") or ""): p.get("size") for p in people.get("who") or [] if p.get("who")}
    # ("我老公那件": 老公's, not mine)
    plain, named = re.sub(r"我的?(?=老公|老婆|男朋友|女朋友|男友|女友|对象|爸|妈|儿子|女儿|闺女|姐|妹|哥|弟|朋友|同事|家)", "",
                          simplify(text)), []
    for who in sorted(who_sizes, key=len, reverse=True):
        said = who if who in plain else (who[:-2] if re.fullmatch(r"\d{3}cm", who) else "") or next(
            (word for kin in _SAME_KIN if who.removeprefix("我") in kin for word in kin if word in plain), "")
        if said and said in plain:  # ("173那位要浅蓝的" for the one measured 173cm)
            named.append(who)
            plain = plain.replace(said, " ")
    if not named and re.search(r"(^|[，,\s])(他|她)", plain):  # ("他那件换黑色": the one of two who is not the customer)
        named = [who for who in who_sizes if who not in ("我", "自己")]
    if len(named) > 1:  # ("我那件换成杏色 他的还是燕麦色": the one whose line changes — the other's stays as it is)
        kept = {who for clause in re.split(r"[，,。；;！!？?\s]+", simplify(text))
                if re.search(r"还是|不变|不用(改|换)|照旧|一样|没变", clause) for who in named if who in clause}
        named = [who for who in named if who not in kept] if len(kept) < len(named) else named
    sizes = {who_sizes[who] for who in named}
    if len(named) != 1 or len(sizes) != 1 or list(who_sizes.values()).count(who_sizes[named[0]]) != 1:
        return None
    return str(people.get("sku")), str(who_sizes[named[0]])


def _by_position(text: str, state: Mapping[str, Any], catalogue: Catalogue) -> ProductView | None:
    """"第二个" / "要3号": a product of the list just shown, by its place — not a house number ("163号", "42号大院")."""
    candidates = state.get("candidates") or []
    found = _POSITION.search(simplify(text))
    if found is None:
        return None
    index = "一二三123".index(found.group(1) or found.group(2)) % 3
    return catalogue.get(candidates[index]) if index < len(candidates) else None


_POSITION = re.compile(r"第([一二三123])(?!\d)|(?<![\d一二三四五六七八九十零两路街道巷弄里村园区])([123])号(?![楼院栋门室线])")


def _variants_for_several(found: Extracted, current: ProductView | None, text: str, placed: Any) -> bool:
    """"我42 老婆37" / "他白色 我黑色" with an item in view and nothing ordered yet: a variant of it for each person —
    lines of the order, said as plain statements (no question in them)."""
    return current is not None and not placed and len(found.items) >= 2 \
        and all((i.size in current.sizes or i.colour in current.colours) and i.sku in (None, current.sku)
                for i in found.items) and not _ASKS.search(simplify(text))


def _chosen_before(
    state: dict[str, Any], previous: ProductView | None, product: ProductView, text: str, dropped: ProductView | None
) -> tuple[bool, int]:
    """Whether the item in view stays in the order when the message turns to ``product``: its size and colour are
    chosen — before ("裤子还是换L吧", then "换成百褶裙 黑色 M") or in the words before the new item's name ("那要藍色碎花
    S 一件。另外小白鞋…") — and the message does not put the new item in its place. Also where the new item's name
    starts when the words before it decided (0: they did not)."""
    if previous is None or previous.sku == product.sku or (dropped is not None and dropped.sku == previous.sku):
        return False, 0
    plain = simplify(text)
    at = min((m.start() for word in (product.name, *product.aliases, *name_tails(product)) if len(word) >= 2
              for m in names_at(word.lower(), plain)), default=0)
    if not at and (more := _ADD_MORE.search(plain) or _ALSO_WANTS.search(plain)):
        at = more.start()  # ("黑色L 再来一件燕麦色的圆领T": named loosely — the new item starts at 再来)
    if at and (later := _said_later_of(plain[at:], previous)):
        # "那换成纯棉T恤咯 燕麦色 裙子要雾霾蓝": the skirt named again after the tee, with its own colour — it stays
        state.update(later)
        state["chose"] = previous.sku
        return bool(state.get("size") or state.get("colour")), at
    # the words before the clause that names the new item ("…一件。另外小白鞋…" / "要一件 再加一顶黑色棒球帽")
    at = max((plain.rfind(mark, 0, at) for mark in "，,。.!！?？;；~～ \n"), default=-1) + 1 if at else 0
    head = plain[:at]
    if dropped is None and re.search(r"换成|改成|还是", plain[max(0, at - 6): at + 6]) and not _DROP.search(head):
        return False, 0  # "还是换成百褶裙吧": the new item instead (not "条纹的不要了 换成…": instead of another)
    whole = extract(head, previous) if head.strip() else None
    if head.strip() and (_chooses(head) or (
            whole is not None and whole.size in previous.sizes and whole.colour in previous.colours
            and not re.search(r"[吗么嘛呢?？]|有没有|还有", head)) or (
            # ("黑色的。另外给孙子买双帆布鞋…": a bare variant of the item in view, said before turning to the next)
            whole is not None and (whole.colour in previous.colours or whole.size in previous.sizes)
            and len(re.sub(r"[，,。.!！?？;；~～\s的吧]", "", head)) <= 4)):  # ("那不要杏色了 黑色L 再来一件…": chosen)
        said = extract(head, previous)
        several = [i for i in said.items if (i.sku in (None, previous.sku)) and i.size in previous.sizes
                   and i.colour in previous.colours]
        if len(several) >= 2 and len(several) == len(said.items):
            # "那要白的一件黑的一件 都M 再看看小白鞋": the item in view's lines, before the new item's name
            state["lines"] = [line for line in state.get("lines") or [] if line.get("sku") != previous.sku] + [
                {"sku": previous.sku, "size": i.size, "colour": i.colour, "quantity": i.quantity} for i in several]
            for detail in ("size", "colour", "quantity"):
                state.pop(detail, None)
            return True, at
        for name, allowed in (("size", previous.sizes), ("colour", previous.colours)):
            if (value := getattr(said, name)) in allowed:
                state[name] = value
        if said.quantity:
            state["quantity"] = said.quantity
        kept = bool(state.get("size") and state.get("colour"))
        return kept, at if kept else 0
    # (a size or colour chosen is enough: what is missing is asked before the read-back; "帽子也要一个" after asking
    # for the trousers in 军绿 XL: the trousers too)
    # ("袜子 全黑 两包" while the address is asked for the tee in white XL: the socks beside it, said as an order)
    also = bool((_TOO.search(plain) or (_collected(state) and not _ASKS.search(plain)))
                and state.get("size") and state.get("colour"))
    return bool((state.get("size") or state.get("colour")) and (state.get("chose") == previous.sku or also)), 0


def _collected(state: Mapping[str, Any]) -> bool:
    """Whether the item in view is being bought: its size and colour are settled and the address or the read-back
    was asked for it."""
    return state.get("pending") in (Pending.ADDRESS, Pending.PHONE, Pending.READBACK) \
        and bool(state.get("size") and state.get("colour"))


_TOO = re.compile(r"也(要|来|买|拿|想要)|还要一|再来一|再要一"
                  r"|^(?:那|然后|还有)?(?:我?同事|朋友|闺蜜|室友|舍友|同学|我妈|我爸|老公|老婆|男朋友|女朋友)(?:说她|说他)?要")


def _said_later_of(tail: str, previous: ProductView) -> dict[str, str]:
    """The size or colour the words after a new item's name give the item in view, in a clause naming it again
    ("…燕麦色 裙子要雾霾蓝")."""
    said: dict[str, str] = {}
    for clause in _clauses_naming(tail, previous):
        read = extract(clause, previous)
        said.update({k: v for k, v in (("size", read.size), ("colour", read.colour))
                     if v and v in (previous.sizes if k == "size" else previous.colours)})
    return said


def _clauses_naming(text: str, product: ProductView) -> list[str]:
    """The clauses of a text that name ``product``."""
    return [c for c in re.split(r"[，,。！!？?；;\s]+", text) if c and _names(c, product)]


def _names(clause: str, product: ProductView) -> bool:
    """Whether a (simplified) clause names ``product``: by its name, an alias or the end of its name ("围巾", "毛衣")."""
    return product.name.lower() in clause or any(a.lower() in clause for a in product.aliases) \
        or any(t in clause for t in name_tails(product))


def _variant_of_ordered(text: str, ordered: set[Any], catalogue: Catalogue) -> bool:
    """Whether a message names a colour or size of an item just ordered."""
    item = _ordered_item_meant(text, ordered, catalogue)
    return item is not None and item in _fits_most(text, [item])


def _fits_most(text: str, items: list[ProductView]) -> list[ProductView]:
    """The items made in every colour and size a message gives — of those, the ones that fit the most of it ("酒红
    XL": both a sweater and a scarf come in 酒红, only the sweater in XL)."""
    fits: dict[str, int] = {}
    for p in items:
        read = extract(text, p)
        first = read.items[0] if read.items else None  # ("换一下 深蓝 黑的我有好几条了": the first colour is the one)
        said = [(read.colour or (first.colour if first else None), p.colours),
                (read.size or (first.size if first else None), p.sizes)]
        if any(v for v, _ in said) and all(v is None or v in allowed for v, allowed in said):
            fits[p.sku] = sum(1 for v, _ in said if v)
    most = max(fits.values(), default=0)
    return [p for p in items if most and fits.get(p.sku) == most]


def _ordered_item_meant(text: str, ordered: set[Any], catalogue: Catalogue) -> ProductView | None:
    """The item of the order just placed a message is about: the only one, the one it names, or the only one made in
    the colour or size it gives ("酒红色 要一件XL" beside a scarf: the sweater)."""
    items = [p for sku in ordered if (p := catalogue.get(str(sku)))]
    if len(items) == 1:
        return items[0]
    named = _named_among(simplify(text), items)
    if named is not None:
        return named
    fitting = _fits_most(text, items)
    return fitting[0] if len(fitting) == 1 else None


def _other_variant(text: str, item: ProductView, state: Mapping[str, Any]) -> dict[str, str]:
    """The colour and size a message gives for ``item`` when they are not a line of the order just placed ({} when
    they are, or when it gives none)."""
    read = extract(text, item)
    said = {name: value for name, value in (("colour", read.colour), ("size", read.size))
            if value and value in (item.colours if name == "colour" else item.sizes)}
    ordered = [line for line in state.get("ordered") or () if line.get("sku") == item.sku]
    if not said or any(all(line.get(name) == value for name, value in said.items()) for line in ordered):
        return {}
    if len(ordered) == 1:  # (what is not said stays as ordered: "要一件XL" in the colour ordered… or not)
        said = {"colour": str(ordered[0].get("colour") or ""), "size": str(ordered[0].get("size") or ""), **said}
    return {name: value for name, value in said.items() if value}


def _turned_down_only(text: str, product: ProductView, catalogue: Catalogue) -> bool:
    """Whether every clause of a message that names ``product`` turns it down ("卫衣不要了", "那算了")."""
    naming = [clause for clause in re.split(r"[，,。！!？?~～\s]+", simplify(text))
              if clause and (found := catalogue.find(clause)) is not None and found.sku == product.sku]
    return bool(naming) and all(_DROP.search(clause) for clause in naming)


def _dropped_from_order(text: str, state: Mapping[str, Any], catalogue: Catalogue) -> ProductView | None:
    """The item of the order just placed that a message takes out ("围巾不要了"), if it names one."""
    return _dropped(text, {"lines": state.get("ordered") or []}, catalogue)


# "算了就围巾吧", "算了 那还是要围巾": 算了 that gives up the weighing and settles on what follows
_SETTLES_ON = re.compile(r"算了[，,\s]*(就|那就|那还是|还是|那)")


def _dropped(text: str, state: Mapping[str, Any], catalogue: Catalogue) -> ProductView | None:
    """The item a message takes out of the order being put together ("那袜子不要了", "去掉帽子"), if it is in it."""
    in_cart = {str(line.get("sku")) for line in state.get("lines") or []} | {str(state.get("product") or "")}
    for clause in re.split(r"[，,。！!？?~～\s]+", simplify(text)):
        if clause and (_DROP.search(clause) or clause.endswith("不要")) and not re.search(r"换|改成|还是要", clause) \
                and not _SETTLES_ON.search(clause):  # ("算了就围巾吧": the scarf is chosen, not dropped)
            named = catalogue.find(clause) or next(
                (p for sku in state.get("seen") or [] if (p := catalogue.get(sku)) and any(
                    tail in clause for tail in name_tails(p))), None)
            if named is None or named.sku not in in_cart:  # "条纹的不要了" of a striped tee and jeans: the tee
                named = _named_among(clause, [p for sku in in_cart if (p := catalogue.get(sku))])
            if named is not None and named.sku in in_cart:
                return named
    plain = simplify(text)
    if _DROP.search(plain) and not re.search(r"换|改成|还是要", plain):
        # "条纹的我室友说跟她撞衫了 不要了 就要裤子": the one item named outside what is kept
        rest = " ".join(c for c in re.split(r"[，,。！!？?~～\s]+", plain)
                        if c and not re.search(r"就要|只要|留着|还要|就留", c) and not _SETTLES_ON.search(c))
        named = _named_among(rest, [p for sku in in_cart if (p := catalogue.get(sku))])
        if named is not None:
            return named
    return None


def _named_elsewhere(text: str, order: OrderView, state: Mapping[str, Any], catalogue: Catalogue) -> ProductView | None:
    """An item a cancelling message turns down that is not in ``order`` ("条纹那件算了 先不要了" when only the skirt
    was ordered) — the words are about that item, not about the order."""
    in_order = {line.sku for line in order.lines}
    talked = [p for sku in dict.fromkeys([*(state.get("seen") or []), *in_order]) if (p := catalogue.get(sku))]
    for clause in re.split(r"[，,。！!？?~～\s]+", simplify(text)):
        if clause and (_DROP.search(clause) or mentions_any(clause, _CANCEL)):
            named = catalogue.find(clause) or _named_among(clause, talked)
            if named is not None and named.sku not in in_order:
                return named
    return None


def _named_among(clause: str, products: list[ProductView]) -> ProductView | None:
    """The one of a few items a clause names by a part of its name no other of them has ("条纹的" → the striped
    tee beside jeans; "裤子" → the jeans beside a tee)."""
    def words(p: ProductView) -> set[str]:
        names = [w.lower() for w in (p.name, *p.aliases)]
        return {n[i:i + 2] for n in names for i in range(len(n) - 1)} | set(name_tails(p))
    hits = []
    for product in products:
        own = words(product) - set().union(*(words(o) for o in products if o.sku != product.sku))
        if any(w in clause for w in own if len(w) >= 2):
            hits.append(product)
    return hits[0] if len(hits) == 1 else None


def _by_variant(text: str, state: Mapping[str, Any], ctx: Context) -> ProductView | None:
    """With no item in focus (an order just placed), the item talked about lately whose own colour the message
    names: "再给我妹妹来一件白底藏青条的" is another of the striped T-shirt. An item of the order just placed is
    only meant when the message adds one more ("换成黄色碎花吧" is about the order, not a second dress)."""
    plain = simplify(text)
    adding = bool(_ADD_MORE.search(plain) or _ALSO_WANTS.search(plain))
    ordered = {o.product for o in ctx.orders if o.order_no == state.get("order_no")}
    if not adding and any(_names_colour_of(p, plain) for p in ctx.catalogue if any(p.name in n for n in ordered)):
        return None  # ("算了奶白容易脏 换黑色 L": the colours of the order just placed — a change to it)
    for sku in reversed(state.get("seen") or []):
        product = ctx.catalogue.get(sku)
        if product is not None and (adding or not any(product.name in names for names in ordered)) and any(
            ((len(word) >= 2 and word in plain) or (adding and len(word) == 1 and re.search(f"{word}[的色]", plain)))
            for colour in product.colours for word in {colour.lower(), colour.removesuffix("色").lower()}
            if adding or word not in _PLAIN_COLOURS  # ("再来一条灰色的" / "再整一件黑的": any colour of the item)
        ):
            return product
    return None
_SWITCH_WORD = re.compile(r"换成|换到|改成|改为|还是要|还是换|还是|换|改")


def _switched_to(text: str, product: ProductView) -> str | None:
    """The colour a message switches to ("红条会不会太跳 还是换白底藏青条吧": 白底藏青条), where it also names the one it
    leaves — read as the colour right after 换/改成/还是."""
    plain = simplify(text)
    colours = sorted(product.colours, key=len, reverse=True)
    for switch in _SWITCH_WORD.finditer(plain):
        rest = plain[switch.end(): switch.end() + 10].lstrip()
        for colour in colours:
            if rest.startswith(colour.lower()) or (len(colour) > 2 and rest.startswith(colour.removesuffix("色").lower())):
                return colour
    return None


def _names_colour_of(product: ProductView, plain: str) -> bool:
    """Whether the message names one of the product's own colours (two characters at least: 奶白, 黑色)."""
    return any(len(word) >= 2 and word in plain
               for colour in product.colours for word in {colour.lower(), colour.removesuffix("色").lower()})


# Colour names too common to point at one item ("黑色" is every item's): only a product's own shade does.
_PLAIN_COLOURS = frozenset({"黑色", "白色", "黑", "白", "灰色", "蓝色", "红色", "粉色", "绿色", "黄色"})


def _new_details(state: Mapping[str, Any], found: Extracted) -> dict[str, object]:
    """The order details in this message that differ from what the conversation holds."""
    return {k: v for k, v in found.as_slots().items() if k in ORDER_SLOTS and state.get(k) != v}


def _without_ordered(state: dict[str, Any], found: Extracted, current: ProductView, text: str,
                     catalogue: Catalogue) -> tuple[Extracted, ProductView]:
    """"阔腿裤M，T恤S" when asked the T-shirt's size just after ordering the trousers: the trousers' line is the
    order placed, said again — only the new item's lines are bought (and it stays the item in view)."""
    if not state.get("ordered") or len(found.items) < 2 or _ADD_MORE.search(simplify(text)):
        return found, current
    items = [replace(item, sku=item.sku or current.sku) for item in found.items]
    fresh = [item for item in items if not _already_ordered(state, item)]
    if not fresh or len(fresh) == len(items):
        return found, current
    if current.sku not in {item.sku for item in fresh}:
        current = catalogue.get(fresh[0].sku) or current
        _focus(state, current)
    return replace(found, items=tuple(replace(i, sku=None if i.sku == current.sku else i.sku) for i in fresh)), current
_PUSH = re.compile(rf"{_ORDER_PUSH.pattern}|ok|好的?")
_NOT_A_PUSH = re.compile(r"不(?!错)|没(?!问题|错|毛病)|别|取消|退")  # ("没问题 下单" is a push)


def _lines_text(lines: Iterable[Mapping[str, Any]], catalogue: Catalogue) -> str:
    """Order lines as a reply names them: "纯棉圆领短袖T恤 白色 S、纯棉软顶棒球帽 黑色"."""
    return "、".join(" ".join(filter(None, (p.name if (p := catalogue.get(str(line.get("sku")))) else "",
                                           line.get("colour"), line.get("size")))) for line in lines)


def _variant_in(text: str, product: ProductView) -> tuple[str | None, str | None]:
    """The colour and size a message gives of ``product`` when it names several items: of its lines, the one made in
    this product's variants."""
    read = extract(text, product)
    colour = read.colour if read.colour in product.colours else next(
        (i.colour for i in read.items if i.colour in product.colours), None)
    size = read.size if read.size in product.sizes else next(
        (i.size for i in read.items if i.size in product.sizes and (i.colour is None or i.colour == colour)), None)
    return colour, size


def _made_in_the_colour_said(text: str, items: list[ProductView]) -> ProductView | None:
    """The one of ``items`` made in the colour the message says ("酒红 一条" of a scarf and socks: the scarf)."""
    made = [p for p in items if len(c := extract(text, p).colour or "") >= 2 and c in p.colours]
    return made[0] if len(made) == 1 else None


def _said_again(state: Mapping[str, Any], found: Extracted, current: ProductView | None, text: str,
                catalogue: Catalogue) -> str:
    """The items of the order just placed that a message names again — or a push to order them — and nothing more:
    no new item, no "再", no change, nothing being bought meanwhile ("" when it is anything more). A question beside
    it ("寄到学校宿舍可以吗") does not make it a change of the order."""
    if state.get("pending") or state.get("lines") or not state.get("ordered") or found.address or found.phone:
        return ""
    ordered: list[Mapping[str, Any]] = list(state["ordered"])
    if _ADD_MORE.search(plain := simplify(text)) or re.search(r"再|另外|还要|换|改", plain) or _DROP.search(plain):
        return _whole_order_said_again(ordered, found, current, catalogue)
    pushed = not (found.size or found.colour or found.items) and not _ASKS.search(plain) \
        and not _NOT_A_PUSH.search(plain)
    if current is not None and any(line.get("sku") == current.sku for line in ordered) and pushed \
            and _PUSH.search(plain):  # "好滴 下单下单✨" about the item ordered: it is placed, not placed again
        return _lines_text((line for line in ordered if line.get("sku") == current.sku), catalogue)
    named = [p for sku in dict.fromkeys(str(line.get("sku")) for line in ordered)
             if (p := catalogue.get(sku)) is not None and (catalogue.find(plain) is p or any(
                 tail in plain for tail in name_tails(p)))]
    # (of several ordered items, the head of an alias names one too: "条纹" for 条纹T恤)
    loosely = [p for sku in dict.fromkeys(str(line.get("sku")) for line in ordered)
               if (p := catalogue.get(sku)) is not None and (p in named or any(
                   len(alias) >= 3 and alias[:2].lower() in plain for alias in p.aliases))]
    if len(loosely) >= 2:  # "就这两件 裙子雾霾蓝M 条纹藏青M 没了": each item's variant, read against it
        again = [Item(size=size, colour=colour, sku=p.sku) for p in loosely for colour, size in [_variant_in(text, p)]]
        if all(i.size or i.colour for i in again) and all(_already_ordered(state, i) for i in again):
            return _lines_text(({"sku": i.sku, "colour": i.colour, "size": i.size} for i in again), catalogue)
        return ""
    if current is None:  # "那鞋子要米白色37號": the ordered item its everyday word names
        if not named and pushed and _ORDER_PUSH.search(plain) and not mentions_any(text, _CANCEL) \
                and catalogue.find(plain) is None:
            return _lines_text(ordered, catalogue)  # "好滴 下单下单" with nothing named: the whole order
        if not named and (found.quantity or 1) < 2 and (by_colour := _made_in_the_colour_said(text, [
            p for sku in dict.fromkeys(str(line.get("sku")) for line in ordered) if (p := catalogue.get(sku))
        ])) is not None:  # "酒红 一条 扎脖子吗" after a red scarf and black socks: the scarf
            named = [by_colour]
        if len(named) != 1:
            return ""
        current, found = named[0], extract(text, named[0])
    items = [replace(i, sku=i.sku or current.sku) for i in found.items] or [
        Item(size=found.size, colour=found.colour, sku=current.sku)]
    if not all(item.size or item.colour for item in items) or not all(_already_ordered(state, i) for i in items):
        return ""
    return _lines_text(({"sku": i.sku, "colour": i.colour, "size": i.size} for i in items), catalogue)


def _whole_order_said_again(
    ordered: list[Mapping[str, Any]], found: Extracted, current: ProductView | None, catalogue: Catalogue
) -> str:
    """"深蓝 M 一件 再配个黑色鸭舌帽" right after ordering that jacket and that cap: each line of the order said again,
    one count each, and nothing else — the order written out once more, "再配" and all, not a second cap."""
    items = [replace(i, sku=i.sku or (current.sku if current else None)) for i in found.items]
    if len(items) < 2 or len(items) != len(ordered) or any(int(line.get("quantity") or 1) != 1 for line in ordered) \
            or any((i.quantity or 1) != 1 or not (i.size or i.colour) for i in items) \
            or not all(_already_ordered({"ordered": ordered}, i) for i in items):
        return ""
    if {i.sku for i in items} != {line.get("sku") for line in ordered}:
        return ""
    return _lines_text(({"sku": i.sku, "colour": i.colour, "size": i.size} for i in items), catalogue)


def _gives_invoice(text: str) -> bool:
    """Whether a message gives invoice details (a title, a tax number or an e-mail), not just names the word."""
    given = _invoicing.read(text)
    return bool(given.title or given.tax_no or given.email)


def _already_ordered(state: Mapping[str, Any], item: Item) -> bool:
    """Whether ``item`` is a line of the order just placed, said again (its size and colour, where said, are the
    ordered ones)."""
    return any(line.get("sku") == item.sku and item.size in (None, line.get("size"))
               and item.colour in (None, line.get("colour")) for line in state.get("ordered") or ())


# A count said ("两件", "各一", "x2"): without one, the items a message sizes keep the counts they had
_A_COUNT = re.compile(r"[一二两俩三四五六七八九十\d]\s*[件条双套顶包盒个份]|各[一二两]|[x×*]\s*\d|\d\s*[x×*]")


def _lines_of_items(
    state: dict[str, Any], found: Extracted, product: ProductView, catalogue: Catalogue | None, *, counted: bool = True
) -> list[dict[str, Any]]:
    """The order's lines from the items a message gives, each checked against its own product and completed
    with what was chosen of it before (``counted`` False: the message says no count, so an item's count stays
    as it was — "白T来两件" then "T恤L，袜子帽子均码" is still two tees); a size or colour it is not made in is
    kept as ``wanted``."""
    lines: list[dict[str, Any]] = []
    seen_of: dict[str, int] = {}  # how many lines of each product this message has given so far
    for item in found.items:  # each line checked against its own product ("羽绒服黑色L 阔腿裤灰色M")
        made = (catalogue.get(item.sku) if catalogue is not None and item.sku else None) or product
        # what was chosen before for this item's lines: "白色" then "哥哥L两件 妹妹S两件" (both white), "裙子要L"
        # for the black skirt, "浅灰那套大的" for the grey line as it was
        prior = [line for line in state.get("lines") or [] if line.get("sku") == made.sku]
        if made.sku == product.sku and not prior:
            prior = [{"size": state.get("size"), "colour": state.get("colour"), "quantity": state.get("quantity")}]
        elif not prior and (kept := (state.get("chosen_of") or {}).get(made.sku)):
            prior = [dict(kept)]  # chosen before another item was talked about
        chosen = {name: values.pop() for name in ("size", "colour")
                  if len(values := {line.get(name) for line in prior}) == 1 and None not in values}
        if any(other.size for other in found.items if (other.sku or product.sku) == made.sku):
            chosen.pop("size", None)
        size_of = {line.get("colour"): line.get("size") for line in prior if len(prior) > 1}
        colour_of = {line.get("size"): line.get("colour") for line in prior if len(prior) > 1}
        # "我S，老头M" then "我酒红，老头藏青": as many lines as before, in the same order — each keeps its other half
        index = seen_of[made.sku] = seen_of.get(made.sku, -1) + 1
        same_count = len(prior) > 1 and len(prior) == sum((i.sku or product.sku) == made.sku for i in found.items)
        in_order = prior[index] if same_count else {}
        item = replace(item, size=item.size or chosen.get("size") or size_of.get(item.colour) or in_order.get("size"),
                       colour=item.colour or chosen.get("colour") or colour_of.get(item.size)
                       or in_order.get("colour"))
        if item.size and item.size not in made.sizes:
            state["wanted"] = {"kind": "size", "value": item.size}
        if item.colour and item.colour not in made.colours:
            state["wanted"] = {"kind": "colour", "value": item.colour}
        alone = len(prior) == 1 and sum((i.sku or product.sku) == made.sku for i in found.items) == 1
        lines.append({"sku": made.sku,
                      "size": item.size if item.size in made.sizes else None,
                      "colour": item.colour if item.colour in made.colours else None,
                      "quantity": int(prior[0].get("quantity") or 1) if alone and not counted and item.quantity == 1
                      else item.quantity})
    return lines


def _another_line_of_it(state: Mapping[str, Any], found: Extracted, text: str, own: list[Any]) -> bool:
    """"再加一条藏青的" beside the line chosen of the item: another line of it — not when the colour was asked and the
    one being bought has none ("今年想再来一件一样的 换个颜色~ 酒红的": the colour of that one)."""
    return not found.items and bool(found.size or found.colour) and bool(_ADD_MORE.search(simplify(text))) \
        and bool(own or state.get("size") or state.get("colour")) and not (
            not own and not state.get("colour") and state.get("pending") == Pending.COLOUR and found.colour
            and not found.size)


def _merge_order_details(
    state: dict[str, Any], found: Extracted, product: ProductView | None, *, buying: bool = False, text: str = "",
    catalogue: Catalogue | None = None,
) -> bool:
    """Store the order details found; True when anything new was learned.

    Several lines in one message ("一件白色L一件黑色M") become the order's lines while the customer is buying;
    a size or colour given when lines lack it fills them in.
    """
    progress = False
    if found.notes:  # requests add up ("别放发票" then "一样包礼盒"): each is kept
        notes = str(state.get("notes") or "")
        if found.notes not in notes:
            state["notes"] = "；".join(filter(None, [notes, found.notes]))
            progress = True
        found = replace(found, notes=None)
    own = [line for line in state.get("lines") or [] if line.get("sku") == product.sku] if product else []
    if product is not None and buying and _another_line_of_it(state, found, text, own):
        # "再加一条藏青的": another line of the same item beside the one chosen, not a change of it
        lines = own or [{"sku": product.sku, "size": state.get("size"), "colour": state.get("colour"),
                         "quantity": int(state.get("quantity") or 1)}]
        lines.append({"sku": product.sku, "size": found.size if found.size in product.sizes else None,
                      "colour": found.colour if found.colour in product.colours else None,
                      "quantity": found.quantity or 1})
        found = replace(found, items=tuple(Item(size=line["size"], colour=line["colour"], quantity=line["quantity"])
                                           for line in lines))
    if found.items and product is not None and buying:
        lines = _lines_of_items(state, found, product, catalogue, counted=bool(_A_COUNT.search(simplify(text))))
        restated = {line["sku"] for line in lines}  # an item's lines said again replace what it had
        others = [line for line in state.get("lines") or [] if line.get("sku") not in restated]
        merged = others + [line for line in lines if line["sku"] == product.sku] + [
            line for line in lines if line["sku"] != product.sku]
        progress = merged != state.get("lines")
        state["lines"] = merged
        for detail in ("size", "colour", "quantity"):
            state.pop(detail, None)
    elif product is not None and any(line.get("sku") == product.sku for line in state.get("lines") or []):
        for name in ("size", "colour"):
            value = getattr(found, name)
            allowed = product.sizes if name == "size" else product.colours
            own = [line for line in state["lines"] if line.get("sku") == product.sku]
            if value and value in allowed and any(not line.get(name) for line in own):
                _choose(state, product, name, value)
                progress = True
        found = replace(found, size=None, colour=None, quantity=None)
    for name, value in found.as_slots().items():
        if name == "size" and product and value not in product.sizes:
            state["wanted"] = {"kind": "size", "value": value}
            continue
        if name == "colour" and product and value not in product.colours:
            state["wanted"] = {"kind": "colour", "value": value}
            continue
        if name in ("order_no", "height", "weight", "foot", "name"):
            state[name] = value
            continue
        if state.get(name) != value:
            state[name] = value
            progress = True
    return progress


def _product_values(p: ProductView) -> dict[str, Value]:
    """An item's placeholder values; what the catalogue leaves empty is said in the bank's words (``part.*``)."""
    return {
        "product": p.name, "price": p.price_text, "material": p.material or Fragment("part.material_unknown"),
        "sizes": "、".join(p.sizes) or Fragment("part.one_size"),
        "colours": "、".join(p.colours) or Fragment("part.colour_as_pictured"),
        "selling_point": p.selling_points[0] if p.selling_points else p.description,
        "care": p.care or Fragment("part.care_unknown"), "stock": str(p.stock),
    }


def _others_named(plain: str, product: ProductView, catalogue: Catalogue) -> list[ProductView]:
    """The other items a message names beside ``product`` (by name or alias), in stock."""
    return [p for p in catalogue if p.sku != product.sku and p.in_stock and any(
        len(w) >= 2 and names_at(w.lower(), plain) for w in (p.name, *p.aliases))]


def _person_words(who: str, everyone: tuple[str, ...] = ()) -> tuple[str, ...]:
    """How the customer may call a person again: 男的 is also 男款, 男生, 男士; a boyfriend is also 他; 我 is also
    自己; and of two people, one of them the customer, the other (老伴, 同事…) is also 他 or 她."""
    if who in ("我", "自己", "我自己"):
        return ("我自己", "自己", "我")
    named = _person_words_alone(who)
    if len(everyone) == 2 and any(w in ("我", "自己", "我自己") for w in everyone) and not {"他", "她"} & set(named):
        return (*named, "他", "她")
    return named


def _person_words_alone(who: str) -> tuple[str, ...]:
    for sex in ("男", "女"):
        if who in (f"{sex}的", f"{sex}款", f"{sex}生", f"{sex}士"):
            return (f"{sex}的", f"{sex}款", f"{sex}生", f"{sex}士", "他" if sex == "男" else "她")
    # "我爸" said again as "爸" / "爸爸" / "老爸", "我老婆" as "老婆"; 女儿 as 闺女 (one kin, several words)
    short = {who, who.removeprefix("我"), who.removeprefix("我").removeprefix("老").removeprefix("阿")}
    short |= next((set(kin) for kin in _SAME_KIN if short & set(kin)), set())
    for kin in ("爸", "妈", "叔", "舅", "姑", "婶"):
        if who.endswith(kin):
            short |= {kin, kin * 2, f"老{kin}", f"我{kin}"}
    # (a stripped form of one character would be any word's: 老公 is not 公, only 爸, 妈, 叔… and 娃 stand alone)
    names = tuple(sorted((w for w in short if w == who or len(w) >= 2 or w in ("爸", "妈", "叔", "舅", "娃")),
                         key=len, reverse=True))
    if who in _MEN:
        return (*names, "他")
    if who in _WOMEN:
        return (*names, "她")
    return names


# Words for one kin the customer may switch between ("女儿158" then "闺女要卡其")
_SAME_KIN = (("女儿", "闺女", "姑娘"), ("儿子", "儿砸"), ("老婆", "媳妇", "媳妇儿", "太太", "爱人"),
             ("老公", "丈夫", "先生", "爱人"), ("妈妈", "老妈", "妈", "母亲"), ("爸爸", "老爸", "爸", "父亲"),
             ("老伴", "老伴儿"), ("外婆", "姥姥"), ("外公", "姥爷"), ("叔叔", "叔"), ("舅舅", "舅"), ("姑姑", "姑"),
             ("婶婶", "婶"), ("娃", "孩子", "宝宝", "小孩"))

_MEN = frozenset({"男朋友", "男友", "老公", "我老公", "叔叔", "我叔", "我叔叔", "舅舅", "我舅", "我舅舅", "丈夫", "我丈夫", "我先生", "儿子", "我儿子", "爸爸", "我爸", "老爸", "阿爸", "他爸", "孩子他爸",
                  "孩子爸", "哥哥", "弟弟", "爷爷", "外公", "公公", "老头", "老头子", "孙子", "外孙", "侄子", "外甥",
                  "姐夫", "妹夫", "岳父"})
_WOMEN = frozenset({"女朋友", "女友", "老婆", "我老婆", "媳妇", "媳妇儿", "我媳妇", "太太", "我太太", "女儿", "我女儿", "姑娘", "闺女", "妈妈", "我妈", "老妈", "阿妈",
                    "他妈", "孩子他妈", "孩子妈", "姐姐", "妹妹", "奶奶", "外婆", "婆婆", "闺蜜", "老太", "老太太",
                    "孙女", "外孙女", "侄女", "外甥女", "嫂子", "小姑子", "岳母", "丈母娘"})


_LEFT_OUT = re.compile(r"不用买|不用了|不买了?|不要了|有了|不需要|算了|去掉|不算")


def _people_lines(state: Mapping[str, Any], text: str, found: Extracted, product: ProductView) -> tuple[Item, ...]:
    """The lines a message makes for the people whose sizes were given ("男款浅灰 女款浅粉", "各一套", "每人两件")."""
    kept = state.get("people") if isinstance(state.get("people"), dict) else None
    if not kept or kept.get("sku") != product.sku or found.size or found.people \
            or any(item.size for item in found.items):  # ("男的XL 女的M": the sizes said now are the lines)
        return ()
    who = [p for p in kept.get("who") or [] if p.get("size")]
    everyone = tuple(str(p.get("who")) for p in who)
    plain = simplify(text)
    # "王姐说她有了不用买，就小张和小李两件": the people named after the words leaving someone out are the ones
    # bought for; with none named after them, the ones named before are left out
    left_out: set[str] = set()
    if drop := list(_LEFT_OUT.finditer(plain)):
        cut = drop[-1].end()
        named_at = {person["who"]: [m.start() for word in _person_words(person["who"], everyone)
                                    for m in re.finditer(re.escape(word), plain)] for person in who}
        after = {name for name, at in named_at.items() if any(i >= cut for i in at)}
        named_before = {name for name, at in named_at.items() if at and all(i < drop[-1].start() for i in at)}
        left_out = {p["who"] for p in who} - after if after else named_before
    if left_out and len(left_out) < len(who):
        who = [p for p in who if p["who"] not in left_out]
    colours: dict[str, str] = {}
    marks = _marks(plain, who, everyone)
    for index, (_start, end, name) in enumerate(marks):
        upto = next((m[0] for m in marks[index + 1:] if m[0] >= end), len(plain))
        colour = extract(plain[end:upto], product).colour or extract(  # ("佳佳雾霾蓝，其他三个浅粉": up to the comma)
            re.split(r"[，,。;；]", plain[end:upto])[0], product).colour
        if colour in product.colours:
            colours.setdefault(name, colour)
    for index in range(len(marks) - 2, -1, -1):  # "老公和儿子雾霾蓝": the colour said after both is for both
        _start, end, name = marks[index]
        following = marks[index + 1]
        if name not in colours and following[2] in colours and re.fullmatch(r"\s*(和|跟|还有|与|、|,|，)?\s*",
                                                                           plain[end:following[0]]):
            colours[name] = colours[following[2]]
    colours = {str(p["who"]): said for p in who} if (said := _one_colour_for_all(plain, marks, product)) else colours
    each = re.search(r"各[一二两三1-3]|每人|一人一|每个人|都要|都来|两个都|两套|两件|两条|两双", plain)
    if not marks and any(line.get("sku") == product.sku for line in state.get("lines") or []):
        return ()  # ("确认，就这两件" at the read-back: the lines made already, not everyone again)
    if (len(who) < 2 and not left_out) or not (colours or each or left_out):
        return ()
    # the count said per person ("每人两件"), not the total ("每人一件，一共六件")
    per = re.search(r"(?:各|每人|每个人|一人)(?:要|来|拿|买)?([一二两三四五1-5])(?:[件条双套顶个份])", plain)
    quantity = (count_value(per.group(1)) or 1) if per else 1
    before = {line.get("size"): line.get("colour") for line in state.get("lines") or [] if line.get("sku") == product.sku}
    chosen = state.get("colour") if state.get("colour") in product.colours else None

    for_the_rest = _colour_for_the_rest(plain, len([p for p in who if p["who"] not in colours]), product)

    def others(size: str) -> str | None:
        # "小张说他不要黑的 要白色 其他人不变": the colour said is 小张's; the others keep what they had; "佳佳雾霾蓝
        # 其他三个浅粉": the others' colour said
        if for_the_rest in product.colours:
            return for_the_rest
        if colours:
            return before.get(size) or chosen
        return found.colour or before.get(size) or chosen

    return tuple(Item(size=p["size"], colour=colours.get(p["who"]) or others(p["size"]), quantity=quantity)
                 for p in who)


def _one_colour_for_all(plain: str, marks: list[tuple[int, int, str]], product: ProductView) -> str | None:
    """The colour said for all of them after everyone named ("那就两件都浅蓝"), if the item is made in it."""
    both = list(re.finditer(r"(?:两[件条双套个]|俩|全部|都)\s*(?:都)?\s*(?:要|换成?|改成?|来|是)?\s*([^，,。;；\s]+)", plain))
    if not both or both[-1].start() < max((mark[1] for mark in marks), default=0):
        return None
    said = extract(both[-1].group(1), product).colour
    return said if said in product.colours else None


def _marks(plain: str, who: list[dict[str, Any]], everyone: tuple[str, ...]) -> list[tuple[int, int, str]]:
    """Where each person is named in ``plain`` (start, end, who), in order."""
    marks = sorted((m.start(), m.end(), person["who"]) for person in who for word in _person_words(person["who"], everyone)
                   for m in re.finditer(re.escape(word), plain))
    # ("我爱人165 110斤 要奶白": 我 there is whose, not who — the mark that ends where another's begins goes)
    return [mark for mark in marks if not any(o[0] == mark[1] and o[2] != mark[2] for o in marks)]


def _colour_for_the_rest(plain: str, unnamed: int, product: ProductView) -> str | None:
    """The colour said for the people not named ("佳佳雾霾蓝，其他三个浅粉", "三个要浅粉 佳佳要雾霾蓝")."""
    rest = re.search(r"(?:其[他它余]|剩下|另外)的?(?:[一二两三四五六七八九\d]个)?人?|"
                     + (f"(?<![一二两三四五六七八九\\d]){'一二三四五六七八九'[unnamed - 1]}个" if 0 < unnamed <= 9 else "(?!)"),
                     plain)
    return extract(re.split(r"[，,。;；\s]", plain[rest.end():].lstrip(" 要是都的"))[0], product).colour if rest else None


def _about_ordered(state: Mapping[str, Any], text: str, found: Extracted, intent: str,
                   ctx: Context) -> ProductView | None:
    """The item of the order just placed that a question names nothing else for: the one item (every line the same
    product) when the message asks about a quality, a size for measurements, a colour or stock — not a complaint,
    a change, a cancel or an address."""
    skus = {str(line.get("sku")) for line in state.get("ordered") or ()}
    if len(skus) != 1 or state.get("lines") or found.address or found.phone or intent in DISPUTE_TYPES \
            or intent in ("human", "modify_order", "order_status", "invoice", "thanks_bye") \
            or mentions_any(text, _CANCEL) or _CHANGE_WORDS.search(plain := simplify(text)):
        return None
    item = ctx.catalogue.get(next(iter(skus)))
    if item is None or ctx.catalogue.in_category(plain):
        return None
    measures = bool(found.people or found.height or found.weight or found.foot or SIZE_QUESTION.search(plain))
    asks = bool(_ASKS.search(plain)) and (bool(found.size or found.colour) or
        _fact_about(item, plain) is not None or any(w in plain for w in _SIZE_WORDS + _COLOUR_WORDS + _STOCK_WORDS)
        or any(w in plain for w in _MATERIAL_WORDS))
    return item if measures or asks else None


def _fact_about(product: ProductView | None, plain: str) -> dict[str, Value] | None:
    """What the catalogue says of the first quality ``plain`` worries about that it answers, if any."""
    if product is None:
        return None
    for aspect in _facts.asked(plain, (product.name.lower(), *(a.lower() for a in product.aliases))):
        answer = _facts.answer(product, aspect)
        if answer.fact:
            return {"product": product.name, "reason": answer.fact}
    return None


def _choose(s: dict[str, Any], product: ProductView, name: str, value: str) -> None:
    """Fill in ``name`` (size or colour) for the item in focus: on its lines that lack it, or as its one choice."""
    if any(line.get("sku") == product.sku for line in s.get("lines") or []):
        s["lines"] = [{**line, name: line.get(name) or value} if line.get("sku") == product.sku else line
                      for line in s["lines"]]
    else:
        s[name] = value


_SAID_COUNT = re.compile(r"(?:这|就|一共|总共|共)\s*(\d{1,2}|[两俩二三四五六七八九十])\s*[件条双套顶包盒个样]")


def _whole_lines(found: Extracted, product: ProductView) -> bool:
    """Several lines, each with every variant it needs ("冰丝POLO衫 黑色L 藏青L"): an order, verb or not."""
    return len(found.items) >= 2 and all(
        (item.size or len(product.sizes) <= 1) and (item.colour or len(product.colours) <= 1)
        for item in found.items if item.sku in (None, product.sku))


def _said_count(text: str) -> int | None:
    """The number of things a yes names ("对 就这三件" → 3), if it names one."""
    found = _SAID_COUNT.search(simplify(text))
    if found is None:
        return None
    return count_value(found.group(1))


def _order_for(ctx: Context, order_no: str | None) -> OrderView | None:
    if order_no:
        for order in ctx.orders:
            if order.order_no.upper() == order_no.upper():
                return order
        return None
    return ctx.orders[0] if ctx.orders else None
