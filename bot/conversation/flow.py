"""The eight-step sales flow as a state machine: given what the customer said and what the
conversation knows, decide what to say and what to do. Pure and synchronous; the engine does the IO.

greet → consult → recommend → objection → close → confirm_order → farewell → shipping
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from bot.conversation import facts as _facts
from bot.conversation import invoicing as _invoicing
from bot.conversation.catalogue import Catalogue, ProductView, format_money, names_at
from bot.conversation.emotion import score_emotion
from bot.conversation.intake import (
    EXPECTATION_CHOICES,
    EXPECTATION_LABELS,
    PHOTO_SUBTYPES,
    SUBTYPE_LABELS,
    arrival_date,
    chinese_date,
    expectation_of,
    is_vague,
    order_button,
    subtype_of,
)
from bot.conversation.slots import (
    SIZE_QUESTION,
    Extracted,
    Item,
    Person,
    count_value,
    extract,
    has_link,
    mentions_any,
    name_tails,
    need_from,
    simplify,
)

DISPUTE_TYPES = {
    "complaint_product": "product",
    "complaint_logistics": "logistics",
    "complaint_payment": "payment",
    "complaint_service": "service",
}
ORDER_SLOTS = ("size", "colour", "quantity", "address", "phone", "notes")
# Quick choices offered in several places.
MENU = ("看看热销款", "包邮吗", "查订单", "转人工")
AFTER_ANSWER = ("我要买", "尺码推荐", "包邮吗")
_MENU_INTENTS = {
    "看看热销款": "ask_recommendation", "随便看看热销款": "ask_recommendation", "包邮吗": "shipping_inquiry",
    "查订单": "order_status", "转人工": "human", "我要买": "buy", "尺码推荐": "product_inquiry",
    "好的，我要了": "buy", "再看看": "doubt", "确认无误": "affirm", "需要修改": "deny",
    "查看订单状态": "order_status", "继续逛逛": "ask_recommendation", "退换货": "return_refund",
    "咨询商品": "product_inquiry", "继续和小助手聊": "other", "自己穿": "ask_recommendation",
    "送人": "ask_recommendation", "修改订单": "modify_order", "取消订单": "modify_order",
    "有什么颜色": "product_inquiry", "保留订单": "order_status",
    "还是要找人工": "human", "好的，我再等等": "affirm", "稍后发照片": "other", "没有照片": "other",
    "不是这些订单": "other", "请同事确认": "human", "要退货地址": "return_refund",
}
_WANT_WORDS = ("要", "买", "拍", "下单", "来一", "就这")
_CHOOSING = re.compile(
    r"(?<!不)(?<!不想)要(?=[a-z0-9一两俩二三四五六七八九十这那它黑白灰蓝红粉绿黄紫棕米杏卡驼藏浅深燕雾酒奶全纯香军咖]|了|吧|的$|买|下单)"
    r"|拍|下单|来[一两俩二三四五\d]|就[这那]|那就|就它|就选|选这|买[一两俩\d]"
    r"|给我来|帮我下|买了吧|(先|就|那就)把.{0,10}(买|拍|下单)|各[来要拿]?[一两俩二三四五\d]"
    r"|(要|来|拿|买|拍|订|[a-z]|色|码|号|的)\s*[一两俩二三四五六七八九十\d]\s*[件条双套顶包盒](吧|就行|就好|啊|哈)?$"
    r"|(?<!不)拿[^，,。]{0,6}吧|(?<!不)拿[一两俩二三\d]"
    r"|(?:^|[\s,，])(好吧|行吧|行行行|那行|那好吧)(?:$|[\s,，!！~])|^(行|好|好的|ok|可以)[\s,，!！~]"
)


def _chooses(text: str) -> bool:
    """Whether a message chooses rather than asks ("要L" / "那就藏青色的吧", not "有L吗" / "要不要买L") — in any of its
    sentences: "要一件藏青的一件灰色的。这个能机洗吗？" chooses, and asks something else besides."""
    return any(_CHOOSING.search(clause) and not re.search(r"吗|么|有没有|还是", clause)
               for clause in re.split(r"[。！!？?~～，,\s]+", simplify(text)) if clause)
_ACCOUNT_WORDS = ("账号", "账户", "帐号", "登录", "登陆", "登不上", "密码", "验证码", "注册", "会员", "积分", "绑定", "解绑",
                  "实名", "京豆", "plus", "封号", "冻结")
_ROBOT_WORDS = ("机器人", "真人吗", "是人吗", "人工智能", "ai", "自动回复", "智能客服")
_COURIERS = ("顺丰", "京东", "邮政", "ems", "圆通", "中通", "申通", "韵达", "极兔", "德邦", "快递", "物流")
_DEICTIC = ("这件", "这款", "这个", "那件", "那款", "它", "这条", "这双", "这顶", "宝贝", "链接", "这套")
_ASKS_FOR = re.compile(r"有没有|有没|卖不卖|有卖|有.{1,10}(吗|么|嘛)|卖.{0,6}(吗|么)")
_SHIP_WORDS = ("包邮", "运费", "邮费", "快递", "发货", "几天", "多久", "到货", "顺丰", "物流", "寄", "送到", "能到", "什么时候")
_REMOTE = ("新疆", "西藏", "青海", "内蒙", "宁夏", "甘肃", "海南", "偏远", "拉萨", "乌鲁木齐", "喀什", "阿克苏", "伊犁")
_ABROAD = ("香港", "澳门", "台湾", "国外", "海外", "境外", "美国", "日本", "加拿大", "英国", "澳洲", "新加坡", "马来西亚")
_WHEN = ("几天", "多久", "多长时间", "什么时候", "今天", "明天", "几点", "能到", "到货", "发货")
_EDIT_BUTTONS = {"改尺码": "size", "改颜色": "colour", "改地址": "address", "改电话": "phone", "改数量": "quantity"}
_YES_PROBLEM, _NO_PROBLEM = "是的，有问题要处理", "不是，我想问别的"
_SURE_DISPUTE = 0.5  # a combined complaint probability this high escalates without asking first
_SLOT_QUESTIONS = frozenset({"size", "colour", "quantity", "address", "phone", "change", "readback", "modify",
                             "invoice"})
_ALTERNATIVE_WORDS = ("别的", "其他", "其它", "还有什么", "有哪些", "有什么款", "换一款", "换个", "类似", "同款")
_ATTRIBUTE_WORDS = ("颜色", "色", "尺码", "码", "面料", "材质", "多少钱", "价格", "库存", "洗")
_SALES_INTENTS = frozenset({"product_inquiry", "shipping_inquiry", "ask_recommendation", "bargain", "doubt", "buy"})
_CANCEL = ("取消", "不要了", "退掉", "不想要了", "撤销", "作废")
# "换成黄色碎花吧 …蓝色不要了": a change of the order, not a cancel of it
_CHANGE_WORDS = re.compile(r"换成|改成|改为|换个|换一|还是要|还是.{0,4}码|要.{0,4}的吧")
# A question (not a report): "会透吗", "够不够暖", "哪里产的"; and words that report what already happened.
_ASKS = re.compile(r"吗|么|嘛|呢|[?？]|会不会|能不能|是不是|有没有|多少|怎么|哪|够不够|(.)[不唔]\1|还是")
# A question about when the shop's people are there ("人工客服几点上班", "客服什么时候在线"), not a call for one now.
_HOURS_QUESTION = re.compile(r"(几点|什么时候|啥时候|哪个时间|时间是|多久)[^，。,.!！]{0,4}(上班|在线|有人|开始|下班|营业)"
                             r"|(上班|在线|营业|工作)时间|(营业|上班|在线)到几点|(晚上|早上|中午)?[一二三四五六七八九十\d]{1,2}点.{0,3}还有人")
_WEEKEND = re.compile(r"周末|星期六|星期天|星期日|周六|周日|礼拜六|礼拜天|礼拜日|节假日|放假")
# A cancel the customer made ("昨天取消的那单", "取消了订单") and words that say the money is overdue.
_CANCELLED_BEFORE = re.compile(r"取消(了|的|那|掉|这|订单)|退掉了|退了(订)?单|撤(销|了)(订)?单")
_OVERDUE = re.compile(r"超过|过了.{0,3}天|好几天|一个?星期|一周|半个月|一个月|[3-9]天|[三四五六七八九十]天|都没到账还|投诉")
# A delivery or packing note asked for ("别敲门", "放门口就行"), not a report of what went wrong.
_NOTE_REQUEST = re.compile(r"别|不要|麻烦|请|记得|就行|就好|帮我|帮忙|希望|尽量|最好|备注"
                           r"|(放|送|寄)(到|在)?.{0,8}(驿站|快递柜|柜子|门卫|前台|门口|收发室|丰巢|传达室|物业)")
_FAULT_WORDS = re.compile(r"丢(了|失|件|包)|弄丢|没收到|没到|坏|破|烂|投诉|差评|态度|怎么回事|为什么|凭什么")


# A present for someone ("送我妈", "送给朋友") — not a gift asked of the shop — and the words of haggling
_GIFT_FOR = re.compile(r"送(给|我|她|他|人|朋友|老|女|男|妈|爸|闺|同事|长辈|爷|奶|婆|公)")
_HAGGLING = ("便宜", "优惠", "折", "贵", "减", "券", "降价", "少点", "赠品", "送点", "送个", "送双", "送条", "包邮")
_JOKING = re.compile(r"哈哈|嘿嘿|呵呵|开玩笑|逗你|hhh|😂|🤣")
# Words that describe an order already placed ("拍成黄色的了", "刚刚那个", "下的单")
_ORDERED_BEFORE = re.compile(r"拍成|拍错|拍了|拍的|买的|下的|下了|刚刚那|刚才那|本来想|结果|订的|订单是|订单里|单子是|那一?单是|收件人是|寄到了?我?老家|尾号"
                             r"|分钟前|小时前|还没发货|还没发吧|没发货吧")

# A purchase already made ("前几天买的毛衣", "收到的裤子")
# Words that point at an order already placed ("订单是11月3号下的", "上个月买的那件", "收件人赵明远").
_NAMES_PAST_ORDER = re.compile(
    r"(订单|单子)[^，,。]{0,10}(下的|买的|拍的|付的)|\d{1,2}月\d{1,2}[号日]?[^，,。]{0,3}(下|买|拍|付)|"
    r"(下|买|拍)的(单|那件|那条|那双|那个)|收件人|订单号|(上个?月|上周|前几天|半个月前|一个月前)[^，,。]{0,4}(买|拍|下单)"
)
_PAST_BUY = re.compile(r"(前几天|前两天|上次|之前|昨天|前天|上周|那天|刚)[^，,。]{0,3}(买|拍|收到|到)|买的|收到的|到货的|寄来的")
# It does not fit — and nothing is wrong with it ("有点紧", "大了一码", "不合身")
_FIT_ONLY = re.compile(r"紧|松|大了|小了|偏大|偏小|有点大|有点小|太大|太小|有点肥|宽了|不合身|不合适|穿不下|穿不上|短了|长了|肥了|瘦了|尺码不对|码数不对|码不合"
                       r"|显黑|显胖|显老|显矮|显壮|不显白|不衬肤色|颜色不适合|不太适合我|不适合我")  # (or does not suit)
_DEFECT = re.compile(r"坏|破|脏|线头|开线|脱线|掉色|褪色|起球|发错|寄错|错了|少了|瑕疵|洞|质量|污|霉|臭|味|缩水|变形|断|漏")
# What was bought and what came ("我买的黑色XL 寄来个卡其色L的"): a report about goods received, not a choice
_RECEIVED = re.compile(r"我买的|买的是|拍的是|下单的是|寄来|发来|送来|收到|到手|怎么搞|搞什么|发错|寄错|给我发了")
# An earlier purchase somewhere else or long ago ("去年买的一件穿一个月全是球"): experience behind a question, when
# nothing was bought here
_ELSEWHERE = re.compile(r"去年|前年|上次|上回|以前|之前|别家|别的店|其他店|别人家|网上买|商场买|买过")
_SERVICE_FAULT = re.compile(r"态度|不理|没人回|不回|骂|凶|敷衍|差评|投诉|举报|骗|忽悠|客服|服务|怎么这样|什么人")
_HAPPENED = re.compile(r"收到|洗了|穿了|到了|已经|刚买|买的|之后就|结果|居然|竟然")
_REFUND_HOW = re.compile(r"原路|退款.{0,4}(吗|么|呢)|钱.{0,4}(退|回|返)|退到哪|退哪|退回哪|退去哪|退到.{0,3}(微信|支付宝|卡)")
_REFUND_WHEN = re.compile(r"(钱|款|退款|退回|到账|退给|返还|退).{0,8}(什么时候|啥时候|多久|几天|多长时间|何时|哪天|没到|没收到|还没)"
                          r"|(什么时候|啥时候|多久|几天|多长时间|何时).{0,8}(退|到账|钱|款|返)")
# The follow-up's satisfaction buttons (the engine sends them with ``pending="csat"``), worst first.
CSAT_BUTTONS = ("1分 很不满意", "2分 不满意", "3分 一般", "4分 满意", "5分 非常满意")
_SAME_ADDRESS = re.compile(r"^(那|就)?(都|一起|全部|两[件条双个]都|统一)(寄|发|送)(到)?(我|我这|我这里|我家|这里|这个地址|同一个地址|一个地址)"
                           r"(就行|就好|吧|哈|啊|呀)?[。.!！~～]*$")
_CSAT = re.compile(r"^\s*([1-5１-５])\s*(分|星)?(?![0-9])")


@dataclass(frozen=True, slots=True)
class Request:
    """A further request inside a message: its intent, the clause that asks it, and whether that clause comes
    before the one the message's own reading is about (its answer then comes first too)."""

    intent: str
    text: str
    first: bool = False


@dataclass(frozen=True, slots=True)
class Understanding:
    """The classifier's reading of one message."""

    text: str
    intent: str
    confidence: float
    is_dispute: bool = False
    dispute_label: str | None = None
    dispute_probability: float = 0.0
    image: bool = False  # the message carries a photo
    # Further requests in the same message, in order.
    also: tuple[Request, ...] = ()
    prediction: Any = field(default=None, repr=False, compare=False)  # the classifier's own result
    alone_dispute: float | None = None  # the complaint probability of the message alone, without its context
    alone_intent: str | None = None  # and its best label then


@dataclass(frozen=True, slots=True)
class OrderLineView:
    """One line of an order as it stands in the store."""

    sku: str
    product: str
    size: str | None
    colour: str | None
    quantity: int
    unit_price: Decimal


@dataclass(frozen=True, slots=True)
class OrderView:
    """A customer's order as the flow sees it (newest first in :attr:`Context.orders`)."""

    order_no: str
    status: str  # confirmed | cancelled
    task_status: str | None  # queued | intercepted | shipped | cancelled
    tracking_no: str | None
    product: str
    sku: str
    shipped_on: dt.date | None = None  # the day the warehouse shipped it (shop's time zone)
    # what it holds now: address and phone, and for a one-line order its size, colour and quantity
    details: Mapping[str, str] = field(default_factory=dict)
    lines: tuple[OrderLineView, ...] = ()  # every line, in the order they were added


@dataclass(frozen=True, slots=True)
class Policy:
    """The shop's limits, from configuration."""

    free_shipping_threshold: Decimal
    shipping_fee: Decimal
    coupon_amount: Decimal
    coupon_min_total: Decimal
    gift: str
    free_shipping_concession: bool
    confidence_threshold: float
    late_parcel_coupon: Decimal = Decimal(0)  # what the bot may offer for a late parcel itself (0: never)
    delivery_days: str = "2–4"
    return_address: str = ""  # where no-fault returns go; empty: a colleague gives it
    courier: str = "中通快递"  # the one the shop ships with (another is a colleague's call)


@dataclass(frozen=True, slots=True)
class Context:
    """Everything outside the conversation that a decision may read."""

    catalogue: Catalogue
    policy: Policy
    orders: tuple[OrderView, ...] = ()
    first_message: bool = False
    returning: bool = False
    today: dt.date = dt.date(2026, 1, 1)  # the shop's date (the engine passes the real one)
    # An order the customer named by number that is not among their own (placed from another device or
    # account): only its status is told — it is never changed, cancelled or disputed from here.
    looked_up: OrderView | None = None


@dataclass(frozen=True, slots=True)
class Say:
    """One reply bubble: phrase keys with their values, joined by new lines, and quick choices."""

    parts: tuple[tuple[str, Mapping[str, str]], ...]
    buttons: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Line:
    """One line of an order: a product in one size and colour, and how many."""

    sku: str
    size: str | None
    colour: str | None
    quantity: int
    unit_price: Decimal


@dataclass(frozen=True, slots=True)
class PlaceOrder:
    lines: tuple[Line, ...]
    address: str
    phone: str
    notes: str
    discount: Decimal
    shipping_fee: Decimal  # the whole order's (with ``into``: of the order the lines join, recomputed)
    extras: Mapping[str, Any]
    into: str | None = None  # an order placed just before, not yet shipped, that these lines join ("凑个单")


@dataclass(frozen=True, slots=True)
class ChangeOrder:
    order_no: str
    changes: Mapping[str, Any]  # address / phone / size / colour / quantity / notes
    # the line (sku, colour, size as it is now) a size, colour or quantity is for (None: the order's only line)
    line: tuple[str, str | None, str | None] | None = None
    drop: tuple[str, ...] = ()  # skus of lines taken out (their stock goes back)
    shipping_fee: Decimal | None = None  # the whole order's, recomputed by the flow when lines are taken out
    discount: Decimal | None = None


@dataclass(frozen=True, slots=True)
class CancelOrder:
    order_no: str


@dataclass(frozen=True, slots=True)
class Escalate:
    reason: str  # dispute | human | misunderstood
    dispute_type: str | None = None
    order_no: str | None = None
    opening: str | None = None  # the customer's words that opened the dispute, when not this message's


@dataclass(frozen=True, slots=True)
class RecordScore:
    """The customer's 1–5 satisfaction score for the follow-up ``follow_up`` (and their words, if any)."""

    follow_up: int
    score: int
    comment: str | None = None


@dataclass(frozen=True, slots=True)
class NoteDispute:
    """Add to the conversation's open dispute what the intake learned (a photo is attached by the engine)."""

    fact: str | None = None  # the customer's own words
    order_no: str | None = None
    subtype: str | None = None
    expectation: str | None = None
    done: bool = False  # listening is finished: the summary card is complete


@dataclass(frozen=True, slots=True)
class ExpediteOrder:
    """Ask the warehouse to ship a late order first (a note the warehouse sees on its shipping task)."""

    order_no: str


@dataclass(frozen=True, slots=True)
class AnnounceQueue:
    """Tell the customer who will answer and when: their place and an honest wait, or the next working hours.
    ``again``: they already know they are queued (a message while waiting): a shorter word, still true."""

    again: bool = False


@dataclass(frozen=True, slots=True)
class BotRemedy:
    """The bot settled the open dispute itself with a remedy the shop's policy allows (a late-parcel coupon)."""

    remedy: str
    amount: Decimal | None
    note: str


@dataclass(frozen=True, slots=True)
class RecordInvoice:
    """Store an invoice request for ``order_no`` (None: the order placed by this same decision)."""

    order_no: str | None
    kind: str  # personal | company
    title: str
    tax_no: str | None
    email: str


Action = (
    PlaceOrder | ChangeOrder | CancelOrder | Escalate | RecordScore | NoteDispute | AnnounceQueue | BotRemedy
    | ExpediteOrder | RecordInvoice
)

#: Replies that say something was done, and the action that must have committed in the same unit of work for
#: each to be sent. The engine checks every reply against this table after acting (`unbacked`).
CLAIMS: Mapping[str, type] = {
    "confirm.created": PlaceOrder,
    "confirm.merged": PlaceOrder,
    "modify.updated": ChangeOrder,
    "modify.note_added": ChangeOrder,
    "modify.line_removed": ChangeOrder,
    "modify.cancelled": CancelOrder,
    "intake.late_queued": ExpediteOrder,
    "intake.remedy_accepted": BotRemedy,
    "intake.recorded": NoteDispute,
    "intake.expectation_noted": NoteDispute,
    "intake.heard_upset": NoteDispute,
    "dispute.remedy_noted": NoteDispute,
    "dispute.remedy_open": NoteDispute,
    "invoice.recorded": RecordInvoice,
    "followup.thanks_good": RecordScore,
    "followup.thanks_bad": RecordScore,
    "handoff.human": Escalate,
    "returns.address_by_person": Escalate,
    "modify.by_person": Escalate,
    "modify.lines_by_person": Escalate,
    "dispute.product": Escalate,
    "dispute.logistics": Escalate,
    "dispute.payment": Escalate,
    "dispute.service": Escalate,
    "dispute.sorry_strong": Escalate,
}
#: Replies that say the customer is in the agents' queue: true only while the chat is waiting for a person.
QUEUE_CLAIMS = frozenset({"handoff.queued", "handoff.waiting", "handoff.no_agent", "handoff.after_hours_next",
                          "handoff.still_waiting", "handoff.still_closed"})


def unbacked(says: list[Say], done: set[type], status: str) -> list[str]:
    """The phrase keys among ``says`` that claim something that did not happen: their action is not among the
    ones that committed (``done``), or they speak of the queue while the chat is not waiting for a person."""
    found = []
    for say in says:
        for key, _values in say.parts:
            needed = CLAIMS.get(key)
            if (needed is not None and needed not in done) or (key in QUEUE_CLAIMS and status != "waiting_agent"):
                found.append(key)
    return found


@dataclass(frozen=True, slots=True)
class Turn:
    """One message being handled: its text, what it mentions, and what the bot had asked before it."""

    text: str
    ctx: Context
    found: Extracted
    asked: str | None
    named: ProductView | None = None  # the product this very message names, if any


@dataclass(slots=True)
class Decision:
    """What to do with one message."""

    stage: str
    status: str
    slots: dict[str, Any]
    says: list[Say] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    intent: str = ""  # the intent the decision acted on (a clicked button overrides the classifier)

    def say(self, *parts: tuple[str, Mapping[str, str]], buttons: tuple[str, ...] = ()) -> None:
        self.says.append(Say(tuple(parts), tuple(buttons)))
        self.slots["buttons"] = {label: _MENU_INTENTS.get(label, "") for label in buttons}


def decide(stage: str, status: str, slots: Mapping[str, Any], said: Understanding, ctx: Context) -> Decision:
    """Decide the reply to one message.

    Args:
        stage, status, slots: the conversation as stored.
        said: the message and the classifier's reading of it.
        ctx: catalogue, policy and the customer's orders.
    """
    state = dict(slots)
    state["buttons"] = {}
    d = Decision(stage=stage, status=status, slots=state, intent=said.intent)
    offered: Mapping[str, str] = slots.get("buttons") or {}
    text = said.text.strip()
    intent, confident = said.intent, said.confidence >= ctx.policy.confidence_threshold
    clicked = text in offered and bool(offered.get(text))
    if clicked:
        intent, confident = offered[text], True
    elif text == _ASK_COLLEAGUE:
        intent, confident, clicked = "human", True, True
    product = ctx.catalogue.find(simplify(text)) or _by_position(text, state, ctx.catalogue)
    shown = [p for sku in state.get("candidates") or [] if (p := ctx.catalogue.get(sku))]
    if product is None and len(shown) >= 2 and not state.get("product") and (
            state.get("pending") == "which" or slots.get("last_intent") == "ask_recommendation"):
        product = _named_among(simplify(text), shown)  # "碎花那个看着不错" after a skirt and a dress were shown
    if product is not None and intent in ("shipping_inquiry", "other", "product_inquiry", "bargain", "affirm") \
            and _ADD_MORE.search(simplify(text)) and not _ASKS.search(simplify(text)):
        intent, confident = "buy", True  # "那加个黑色棒球帽 凑包邮": added to what is being bought
    if product is None and not state.get("product") and (product := _by_variant(text, state, ctx)) is not None \
            and (intent not in DISPUTE_TYPES or not _reports_fault(text)) and intent != "human" and (
                _ADD_MORE.search(simplify(text)) or _ALSO_WANTS.search(simplify(text))):
        intent, confident = "buy", True  # "再给我自己整一件黑的": one more of the item just ordered, in black
        said = replace(said, is_dispute=False, intent="buy")  # (no fault is reported: no complaint either)
    if product is not None and not clicked and (text in offered or ctx.catalogue.exact(simplify(text))):
        # A product offered as a quick choice, or named and nothing else: ordering it, or asking about it.
        intent, confident, clicked = ("buy" if slots.get("pending") == "product" else "product_inquiry"), True, True
    dropped = _dropped(text, state, ctx.catalogue)
    if dropped is not None:
        # "那袜子不要了 再来一条灰色的": the socks leave the order being put together; the rest goes on
        state["lines"] = [line for line in state.get("lines") or [] if line.get("sku") != dropped.sku]
        if state.get("product") == dropped.sku:
            for detail in ("product", "size", "colour", "quantity", "wanted"):
                state.pop(detail, None)
            if state["lines"]:
                state["product"] = state["lines"][-1].get("sku")
        if product is not None and product.sku == dropped.sku:
            product = None if state.get("product") else _by_variant(text, state, ctx)
    if product is None and (sold_out := ctx.catalogue.get(state.get("product"))) is not None and not sold_out.in_stock:
        # "啥时候补货 那t恤呢 黑的有没" about the sold-out hoodie: the T-shirt they turn to (the one of its kind, or
        # the one made in the colour they name)
        kinds = [p for p in ctx.catalogue.in_category(simplify(text)) if p.in_stock and p.sku != sold_out.sku]
        coloured = {p.sku: c for p in kinds if (c := extract(text, p).colour) and c in p.colours}
        plain = [p for p in kinds if len(coloured.get(p.sku) or "") in (1, 2, 3)]  # ("黑的": 黑色, not 燕麦色底黑条)
        turned_to = plain if len(plain) == 1 else [p for p in kinds if p.sku in coloured] or kinds
        if len(turned_to) == 1:
            product = turned_to[0]
    if product is not None and state.get("product") and product.sku != state.get("product") \
            and _turned_down_only(text, product, ctx.catalogue):
        product = None  # "浅蓝的M 就要这一件 卫衣不要了": the hoodie is named to be turned down; the jacket stays
    before = ctx.catalogue.get(state.get("product"))
    tail_from = 0
    ordered_skus = {line.get("sku") for line in state.get("ordered") or ()}
    if product and product.sku != state.get("product") and not (
        state.get("product") and intent == "bargain" and mentions_any(text, ("送", "赠", "搭"))
    ) and not (  # ("阔腿裤M，T恤S" while buying the T-shirt just after ordering the trousers: the T-shirt still)
        product.sku in ordered_skus and state.get("product") not in (None, *ordered_skus)
        and not _ADD_MORE.search(simplify(text))
    ):  # ("送条围巾呗" while haggling over a coat asks for a gift; the coat is still the item)
        kept, tail_from = _chosen_before(state, ctx.catalogue.get(state.get("product")), product, text, dropped)
        _focus(state, product, adding=bool(_ADD_MORE.search(simplify(text))) or kept)
    elif product and product.sku != state.get("product"):
        product = None
    current = ctx.catalogue.get(state.get("product"))
    if current is not None:  # ("那个百褶裙和条纹长袖t恤": the T-shirt is talked about too — "t恤要…" later is it)
        others = [p.sku for p in _others_named(simplify(text), current, ctx.catalogue)]
        state["seen"] = [*[sku for sku in state.get("seen") or [] if sku not in others], *others,
                         *([current.sku] if current.sku in others else [])][-6:] if others else state.get("seen")
    # (the items talked about, and the ones just shown: "那衬衫要浅蓝 裤子深蓝" after a shirt and jeans were listed)
    recent = list(dict.fromkeys([*(state.get("seen") or []), *(state.get("candidates") or [])]))
    found = extract(text, current, expecting=state.get("pending"), catalogue=ctx.catalogue, recent=recent)
    if tail_from:  # the words before the new item's name were the last item's line: the rest is about the new one
        tail = extract(simplify(text)[tail_from:], current, catalogue=ctx.catalogue, recent=recent)
        found = replace(found, size=tail.size, colour=tail.colour, quantity=tail.quantity, items=tail.items,
                        people=tail.people, height=tail.height, weight=tail.weight, foot=tail.foot)
    if before is not None and current is not None and before.sku != current.sku:
        # "那我要米白色39號 然後再加一包襪子 全白的": what comes before the new item's name is about the one in view
        first = extract(text, before, expecting=state.get("pending"), catalogue=ctx.catalogue,
                        recent=state.get("seen") or ())
        if len({item.sku for item in first.items}) >= 2:
            found = replace(first, items=tuple(replace(item, sku=item.sku or before.sku) for item in first.items))
    for_all = bool(_BOTH.search(simplify(text))) and len(
        {str(line.get("sku")) for line in state.get("lines") or []} | {current.sku if current else ""} - {""}) >= 2
    if for_all:
        found = replace(found, quantity=None)  # "两件都M" with a shirt and a skirt chosen: each in M, not two skirts
    own_reading = intent if intent not in DISPUTE_TYPES or (said.alone_dispute if said.alone_dispute is not None
                                                              else 1.0) >= _SURE_DISPUTE else "other"
    if intent in DISPUTE_TYPES and _STOCK_COUNT.search(simplify(text)) and not _reports_fault(text):
        own_reading = "product_inquiry"  # ("库存就剩几件了？那赶紧的": how many are left, no complaint)
    if current is None and product is None \
            and (asked := _about_ordered(state, text, found, own_reading, ctx)) is not None:
        # "我一米六 50kg 男朋友175 68kg 各自著咩码啊" / "会唔会甩色" just after ordering the jacket: the jacket
        # (read on its own: "库存就剩几件了" is no complaint about the order)
        current, intent = asked, own_reading
        said = replace(said, is_dispute=False, intent=intent)
        state["product"] = state["borrowed"] = asked.sku  # (in view for questions; it is ordered already)
        found = extract(text, current, expecting=state.get("pending"), catalogue=ctx.catalogue, recent=recent)
        if intent in ("other", "greet", "affirm") or not confident or SIZE_QUESTION.search(simplify(text)) or (
                intent == "return_refund" and not re.search(r"退|换", simplify(text))):
            intent, confident = "product_inquiry", True  # ("库存就剩几件了？那赶紧的" asks about stock, not a return)
    if current is not None:
        found, current = _without_ordered(state, found, current, text, ctx.catalogue)
    if current is not None and not clicked and (intent in ("other", "greet") or not confident) \
            and (found.size or found.colour or found.items) and not _ASKS.search(simplify(text)) \
            and len(simplify(text)) <= 16:
        intent, confident = "buy", True  # "XL" / "阿爸M 阿媽S" answering "您平时穿什么码呢": the choice, not chit-chat
    elif (current is not None or (found.items and all(item.sku for item in found.items))) and not clicked \
            and intent in ("product_inquiry", "other", "ask_recommendation", "buy") \
            and len({item.sku for item in found.items}) >= 2 and all(item.colour or item.size for item in found.items) \
            and not said.is_dispute and not re.search(r"[吗么嘛呢?？]|有没有|有货|还有", simplify(text)):
        intent, confident = "buy", True  # "衬衫浅蓝XL，牛仔裤深蓝XL": two items, each with its variant — ordered
        if current is None and (leading := ctx.catalogue.get(found.items[0].sku)) is not None:
            _focus(state, leading)
            current = leading
            found = replace(found, items=tuple(replace(item, sku=None) if item.sku == leading.sku else item
                                               for item in found.items))
    elif current is not None and not clicked and intent in ("doubt", "product_inquiry", "other") \
            and (found.colour in current.colours or found.size in current.sizes) and not said.is_dispute \
            and (_SWITCH_TO.search(simplify(text)) or _chooses(text) or re.search(r"(?<![对是])吧(?![^，,。\s]*[吗么])", simplify(text))) \
            and not re.search(r"[吗么嘛呢?？]|哪|会不会|能不能|有没有|有货|还有", simplify(text)) \
            and not (state.get("order_no") and current.sku in ordered_skus):
        intent, confident = "buy", True  # "等下 还是换深蓝吧 浅蓝怕显脏": the colour chosen instead, with its reason
    if current is not None and (for_people := _people_lines(state, text, found, current)):
        found = replace(found, items=for_people, size=None, colour=None, quantity=None)
        if intent not in DISPUTE_TYPES and intent != "human":
            intent, confident = "buy", True
    if intent in ("buy", "product_inquiry", "other", "greet") and _TWICE_ORDERED.search(simplify(text)) \
            and not said.is_dispute:
        # "我刚刚拍了两次一样的睡衣 重复了": an order placed twice — one to cancel, not a third to buy
        intent, confident, found = "modify_order", True, replace(found, size=None, colour=None, quantity=None, items=())
        for detail in ("product", "size", "colour", "quantity", "lines"):
            state.pop(detail, None)
        current = None
    if intent in ("buy", "product_inquiry", "other", "doubt") and _PAST_BUY.search(simplify(text)) \
            and _FIT_ONLY.search(simplify(text)) and not _DEFECT.search(simplify(text)) \
            and not _ADD_MORE.search(simplify(text)) and not said.is_dispute:
        # "我前几天买的毛衣 杏色 M的 穿起有点大": an exchange of what came, not a new purchase of it
        intent, found = "return_refund", replace(found, size=None, colour=None, quantity=None, items=())
        for detail in ("product", "size", "colour", "quantity", "lines"):
            state.pop(detail, None)
        current = None
    d.intent = intent
    exchange_sizing = slots.get("last_intent") == "return_refund" and intent in ("buy", "product_inquiry", "other", "affirm") \
        and not said.is_dispute and bool(found.height or found.weight or found.foot) \
        and not (_ADD_MORE.search(simplify(text)) or _ORDER_PUSH.search(simplify(text)) or re.search(r"买|拍", simplify(text)))
    asked_which = state.pop("change_or_add", None)
    if isinstance(asked_which, dict) and state.get("order_no") and (item := ctx.catalogue.get(str(asked_which.get("sku")))) is not None \
            and (_ADD_MORE.search(simplify(text)) or re.fullmatch(r"(再|多)?(加|要|来)一[件条双套顶个]|都要|加吧|再加", simplify(text).strip())) \
            and not (found.size or found.colour or found.items):
        # "再加一件" to "换成…，还是再加一件？": the variant asked about, added to the order just placed
        _focus(state, item)
        state.update({k: v for k, v in asked_which.items() if k in ("size", "colour")})
        state["merge_into"] = str(state["order_no"])
        current, intent, confident = item, "buy", True
        d.intent = intent
    if exchange_sizing and current is not None and current.size_chart:
        # "我156 45公斤 S应该可以吧" while exchanging a skirt: the size their measurements give — no new purchase
        for detail in ("size", "colour", "quantity", "lines"):
            state.pop(detail, None)
        d.intent = "return_refund"  # (the exchange goes on: its postage and address are asked next)
        _advise_size(d, current, ctx.catalogue, found.height, found.weight, found.foot)
        return d
    if current is not None and (found.size or found.colour) and (_chooses(text) or _SWITCH_TO.search(simplify(text))) \
            and not re.search(r"吗|么|嘛|呢|[?？]", simplify(text)):
        state["chose"] = current.sku  # ("裤子还是换L吧": chosen, kept when the next item is talked about)

    waiting = status == "waiting_agent" and slots.get("escalated") == "dispute"
    asking = False  # a plain question asked while the complaint waits, answered (the wait goes on)
    alone = said.alone_dispute if said.alone_dispute is not None else said.dispute_probability
    if waiting and product is None and (found.colour or found.size) and _ALSO_WANTS.search(simplify(text)) \
            and (product := _disputed_product(slots, ctx)) is not None:
        _focus(state, product)  # "我同事也想要一件 黑色S还有吗": the item of the complaint, bought for someone else
        current, state["buying_while_waiting"] = product, True
        found = extract(text, current, expecting=None, catalogue=ctx.catalogue, recent=state.get("seen") or ())
    # (read alone: in the complaint's context every message leans to going on with it)
    sizing = product is not None and bool(SIZE_QUESTION.search(simplify(text))) and bool(
        found.foot or found.height or found.weight) and not _reports_fault(text)
    if status == "waiting_agent" and (alone < _SURE_DISPUTE or sizing) and intent != "human" and (
        sizing or state.get("buying_while_waiting") or (product is not None and (
            said.alone_intent == "buy" or _chooses(text)
            # "算了顺便问下 我168 120斤 那个男士牛仔裤到底穿什么码": a question about another item, answered now
            or (said.alone_intent in ("product_inquiry", "ask_recommendation", "doubt") and _ASKS.search(simplify(text))
                and ((disputed := _disputed_product(slots, ctx)) is None or disputed.sku != product.sku))))
    ):
        # "先不管那个了，帽子来一顶": the complaint stays in the queue for a person; the purchase is served now
        state["buying_while_waiting"] = True
        said = replace(said, is_dispute=False, intent=said.alone_intent or "buy")
        if intent in DISPUTE_TYPES or sizing or intent == "doubt":  # (its own reading: a question stays a question)
            intent = "product_inquiry" if sizing or said.alone_intent == "doubt" \
                else said.alone_intent if said.alone_intent in _SALES_INTENTS else "buy"
            said = replace(said, intent=intent)
        d.intent = intent
    elif waiting and isinstance(slots.get("intake"), dict) and slots["intake"].get("ask") is None \
            and _asks_aside(said, text, slots["intake"]) and not clicked:
        # "这件怎么洗啊" / "你们几点下班" while the complaint waits: a plain question, answered now — the complaint
        # stays in the queue as it is
        state.pop("buying_while_waiting", None)
        asking = True
        intent = str(said.alone_intent) if said.alone_intent in _ASIDE_INTENTS else "product_inquiry"
        said = replace(said, is_dispute=False, intent=intent)
        d.intent = intent
    elif waiting and isinstance(slots.get("intake"), dict):
        state.pop("buying_while_waiting", None)
        return _listen(d, said, ctx, found, intent, text in offered)
    if not text:
        if said.image:  # a photo with no words: ask what it is about
            d.say(("other.image", {}), buttons=("咨询商品", "退换货", "转人工"))
        else:
            d.say(("other.empty", {}), buttons=MENU)
        return d
    if slots.get("pending") == "csat" and status == "bot":
        score = _csat_score(text)
        if score is not None:
            return _csat(d, score, text)
    if status == "waiting_agent" and state.get("change_waiting") and current is None and not said.is_dispute \
            and intent in ("shipping_inquiry", "order_status", "modify_order", "return_refund", "other", "affirm",
                           "deny", "doubt"):
        # a change or cancel a colleague is making: what can be said of it now is said, then the wait
        plain_text = simplify(text)
        if mentions_any(text, _CANCEL) and not _REFUND_WHEN.search(plain_text):
            # "不用改了 直接取消吧": the request the colleague will act on is now a cancel — kept with the rest
            state["change_request"] = "\n".join(w for w in (state.get("change_request"), text) if w)[-400:]
            d.say(("modify.cancel_by_person", {}))
        elif _REFUND_WHEN.search(plain_text) or _REFUND_HOW.search(plain_text):
            d.say(("returns.cancel_refund_general", {}))  # "先取消吧 钱多久退回来"
        elif re.search(r"(没|未)(发|出|寄)|还没发|能改吗|来得及|能不能改|还能改", plain_text):
            d.say(("modify.if_not_shipped", {}))  # "应该还没发吧？": what can be done before it leaves
        elif re.search(r"发出去|发货了|已经发|寄出|发走", plain_text):
            d.say(("modify.if_shipped", {}))  # "要是已经发出去了咋办"
        d.actions.append(AnnounceQueue(again=True))
        return d
    if status == "waiting_agent" and not state.get("buying_while_waiting") and not asking and (
        said.is_dispute or intent in ("human", "greet") or not confident or slots.get("escalated") == "dispute"
        or (current is None and bool(found.address or found.phone))  # (a new address for the colleague to use)
    ):  # ("有人吗" while waiting is asking for the person, not a greeting to welcome)
        # A person is coming. A customer with a dispute is not sold to meanwhile; one who only asked
        # for a person still gets plain answers to plain questions.
        d.actions.append(AnnounceQueue(again=True))
        return d
    if text in _EDIT_BUTTONS and slots.get("pending") in ("change", "readback", "modify"):
        return _edit(d, _EDIT_BUTTONS[text], ctx)
    if slots.get("pending") == "dispute_check":
        # The answer to "是订单出了问题吗？": only a clear no keeps the chat with the bot; anything else — yes,
        # more about the problem, a shrug, an angry word — goes to a person with the complaint.
        if not _clear_no(text, said, intent, confident, found):
            label = said.dispute_label if said.is_dispute and said.dispute_label else None
            guess = label or str(slots.get("dispute_guess") or "complaint_product")
            opening = str(slots.get("dispute_words") or "")
            yes = text == _YES_PROBLEM or intent == "affirm"
            words = opening if yes else "\n".join(w for w in (opening, text) if w)
            return _dispute(d, replace(said, text=words or text, intent=guess, dispute_label=guess), ctx,
                            extract(words or text, current))
        state["pending"] = None
        state.pop("dispute_words", None)
        if said.is_dispute:  # read in the question's context it leaned to a complaint; the customer said no
            intent = said.alone_intent if said.alone_intent and said.alone_intent not in DISPUTE_TYPES else "other"
            said = replace(said, intent=intent, is_dispute=False, dispute_label=None, dispute_probability=0.0)
            d.intent = intent
        if text == _NO_PROBLEM or intent in ("deny", "affirm", "other") or not confident:
            d.say(("clarify.ask", {}), buttons=("咨询商品", "查订单", "退换货", "转人工"))
            return d
        # "不是，我想问下这件有L码吗": the no, and the question it came with, answered as usual
    cancelled = slots.get("cancelled_order")
    if cancelled and (_REFUND_WHEN.search(simplify(text)) or _REFUND_HOW.search(simplify(text))) and alone < 0.9 \
            and intent != "human":
        # "钱什么时候退回来" right after a cancel in this chat: when the money comes back, not a payment dispute
        d.intent = "return_refund"
        d.say(("modify.refund_time", {"order_no": str(cancelled)}), buttons=("继续逛逛", "转人工"))
        return d
    plain_text = simplify(text)
    if not cancelled and intent != "human" and (_CANCELLED_BEFORE.search(plain_text) or slots.get("refund_told")) and (
        _WEEKEND.search(plain_text) and slots.get("refund_told") or
        _REFUND_WHEN.search(plain_text) or _REFUND_HOW.search(plain_text) or "没回来" in plain_text
    ) and not _OVERDUE.search(plain_text):
        # "昨儿个取消那单钱咋还没回来呢": a cancel within the refund days — when and where the money goes, honestly,
        # with the order number asked for if it is late (not a payment dispute, unless they say it is overdue)
        told, state["refund_told"], d.intent = slots.get("refund_told"), True, "return_refund"
        gone = next((o for o in ctx.orders if o.status == "cancelled"), None)
        if told and _WEEKEND.search(plain_text):  # "星期六星期天算不算啊": working days, as the words say
            d.say(("returns.working_days", {}), buttons=("继续逛逛", "转人工"))
        elif told:  # asked again ("退到哪去了 我是用微信付的"): the short of it
            d.say(("returns.cancel_refund_again", {}), buttons=("继续逛逛", "转人工"))
        elif gone is not None:
            d.say(("modify.refund_time", {"order_no": gone.order_no}), buttons=("继续逛逛", "转人工"))
        else:
            d.say(("returns.cancel_refund_general", {}), buttons=("查订单", "转人工"))
        return d
    placed = slots.get("order_no")
    if placed and state.get("address") and not found.address and alone < 0.9 and intent != "human" \
            and _SAME_ADDRESS.search(simplify(text)) and any(o.order_no == placed and o.status == "confirmed"
                                                              for o in ctx.orders):
        # "都寄我这里" right after ordering two for a friend and herself: one order goes to one address
        d.intent = "shipping_inquiry"
        d.say(("shipping.same_address", {"order_no": str(placed), "address": _recipient(state)}),
              buttons=("查看订单状态", "继续逛逛"))
        return d
    if placed and (current is None or current.sku == state.get("borrowed") or (
            # (or the item just ordered, still in view with nothing new chosen of it)
            current.sku in ordered_skus and not state.get("lines") and any(
                all(not state.get(k) or state.get(k) == line.get(k) for k in ("size", "colour"))
                for line in state.get("ordered") or () if line.get("sku") == current.sku))) \
            and found.address \
            and not state.get("lines") and state.get("pending") is None \
            and simplify(found.address) == simplify(str(state.get("address") or "")) and intent != "human" \
            and any(o.order_no == placed and o.status == "confirmed" for o in ctx.orders):
        # the address of the order just placed, sent again: it goes there — said, nothing changed (but a delivery
        # note sent with it, "送来的时候麻烦放小区门卫室", goes on the order)
        d.intent = "shipping_inquiry"
        d.say(("shipping.same_address", {"order_no": str(placed), "address": _recipient(state)}),
              buttons=("查看订单状态", "继续逛逛"))
        order = _order_for(ctx, str(placed))
        if found.notes and found.notes not in str(state.get("notes") or "") and order is not None \
                and order.task_status in ("queued", "intercepted") and not _reports_fault(text):
            d.intent = "modify_order"
            _note_on_order(d, order.order_no, found.notes)
        return d
    if placed and state.get("ordered") and len(state["ordered"]) > 1 and _DROP.search(simplify(text)) \
            and intent not in DISPUTE_TYPES and (removed := _dropped_from_order(text, state, ctx.catalogue)) is not None \
            and (order := _order_for(ctx, str(placed))) is not None and order.task_status in ("queued", "intercepted"):
        # "算了围巾不要了 就毛衣吧" just after ordering both: the scarf comes out, the sweater stays (never the whole
        # order); where the lines do not tell which one, a colleague does it
        d.intent = "modify_order"
        out_lines = [line for line in order.lines if line.sku == removed.sku]
        staying = [line for line in order.lines if line.sku != removed.sku]
        if len(out_lines) != 1 or not staying:
            return _escalate(d, "human", ("modify.lines_by_person", {"order_no": order.order_no}), order=order,
                             opening=f"{text}（从订单{order.order_no}去掉：{removed.name}）")
        rest = simplify(text)
        for word in sorted((removed.name, *removed.aliases, *name_tails(removed)), key=len, reverse=True):
            rest = rest.replace(word.lower(), " ")
        kept_line = staying[0] if len(staying) == 1 else None
        kept_item = ctx.catalogue.get(kept_line.sku) if kept_line is not None else None
        variant: dict[str, str] = {}
        swap = ctx.catalogue.find(rest)
        if kept_line is not None and kept_item is not None and (swap is None or swap.sku == kept_item.sku) \
                and _named_among(rest, [kept_item, removed]) is kept_item:
            # "裤子先不要了 就衬衫一件 浅蓝L" of a white shirt and jeans: the jeans out, and the shirt (named) in light
            # blue — not "换成袜子吧 全黑的" (the socks' colour)
            read = extract(rest, kept_item)
            variant = {name: value for name, value in (("size", read.size), ("colour", read.colour))
                       if value and value in (kept_item.sizes if name == "size" else kept_item.colours)
                       and value != getattr(kept_line, name)}
        _take_out(d, ctx, order, out_lines[0], staying, becomes=variant)  # (the one line left, as it becomes)
        if variant and kept_line is not None and kept_item is not None:
            d.actions.append(ChangeOrder(order.order_no, variant, line=(kept_line.sku, kept_line.colour, kept_line.size)))
            d.say(("modify.updated", {"order_no": order.order_no, "tracking_no": "—",
                                      "changes": f"{kept_item.name}{describe_changes(variant)}"}))
        if state.get("product") == removed.sku:  # ("啊袜子算了": the socks are not what is being chosen now)
            for detail in ("product", "size", "colour", "quantity", "borrowed"):
                state.pop(detail, None)
        if swap is None or swap.sku in {line.sku for line in order.lines} or not swap.in_stock:
            return d
        # "帽子算了 家里有 换成袜子吧 全黑的两包": the hat comes out and the socks go into the same order — read back
        # against the order as it is without the hat
        subtotal = sum((line.unit_price * line.quantity for line in staying), Decimal("0"))
        smaller = replace(order, lines=tuple(staying), details={**order.details, "subtotal": format_money(subtotal)})
        ctx = replace(ctx, orders=tuple(smaller if o.order_no == order.order_no else o for o in ctx.orders))
        state["ordered"] = [line for line in state.get("ordered") or [] if line.get("sku") != removed.sku]
        _focus(state, swap)
        state["merge_into"] = order.order_no
        swapped = extract(rest, swap, catalogue=ctx.catalogue)
        _merge_order_details(state, swapped, swap, text=rest, catalogue=ctx.catalogue, buying=True)
        _buy(d, Turn(rest, ctx, swapped, None, swap))
        return d
    if placed and (again := _said_again(state, found, current, text, ctx.catalogue)):
        # "行 白T白色S一件 就这俩" right after that T-shirt was ordered: it is in the order, not bought twice
        d.intent = "affirm"
        if state.get("borrowed") and state.get("product") == state["borrowed"]:
            for detail in ("product", "size", "colour", "quantity", "people", "borrowed"):
                state.pop(detail, None)
        in_order = [p for sku in ordered_skus if (p := ctx.catalogue.get(str(sku)))]
        item = current if current is not None and current.sku in ordered_skus else (
            in_order[0] if len(in_order) == 1 else _named_among(simplify(text), in_order))
        asked_only = False
        if item is not None and _ASKS.search(simplify(text)) and (aspects := _facts.asked(text, ctx.catalogue.names)):
            _answer_facts(d, item, aspects, text)  # "…藏青的 会不会透": and the question about it, answered
            d.stage = "shipping"
            # "白衬衫会不会透？" after ordering it: a question about it, not the order said again
            asked_only = not (_chooses(text) or found.size or found.quantity or found.items)
        if not asked_only:
            d.say(("shipping.already_ordered", {"order_no": str(placed), "lines": again}),
                  buttons=("查看订单状态", "继续逛逛"))
        if found.notes and not _reports_fault(text) and (order := _order_for(ctx, str(placed))) is not None \
                and order.status == "confirmed" and order.task_status in ("queued", "intercepted"):
            _note_on_order(d, order.order_no, found.notes)  # "…他要浅灰XL 到了放门口就行": on that order too
        return d
    if placed and (current is None or (current.sku in ordered_skus and not state.get("lines")
                                        and state.get("pending") not in _ORDER_QUESTIONS)) \
            and found.notes and not found.address and intent not in ("human", "invoice") \
            and not mentions_any(text, _INVOICE_WORDS) \
            and not (_ADD_MORE.search(simplify(text)) and (found.size or found.colour or found.items)) \
            and _NOTE_REQUEST.search(simplify(text)) and not _reports_fault(text) \
            and (order := _order_for(ctx, str(placed))) is not None and order.status == "confirmed" \
            and order.task_status in ("queued", "intercepted"):
        # "对了送货的时候别敲门…放门口就行" right after ordering: a note for the warehouse, added to the order —
        # with the size or colour of its one line when the message turns to another ("那就L吧 黑色L一条 放快递柜")
        d.intent = "modify_order"
        variant = {k: v for k, v in (("size", found.size), ("colour", found.colour))
                   if current is not None and len(order.lines) == 1 and order.lines[0].sku == current.sku
                   and v and v in (current.sizes if k == "size" else current.colours)
                   and v != getattr(order.lines[0], k)} if _chooses(text) or _SWITCH_TO.search(simplify(text)) else {}
        d.actions.append(ChangeOrder(order.order_no, {**variant, "notes": found.notes}))
        if variant:
            d.say(("modify.updated", {"order_no": order.order_no, "tracking_no": "—",
                                      "changes": describe_changes(variant)}))
        d.say(("modify.note_added", {"order_no": order.order_no, "notes": found.notes}),
              buttons=("查看订单状态", "继续逛逛"))
        if current is None or not _ASKS.search(simplify(text)):
            return d
        # "放学校菜鸟驿站 对了帽子能丢洗衣机洗吗": the note is on the order; the question about the item is answered
        found = replace(found, notes=None)
        intent = d.intent = "product_inquiry"
    answered = slots.get("pending") in _SLOT_QUESTIONS and bool(_new_details(state, found))
    if said.is_dispute and not clicked and not (answered and said.intent not in DISPUTE_TYPES):
        # (an address or size given right after the bot asked for it is an answer, not a complaint,
        # unless the classifier's own best reading is a complaint)
        if slots.get("last_intent") == "return_refund" and _CONDITION.search(simplify(text)) \
                and not _DEFECT.search(simplify(text)) and not _reports_fault(text) and waiting is False:
            # "没穿出门，吊牌都在。是七天无理由吧？今天是签收第4天" after asking about a return: its conditions
            intent, said = "return_refund", replace(said, is_dispute=False)
        elif _FIT_ONLY.search(simplify(text)) and not _DEFECT.search(simplify(text)) \
                and said.dispute_probability < _SURE_WHILE_SHOPPING and waiting is False:
            # "收到的牛仔裤M码 穿上胯那里有点紧": it does not fit — an exchange, nobody's fault (INTENTS.md)
            intent, said = "return_refund", replace(said, is_dispute=False)
        elif current is not None and (_chooses(text) or (product is not None and not ctx.orders)) \
                and (found.size or found.colour or found.items or found.quantity) \
                and said.dispute_probability < _SURE_WHILE_SHOPPING and not _RECEIVED.search(simplify(text)) \
                and not (slots.get("asked_order_no") and _ORDERED_BEFORE.search(simplify(text))):
            # "纯棉中筒袜五双装 全黑的来三包": choosing an item is buying it, whatever the words make the model think
            intent, said = "buy", replace(said, is_dispute=False)
        elif (current is not None or slots.get("pending") == "product") and found.notes and not ctx.orders \
                and said.dispute_probability < _SURE_WHILE_SHOPPING \
                and _NOTE_REQUEST.search(simplify(text)) and not _reports_fault(text):
            intent, said = "other", replace(said, is_dispute=False)  # "快递别放柜子": a delivery note, not a complaint
        elif current is not None and not ctx.orders and _LEAVES_IT_TO_US.search(simplify(text)) \
                and said.dispute_probability < _SURE_WHILE_SHOPPING and not _reports_fault(text):
            intent, said = "product_inquiry", replace(said, is_dispute=False)  # "就按刚才说的身高体重配": a size
        elif (current is not None or placed) and _facts.asked(text, ctx.catalogue.names) \
                and (said.dispute_probability < (0.9 if ctx.orders else _SURE_WHILE_SHOPPING)
                     or (not ctx.orders and _ELSEWHERE.search(simplify(text)))) \
                and not any(o.task_status == "shipped" for o in ctx.orders) \
                and _ASKS.search(simplify(text)) and not (ctx.orders and _HAPPENED.search(simplify(text))):
            # (with nothing bought here, "之前买的洗两次就糊了" is somewhere else's; the question is about this one)
            intent, said = "doubt", replace(said, is_dispute=False)  # "呢件夠唔夠暖㗎": a question about the item
        elif placed and (_SWITCH_TO.search(simplify(text)) or re.search(r"换", simplify(text))) \
                and said.dispute_probability < _SURE_WHILE_SHOPPING and not _RECEIVED.search(simplify(text)) \
                and not _reports_fault(text) and not any(o.task_status == "shipped" for o in ctx.orders) \
                and _variant_of_ordered(text, ordered_skus, ctx.catalogue):
            # "裤子换深蓝吧 浅蓝不耐脏" just after ordering: a change of the order's colour (with its reason), not a
            # complaint about dirt
            intent, confident, said = "modify_order", True, replace(said, is_dispute=False)
        elif _worry_about_this_one(text, state, current, said):
            # "上次买的卫衣起球了，这件会不会": a worry before buying, not a complaint — answer it with the facts
            # (the earlier purchase can still be raised: the reply does not close the door).
            intent, said = "doubt", replace(said, is_dispute=False)
        elif slots.get("asked_order_no") and said.dispute_probability < _SURE_WHILE_SHOPPING \
                and not _reports_fault(text) and not _SERVICE_FAULT.search(simplify(text)):
            # "改好了跟我说一声啊 别寄到老地方去了" while we look for the order to change: the same request
            intent, confident, said = "modify_order", True, replace(said, is_dispute=False)
        elif placed and (just := _order_for(ctx, str(placed))) is not None and just.task_status == "queued" \
                and said.dispute_probability < _SURE_WHILE_SHOPPING and not _reports_fault(text) \
                and not _SERVICE_FAULT.search(simplify(text)):
            # "信息都给全了 别一项项问了 赶紧的" right after ordering: impatience about an order still in the queue —
            # where it is, not a complaint
            intent, said = "order_status", replace(said, is_dispute=False)
        elif slots.get("last_intent") == "return_refund" and _CONDITION.search(simplify(text)) \
                and not _reports_fault(text) and said.dispute_probability < 0.9:
            # "收到第三天 没洗没穿 吊牌在的" after asking to exchange: the return's conditions met, not a complaint
            intent, said = "return_refund", replace(said, is_dispute=False)
        elif current is not None and (_ADD_MORE.search(simplify(text)) or _ALSO_WANTS.search(simplify(text))) \
                and (found.colour or found.size or found.items) and not _reports_fault(text) \
                and said.dispute_probability < 0.9:
            # "再给我自己整一件米白的": one more, in a colour — bought; nothing in it reports a fault
            intent, said = "buy", replace(said, is_dispute=False)
        elif said.dispute_probability >= (sure := _sure_dispute(d.stage, current, ctx, text)) or (
            said.intent in DISPUTE_TYPES and sure == _SURE_DISPUTE
        ):
            return _dispute(d, said, ctx, found)
        elif state.get("pending") in ("size", "colour", "quantity", "address", "phone") and current is not None \
                and not ctx.orders:
            # mid-order, an unsure complaint reading of an answer ("你们建议的尺寸就好") is not asked about: the
            # order goes on, and what is still missing is asked again
            intent, said = "buy", replace(said, is_dispute=False)
        elif current is not None and not ctx.orders and (found.items or found.size or found.colour) \
                and not _reports_fault(text) and not _SERVICE_FAULT.search(simplify(text)):
            # "王姐说她有了不用买，就小张和小李两件" with nothing bought yet: lines of the order, not a complaint
            intent, said = "buy", replace(said, is_dispute=False)
        elif not state.get("dispute_checked"):
            # A weaker signal: one question first ("是订单出了问题吗？"), so a shopper who only mentioned
            # an earlier purchase is not handed to the complaints queue — and a real complaint is one click away.
            # Asked once per conversation: a customer who said no is not asked again.
            state["pending"], state["dispute_guess"] = "dispute_check", said.dispute_label
            state["dispute_checked"], state["dispute_words"] = True, text[:200]
            d.say(("clarify.dispute", {}), buttons=(_YES_PROBLEM, _NO_PROBLEM))
            return d
    if (intent == "human" or (intent not in DISPUTE_TYPES and not said.is_dispute)) and not clicked \
            and _HOURS_QUESTION.search(simplify(text)):
        # "你们人工客服几点上班？": when people are on duty — answered; the transfer is one click away
        d.say(("handoff.hours", {}), buttons=("转人工", "继续和小助手聊"))
        return d
    if intent == "human":
        question = state.pop("unknown_question", None) if text == _ASK_COLLEAGUE else None
        return _escalate(d, "human", ("handoff.human", {}), opening=question)
    if intent in ("deny", "thanks_bye") and slots.get("order_no") and mentions_any(text, _CANCEL):
        return _confirm_cancel(d, ctx)

    if intent == "invoice" and re.search(r"(别|不要|不用|不放|别放|不需要)(放)?(发票|价格单|小票)", simplify(text)):
        intent = "buy" if current is not None else "other"  # "包裹里别放发票": a packing note, not an invoice
    if placed and (_MERGE.search(simplify(text)) or _ADD_MORE.search(simplify(text))) and any(
        o.order_no == placed and o.status == "confirmed" and o.task_status in ("queued", "intercepted") for o in ctx.orders
    ):
        state["merge_into"] = str(placed)  # "那我凑个单" / "再加个帽子" right after ordering: it joins that order
    noted = found.notes if found.notes and found.notes not in str(state.get("notes") or "") else None
    # An answer to what the bot just asked outranks a shaky classification.
    if for_all and (found.size or found.colour):  # … and the shirt's line takes the M too
        for line in state.get("lines") or []:
            made = ctx.catalogue.get(str(line.get("sku")))
            for name, value, allowed in (("size", found.size, made.sizes if made else ()),
                                         ("colour", found.colour, made.colours if made else ())):
                if value and not line.get(name) and value in allowed:
                    line[name] = value
    progress = _merge_order_details(
        state, found, current, text=text, catalogue=ctx.catalogue,
        buying=intent == "buy" or slots.get("pending") in ("size", "colour", "quantity", "product", "change", "readback")
        or bool(_ADD_MORE.search(simplify(text))) or (bool(found.items) and current is not None and _chooses(text))
        or (current is not None and bool(found.items or found.size or found.colour) and bool(found.address))
        or (current is not None and _whole_lines(found, current))
        or (not state.get("lines") and slots.get("pending") not in ("readback", "change", "modify")
            and _variants_for_several(found, current, text, placed)),
    )
    for line in state.get("lines") or []:  # ("t恤要白底藏青条的" after its size was given: in that size)
        if not line.get("size") and (advised := (state.get("advised") or {}).get(str(line.get("sku")))):
            line["size"] = advised
    if current is not None and not found.size and current.size_chart and re.search(
            r"(同样|一样|相同|同一)的?(身高体重|身材|尺寸)|按(我|刚才|上面)的?(身高体重|身材)", simplify(text)) and (
            advised_size := ctx.catalogue.size_for(current, state.get("height"), state.get("weight"), state.get("foot"))):
        # "再来一件燕麦色的圆领T 同样身高体重穿啥": the new item's size from the measurements given before
        _advise_size(d, current, ctx.catalogue, state.get("height"), state.get("weight"), state.get("foot"))
        _choose(state, current, "size", advised_size)
        progress = True
    if current is not None and not found.size and _SAME_SIZE.search(simplify(text)):
        # "再搭个百褶裙 黑色 一样的码": the size chosen for the other item (or the one just ordered), where this one
        # is made in it
        sizes = {line.get("size") for line in state.get("lines") or [] if line.get("sku") != current.sku} or {
            o.details.get("size") for o in ctx.orders if o.order_no == placed and o.details.get("size")}
        if len(sizes) == 1 and (size := sizes.pop()) in current.sizes:
            _choose(state, current, "size", str(size))
            progress = True
    pending = state.get("pending")
    ordering_with_address = current is not None and bool(found.address) and intent not in DISPUTE_TYPES
    # ("就按这4个码各一件。需要开发票，抬头…": the lines are ordered too, and the invoice goes on the order)
    ordering_lines = current is not None and intent == "buy" and bool(found.items) and _gives_invoice(text)
    kept_people = state.get("people")
    people: Mapping[str, Any] = kept_people if isinstance(kept_people, dict) else {}
    # "按刚才的尺码下单，要开电子发票报销，抬头是…": the sizes given for each person are the order, with the invoice
    ordering_lines = ordering_lines or (
        current is not None and people.get("sku") == current.sku and _gives_invoice(text)
        and sum(1 for who in people.get("who") or [] if who.get("size")) >= 2 and not state.get("lines")
        and bool(_ORDER_PUSH.search(simplify(text)) or _LEAVES_IT_TO_US.search(simplify(text))))
    if (ordering_with_address or ordering_lines) and mentions_any(text, _INVOICE_WORDS) and intent != "modify_order":
        # "需要开发票报销。收货地址是公司：何静 139… 放前台就行": the order goes on, the invoice is asked about after
        said = replace(said, also=(*said.also, Request("invoice", text)))
        intent = "buy"
    elif intent not in DISPUTE_TYPES and (pending == "invoice" or mentions_any(text, _INVOICE_WORDS)) and (
        invoice_details := _invoicing.read(text)
    ) and (invoice_details.email or invoice_details.tax_no or invoice_details.title or pending == "invoice"):
        intent = "invoice"  # "抬头：…有限公司 税号… 邮箱…": the invoice details, whatever else the words suggest
    elif pending == "modify" and (progress or mentions_any(text, _CANCEL)) and intent not in ("order_status",):
        intent = "modify_order"
    elif pending == "size" and current is not None and not found.size and current.size_chart and not found.people and (
        found.height or found.weight or found.foot
    ) and (size := _advise_size(d, current, ctx.catalogue, found.height, found.weight, found.foot)):
        _choose(state, current, "size", size)  # "你给我定就行 我一米六六 一百一十二斤" when asked which size
        intent = "buy"
    elif pending == "size" and current is not None and not found.people and _LEAVES_IT_TO_US.search(simplify(text)) and (
        size := ctx.catalogue.size_for(current, state.get("height"), state.get("weight"), state.get("foot"))
    ):
        _choose(state, current, "size", size)  # "你们建议的尺寸就好": the size their measurements give
        intent = "buy"
    elif pending == "size" and current is not None and current.size_chart and _LEAVES_IT_TO_US.search(simplify(text)) \
            and not (found.people or found.height or found.weight or found.foot):
        # "你帮我看着办 我不懂那些码" / "按你们尺码表给" with no measurements yet: ask for them
        d.intent = "product_inquiry"
        state["pending"] = "measure"
        d.say(("consult.size_need_measure", _product_values(current)))
        return d
    elif pending in ("size", "colour", "quantity", "address", "phone", "product") and (
        progress or product or state.get("wanted")
    ):
        intent = "buy"
    elif product is not None and _ADD_MORE.search(simplify(text)) and intent not in DISPUTE_TYPES \
            and intent != "human":
        intent = "buy"  # "再配一条百褶裙 黑色 跟上衣一样的码": another item, with its variant — bought, however it reads
    elif intent == "modify_order" and not ctx.orders and current is not None and (
        not mentions_any(text, _CANCEL) or _CHANGE_WORDS.search(simplify(text)) or found.colour or found.size
    ) and not (slots.get("asked_order_no") and _ORDERED_BEFORE.search(simplify(text))):
        # (but "就十分钟前 杏色M 还没发货吧" describes the order we could not find, not one being put together)
        intent = "buy"  # "再加一顶帽子" / "麻烦备注一下周末送" before any order: the order being put together
    elif pending == "which" and product and not (
            len({item.sku for item in found.items}) >= 2 and all(item.colour or item.size for item in found.items)):
        intent = "product_inquiry"  # (two items with their variants, though, are the order: below)
    elif current is not None and found.address and intent not in DISPUTE_TYPES and intent != "modify_order":
        intent = "buy"  # an address given unasked while an item is in focus: the customer is ordering it
    elif pending == "change" and progress:
        intent = "buy"
    elif pending == "readback" and progress:  # a change at the read-back (a "对" that restates it changes nothing)
        intent = "buy"
    elif pending == "readback" and intent not in DISPUTE_TYPES and intent not in ("human", "deny") and (
        _YES_FIRST.search(simplify(text)) or intent == "buy"
    ):
        intent = "affirm"  # "对，就这样。谢谢你。" / "对 就两条" / "就这样下单吧": the yes, with thanks or a push
    elif pending == "measure" and (found.height or found.weight or found.foot):
        intent = "product_inquiry"
    elif pending == "measure" and current is not None and current.size_chart and not found.size \
            and _LEAVES_IT_TO_US.search(simplify(text)):
        # "就你说那个码" again when the measurements were asked for: without them there is no size to go by
        d.intent = "product_inquiry"
        state["pending"] = "measure"
        d.say(("consult.size_need_measure", _product_values(current)), buttons=current.sizes[:6])
        return d
    elif placed and intent in ("other", "greet", "affirm") and not confident and _YES_FIRST.search(simplify(text)) \
            and not (found.size or found.colour or found.items or found.address or found.notes) \
            and pending is None and not _ASKS.search(simplify(text)):
        # "确认 快点发哈" after the order is placed: it is placed, and goes out in its turn
        d.intent, d.stage = "affirm", "shipping"
        d.say(("confirm.already_placed", {"order_no": str(placed)}), buttons=("查看订单状态", "继续逛逛"))
        return d
    elif slots.get("asked_order_no") and not ctx.orders and intent in ("buy", "product_inquiry", "other") \
            and _ORDERED_BEFORE.search(simplify(text)):
        intent = "modify_order"  # "就刚刚那个连衣裙 本来想要蓝色 结果拍成黄色的了": the order we are looking for
    elif slots.get("last_intent") == "return_refund" and intent in (
        "shipping_inquiry", "other", "product_inquiry", "order_status"
    ) and mentions_any(text, ("运费", "邮费", "寄回", "退回", "地址", "快递", "寄到哪", "寄哪", "多久", "几天")):
        intent = "return_refund"  # "换的话运费谁出 寄回去发什么快递 地址给我一下": about the return, not a purchase
    elif placed and intent in ("order_status", "bargain", "other", "doubt", "affirm") and not found.order_no \
            and mentions_any(text, ("运费", "邮费", "包邮", "快递费")) and not _TOTAL_QUESTION.search(simplify(text)):
        intent = "shipping_inquiry"  # "58块还要邮费？" right after ordering: about the order's postage
    elif intent == "order_status" and not ctx.orders and not found.order_no and not placed \
            and mentions_any(text, _WHEN + ("啥时候", "几时", "的话", "如果", "要是")):
        intent = "shipping_inquiry"  # "今天下午五点拍的话啥时候发" with no order: when the shop ships
    elif intent in ("ask_recommendation", "other", "greet", "affirm", "product_inquiry", "buy", "doubt") \
            and _IN_TIME.search(simplify(text)) and not found.address and not _ADD_MORE.search(simplify(text)):
        intent = "shipping_inquiry"  # "下周三我妈生日 来得及吗": when it ships and arrives, not a gift list
    elif placed and intent in ("product_inquiry", "buy", "other", "affirm", "doubt", "modify_order") and not found.address \
            and (product is None or product.sku in ordered_skus) and not said.is_dispute \
            and (item := _ordered_item_meant(text, ordered_skus, ctx.catalogue)) is not None \
            and (current is None or (current.sku == item.sku and not state.get("lines")
                                     and state.get("pending") not in _ORDER_QUESTIONS)) \
            and (wanted := _other_variant(text, item, state)) and _chooses(text) \
            and (found.quantity or re.search(r"[一1]\s*[件条双套顶个]", simplify(text))) \
            and not re.search(r"换|改|不要|算了|还是|那就|就要", simplify(text)) \
            and not (_ADD_MORE.search(simplify(text)) or _ALSO_WANTS.search(simplify(text))
                     or re.search(r"再|也要|另外|都要|多要|还要", simplify(text))) \
            and (order := _order_for(ctx, str(placed))) is not None and order.task_status in ("queued", "intercepted"):
        # "酒红色好看诶 要一件XL" just after ordering it in navy: instead of it, or one more? Asked, never guessed
        values = {"order_no": order.order_no, "product": item.name, "wanted": " ".join(wanted.values())}
        state["change_or_add"] = {"sku": item.sku, **wanted}  # (kept for one answer: "再加一件" adds it)
        d.intent, d.stage = "buy", "shipping"
        d.say(("confirm.change_or_add", values), buttons=(f"换成{values['wanted']}", "再加一件"))
        return d
    elif placed and intent in ("product_inquiry", "buy", "other", "deny", "affirm", "doubt", "modify_order") \
            and (product is None or product.sku in ordered_skus) \
            and (item := _ordered_item_meant(text, ordered_skus, ctx.catalogue)) is not None \
            and (current is None or (current.sku == item.sku and not state.get("lines")
                                     and state.get("pending") not in _ORDER_QUESTIONS)) \
            and ((of_item := extract(text, item)).colour or of_item.size) and not found.address \
            and (_chooses(text) or _SWITCH_TO.search(simplify(text)) or _DROP.search(simplify(text))
                 or len(simplify(text)) <= 4) \
            and not (_ADD_MORE.search(simplify(text)) or _ALSO_WANTS.search(simplify(text))):
        intent, confident = "modify_order", True  # "还是要黄色碎花吧 S码 蓝色的不要了" about the dress just ordered
    elif current is not None and (not confident or intent in ("other", "greet")) and not said.is_dispute \
            and _ASKS.search(simplify(text)) and _facts.asked(text, ctx.catalogue.names) \
            and not (found.colour or found.size or found.items or _chooses(text) or _ALSO_WANTS.search(simplify(text))):
        intent, confident = "product_inquiry", True  # "白色会透吗？" with the T-shirt in view: about it
    elif current is None and product is None and (intent in ("other", "greet") or not confident) \
            and not said.is_dispute and re.search(r"买|挑|选|看看|推荐", simplify(text)) and (found.height or found.weight or found.people) \
            and not placed:
        intent, confident = "ask_recommendation", True  # "给我女儿买衣服 她初二 155 90斤": show what fits her
    elif slots.get("last_intent") == "return_refund" and _CONDITION.search(simplify(text)) and not said.is_dispute \
            and intent in ("other", "greet", "affirm", "doubt", "product_inquiry", "deny", "return_refund") \
            and not _reports_fault(text):
        intent, confident = "return_refund", True  # "没穿过 吊牌都在" after asking about a return: its conditions, met
    elif product is None and _NEW_ARRIVALS.search(simplify(text)) and not said.is_dispute \
            and intent in ("bargain", "other", "greet", "product_inquiry", "ask_recommendation"):
        # "最近有啥新品": what is new in the shop, not a price talk
        new = [p for p in ctx.catalogue if "新品" in p.tags and p.in_stock][:3] or ctx.catalogue.best_sellers()
        state["candidates"], state["pending"] = [p.sku for p in new], "which"
        d.intent, d.stage = "ask_recommendation", "recommend"
        d.say(("recommend.intro", {"need": "新品"}), *_items(new), buttons=_menu_for(new))
        return d
    elif found.order_no and (not confident or intent in ("other", "greet", "affirm")):
        intent = "order_status"  # a bare order number
    elif intent == "ask_recommendation" and product and (
        mentions_any(text, _ATTRIBUTE_WORDS) or not mentions_any(text, _ALTERNATIVE_WORDS + _COMPARING)
    ):
        intent = "product_inquiry"  # 纯棉圆领短袖T恤有什么颜色 / 想买件轻薄的羽绒服: about the product it names
    elif current is not None and intent in ("ask_recommendation", "other", "greet", "doubt") and (
        found.people or ((found.height or found.weight or found.foot) and not mentions_any(text, _ALTERNATIVE_WORDS))
    ):
        intent = "product_inquiry"  # "男的180 78公斤 女的160 96斤 你们帮我选" about the item in view: its sizes
    elif intent in ("greet", "other") and (product or ctx.catalogue.in_category(simplify(text))):
        intent = "product_inquiry"  # 您好～请问有卖羊绒大衣吗 / 纯棉T恤怎么样: the question about it, not chit-chat
    elif current is not None and intent in ("product_inquiry", "affirm", "other", "doubt", "buy", "bargain",
                                            "shipping_inquiry", "thanks_bye", "greet") and (
        found.size or found.colour or found.items or found.quantity
    ) and (_chooses(text) or (product is not None and _ADD_MORE.search(simplify(text)))
           or _whole_lines(found, current)):
        # "行 要L" / "那就藏青色的吧就要一件": choosing a variant of the item in focus is buying it — and "那我要黃色碎花的，
        # 一件。禮拜六來得及到嗎？" asks about delivery besides, answered after
        if intent in ("shipping_inquiry", "doubt") and all(r.intent != intent for r in said.also):
            said = replace(said, also=(*said.also, Request(intent, text)))
        intent = "buy"
    elif intent not in DISPUTE_TYPES and intent not in ("human", "invoice") and _CUSTOM.search(simplify(text)):
        intent = "custom"  # "能在胸口印公司logo吗": not something the catalogue says
    elif current is not None and intent in ("other", "greet", "affirm", "product_inquiry", "doubt") \
            and current.size_chart and _LEAVES_IT_TO_US.search(simplify(text)) and not found.size and not found.people and (
                size := ctx.catalogue.size_for(current, state.get("height"), state.get("weight"), state.get("foot"))):
        _choose(state, current, "size", size)  # "你看着帮我选" after giving measurements: that size, and on
        intent = "buy"
    elif intent == "bargain" and _GIFT_FOR.search(simplify(text)) and not mentions_any(text, _HAGGLING):
        intent = "product_inquiry"  # "想送我妈 能包个礼盒吗": buying a present, not asking for one
    elif intent in ("bargain", "product_inquiry", "shipping_inquiry", "other", "doubt") and _TOTAL_QUESTION.search(
        simplify(text)
    ) and (current is not None or placed):
        intent = "total"  # "一共多少钱啊 这样包邮的吧": the sum, and the postage
    elif current is not None and intent in ("doubt", "other", "greet", "product_inquiry", "bargain") \
            and _STOCK_COUNT.search(simplify(text)):
        if intent == "doubt" or _LATER.search(simplify(text)):  # "还剩几件啊？我先看看": the count, then no push
            said = replace(said, also=(*said.also, Request("doubt", text)))
        intent = "product_inquiry"
    elif intent in ("other", "greet", "affirm") and _LATER.search(simplify(text)) and not found.address:
        intent = "doubt"  # "好的 我先加购物车 晚点跟别的一起买": not now — a kind word, no push
    elif intent in ("other", "greet") and _BYE.search(simplify(text)):
        intent = "thanks_bye"  # "没事 就是无聊 晚安啦"
    elif not confident and not clicked and current and (
        found.height or found.weight or found.foot or found.size or found.colour
    ):
        intent = "product_inquiry"  # measurements or a variant of the product being discussed
    elif not confident and not clicked:
        if product:  # a named product anchors a shaky reading to the sale
            intent = intent if intent in _SALES_INTENTS else "product_inquiry"
        else:
            return _clarify(d)
    if intent in ("product_inquiry", "other", "greet", "affirm", "doubt") and not said.is_dispute and progress \
            and not slots.get("lines") and slots.get("pending") not in ("readback", "change", "modify") \
            and current is not None and _variants_for_several(found, current, text, placed):
        intent = "buy"  # "我42 老婆37" about the shoes in view: a size for each — two lines, not a question
    d.intent = intent
    state["misunderstood"] = 0
    state["pending"] = None
    if intent in ("custom", "total"):
        d.intent = "product_inquiry"  # (the flow's own answers; the label they read as)
    if _PAYMENT_QUESTION.search(simplify(text)) and intent not in DISPUTE_TYPES and intent != "invoice":
        if intent in ("buy", "affirm") and current is not None:  # "那就要一条深兰的吧 能不能货到付款": both
            said = replace(said, also=(*said.also, Request("payment", text)))
        else:
            intent, d.intent = "payment", "buy"  # (INTENTS.md: asking how to pay is `buy`)
    if has_link(text) and intent == "other":
        d.say(("other.link", {}), buttons=MENU)
        return d
    handler = _HANDLERS.get(intent, _other)
    start = len(d.says)
    focus = ctx.catalogue.get(state.get("product"))
    earlier = str(state.pop("asked_facts", "") or "")
    aspects = _facts.asked(text, ctx.catalogue.names) if not clicked and intent in _FACT_INTENTS and not (
        intent == "affirm" and not _ASKS.search(simplify(text))) else []  # ("是的 都要礼盒" says yes; it asks nothing)
    if not aspects and earlier and pending == "which" and product is not None:
        aspects, text = _facts.asked(earlier, ctx.catalogue.names), earlier  # the item named: the question asked before, answered
    turn = Turn(text, ctx, found, pending, product)
    if noted and focus is not None and intent in ("shipping_inquiry", "other", "greet", "affirm", "modify_order",
                                                  "thanks_bye") and not aspects:
        # "快递别放柜子 送之前打电话" while choosing: the note is taken, and the order goes on
        d.say(("close.note_taken", {"notes": noted}))
        d.intent = "buy"
        _buy(d, turn)
        return d
    if aspects and focus is None and placed and (ordered := _order_for(ctx, str(placed))) is not None:
        focus = ctx.catalogue.get(ordered.sku)  # "厚不厚啊 会不会透" right after ordering: about what was just ordered
    if aspects and focus is None and len(fitting := [p for p in ctx.catalogue.in_category(simplify(text))
                                                      if p.in_stock]) == 1:
        # "想给男朋友买件衬衫 他不会熨衣服 有没有不用熨的": the one item the words fit — it is the one asked about
        focus = fitting[0]
        _focus(state, focus)
    if aspects and focus is None:
        # "能机洗吗" with no item in view: which one — and the question is kept for when they say
        shown = [p for sku in state.get("candidates") or [] if (p := ctx.catalogue.get(sku))]
        choices = ctx.catalogue.in_category(simplify(text))[:3] or shown[:3] or ctx.catalogue.best_sellers()
        if intent == "doubt":  # "会不会起球啊": the shop's guarantee now, the item's own answer once it is named
            handler(d, turn)
        state["candidates"], state["pending"], state["asked_facts"] = [p.sku for p in choices], "which", text[:200]
        d.stage = "consult"
        d.say(("consult.which_product", {}), buttons=_menu_for(choices))
        return d
    if aspects and focus is not None:
        # "会透吗 能机洗吗" about the item in focus: each asked quality answered from the catalogue, or honestly not
        _answer_facts(d, focus, aspects, text)
        if mentions_any(text, _PRICE_WORDS) and intent in _FACT_ONLY:  # "帽子多少钱 我头围58戴得下不": the price too
            d.say(("consult.price", _product_values(focus)), buttons=AFTER_ANSWER)
        if intent not in _FACT_ONLY and not (intent == "bargain" and not mentions_any(text, _HAGGLING)):
            handler(d, turn)  # "黑色L 会不会透": the choice goes on too ("能包个礼盒吗" haggles for nothing)
        elif SIZE_QUESTION.search(simplify(text)) and focus.size_chart and (
            found.height or found.weight or found.foot
        ) and (size := _advise_size(d, focus, ctx.catalogue, found.height, found.weight, found.foot)):
            _choose(state, focus, "size", size)  # "我165 110斤 穿啥码 会不会掉色": the size too
    else:
        handler(d, turn)
    if noted and intent == "buy" and d.status == "bot" and d.slots.get("pending") in _ORDER_QUESTIONS - {"readback"} \
            and not any(key == "close.note_taken" for say in d.says for key, _ in say.parts):
        d.says.insert(start, Say((("close.note_taken", {"notes": noted}),)))  # the card's words heard, mid-order
    if not clicked and d.status == "bot":
        _answer_the_rest(d, said, intent, ctx, current, start, facts_answered=bool(aspects))
    if (pending in _ORDER_QUESTIONS and d.status == "bot" and d.slots.get("pending") is None and focus is not None
            and not d.actions
            and intent in _ANSWER_THEN_ASK and d.slots.get("product") == (current.sku if current else None)):
        if not any(key == "consult.size_advice_people" for say in d.says for key, _ in say.parts):
            _ask_again(d, str(pending), ctx, focus)  # mid-order: the question answered, the pending one asked again
    return d


# Intents whose message may ask about an item's qualities; for the first set the qualities are the whole answer.
_FACT_ONLY = frozenset({"product_inquiry", "doubt", "other", "greet", "affirm"})
_FACT_INTENTS = _FACT_ONLY | {"buy", "bargain", "shipping_inquiry", "ask_recommendation"}
# The bot's questions while an order is put together, and the requests answered before asking them again.
_ORDER_QUESTIONS = frozenset({"size", "colour", "quantity", "address", "phone", "readback"})
_ANSWER_THEN_ASK = frozenset({"greet", "other", "product_inquiry", "shipping_inquiry", "doubt", "invoice",
                              "affirm", "bargain", "payment", "custom", "total"})


def _answer_facts(d: Decision, product: ProductView, aspects: list[_facts.Aspect], text: str) -> None:
    """One bubble: what the catalogue says of each quality asked about, then — for those it does not say — that
    it does not, with a colleague offered (the question kept for them)."""
    parts, unknown = _fact_parts(d, product, aspects, text)
    d.stage = "consult"
    d.say(*parts, buttons=(_ASK_COLLEAGUE, "我要买") if unknown else AFTER_ANSWER)


def _fact_parts(
    d: Decision, product: ProductView, aspects: list[_facts.Aspect], text: str
) -> tuple[list[tuple[str, Mapping[str, str]]], list[str]]:
    """What the catalogue says of each quality asked about, and the qualities it does not say (kept for a
    colleague as ``unknown_question``)."""
    parts: list[tuple[str, Mapping[str, str]]] = []
    unknown = []
    for aspect in aspects:
        found = _facts.answer(product, aspect)
        if found.fact:
            parts.append(("product.fact", {"product": product.name, "aspect": aspect.label, "fact": found.fact}))
        else:
            unknown.append(aspect.label)
    if unknown:
        parts.append(("product.fact_unknown", {"product": product.name, "aspect": "、".join(unknown)}))
        d.slots["unknown_question"] = f"{product.name}：{text.strip()[:120]}"
    return parts, unknown


_ASK_COLLEAGUE = "请同事确认"


def _ask_again(d: Decision, pending: str, ctx: Context, product: ProductView) -> None:
    """The order's open question, asked again after an answer to something else."""
    if pending == "readback":
        d.slots["pending"] = "readback"
        d.stage = "confirm_order"
        d.say(("confirm.still_waiting", {}), buttons=("确认无误", "需要修改"))
        return
    _buy(d, Turn("", ctx, extract("", product), None))


# Requests a second clause of a message may make that get their own answer after the first one's.
_SECOND_ANSWERS = frozenset(
    {"product_inquiry", "shipping_inquiry", "bargain", "doubt", "invoice", "return_refund", "order_status", "payment"}
)


def _answer_the_rest(
    d: Decision, said: Understanding, intent: str, ctx: Context, current: ProductView | None, start: int,
    *, facts_answered: bool = False,
) -> None:
    """"这件有L吗 顺便问下什么时候发货": the other requests of the message, each answered in the order the message
    asks them (``start``: where the main request's answer begins).

    The main request's open question (a size the bot asked for…) stays the one the bot waits on.
    """
    pending, buttons = d.slots.get("pending"), dict(d.slots.get("buttons") or {})
    stage = d.stage
    answered = {intent}
    insert_at = start
    for request in said.also:
        other, clause = request.intent, request.text
        if intent == "buy" and other == "bargain":
            continue  # "行行行 黑色XL": the haggling is over once they order
        if other == "bargain" and _GIFT_FOR.search(simplify(clause)):
            continue  # "想送我妈": a present, not a freebie asked for
        if other == "bargain" and not mentions_any(clause, (*_HAGGLING, "价", "钱", "抹", "送", "块", "元")):
            continue  # "一百四十八斤": a weight, not haggling — a price talk says something of the price
        if other == "order_status" and not ctx.orders:
            other = "shipping_inquiry"  # "顺便问下什么时候发货" with no order yet: when the shop ships
        if other == "shipping_inquiry" and (intent in ("return_refund", "invoice") or not mentions_any(clause, _SHIP_WORDS)):
            continue  # "想退 运费谁出": the return's postage, answered with the return; "个人的": not about shipping
        if other in answered or other not in _SECOND_ANSWERS or (facts_answered and _facts.asked(clause, ctx.catalogue.names)):
            continue  # (the item's qualities asked in any clause are answered together, once)
        if intent == "buy" and other == "product_inquiry" and not _facts.asked(clause, ctx.catalogue.names):
            continue  # "围巾 灰色的有吗 要一条": going on with the order answers whether it is there
        answered.add(other)
        before = len(d.says)
        _HANDLERS[other](d, Turn(clause, ctx, extract(clause, current), pending))
        if len(d.says) > before:
            buttons.update(d.slots.get("buttons") or {})
            if request.first or pending is not None:
                # asked before the main request, or the main answer ends on a question: answered before it (the
                # question the customer must answer stays the last thing they read)
                added = d.says[before:]
                del d.says[before:]
                d.says[insert_at:insert_at] = added
                insert_at += len(added)
    said_keys = {key for say in d.says for key, _ in say.parts}
    if intent == "buy" and _ASKS_PERK.search(simplify(said.text)) and not any(k.startswith("objection.") for k in said_keys):
        # "我要米白 女儿白色 老公黑色 买三双能送点什么吗": the order goes on, and what the shop can add is offered
        before = len(d.says)
        _bargain(d, Turn(said.text, ctx, extract(said.text, current), pending))
        added = d.says[before:]
        del d.says[before:]
        d.says[insert_at:insert_at] = added
        insert_at += len(added)
        d.stage = stage
        said_keys = {key for say in d.says for key, _ in say.parts}
    if intent == "buy" and "shipping_inquiry" not in answered and (_ARRIVES.search(simplify(said.text)) or _IN_TIME.search(simplify(said.text))) \
            and not said_keys & {"shipping.delivery_time", "shipping.policy"}:
        # "咁我要一對黑色42 一對白色37 幾時可以到啊": the order goes on, and when it comes is said before the question
        d.says.insert(insert_at, Say((("shipping.delivery_time", {}),)))
    if pending is not None:  # the main request's question is still the one waited on, at its stage
        d.slots["pending"], d.stage = pending, stage
    d.slots["buttons"] = buttons


_ARRIVES = re.compile(r"(几时|什么时候|啥时候|多久|几天|哪天|几号)[^，,。]{0,4}(到|发|收)|到货要")  # (or _IN_TIME)


# Read on its own, an answer to the check that asks for one of these is a request of its own, not a yes.
_OTHER_REQUESTS = frozenset({
    "product_inquiry", "shipping_inquiry", "ask_recommendation", "bargain", "doubt", "buy", "return_refund",
    "modify_order", "order_status", "invoice",
})
_OTHER_REQUEST_DISPUTE = 0.3
_NO_WORDS = ("不是", "没问题", "没有问题", "没什么问题", "不用", "没事", "问别的", "想问", "咨询", "随便看", "不需要", "都没有")
_NO_ANSWERS = frozenset({"没有", "没", "否", "no", "不", "没呢", "没有啊", "没有呀", "没有的", "并没有"})


def _clear_no(text: str, said: Understanding, intent: str, confident: bool, found: Extracted) -> bool:
    """Whether an answer to "是订单出了问题吗？" says plainly that nothing is wrong: the 不是 button, a no, or
    simply going on shopping ("这件有L码吗") — never while the answer itself reads as a complaint."""
    if text == _NO_PROBLEM:
        return True
    if text == _YES_PROBLEM or found.order_no:
        return False  # (an order number names the order that went wrong: a yes)
    plain = simplify(text).strip("，。！？,.!? ~")
    if _NAMES_PAST_ORDER.search(plain):
        return False  # "订单是11月3号下的，黑色XL，收件人赵明远": which earlier order went wrong — a yes
    if _JOKING.search(plain) and not _reports_fault(text):
        return True  # "哈哈 那你说我这种胖子穿啥好看" / "跟你开玩笑的": chatting, nothing wrong
    alone = said.alone_dispute if said.alone_dispute is not None else said.dispute_probability
    if plain.startswith(_NO_WORDS) and alone < _SURE_DISPUTE:
        return True  # "不是，我是问这件的质量怎么样" (but "不是，是快递一直没到" is a yes)
    if said.alone_intent in _OTHER_REQUESTS and alone < _OTHER_REQUEST_DISPUTE:
        return True  # read alone, the answer asks for something else ("男生穿酒红会不会太娘", "能退吗 七天无理由吧")
    if alone < _OTHER_REQUEST_DISPUTE and (found.address or found.phone or found.size or found.colour or found.items):
        return True  # an answer that goes on with the order (an address, a size) is not a complaint
    if said.is_dispute:
        return False
    if intent == "deny" or plain in _NO_ANSWERS:
        return True
    return confident and intent in _SALES_INTENTS and said.confidence >= 0.7


# ------------------------------------------------------------------ helpers


def _sure_dispute(stage: str, current: ProductView | None, ctx: Context, text: str = "") -> float:
    """How sure a complaint reading must be to queue the chat without asking first. A shopper looking at an
    item, with no order from this shop, who writes "太慢了" or "质量太差了" is more likely talking about the
    item than complaining: unless the reading is near certain, they get the one question — but not one who says
    what came ("我买的黑色XL 寄来个卡其色L的"): goods received are no longer being shopped for."""
    if current is not None and not ctx.orders and stage in SHOPPING_STAGES and not _RECEIVED.search(simplify(text)):
        return _SURE_WHILE_SHOPPING
    return _SURE_DISPUTE


#: The stages in which a customer with an item in focus is shopping for it.
SHOPPING_STAGES = frozenset({"greet", "consult", "recommend", "objection", "close", "confirm_order"})
_SURE_WHILE_SHOPPING = 0.97


_WORRY_QUESTION = re.compile(r"(这件|这款|这个|这条|这双|它|新的)[^，。,.!！]{0,8}(会不会|会吗|也会|吗|么|嘛|[?？])")


def _reports_fault(text: str) -> bool:
    """Whether a message reports something gone wrong — not as background from before ("别放门口 上次丢过一回")."""
    return any(_FAULT_WORDS.search(clause) and not _ELSEWHERE.search(clause)
               for clause in re.split(r"[，,。！!？?~～\s]+", simplify(text)) if clause)


def _worry_about_this_one(
    text: str, state: Mapping[str, Any], current: ProductView | None, said: Understanding
) -> bool:
    """A question about the item being looked at, asked while shopping, that only mentions a bad experience."""
    shopping = current is not None or state.get("pending") == "which"
    return shopping and said.dispute_probability < 0.9 and bool(_WORRY_QUESTION.search(simplify(text)))


def _csat_score(text: str) -> int | None:
    """A score from a satisfaction button or a bare 1–5 ("4", "4分", "5星 很好")."""
    match = _CSAT.match(text)
    return int(match.group(1).translate(str.maketrans("１２３４５", "12345"))) if match else None


def _csat(d: Decision, score: int, text: str) -> Decision:
    """The answer to the follow-up: store the score; thank, and after a low score apologise and offer a person."""
    s = d.slots
    comment = None if text in CSAT_BUTTONS else text
    follow_up = s.pop("csat_follow_up", None)
    if isinstance(follow_up, int):
        d.actions.append(RecordScore(follow_up, score, comment))
    s["pending"] = None
    if score <= 2:
        d.say(("followup.thanks_bad", {}), buttons=("转人工", "继续和小助手聊"))
    else:
        d.say(("followup.thanks_good", {}), buttons=("看看热销款", "查订单"))
    return d


def _sold_out(d: Decision, product: ProductView, catalogue: Catalogue, values: dict[str, str]) -> None:
    """Say ``product`` is sold out, with similar items in stock; nothing chosen of it stays (a colour asked about
    does not make it a line of the order when the customer goes on to other items)."""
    similar = [p for p in catalogue.in_category(product.category) if p.in_stock and p.sku != product.sku]
    d.say(("consult.out_of_stock", values), buttons=_menu_for(similar or catalogue.best_sellers()))
    if d.slots.get("product") == product.sku:
        for detail in ("size", "colour", "quantity"):
            d.slots.pop(detail, None)
    d.slots["lines"] = [line for line in d.slots.get("lines") or [] if line.get("sku") != product.sku]


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
        if chosen:
            state["chosen_of"] = {**(state.get("chosen_of") or {}), **chosen}
        state.pop("lines", None)
    state["product"] = product.sku
    state["seen"] = [*[sku for sku in state.get("seen") or [] if sku != product.sku], product.sku][-6:]
    for detail in ("size", "colour", "quantity", "wanted"):
        state.pop(detail, None)


def _by_position(text: str, state: Mapping[str, Any], catalogue: Catalogue) -> ProductView | None:
    """"第二个" / "要3号": a product of the list just shown, by its place — not a house number ("163号", "42号大院")."""
    candidates = state.get("candidates") or []
    found = _POSITION.search(simplify(text))
    if found is None:
        return None
    index = "一二三123".index(found.group(1) or found.group(2)) % 3
    return catalogue.get(candidates[index]) if index < len(candidates) else None


_POSITION = re.compile(r"第([一二三123])(?!\d)|(?<![\d一二三四五六七八九十零两])([123])号(?![楼院栋门室线])")


_DROP = re.compile(r"不要了|不要啦|就不要了|算了|去掉|删掉|不买了|拿掉")


_SWITCH_TO = re.compile(r"还是(换|要|拿|选)|换成|改成|就要|那就")


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
    # the words before the clause that names the new item ("…一件。另外小白鞋…" / "要一件 再加一顶黑色棒球帽")
    at = max((plain.rfind(mark, 0, at) for mark in "，,。.!！?？;；~～ \n"), default=-1) + 1 if at else 0
    head = plain[:at]
    if dropped is None and re.search(r"换成|改成|还是", plain[max(0, at - 6): at + 6]) and not _DROP.search(head):
        return False, 0  # "还是换成百褶裙吧": the new item instead (not "条纹的不要了 换成…": instead of another)
    whole = extract(head, previous) if head.strip() else None
    if head.strip() and (_chooses(head) or (
            whole is not None and whole.size in previous.sizes and whole.colour in previous.colours
            and not re.search(r"[吗么嘛呢?？]|有没有|还有", head))):  # ("那不要杏色了 黑色L 再来一件…": chosen)
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
    # (a size or colour chosen is enough: what is missing is asked before the read-back)
    return bool((state.get("size") or state.get("colour")) and state.get("chose") == previous.sku), 0


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
        said = [(read.colour, p.colours), (read.size, p.sizes)]
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


def _dropped(text: str, state: Mapping[str, Any], catalogue: Catalogue) -> ProductView | None:
    """The item a message takes out of the order being put together ("那袜子不要了", "去掉帽子"), if it is in it."""
    in_cart = {str(line.get("sku")) for line in state.get("lines") or []} | {str(state.get("product") or "")}
    for clause in re.split(r"[，,。！!？?~～\s]+", simplify(text)):
        if clause and _DROP.search(clause) and not re.search(r"换成|改成|还是要", clause):
            named = catalogue.find(clause) or next(
                (p for sku in state.get("seen") or [] if (p := catalogue.get(sku)) and any(
                    tail in clause for tail in name_tails(p))), None)
            if named is None or named.sku not in in_cart:  # "条纹的不要了" of a striped tee and jeans: the tee
                named = _named_among(clause, [p for sku in in_cart if (p := catalogue.get(sku))])
            if named is not None and named.sku in in_cart:
                return named
    plain = simplify(text)
    if _DROP.search(plain) and not re.search(r"换成|改成|还是要", plain):
        # "条纹的我室友说跟她撞衫了 不要了 就要裤子": the one item named outside what is kept
        rest = " ".join(c for c in re.split(r"[，,。！!？?~～\s]+", plain) if c and not re.search(r"就要|只要|留着|还要|就留", c))
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
    for sku in reversed(state.get("seen") or []):
        product = ctx.catalogue.get(sku)
        if product is not None and (adding or not any(product.name in names for names in ordered)) and any(
            ((len(word) >= 2 and word in plain) or (adding and len(word) == 1 and re.search(f"{word}[的色]", plain)))
            for colour in product.colours for word in {colour.lower(), colour.removesuffix("色").lower()}
            if adding or word not in _PLAIN_COLOURS  # ("再来一条灰色的" / "再整一件黑的": any colour of the item)
        ):
            return product
    return None


# Another one for someone else: "我同事也想要一件", "再给我妹妹来一件", "给我妈也来一件"
_ALSO_WANTS = re.compile(r"也想要|也要|也来|也想买|也买|再买|再来|再要|再给|还要|想要一[件条双顶个套]"
                         r"|给.{1,4}(也|再)?(来|要|买)一[件条双顶个套]")
# Colour names too common to point at one item ("黑色" is every item's): only a product's own shade does.
_PLAIN_COLOURS = frozenset({"黑色", "白色", "黑", "白", "灰色", "蓝色", "红色", "粉色", "绿色", "黄色"})


def _new_details(state: Mapping[str, Any], found: Extracted) -> dict[str, object]:
    """The order details in this message that differ from what the conversation holds."""
    return {k: v for k, v in found.as_slots().items() if k in ORDER_SLOTS and state.get(k) != v}


_COMPARING = ("还是", "哪个", "哪款", "哪件", "区别", "比较", "推荐", "对比")
_LEAVES_IT_TO_US = re.compile(r"建议|推荐|你们看着|你看着|帮我选|帮我看|你定|给我定|你们定|帮我定|按你说|就按|合适的就|看着办|看着给|"
                              r"你说(的|那个|那)码|你说的那个|"
                              r"按.{0,3}尺码表|按.{0,6}身高体重|"
                              r"不懂.{0,4}码|不知道.{0,6}码|不清楚.{0,4}码|搞不清.{0,4}码|你们?帮我挑")
# A message that begins by saying yes ("对，就这样。谢谢你", "好的 没问题 辛苦了") — not "对了" (by the way).
_YES_FIRST = re.compile(r"^(对(?!了)|是的|好的|好(?![看多])|嗯|确认|没问题|没错|可以|行|ok|就这样|啱|冇问题|系)")
_MERGE = re.compile(r"凑.{0,2}(单|包邮)|凑一下|凑够|够包邮|一起发|一起寄|合并|并到|加到(刚才|那|这|上)|加进|同一单|一单发|放一起发")
_SAME_SIZE = re.compile(r"(一样|同样|相同|同一)的?(码|尺码|码数|大小|号|size)|同码|也要?(这个|一样)的?码")
# ("我里面加件毛衣" / "内搭一件" is what they wear under it, not one more item)
_ADD_MORE = re.compile(r"(?<!里面)(?<!里边)(?<!里头)(?<!内)(?:再加|再来|再要|再拿|还要一|加[一两]?[件条双套顶个包盒]|另外一[件条双套顶个包]"
                       r"|再买|再搭|再配|搭一[件条双套顶个包]"
                       r"|配一[件条双套顶个]|(?<!增)加[个件条双顶套包](?!钱|价)|再整)")  # ("整一件" alone: just "one")


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


_BOTH = re.compile(r"(两|俩|三|几)(件|个|条|样|双|款)?(都|全)|^\s*(都|全都|全部|一律)(是|要|拿|来|穿)?\s*[a-z0-9]")
# A push to place the order ("好滴 下单下单"), and with an item in view a plain yes to it too; not with a no or a cancel
_ORDER_PUSH = re.compile(r"下单|拍了|买了|要了|就这些|就要这")
_PUSH = re.compile(rf"{_ORDER_PUSH.pattern}|ok|好的?")
_NOT_A_PUSH = re.compile(r"不|没|别|取消|退")


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


def _said_again(state: Mapping[str, Any], found: Extracted, current: ProductView | None, text: str,
                catalogue: Catalogue) -> str:
    """The items of the order just placed that a message names again — or a push to order them — and nothing more:
    no new item, no "再", no change, nothing being bought meanwhile ("" when it is anything more). A question beside
    it ("寄到学校宿舍可以吗") does not make it a change of the order."""
    if state.get("pending") or state.get("lines") or not state.get("ordered") \
            or _ADD_MORE.search(plain := simplify(text)) or re.search(r"再|另外|还要|换|改", plain) \
            or _DROP.search(plain) or found.address or found.phone:
        return ""
    ordered: list[Mapping[str, Any]] = list(state["ordered"])
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
        if len(named) != 1:
            return ""
        current, found = named[0], extract(text, named[0])
    items = [replace(i, sku=i.sku or current.sku) for i in found.items] or [
        Item(size=found.size, colour=found.colour, sku=current.sku)]
    if not all(item.size or item.colour for item in items) or not all(_already_ordered(state, i) for i in items):
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
    if (product is not None and buying and not found.items and (found.size or found.colour)
            and _ADD_MORE.search(simplify(text)) and (own or state.get("size") or state.get("colour"))):
        # "再加一条藏青的": another line of the same item beside the one chosen, not a change of it
        lines = own or [{"sku": product.sku, "size": state.get("size"), "colour": state.get("colour"),
                         "quantity": int(state.get("quantity") or 1)}]
        lines.append({"sku": product.sku, "size": found.size if found.size in product.sizes else None,
                      "colour": found.colour if found.colour in product.colours else None,
                      "quantity": found.quantity or 1})
        found = replace(found, items=tuple(Item(size=line["size"], colour=line["colour"], quantity=line["quantity"])
                                           for line in lines))
    if found.items and product is not None and buying:
        lines = []
        seen_of: dict[str, int] = {}  # how many lines of each product this message has given so far
        for item in found.items:  # each line checked against its own product ("羽绒服黑色L 阔腿裤灰色M")
            made = (catalogue.get(item.sku) if catalogue is not None and item.sku else None) or product
            # what was chosen before for this item's lines: "白色" then "哥哥L两件 妹妹S两件" (both white), "裙子要L"
            # for the black skirt, "浅灰那套大的" for the grey line as it was
            prior = [line for line in state.get("lines") or [] if line.get("sku") == made.sku]
            if made.sku == product.sku and not prior:
                prior = [{"size": state.get("size"), "colour": state.get("colour")}]
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
            lines.append({"sku": made.sku,
                          "size": item.size if item.size in made.sizes else None,
                          "colour": item.colour if item.colour in made.colours else None,
                          "quantity": item.quantity})
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


def _product_values(p: ProductView) -> dict[str, str]:
    return {
        "product": p.name, "price": p.price_text, "material": p.material or "详见商品详情页",
        "sizes": "、".join(p.sizes) or "均码", "colours": "、".join(p.colours) or "图片同款",
        "selling_point": p.selling_points[0] if p.selling_points else p.description, "care": p.care or "按水洗标打理即可",
        "stock": str(p.stock),
    }


def _menu_for(products: list[ProductView]) -> tuple[str, ...]:
    return tuple(p.name for p in products[:3])


# ------------------------------------------------------------------ escalation


def _dispute(d: Decision, said: Understanding, ctx: Context, found: Extracted) -> Decision:
    """A dispute: apologise at once, put the chat in the agents' queue, and start listening.

    The chat is queued straight away (an agent may take it at any moment, and nothing is lost if the customer
    stops answering); meanwhile the bot gathers the facts (which order, what happened, a photo), the
    expectation, and offers the remedy the shop's policy allows, one question at a time.
    """
    kind = DISPUTE_TYPES.get(said.dispute_label or said.intent, "product")
    order = _order_for(ctx, found.order_no) if found.order_no else None
    d.intent = said.dispute_label or said.intent
    subtype = subtype_of(kind, said.text)
    furious = score_emotion([said.text]).level in ("angry", "furious")
    d.slots["intake"] = {
        "kind": kind, "subtype": subtype, "order_no": order.order_no if order else None,
        "expectation": expectation_of(said.text, kind), "facts": not is_vague(said.text), "photo": said.image,
        "words": said.text.strip()[:40],
        "asked": [], "ask": None, "furious": furious,
    }
    _escalate(d, "dispute", ("dispute.sorry_strong" if furious else f"dispute.{kind}", {}), dispute_type=kind,
              order=order, announce=False, opening=said.text)
    d.actions.append(NoteDispute(subtype=subtype, expectation=d.slots["intake"]["expectation"]))
    return _intake_next(d, ctx)




def _disputed_product(slots: Mapping[str, Any], ctx: Context) -> ProductView | None:
    """The item a waiting complaint is about: its order's product, or the one its words name."""
    raw = slots.get("intake")
    intake: Mapping[str, Any] = raw if isinstance(raw, dict) else {}
    order = _order_for(ctx, intake.get("order_no")) if intake.get("order_no") else None
    if order is not None:
        return ctx.catalogue.get(order.sku)
    words = simplify(str(intake.get("words") or ""))
    if not words:
        return None
    named = ctx.catalogue.find(words)
    by_tail = [p for p in ctx.catalogue if any(tail in words for tail in name_tails(p))]  # "大衣今天到了…"
    return named or (by_tail[0] if len(by_tail) == 1 else None)


def _listen(
    d: Decision, said: Understanding, ctx: Context, found: Extracted, intent: str, clicked: bool
) -> Decision:
    """A message while a dispute waits for a person: an answer to the intake's question, more facts, a photo."""
    it: dict[str, Any] = dict(d.slots["intake"])
    d.slots["intake"] = it
    text, ask = said.text.strip(), it.get("ask")
    d.intent = intent if intent in ("human", "affirm", "deny") else (said.dispute_label or said.intent)
    clicked = clicked or text in _INTAKE_BUTTONS
    words = None if clicked or not text or (intent == "human" and len(text) <= 6) else text
    said_expectation = expectation_of(text, str(it["kind"]))
    note: dict[str, Any] = {"fact": words}
    if said_expectation and said_expectation != it.get("expectation") and (ask == "expectation" or not clicked):
        it["expectation"] = note["expectation"] = said_expectation
    if ask is None:  # listening is over: more words are added to the record; the wait goes on
        d.actions.append(NoteDispute(**note))
        if said.image:
            d.say(("intake.photo_thanks", {}))
            return d
        answer = _while_waiting(text, str(it.get("kind") or ""), str(it.get("expectation") or ""))
        if answer is not None:  # "来回运费谁出" / "照片怎么发": what can be said now is said, then the wait
            d.say(answer)
        elif note.get("expectation") in EXPECTATION_LABELS:
            # "不想退，换一件就行": what they want now is on the record, and said back (not a stock line)
            d.say(("intake.expectation_noted", {"remedy": EXPECTATION_LABELS[note["expectation"]]}))
        elif words and score_emotion([text]).level in ("angry", "furious"):
            # "到底有没有人管？？" while waiting: heard and put on the record — not only the queue line again
            d.say(("intake.heard_upset", {}))
        d.actions.append(AnnounceQueue(again=True))
        return d
    if said.image:
        it["photo"] = True
        d.say(("intake.photo_thanks", {}))
    if ask == "remedy":
        if text == "好的，我再等等" or (intent == "affirm" and not said.is_dispute):
            return _accept_remedy(d, ctx, note)
        it["remedy_declined"] = True
    elif ask == "order":
        order = _order_for(ctx, found.order_no) if found.order_no else _order_named(ctx, text, intent)
        if order is not None:
            it["order_no"] = note["order_no"] = order.order_no
    elif ask == "facts" and words:
        it["facts"], it["words"] = True, words[:40]
        if not it.get("subtype"):
            it["subtype"] = note["subtype"] = subtype_of(str(it["kind"]), words)
    elif ask == "expectation" and not it.get("expectation") and text:
        it["expectation"] = note["expectation"] = "other"
    if intent == "human" or text == "还是要找人工":  # enough questions: a person, now
        it["hurry"] = True
    if any(value for value in note.values()):
        d.actions.append(NoteDispute(**note))
    answer = None if clicked else _while_waiting(text, str(it.get("kind") or ""), str(it.get("expectation") or ""))
    aside = _aside_facts(d, ctx, text) if not clicked else []
    d = _intake_next(d, ctx)
    if answer is not None and not any(key == answer[0] for say in d.says for key, _ in say.parts):
        d.says.insert(0, Say((answer,)))  # "发错的这条我怎么寄回？" while telling what happened: answered too
    if aside:
        d.says.insert(0, Say(tuple(aside)))  # "…另外想问一下这件以后该怎么洗？" while telling what happened: answered
    if words and not clicked and score_emotion([text]).level in ("angry", "furious"):
        d.says.insert(0, Say((("intake.heard_upset", {}),)))  # "到底有没有人管？？": heard first, then the question
    return d


def _aside_facts(d: Decision, ctx: Context, text: str) -> list[tuple[str, Mapping[str, str]]]:
    """A question about the disputed item's care or make asked beside an intake answer ("另外想问一下这件衣服以后该怎么
    洗？"): what the catalogue says — never about the fault itself ("这正常吗" is for the person)."""
    plain = simplify(text)
    if not _ASKS.search(plain) or (product := _disputed_product(d.slots, ctx)) is None:
        return []
    aspects = [a for a in _facts.asked(text, ctx.catalogue.names) if a.name in _ASIDE_ASPECTS]
    return _fact_parts(d, product, aspects, text)[0] if aspects else []


# Qualities a customer may ask about an item beside its complaint: how to care for it, what it is made of.
_ASIDE_ASPECTS = frozenset({"wash", "iron", "shrink", "fading", "material", "origin"})
_RETURN_HOW = re.compile(r"(怎么|咋|如何).{0,4}(寄回|退回|寄过去|退货|寄给你)|寄回哪|寄到哪|要不要(先)?寄回|需要.{0,4}寄回")
_POSTAGE_WHO = re.compile(r"(运费|邮费|快递费).{0,6}(谁|我出|我付|要我|自己|承担|出吗|付吗|报销)|谁出.{0,3}(运费|邮费)")
_PHOTO_HOW = re.compile(r"(照片|图片|图|视频|截图).{0,8}(怎么|咋|如何|发哪|在哪|往哪|发给谁|给谁|发哪里|发到哪)"
                        r"|(怎么|咋|如何)(发|传|上传).{0,4}(照片|图|视频|截图)")
_EXCHANGE_ASK = re.compile(r"(能|可以|能不能|可不可以)(换|换个|换件|换一件|换新)|换(新|一件新)的?(吗|么|不)")
_REMEDY_ASK = re.compile(r"能(不能)?(换|退|补发|重发|退款)|可以(换|退|补发|重发|退款)|(换|退|补发|重发)(吗|不|么)")


_NEW_ARRIVALS = re.compile(r"新品|新款|上新|新到|新出|新货")
_CONDITION = re.compile(r"没洗|没穿|未洗|未穿|吊牌|标签|没拆|未拆|没剪|没用过|未使用|全新|包装完好|第[一二三四五六1-6]天")
_OVERDUE_PARCEL = re.compile(r"说.{0,4}[2-4两三四].{0,3}天|一个?(礼拜|星期)|好几天|[5-9]天|[五六七八九十]天|还没到|没动|不动|超时|太慢")
_MANAGER = re.compile(r"管事|负责人|领导|店长|主管|经理|老板")


def _while_waiting(text: str, kind: str, expectation: str) -> tuple[str, Mapping[str, str]] | None:
    """What the bot can answer itself while a dispute waits for a person: who pays the postage of a faulty or
    wrong item (the shop), how to send a photo, whether the remedy asked for is on the record — else None."""
    plain = simplify(text)
    if _POSTAGE_WHO.search(plain) and kind == "product":
        return ("dispute.postage_ours", {})
    if _RETURN_HOW.search(plain) and kind == "product":  # "发错的这条我怎么寄回？"
        return ("dispute.return_how", {})
    if _REFUND_WHEN.search(plain) and (kind == "payment" or expectation in ("refund", "return")):
        return ("dispute.refund_when", {})  # "多扣的什么时候退"
    if _REFUND_HOW.search(plain) and (kind == "payment" or expectation in ("refund", "return")):
        return ("dispute.refund_where", {})  # "是原路退回支付宝吗 我查了没有"
    if kind == "logistics" and _OVERDUE_PARCEL.search(plain):
        return ("dispute.late_ack", {})  # "你们说2到4天 现在都快一个礼拜了": it is late — said, and what happens next
    if kind == "service" and _MANAGER.search(plain):
        return ("dispute.manager", {})  # "找个管事的跟我说"
    if _HOURS_QUESTION.search(plain):
        return ("handoff.hours_queued", {})  # "你们几点下班啊": the hours — and they are in the queue already
    if _PHOTO_HOW.search(plain):
        return ("intake.photo", {})
    if kind == "product" and _EXCHANGE_ASK.search(plain):
        return ("dispute.exchange_ok", {})  # "这种情况能换件新的吗": a faulty item can be exchanged, at our cost
    if _REMEDY_ASK.search(plain):
        wanted = EXPECTATION_LABELS.get(expectation, "") if expectation else ""
        return ("dispute.remedy_noted", {"remedy": wanted}) if wanted else ("dispute.remedy_open", {})
    return None


_ASIDE_INTENTS = frozenset({"product_inquiry", "shipping_inquiry", "doubt", "ask_recommendation"})


def _asks_aside(said: Understanding, text: str, intake: Mapping[str, Any]) -> bool:
    """A plain question beside a waiting complaint, read alone ("这件怎么洗", "几天能到"): not about what went wrong,
    not something the wait already answers (postage, photos, refunds), and no new fault reported."""
    plain, kind = simplify(text), str(intake.get("kind") or "")
    about_item = bool(_facts.asked(text)) and said.alone_intent in (*_ASIDE_INTENTS, "affirm", "other")
    if not (said.alone_intent in _ASIDE_INTENTS or about_item) or not _ASKS.search(plain) or _reports_fault(text):
        return False  # ("对了 这个羽绒服平时怎么洗" reads alone as a yes: it asks how to wash it)
    if (said.alone_dispute if said.alone_dispute is not None else 1.0) >= _SURE_DISPUTE:
        return False
    if kind in ("logistics", "payment") and said.alone_intent == "shipping_inquiry":
        return False  # "到底什么时候到" is the late parcel itself
    if _REFUND_WHEN.search(plain) or _REFUND_HOW.search(plain) or _HAPPENED.search(plain):
        return False
    return _while_waiting(text, kind, str(intake.get("expectation") or "")) is None


def _order_named(ctx: Context, text: str, intent: str) -> OrderView | None:
    """The order an answer points at without its number: "那件T恤" (one order of that product), or "对/就这个"
    when there is only one order."""
    if intent == "affirm" and len(ctx.orders) == 1:
        return ctx.orders[0]
    plain = simplify(text)

    def mentioned(order: OrderView) -> bool:
        product = ctx.catalogue.get(order.sku)
        # its name, aliases and category, and the kind of thing it is: the name's last characters (牛仔裤, T恤)
        words = (order.product, order.product[-3:], order.product[-2:], *(product.aliases if product else ()),
                 *((product.category,) if product else ()))
        return any(word and simplify(word) in plain for word in words)

    matches = [o for o in ctx.orders if mentioned(o)]
    return matches[0] if len(matches) == 1 else None


_INTAKE_BUTTONS = frozenset({"还是要找人工", "好的，我再等等", "稍后发照片", "没有照片", "不是这些订单"})


def _intake_next(d: Decision, ctx: Context) -> Decision:
    """Ask the intake's next question, or, when there is nothing left to ask, close the record and announce
    the queue. Each question is asked once; a furious customer or one who asks for a person is not questioned."""
    it: dict[str, Any] = d.slots["intake"]
    asked: list[str] = list(it.get("asked") or [])
    it["asked"] = asked
    kind, subtype = str(it["kind"]), it.get("subtype")
    order = _order_for(ctx, it.get("order_no")) if it.get("order_no") else None
    quick = bool(it.get("furious") or it.get("hurry"))

    def ask(question: str, *parts: tuple[str, Mapping[str, str]], buttons: tuple[str, ...] = ()) -> Decision:
        it["ask"] = question
        asked.append(question)
        d.say(*parts, buttons=buttons)
        return d

    if "order" not in asked and order is None and ctx.orders and not it.get("hurry"):
        choices = tuple(order_button(o.order_no, o.product) for o in ctx.orders[:3])
        return ask("order", ("intake.which_order", {}), buttons=(*choices, "不是这些订单"))
    if not quick:
        if "facts" not in asked and not it.get("facts"):
            return ask("facts", ("intake.what_happened", {}))
        if "photo" not in asked and subtype in PHOTO_SUBTYPES and not it.get("photo"):
            return ask("photo", ("intake.photo", {}), buttons=("稍后发照片", "没有照片"))
    if (
        "remedy" not in asked and kind == "logistics" and subtype == "late" and order is not None
        and order.status != "cancelled" and order.task_status in ("queued", "intercepted", "shipped")
        and ctx.policy.late_parcel_coupon > 0 and not it.get("hurry")
    ):
        arrival = chinese_date(arrival_date(ctx.today, order.shipped_on, ctx.policy.delivery_days), ctx.today)
        values = {"order_no": order.order_no, "tracking_no": order.tracking_no or "—", "date": arrival,
                  "amount": format_money(ctx.policy.late_parcel_coupon)}
        where = "intake.late_shipped" if order.task_status == "shipped" else "intake.late_queued"
        if order.task_status != "shipped":  # "我已经催仓库优先发出" is true: the warehouse sees it on the task
            d.actions.append(ExpediteOrder(order.order_no))
        return ask("remedy", (where, values), ("intake.late_coupon", values), buttons=("好的，我再等等", "还是要找人工"))
    if "expectation" not in asked and not it.get("expectation") and not quick:
        return ask("expectation", ("intake.expectation", {}), buttons=EXPECTATION_CHOICES.get(kind, ()))
    it["ask"] = None
    summary = _summary(it, order)
    d.actions.append(NoteDispute(done=True))
    d.say(("intake.recorded", {"summary": summary}))
    d.actions.append(AnnounceQueue())
    return d


def _summary(it: Mapping[str, Any], order: OrderView | None) -> str:
    """The intake's record in one line, read back to the customer: they see they were heard."""
    parts = []
    if order is not None:
        parts.append(f"订单 {order.order_no}（{order.product}）")
    problem = SUBTYPE_LABELS.get(str(it.get("subtype")))
    if problem:
        parts.append(f"问题：{problem}")
    elif it.get("facts") and it.get("words"):
        parts.append(f"问题：“{it['words']}”")  # their own words, when the kind of problem is not one kefu names
    if it.get("photo"):
        parts.append("照片已收到")
    expectation = EXPECTATION_LABELS.get(str(it.get("expectation")))
    if expectation:
        parts.append(f"希望：{expectation}")
    return "；".join(parts) or "您说的情况"




def _accept_remedy(d: Decision, ctx: Context, note: Mapping[str, Any]) -> Decision:
    """The customer takes the late-parcel coupon: the dispute is settled by the bot and leaves the queue."""
    it = d.slots.pop("intake")
    amount = ctx.policy.late_parcel_coupon
    if note.get("fact"):
        d.actions.append(NoteDispute(fact=note["fact"]))
    d.actions.append(BotRemedy("coupon", amount, f"包裹延迟：订单 {it.get('order_no')}，客户接受优惠券并继续等待"))
    d.status, d.slots["escalated"], d.slots["pending"] = "bot", None, None
    d.say(("intake.remedy_accepted", {"amount": format_money(amount), "order_no": str(it.get("order_no") or "")}),
          buttons=("查看订单状态", "转人工"))
    return d


def _escalate(
    d: Decision, reason: str, part: tuple[str, Mapping[str, str]], *, dispute_type: str | None = None,
    order: OrderView | None = None, announce: bool = True, opening: str | None = None,
) -> Decision:
    d.status = "waiting_agent"
    d.slots["pending"] = None
    d.slots["escalated"] = reason
    d.slots.pop("dispute_words", None)
    d.slots.pop("change_waiting", None)
    d.actions.append(Escalate(reason, dispute_type, order.order_no if order else None, opening))
    d.say(part)
    if announce:
        d.actions.append(AnnounceQueue())
    return d


def _edit(d: Decision, detail: str, ctx: Context) -> Decision:
    """A 改尺码 / 改地址 … button: ask for that detail again (before the order, or for a placed one)."""
    s = d.slots
    if s.get("pending") == "modify":  # a placed order: the next message carries the new value
        order = _order_for(ctx, s.get("modify_order"))
        ordered = ctx.catalogue.get(order.sku) if order else None
        values = _product_values(ordered) if ordered else {"product": "", "sizes": "", "colours": ""}
        buttons = {"size": ordered.sizes, "colour": ordered.colours}.get(detail, ()) if ordered else ()
        d.say((f"close.ask_{detail}", values), buttons=tuple(buttons)[:8])
        return d
    product = ctx.catalogue.get(s.get("product"))
    values = _product_values(product) if product else {"product": "", "sizes": "", "colours": ""}
    s.pop(detail, None)
    if detail in ("size", "colour", "quantity"):
        s.pop("lines", None)  # the customer says it again, for the whole order
    d.stage, s["pending"] = "close", detail
    buttons = {"size": product.sizes if product else (), "colour": product.colours if product else ()}.get(detail, ())
    d.say((f"close.ask_{detail}", values), buttons=tuple(buttons)[:8])
    return d


def _confirm_cancel(d: Decision, ctx: Context) -> Decision:
    """"不要了" right after ordering: ask before cancelling (it may just mean "nothing else, thanks")."""
    order = _order_for(ctx, d.slots.get("order_no"))
    if order is None or order.status == "cancelled":
        d.stage = "farewell"
        d.say(("farewell.sale", {}))
        return d
    d.slots["modify_order"], d.slots["pending"] = order.order_no, "modify"
    d.say(("modify.confirm_cancel", {"order_no": order.order_no}), buttons=("取消订单", "保留订单"))
    return d


def _clarify(d: Decision) -> Decision:
    count = int(d.slots.get("misunderstood") or 0) + 1
    d.slots["misunderstood"] = count
    d.slots["pending"] = "clarify"
    d.intent = "other"
    if count >= 2:
        d.say(("clarify.offer_human", {}), buttons=("转人工", "继续和小助手聊"))
    else:
        d.say(("clarify.ask", {}), buttons=("咨询商品", "查订单", "退换货", "转人工"))
    return d


# ------------------------------------------------------------------ the steps


def _greet(d: Decision, t: Turn) -> None:
    ctx = t.ctx
    if d.stage not in ("greet", "farewell", "shipping"):
        d.say(("greet.welcome", {}), buttons=MENU)
        return
    d.stage = "greet"
    key = "greet.welcome_back" if ctx.returning and ctx.first_message else "greet.welcome"
    d.say((key, {}), buttons=MENU)


def _shipping(d: Decision, t: Turn) -> None:
    text, ctx = t.text, t.ctx
    first = ctx.first_message or d.stage == "greet"
    d.stage = "consult"
    product = ctx.catalogue.get(d.slots.get("product"))
    plain = simplify(text)
    placed = _order_for(ctx, str(d.slots.get("order_no"))) if d.slots.get("order_no") else None
    asks_fee = mentions_any(text, ("运费", "邮费", "包邮", "快递费"))
    if placed is not None and placed.task_status in ("queued", "intercepted") and asks_fee \
            and placed.details.get("shipping_fee") and not Decimal(placed.details["shipping_fee"]):
        # "满99包邮是吧 我这凑够了没" after topping up: it is free — said with the order's total
        d.say(("shipping.order_free", {"order_no": placed.order_no, "total": placed.details.get("total", "")}),
              buttons=("查看订单状态", "继续逛逛"))
        return
    if placed is not None and placed.task_status in ("queued", "intercepted") and asks_fee \
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
        d.say(("shipping.delivery_time", {}), buttons=AFTER_ANSWER)
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


_RESTOCK = re.compile(r"补货|到货|进货|上新|什么时候有|啥时候有|几时有|还会有|再有")
_SIZE_WORDS = ("码", "尺码", "尺寸", "大小", "多大", "身高", "体重", "偏大", "偏小", "合身", "穿多大", "cm", "斤", "kg")
_MATERIAL_WORDS = ("材质", "面料", "料子", "什么料", "成分", "纯棉", "棉的", "透气", "厚", "薄", "洗", "缩水", "掉色", "羊毛", "真皮")
_COLOUR_WORDS = ("颜色", "色", "配色")
_STOCK_WORDS = ("有货", "库存", "现货", "还有吗", "有没有", "还有没有", "断货", "缺货", "卖完", "补货", "有吗", "还剩",
                "剩几", "剩多少", "还有几", "还有多少")
# "还剩几件啊" / "库存多少": how many are left
_STOCK_COUNT = re.compile(r"还?剩(几|多少)|还有(几|多少)(件|条|双|套|顶|个)|库存(多少|几|还有多少)|有多少(件|货)")
_PRICE_WORDS = ("多少钱", "价格", "几块", "多少米", "啥价", "什么价", "多钱")


def _consult(d: Decision, t: Turn) -> None:
    text, ctx, found = t.text, t.ctx, t.found
    d.stage = "consult"
    product = ctx.catalogue.get(d.slots.get("product"))
    plain_text = simplify(text)
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
    if product is None:
        shown = [p for sku in d.slots.get("candidates") or [] if (p := ctx.catalogue.get(sku))]
        products = [p for p in in_category if p.in_stock][:3] or shown[:3] or ctx.catalogue.best_sellers()
        d.slots["candidates"] = [p.sku for p in products]
        d.slots["pending"] = "which"
        if in_category:  # show what the shop has in that category, with a reason for each
            category = "、".join(sorted({p.category for p in products}))
            d.say(("recommend.intro", {"need": category}), *_items(products), buttons=_menu_for(products))
        elif mentions_any(text, _DEICTIC + _ATTRIBUTE_WORDS) or not _ASKS_FOR.search(simplify(text)):
            d.say(("consult.which_product", {}), buttons=_menu_for(products))
        else:  # "有泳衣吗": something the shop does not carry — say so plainly
            d.say(("consult.not_found", {}), buttons=_menu_for(products))
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
        d.say(("consult.restock_unknown", values), buttons=(_ASK_COLLEAGUE, "看看热销款"))
        return
    if not product.in_stock and (any(w in plain for w in _STOCK_WORDS) or found.size or found.colour):
        _sold_out(d, product, ctx.catalogue, values)
        return  # "灰色L码还有货吗" for a sold-out item: that it is sold out, before any size talk
    wanted = d.slots.pop("wanted", None)
    if wanted:
        part, buttons = _unavailable(product, wanted, values)
        d.say(part, buttons=buttons)
        return
    height = found.height or d.slots.get("height")
    weight = found.weight or d.slots.get("weight")
    foot = found.foot or d.slots.get("foot")
    if found.people and product.size_chart and not found.items:
        _sizes_for_people(d, product, found.people, ctx.catalogue, values)
        return
    named_size = bool(found.size and found.size in product.sizes) and not SIZE_QUESTION.search(plain)
    if not named_size and (any(w in plain for w in _SIZE_WORDS) or d.slots.get("pending") == "measure"
                           or found.height or found.weight or found.foot):
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
            d.slots["pending"] = "measure"
            d.say(("consult.size_need_measure", values))
            return
        if len(product.sizes) <= 1:
            d.say(("consult.one_size", values), buttons=("我要买", "有什么颜色"))
        else:
            d.say(("consult.sizes", values), buttons=("尺码推荐", "我要买"))
        return
    if not product.in_stock:
        _sold_out(d, product, ctx.catalogue, values)
        return
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
    else:
        d.say(("consult.overview", values), ("consult.follow_up", {}), buttons=AFTER_ANSWER)


def _others_named(plain: str, product: ProductView, catalogue: Catalogue) -> list[ProductView]:
    """The other items a message names beside ``product`` (by name or alias), in stock."""
    return [p for p in catalogue if p.sku != product.sku and p.in_stock and any(
        len(w) >= 2 and names_at(w.lower(), plain) for w in (p.name, *p.aliases))]


def _advise_size(
    d: Decision, product: ProductView, catalogue: Catalogue, height: float | None, weight: float | None,
    foot: float | None,
) -> str | None:
    """The size the product's chart gives for the measurements, said with them ("按您身高179cm、体重72.5kg…建议XL码");
    None (and nothing said) when the chart has no size for them."""
    size = catalogue.size_for(product, height, weight, foot)
    measure = "、".join(part for part in (f"身高{_num(height)}cm" if height else "",
                                          f"体重{_num(weight)}kg" if weight else "",
                                          f"脚长{_num(foot)}mm" if foot and not (height or weight) else "") if part)
    if size:
        d.say(("consult.size_advice", {**_product_values(product), "size": size, "measure": measure}),
              buttons=("我要买", "有什么颜色"))
    elif measure and product.size_chart:  # "有没有小孩的码？一米四": none fits — said, not a size made up
        d.say(("consult.size_out_of_range", {**_product_values(product), "measure": measure,
                                              "range": catalogue.chart_range(product)}),
              buttons=("看看热销款", "转人工"))
    return size


def _sizes_for_people(
    d: Decision, product: ProductView, people: tuple[Person, ...], catalogue: Catalogue, values: Mapping[str, str]
) -> None:
    """"男的180 78公斤 女的160 96斤": a size for each, kept so "男款浅灰 女款浅粉" / "各一套" make one line each."""
    advice, kept = [], []
    for person in people:
        size = catalogue.size_for(product, person.height, person.weight, person.foot)
        measure = "、".join(part for part in (f"{_num(person.height)}cm" if person.height else "",
                                              f"{_num(person.weight)}kg" if person.weight else "",
                                              f"脚长{_num(person.foot)}mm" if person.foot else "") if part)
        advice.append(f"{person.who}（{measure}）{'建议' + size + '码' if size else '尺码表里没有正好合适的码'}")
        kept.append({"who": person.who, "size": size})
    d.slots["people"] = {"sku": product.sku, "who": kept}
    colours = product.colours or ("",)
    example = " ".join(f"{p['who']}{colours[i % len(colours)]}" for i, p in enumerate(kept[:2]))
    d.say(("consult.size_advice_people", {**values, "advice": "；".join(advice), "example": example}),
          buttons=("我要买", "有什么颜色"))


def _person_words(who: str) -> tuple[str, ...]:
    """How the customer may call a person again: 男的 is also 男款, 男生, 男士; a boyfriend is also 他."""
    for sex in ("男", "女"):
        if who in (f"{sex}的", f"{sex}款", f"{sex}生", f"{sex}士"):
            return (f"{sex}的", f"{sex}款", f"{sex}生", f"{sex}士", "他" if sex == "男" else "她")
    # "我爸" said again as "爸" / "爸爸" / "老爸", "我老婆" as "老婆"
    short = {who, who.removeprefix("我"), who.removeprefix("我").removeprefix("老").removeprefix("阿")}
    for kin in ("爸", "妈"):
        if who.endswith(kin):
            short |= {kin, kin * 2, f"老{kin}", f"我{kin}"}
    # (a stripped form of one character would be any word's: 老公 is not 公, only 爸 and 妈 stand alone)
    names = tuple(sorted((w for w in short if w == who or len(w) >= 2 or w in ("爸", "妈")), key=len, reverse=True))
    if who in _MEN:
        return (*names, "他")
    if who in _WOMEN:
        return (*names, "她")
    return names


_MEN = frozenset({"男朋友", "男友", "老公", "我老公", "儿子", "我儿子", "爸爸", "我爸", "老爸", "阿爸", "他爸", "孩子他爸",
                  "孩子爸", "哥哥", "弟弟", "爷爷", "外公", "公公", "老头", "老头子", "孙子", "外孙", "侄子", "外甥",
                  "姐夫", "妹夫", "岳父"})
_WOMEN = frozenset({"女朋友", "女友", "老婆", "我老婆", "女儿", "我女儿", "姑娘", "闺女", "妈妈", "我妈", "老妈", "阿妈",
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
    plain = simplify(text)
    # "王姐说她有了不用买，就小张和小李两件": the people named after the words leaving someone out are the ones
    # bought for; with none named after them, the ones named before are left out
    left_out: set[str] = set()
    if drop := list(_LEFT_OUT.finditer(plain)):
        cut = drop[-1].end()
        named_at = {person["who"]: [m.start() for word in _person_words(person["who"])
                                    for m in re.finditer(re.escape(word), plain)] for person in who}
        after = {name for name, at in named_at.items() if any(i >= cut for i in at)}
        named_before = {name for name, at in named_at.items() if at and all(i < drop[-1].start() for i in at)}
        left_out = {p["who"] for p in who} - after if after else named_before
    if left_out and len(left_out) < len(who):
        who = [p for p in who if p["who"] not in left_out]
    colours: dict[str, str] = {}
    marks = sorted((m.start(), m.end(), person["who"]) for person in who for word in _person_words(person["who"])
                   for m in re.finditer(re.escape(word), plain))
    for index, (_start, end, name) in enumerate(marks):
        upto = next((m[0] for m in marks[index + 1:] if m[0] >= end), len(plain))
        colour = extract(plain[end:upto], product).colour
        if colour in product.colours:
            colours.setdefault(name, colour)
    for index in range(len(marks) - 2, -1, -1):  # "老公和儿子雾霾蓝": the colour said after both is for both
        _start, end, name = marks[index]
        following = marks[index + 1]
        if name not in colours and following[2] in colours and re.fullmatch(r"\s*(和|跟|还有|与|、|,|，)?\s*",
                                                                           plain[end:following[0]]):
            colours[name] = colours[following[2]]
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

    def others(size: str) -> str | None:
        # "小张说他不要黑的 要白色 其他人不变": the colour said is 小张's; the others keep what they had
        if colours:
            return before.get(size) or chosen or (found.colour if not before and not chosen else None)
        return found.colour or before.get(size) or chosen

    return tuple(Item(size=p["size"], colour=colours.get(p["who"]) or others(p["size"]), quantity=quantity)
                 for p in who)


def _unavailable(
    product: ProductView, wanted: Mapping[str, str], values: Mapping[str, str]
) -> tuple[tuple[str, Mapping[str, str]], tuple[str, ...]]:
    """The reply for a size or colour the product is not made in, with the ones it is made in."""
    options = product.colours if wanted["kind"] == "colour" else product.sizes
    return ("consult.variant_unavailable", {**values, "wanted": wanted["value"]}), options[:6]


def _items(products: list[ProductView]) -> list[tuple[str, Mapping[str, str]]]:
    """One recommend.item line per product: name, price and the reason to buy it."""
    return [
        ("recommend.item", {"product": p.name, "price": p.price_text,
                            "reason": p.selling_points[0] if p.selling_points else p.description})
        for p in products
    ]


def _num(value: Any) -> str:
    return format_money(Decimal(str(value)))


def _recommend(d: Decision, t: Turn) -> None:
    text, ctx = t.text, t.ctx
    d.stage = "recommend"
    need = need_from(text)
    if not need and text not in ("看看热销款", "随便看看热销款", "继续逛逛") and not d.slots.get("asked_need"):
        d.slots["asked_need"] = True
        d.slots["pending"] = "need"
        d.say(("recommend.ask_need", {}), buttons=("自己穿", "送人", "随便看看热销款"))
        return
    picks = ctx.catalogue.recommend(need) if need else []
    parts: list[tuple[str, Mapping[str, str]]] = []
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
    d.say(*parts, buttons=_menu_for(picks))
    found = t.found
    if len(picks) == 1 and (found.height or found.weight or found.foot):  # "他178 144斤": its size, at once
        if size := _advise_size(d, picks[0], ctx.catalogue, found.height, found.weight, found.foot):
            d.slots["size"] = size


# Asking for the shop's small extras by name ("买三双能送点什么吗", "有啥优惠就给我用上"): offered at once, not first
# held like a plain "便宜点"
_ASKS_PERK = re.compile(r"送(点|个|些|一?双|一?份)?(什么|啥|东西)|赠品|小礼物|有(什么|啥|没有)?优惠|优惠.{0,4}(用上|给我)|有券|有没有券"
                        r"|优惠券|领券|什么活动|有活动")


def _bargain(d: Decision, t: Turn) -> None:
    text, ctx = t.text, t.ctx
    d.stage = "objection"
    policy = ctx.policy
    rounds = int(d.slots.get("bargain_round") or 0) + 1
    d.slots["bargain_round"] = rounds
    granted: list[str] = list(d.slots.get("concessions") or [])
    product = ctx.catalogue.get(d.slots.get("product"))
    price = product.price * int(d.slots.get("quantity") or 1) if product else None
    buttons = ("好的，我要了", "再看看")
    if rounds == 1 and not _ASKS_PERK.search(simplify(text)):
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
    d.stage = "objection"
    if any(w in plain for w in ("正品", "真的假的", "假货", "真假", "正版", "授权", "专柜", "原装", "山寨", "高仿", "a货")):
        key = "objection.authentic"
    elif any(w in plain for w in ("码", "大了", "小了", "合身", "穿不了", "尺寸", "胖", "瘦", "显")):
        key = "objection.fit"
    elif any(w in plain for w in ("考虑", "再看看", "想想", "犹豫", "纠结", "商量", "问问", "等等", "回头", "再说",
                                  "先看看", "没想好", "还没定")) or _LATER.search(plain):
        key = "objection.think"
    else:
        key = "objection.quality"
        fact = _fact_about(t.ctx.catalogue.get(d.slots.get("product")), plain)
        if fact:  # "会不会起球" about a product whose description answers it: answer with the fact
            d.say(("objection.product_fact", fact), buttons=("好的，我要了", "再看看"))
            return
    buttons: tuple[str, ...] = ("尺码推荐", "我要买") if key == "objection.fit" else ("好的，我要了", "再看看")
    if key == "objection.think":
        buttons = ("看看热销款",)
    d.say((key, {}), buttons=buttons)


_IN_TIME = re.compile(r"来得及|赶得上|赶不赶得上|来不来得及|(前|之前|以前)能(到|收到)|能不能(到|收到)|(几号|哪天)能?(到|收到)"
                      r"|(周|星期|礼拜)[一二三四五六日天末].{0,4}(能|可以)?(到|收到)吗?")
_TWICE_ORDERED = re.compile(r"(拍|下单|下|买|付款|付)了?(两|2|二)(次|遍|单|回)|拍重了?|重复(下单|拍|付款|购买|了)|多拍了|拍多了")


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


def _fact_about(product: ProductView | None, plain: str) -> dict[str, str] | None:
    """What the catalogue says of the first quality ``plain`` worries about that it answers, if any."""
    if product is None:
        return None
    for aspect in _facts.asked(plain, (product.name.lower(), *(a.lower() for a in product.aliases))):
        answer = _facts.answer(product, aspect)
        if answer.fact:
            return {"product": product.name, "reason": answer.fact}
    return None


def _buy(d: Decision, t: Turn) -> None:
    text, ctx = t.text, t.ctx
    s = d.slots
    if mentions_any(text, ("拍了", "已付款", "付款了", "已下单", "下单了", "付了", "已拍")) and ctx.orders and not s.get("product"):
        _status(d, t)
        return
    d.stage = "close"
    product = ctx.catalogue.get(s.get("product"))
    granted = list(s.get("concessions") or [])
    if product is not None and "券" in text and "coupon" not in granted and ctx.policy.coupon_amount > 0 \
            and product.price * int(s.get("quantity") or 1) >= ctx.policy.coupon_min_total \
            and not re.search(r"没有券|不用券|不要券|券.{0,3}(不用|不要)", text):
        # "好吧 那券给我用上 驼色M码一件": the coupon the shop gives to hagglers, applied — and the order goes on
        s["concessions"] = [*granted, "coupon"]
        d.say(("objection.bargain_coupon", {}))
    if product is None and s.get("order_no") and not s.get("lines") and (
            _ORDER_PUSH.search(simplify(text)) or _YES_FIRST.search(simplify(text))
            or re.search(r"去付款|去付钱|付款了|尽快发|快点发|早点发", simplify(text))) \
            and not (t.found.size or t.found.colour or t.found.items) \
            and (placed := _order_for(ctx, str(s["order_no"]))) is not None and placed.status == "confirmed":
        # "没问题 下单" with nothing being chosen, once the order (and what joined it) is placed: it is placed
        d.stage = "shipping"
        d.say(("confirm.already_placed", {"order_no": placed.order_no}), buttons=("查看订单状态", "继续逛逛"))
        return
    if product is None:
        candidates = [p for sku in s.get("candidates") or [] if (p := ctx.catalogue.get(sku))]
        choices = candidates or ctx.catalogue.best_sellers()
        s["pending"] = "product"
        d.say(("close.ask_product", {}), buttons=_menu_for(choices))
        return
    values = _product_values(product)
    if not product.in_stock:
        d.stage = "consult"
        _sold_out(d, product, ctx.catalogue, values)
        return
    wanted = s.pop("wanted", None)
    if wanted:
        part, buttons = _unavailable(product, wanted, values)
        d.say(part, buttons=buttons)
        s["pending"] = wanted["kind"]
        return
    lines = [line for line in s.get("lines") or [] if line.get("sku") == product.sku] or [
        {"size": s.get("size"), "colour": s.get("colour")}]
    if t.found.people and product.size_chart and any(not line.get("size") for line in lines):
        _sizes_for_people(d, product, t.found.people, ctx.catalogue, values)  # "男的180 78公斤 女的160 96斤"
        return
    kept = s.get("people") if isinstance(s.get("people"), dict) else None
    sized = [p for p in (kept or {}).get("who") or [] if p.get("size")] if (kept or {}).get("sku") == product.sku else []
    if len(sized) >= 2 and all(not line.get("size") for line in lines):
        # the people's sizes given earlier, and the one colour chosen for all ("三件藏青色的"): a line each
        colour = s.get("colour") if s.get("colour") in product.colours else None
        s["lines"] = [line for line in s.get("lines") or [] if line.get("sku") != product.sku] + [
            {"sku": product.sku, "size": p["size"], "colour": colour, "quantity": 1} for p in sized]
        lines = [line for line in s["lines"] if line.get("sku") == product.sku]
    found = t.found
    if not (found.height or found.weight or found.foot) and (
            SIZE_QUESTION.search(simplify(text)) or _LEAVES_IT_TO_US.search(simplify(text))):
        # "要卡其色的 他穿什么码" with his height and weight given before: those measurements
        found = replace(found, height=s.get("height"), weight=s.get("weight"), foot=s.get("foot"))
    unsized = [line for line in s.get("lines") or [] if not line.get("size")]
    if len({line.get("sku") for line in s.get("lines") or []}) >= 2 and unsized and not t.found.people and (
            found.height or found.weight or found.foot):
        # "衬衫要一件白色一件浅蓝，牛仔裤要深蓝。尺码你帮我看看" (183, 160斤 said before): each item's size from
        # its own chart, said
        advised: dict[str, str | None] = {}
        for line in unsized:
            sku = str(line.get("sku"))
            item = ctx.catalogue.get(sku)
            if sku not in advised and item is not None and item.size_chart:
                advised[sku] = _advise_size(d, item, ctx.catalogue, found.height, found.weight, found.foot)
            if advised.get(sku):
                line["size"] = advised[sku]
        lines = [line for line in s.get("lines") or [] if line.get("sku") == product.sku] or lines
    if len(product.sizes) > 1 and len(lines) == 1 and not lines[0].get("size") and product.size_chart and (
        found.height or found.weight or found.foot
    ) and (size := _advise_size(d, product, ctx.catalogue, found.height, found.weight, found.foot)):
        # "再给我妹妹来一件…一米五五九十斤左右你看拿什么码": the size her measurements give, said and taken
        # (the read-back shows it; any other is one word away)
        _choose(s, product, "size", size)
        lines = [{**lines[0], "size": size}]
    for detail, options in (("size", product.sizes), ("colour", product.colours)):
        if len(options) > 1 and any(not line.get(detail) for line in lines):
            asked = s.get("asked_again") or {}
            times = int(asked.get(detail) or 0) + 1 if t.asked == detail else 1
            s["asked_again"] = {detail: times}
            if times >= 3:
                # the same question a third time and still no answer that fits: a person sorts it out, with
                # everything said so far (never a fourth time)
                s.pop("asked_again", None)
                _escalate(d, "human", ("close.loop_to_person", {"missing": "尺码" if detail == "size" else "颜色"}),
                          opening=text)
                return
            s["pending"] = detail
            d.say(("close.ask_size" if detail == "size" else "close.ask_colour", values), buttons=options[:8])
            return
    s.pop("asked_again", None)
    for line in s.get("lines") or []:
        other = ctx.catalogue.get(line.get("sku"))
        if other is not None and other.sku != product.sku and (
            (len(other.sizes) > 1 and not line.get("size")) or (len(other.colours) > 1 and not line.get("colour"))
        ):  # "衬衫L，牛仔裤XL" with the shirt's colour never said: asked for, never guessed
            _focus(s, other, adding=True)
            _buy(d, replace(t, found=Extracted()))
            return
    if not s.get("address"):
        s["pending"] = "address"
        d.say(("close.ask_address", {}))
        return
    if not s.get("phone"):
        s["pending"] = "phone"
        d.say(("close.ask_phone", {}))
        return
    if sum(line.quantity for line in _cart(s, product, ctx.catalogue) if line.sku == product.sku) > product.stock:
        s["quantity"], s["pending"] = None, "quantity"
        s.pop("lines", None)
        d.say(("consult.low_stock", values), buttons=(f"要{product.stock}件",) if product.stock > 1 else ("我要买",))
        return
    _readback(d, product, ctx)


def _choose(s: dict[str, Any], product: ProductView, name: str, value: str) -> None:
    """Fill in ``name`` (size or colour) for the item in focus: on its lines that lack it, or as its one choice."""
    if any(line.get("sku") == product.sku for line in s.get("lines") or []):
        s["lines"] = [{**line, name: line.get(name) or value} if line.get("sku") == product.sku else line
                      for line in s["lines"]]
    else:
        s[name] = value


_TOGETHER = re.compile(r"一起|一共|总共|合计|加起来|两样|两件|这些|都算上|整单|总价")


def _cart_total(d: Decision, t: Turn) -> bool:
    """"两样一起多少钱 包邮不" while two or more items are being put together: the whole cart's price and whether
    it ships free (said, and True), not one item's."""
    product = t.ctx.catalogue.get(d.slots.get("product"))
    if product is None or not d.slots.get("lines") or not (
        _TOGETHER.search(plain := simplify(t.text)) or mentions_any(plain, ("包邮", "运费", "邮费"))
    ):
        return False
    cart = _cart(d.slots, product, t.ctx.catalogue)
    if len(cart) < 2:
        return False
    policy = t.ctx.policy
    subtotal = sum((line.unit_price * line.quantity for line in cart), Decimal("0"))
    lines = [{"sku": line.sku, "colour": line.colour, "size": line.size} for line in cart]
    free = subtotal >= policy.free_shipping_threshold
    d.say(("shipping.cart_free" if free else "shipping.cart_not_free",
           {"lines": _lines_text(lines, t.ctx.catalogue), "subtotal": format_money(subtotal),
            "total": format_money(subtotal if free else subtotal + policy.shipping_fee)}), buttons=AFTER_ANSWER)
    return True


def _cart(s: Mapping[str, Any], product: ProductView, catalogue: Catalogue | None = None) -> tuple[Line, ...]:
    """The order being put together: the lines kept for other products ("再加一顶帽子"), then the item in focus —
    its lines ("一件白色L一件黑色M") or the one variant chosen. A size or colour is filled in only for a product made
    in just one (a colour the customer never chose never goes on it)."""
    kept = list(s.get("lines") or [])
    own = [line for line in kept if line.get("sku", product.sku) == product.sku]
    others = [line for line in kept if line.get("sku", product.sku) != product.sku]
    if not own:
        own = [{"sku": product.sku, "size": s.get("size"), "colour": s.get("colour"),
                "quantity": int(s.get("quantity") or 1)}]
    lines: dict[tuple[str, str | None, str | None], Line] = {}
    for line in [*others, *own]:
        item = (catalogue.get(str(line.get("sku"))) if catalogue is not None else None) or product
        size = line.get("size") or (item.sizes[0] if len(item.sizes) == 1 else None) or (
            s.get("advised") or {}).get(item.sku)  # ("t恤要白底藏青条的" after its size was given for her)
        colour = line.get("colour") or (item.colours[0] if len(item.colours) == 1 else None)
        quantity = max(1, int(line.get("quantity") or 1))
        if size and colour and (same := lines.get((item.sku, size, colour))) is not None:
            quantity += same.quantity  # (two colleagues in M: one line of two for the warehouse)
        key = (item.sku, size, colour) if size and colour else (item.sku, str(len(lines)), None)
        lines[key] = Line(sku=item.sku, size=size, colour=colour, quantity=quantity, unit_price=item.price)
    return tuple(lines.values())


def _terms(s: Mapping[str, Any], product: ProductView, ctx: Context) -> tuple[Decimal, Decimal, Decimal, str]:
    """(subtotal, discount, shipping fee, note) for the order being confirmed."""
    policy = ctx.policy
    granted = s.get("concessions") or []
    subtotal = sum((line.unit_price * line.quantity for line in _cart(s, product, ctx.catalogue)), Decimal("0"))
    joined = _joined(s, ctx)
    if joined is not None:  # added to the order just placed: the free-shipping line counts both
        subtotal += Decimal(joined.details.get("subtotal") or "0")
    discount = Decimal("0")
    notes: list[str] = []
    if "coupon" in granted and subtotal >= policy.coupon_min_total:
        discount = min(policy.coupon_amount, subtotal)
        notes.append(f"已减{format_money(discount)}元优惠券")
    free = subtotal - discount >= policy.free_shipping_threshold or "free_shipping" in granted
    fee = Decimal("0") if free else policy.shipping_fee
    notes.append("包邮" if free else f"含运费{format_money(fee)}元")
    if "gift" in granted and policy.gift:
        notes.append(f"赠{policy.gift}")
    return subtotal, discount, fee, "，".join(notes)


def _joined(s: Mapping[str, Any], ctx: Context) -> OrderView | None:
    """The order just placed that the items being chosen will join, if the customer asked for that and it has
    not left the warehouse."""
    order = _order_for(ctx, str(s.get("merge_into"))) if s.get("merge_into") else None
    if order is None or order.status != "confirmed" or order.task_status not in ("queued", "intercepted"):
        return None
    return order


def _readback(d: Decision, product: ProductView, ctx: Context) -> None:
    s = d.slots
    s.setdefault("quantity", 1)
    subtotal, discount, fee, note = _terms(s, product, ctx)
    cart = _cart(s, product, ctx.catalogue)
    placed = _order_for(ctx, str(s["order_no"])) if s.get("order_no") and not s.get("merge_into") else None
    if placed is not None and placed.status == "confirmed" and sorted(
        (line.sku, line.colour, line.size, line.quantity) for line in cart
    ) == sorted((str(o.get("sku")), o.get("colour"), o.get("size"), int(o.get("quantity") or 1))
                for o in s.get("ordered") or ()):
        # the very lines of the order just placed, said again in other words ("阿爸要黑色 阿媽要卡其色 各一件"):
        # they are ordered — never a second order of the same
        for detail in ("product", "size", "colour", "quantity", "lines", "people"):
            s.pop(detail, None)
        s["pending"] = None
        d.stage = "shipping"
        lines = [{"sku": line.sku, "colour": line.colour, "size": line.size} for line in cart]
        d.say(("shipping.already_ordered", {"order_no": placed.order_no, "lines": _lines_text(lines, ctx.catalogue)}),
              buttons=("查看订单状态", "继续逛逛"))
        on_order = str(placed.details.get("notes") or "")
        new_notes = [n for n in str(s.get("notes") or "").split("；") if n and n not in on_order]
        if new_notes and placed.task_status in ("queued", "intercepted"):
            # "…帮我备注一下不要放价格单哦" with the order's lines said again: the note goes on the order placed
            d.says = [say for say in d.says if not any(key == "close.note_taken" for key, _ in say.parts)]
            _note_on_order(d, placed.order_no, "；".join(new_notes))
        return
    d.stage = "confirm_order"
    s["pending"] = "readback"
    common = {
        "total": format_money(subtotal - discount + fee), "address": _recipient(s), "phone": s["phone"],
        "notes": s.get("notes") or "无", "price_note": note,
    }
    described = "；".join(
        f"{getattr(ctx.catalogue.get(line.sku), 'name', product.name)} {line.colour or '—'} {line.size or '均码'}"
        f" ×{line.quantity}"
        for line in cart
    )
    joined = _joined(s, ctx)
    if joined is not None:  # "那我凑个单 加个黑色帽子": added to the order just placed, shipped with it
        twice = [{"sku": line.sku, "colour": line.colour, "size": line.size} for line in cart
                 if any(o.sku == line.sku and o.colour == line.colour and o.size == line.size for o in joined.lines)]
        if twice:  # "再配条围巾 酒红的" when that scarf is in the order already: said, so a second one is meant
            d.say(("confirm.already_in_order", {"lines": _lines_text(twice, ctx.catalogue)}))
        d.say(("confirm.readback_merge", {**common, "order_no": joined.order_no, "lines": described}),
              buttons=("确认无误", "需要修改"))
        return
    if len(cart) > 1:  # line by line: every colour and size the customer asked for, each with its count
        quantity = sum(line.quantity for line in cart)
        d.say(("confirm.readback_lines", {**common, "lines": described, "quantity": str(quantity)}),
              buttons=("确认无误", "需要修改"))
        return
    line = cart[0]
    d.say(
        ("confirm.readback", {**common, "product": product.name, "colour": line.colour or "—",
                              "size": line.size or "均码", "quantity": str(line.quantity)}),
        buttons=("确认无误", "需要修改"),
    )


_ONLY_ONE = re.compile(r"(就|只|仅)(要|拿|买)?\s*(一|1)\s*[件条双套顶包盒个]")


def _corrected_at_readback(
    s: dict[str, Any], cart: tuple[Line, ...], found: Extracted, text: str, catalogue: Catalogue
) -> bool:
    """A yes to the read-back that names a colour or size the order does not have ("对 就一条雾霾蓝S" for a black
    skirt): the one line it can be about changed to it — and, said with 就/只 and a count of one, the only line
    kept. True when the order was changed (to be read back again); False when the words fit the read-back."""
    if found.items:
        return False
    fitting: list[tuple[Line, dict[str, str]]] = []
    for line in cart:  # each line's item reads the words for itself (雾霾蓝 is the skirt's, not the tee's)
        item = catalogue.get(line.sku)
        read = extract(text, item) if item is not None else None
        said = {name: value for name in ("colour", "size") if read is not None and (value := getattr(read, name))
                and value in (item.colours if name == "colour" else item.sizes)} if item is not None else {}
        if said and (read is None or not read.items):
            fitting.append((line, said))
    coloured = [(line, said) for line, said in fitting if "colour" in said]
    fitting = coloured or fitting  # ("就一条雾霾蓝S": the line the colour names; the size is said of it)
    if len(fitting) != 1 or not fitting[0][1].get("colour") and len(cart) > 1:
        return False  # (a size alone, with several lines, could be any of them)
    target, said = fitting[0]
    if all(getattr(target, name) == value for name, value in said.items()):
        return False
    changed = {"sku": target.sku, "colour": said.get("colour", target.colour), "size": said.get("size", target.size),
               "quantity": target.quantity}
    only = bool(_ONLY_ONE.search(simplify(text))) and len(cart) > 1
    lines = [changed] if only else [
        changed if line is target else {"sku": line.sku, "colour": line.colour, "size": line.size,
                                        "quantity": line.quantity} for line in cart]
    s["product"] = target.sku
    for detail in ("size", "colour", "quantity", "lines"):
        s.pop(detail, None)
    if len(lines) == 1:
        s.update(size=changed["size"], colour=changed["colour"], quantity=changed["quantity"])
    else:
        s["lines"] = lines
    return True


def _recipient(s: Mapping[str, Any]) -> str:
    """The address as the read-back and the warehouse show it: with the recipient's name when given."""
    address, name = str(s.get("address") or ""), s.get("name")
    return f"{name} {address}" if name and str(name) not in address else address


def _affirm(d: Decision, t: Turn) -> None:
    ctx, found = t.ctx, t.found
    s = d.slots
    last = t.asked
    product = ctx.catalogue.get(s.get("product"))
    if last == "readback" and product is not None:
        cart = _cart(s, product, ctx.catalogue)
        said_count, in_cart = _said_count(t.text), sum(line.quantity for line in cart)
        if _corrected_at_readback(s, cart, found, t.text, ctx.catalogue):
            # "对 就一条雾霾蓝S" to a read-back of a black skirt and a tee: what they said, read back again — not
            # the read-back placed
            _readback(d, ctx.catalogue.get(s["product"]) or product, ctx)
            return
        if said_count and said_count != in_cart:
            # "对 就这三件" for a read-back of two: something is missing — asked, not placed
            d.stage, s["pending"] = "confirm_order", "readback"
            d.say(("confirm.count_mismatch", {"said": str(said_count), "quantity": str(in_cart)}),
                  buttons=("确认无误", "需要修改"))
            return
        joined = _joined(s, ctx)
        if s.get("merge_into") and joined is None:
            # the read-back offered to add to that order, and it left the warehouse meanwhile: said, not placed
            late, s["merge_into"] = str(s["merge_into"]), None
            d.stage, s["pending"] = "confirm_order", "readback"
            d.say(("confirm.merge_too_late", {"order_no": late}), buttons=("确认无误", "转人工"))
            return
        subtotal, discount, fee, _note = _terms(s, product, ctx)
        d.actions.append(
            PlaceOrder(
                lines=_cart(s, product, ctx.catalogue), address=_recipient(s), phone=s["phone"], notes=s.get("notes") or "",
                discount=discount, shipping_fee=fee,
                extras={"concessions": list(s.get("concessions") or []), "gift": ctx.policy.gift
                        if "gift" in (s.get("concessions") or []) else ""},
                into=joined.order_no if joined is not None else None,
            )
        )
        d.stage = "shipping"
        if joined is not None:
            d.say(("confirm.merged", {"order_no": joined.order_no, "total": format_money(subtotal - discount + fee)}),
                  buttons=("查看订单状态", "继续逛逛"))
        else:
            d.say(("confirm.created", {"total": format_money(subtotal - discount + fee)}),
                  buttons=("查看订单状态", "继续逛逛"))
        invoice = s.get("invoice") or {}
        if invoice and not _invoicing.missing(invoice):  # details given before the order: the request goes on it
            d.actions.append(_record_invoice(None, invoice))
            d.say(("invoice.recorded", {"invoice": _invoicing.describe(invoice)}))  # (the new order's number)
        return
    if last == "clarify":
        d.say(("clarify.ask", {}), buttons=("咨询商品", "查订单", "退换货", "转人工"))
        return
    if last == "need":
        _recommend(d, Turn("随便看看热销款", ctx, found, None))
        return
    placed = s.get("order_no")
    if placed and product is not None and s.get("pending") is None and not s.get("lines") \
            and product.sku in {line.get("sku") for line in s.get("ordered") or ()} \
            and not (t.found.size or t.found.colour or t.found.items or _ADD_MORE.search(simplify(t.text))):
        # "好的" / "确认" after a question about the item just ordered: it is ordered — not bought again
        for detail in ("product", "size", "colour", "quantity"):
            s.pop(detail, None)
        d.stage = "shipping"
        d.say(("confirm.already_placed", {"order_no": str(placed)}), buttons=("查看订单状态", "继续逛逛"))
        return
    if d.stage == "objection" or last in ("size", "colour", "address", "phone", "product"):
        _buy(d, t)
        return
    if product is not None and d.stage in ("consult", "recommend"):
        if mentions_any(t.text, _WANT_WORDS):  # "好的，就要这个码": the yes is to buying it
            _buy(d, t)
            return
        d.stage = "close"
        d.say(("close.nudge", {"product": product.name}), buttons=("我要买", "再看看"))
        return
    if placed and d.stage == "shipping" and s.get("told_placed") != placed \
            and any(o.order_no == placed and o.status == "confirmed" for o in ctx.orders):
        # "确认" sent twice, "好的" after the order number: the order stands, said so (not a size question)
        s["told_placed"] = placed
        d.say(("confirm.already_placed", {"order_no": str(placed)}), buttons=("查看订单状态", "继续逛逛"))
        return
    d.say(("other.anything_else", {}), buttons=MENU)


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


def _deny(d: Decision, t: Turn) -> None:
    if t.asked in ("readback", "change"):
        d.stage = "confirm_order"
        d.slots["pending"] = "change"
        d.say(("confirm.what_to_change", {}), buttons=("改尺码", "改颜色", "改地址", "改电话"))
        return
    if d.stage == "objection":
        d.say(("objection.think", {}), buttons=("看看热销款",))
        return
    d.stage = "farewell"
    d.say(("farewell.sale" if d.slots.get("sale") else "farewell.no_sale", {}))


def _order_for(ctx: Context, order_no: str | None) -> OrderView | None:
    if order_no:
        for order in ctx.orders:
            if order.order_no.upper() == order_no.upper():
                return order
        return None
    return ctx.orders[0] if ctx.orders else None


def _line_meant(text: str, order: OrderView, catalogue: Catalogue) -> OrderLineView | None:
    """The one line of a several-item order a change is for: the item the message names ("毛衣换成L"), or, naming
    none, the only item the size or colour it gives can be for ("换成酒红" when only the sweater comes in 酒红).
    None when that is not one line (two of the same item, or nothing to tell them apart)."""
    plain = simplify(text)
    named = [line for line in order.lines if (p := catalogue.get(line.sku)) is not None and (
        p.name.lower() in plain or catalogue.find(plain) is p or any(tail in plain for tail in name_tails(p)))]
    if not named:  # the lines of the item that fits what is said ("换成酒红 XL": the sweater, not the scarf)
        items = [item for line in order.lines if (item := catalogue.get(line.sku)) is not None]
        fitting = {p.sku for p in _fits_most(text, items)}
        named = [line for line in order.lines if line.sku in fitting]
    if len(named) > 1 and (turn := _TURN_TO.search(plain)):  # the same item twice: "黑色那件改成XL" is the black one
        before = plain[:turn.start()]
        named = [line for line in named if any(v and v.lower() in before for v in (line.colour, line.size))]
    return named[0] if len(named) == 1 else None


_TURN_TO = re.compile(r"改成|换成|改为|换为|改到|换到|改|换")


def _new_values(text: str) -> str:
    """What a change asks for: the words after "改成/换成" when the words before say which line ("黑色那件改成XL")."""
    turn = _TURN_TO.search(simplify(text))
    return text[turn.end():] if turn and turn.start() > 0 else text


def _take_out(d: Decision, ctx: Context, order: OrderView, gone: OrderLineView, kept: list[OrderLineView],
              becomes: Mapping[str, str] | None = None) -> None:
    """One line taken out of an order that has not left: its stock back, the total and postage worked out again by
    the shop's rules (a free-shipping concession stays; a coupon stays while the rest still reaches its minimum)."""
    policy = ctx.policy
    before = Decimal(order.details.get("subtotal") or "0")
    fee_before = Decimal(order.details.get("shipping_fee") or "0")
    discount = before + fee_before - Decimal(order.details.get("total") or "0")
    conceded = not fee_before and before - discount < policy.free_shipping_threshold
    subtotal = sum((line.unit_price * line.quantity for line in kept), Decimal("0"))
    if subtotal < policy.coupon_min_total:
        discount = Decimal("0")
    fee = Decimal("0") if conceded or subtotal - discount >= policy.free_shipping_threshold else policy.shipping_fee
    d.actions.append(ChangeOrder(order.order_no, {}, drop=(gone.sku,), shipping_fee=fee, discount=discount))
    fee_note = "包邮" if not fee else f"含运费{format_money(fee)}元"
    if fee and not fee_before:
        fee_note += f"，不满{format_money(policy.free_shipping_threshold)}元包邮线了"
    left = [{"sku": line.sku, "colour": line.colour, "size": line.size, **(becomes or {})} for line in kept]
    d.say(("modify.line_removed", {
        "order_no": order.order_no, "changes": _lines_text([{"sku": gone.sku, "colour": gone.colour,
                                                             "size": gone.size}], ctx.catalogue),
        "lines": _lines_text(left, ctx.catalogue), "total": format_money(subtotal - discount + fee),
        "price_note": fee_note,
    }), buttons=("查看订单状态", "继续逛逛"))


def _change_by_person(d: Decision) -> None:
    """A change or cancel of an order the bot cannot find: a colleague gets the request (the customer's words)."""
    d.slots.pop("modify_order", None)
    for detail in ("product", "size", "colour", "quantity", "lines"):  # ("订单是毛衣 燕麦色M": the order, not a sale)
        d.slots.pop(detail, None)
    if d.status == "waiting_agent":  # handed over already: this message waits with the rest
        d.slots.pop("change_request", None)
        d.actions.append(AnnounceQueue(again=True))
        return
    _escalate(d, "human", ("modify.by_person", {}), opening=str(d.slots.pop("change_request", "")) or None)
    d.slots["change_waiting"] = True


def _status(d: Decision, t: Turn) -> None:
    ctx, found = t.ctx, t.found
    order = _order_for(ctx, found.order_no or d.slots.get("order_no"))
    if order is None and ctx.looked_up is not None and found.order_no == ctx.looked_up.order_no:
        order = ctx.looked_up
    if order is None and d.slots.get("change_request"):  # "我也不知道单号 你们帮我查查" after asking for a change
        d.slots["change_request"] = f"{d.slots['change_request']}\n{t.text}"[-400:]
        _change_by_person(d)
        return
    if order is None:
        d.say(("order.none", {}), buttons=("转人工",))
        return
    values = {"order_no": order.order_no, "product": order.product, "tracking_no": order.tracking_no or "—"}
    if order.status == "cancelled" or order.task_status == "cancelled":
        d.say(("order.status_cancelled", values))
    elif order.task_status == "shipped":
        d.say(("order.status_shipped", values))
    elif order.task_status == "intercepted":
        d.say(("order.status_intercepted", values), buttons=("修改订单",))
    else:
        d.say(("order.status_queued", values), buttons=("修改订单", "取消订单"))


_ITEM_FIELDS = frozenset({"size", "colour", "quantity"})  # what belongs to one line of an order, not the whole
_CHANGE_FIELDS = {"address": "地址", "phone": "电话", "size": "尺码", "colour": "颜色", "quantity": "数量", "notes": "备注"}


def describe_changes(changes: Mapping[str, Any]) -> str:
    """"地址改为…，尺码改为L" for the reply."""
    return "，".join(f"{_CHANGE_FIELDS[k]}改为{v}" for k, v in changes.items() if k in _CHANGE_FIELDS)


def _modify(d: Decision, t: Turn) -> None:
    text, ctx, found = t.text, t.ctx, t.found
    order = _order_for(ctx, found.order_no or d.slots.get("modify_order"))
    if order is None:  # (asked again and still not found: it may be on another account — a person looks, now)
        again, d.slots["asked_order_no"] = d.slots.get("asked_order_no"), True
        d.slots["change_request"] = "\n".join(w for w in (d.slots.get("change_request"), text) if w)[-400:]
        if again:
            _change_by_person(d)
            return
        d.say(("order.none", {}), buttons=("转人工",))
        return
    values = {"order_no": order.order_no, "tracking_no": order.tracking_no or "—"}
    if order.status == "cancelled" or order.task_status == "cancelled":  # "确认取消" after it was: it is done
        d.slots["modify_order"] = None
        d.say(("modify.already_cancelled", values), buttons=("继续逛逛", "转人工"))
        return
    if order.task_status == "shipped":
        d.slots["modify_order"] = None
        d.say(("modify.already_shipped", values), buttons=("转人工",))
        return
    if mentions_any(text, _CANCEL) and text != "修改订单" and not _CHANGE_WORDS.search(simplify(text)) and (
            elsewhere := _named_elsewhere(text, order, d.slots, ctx.catalogue)) is not None:
        # "条纹那件算了 先不要了 就只要裙子" when the order is the skirt alone: nothing of it to take out — said so
        d.slots["modify_order"] = None
        lines = [{"sku": line.sku, "colour": line.colour, "size": line.size} for line in order.lines]
        d.say(("modify.not_in_order", {"order_no": order.order_no, "product": elsewhere.name,
                                       "lines": _lines_text(lines, ctx.catalogue)}), buttons=("查看订单状态", "继续逛逛"))
        return
    if mentions_any(text, _CANCEL) and text != "修改订单" and not _CHANGE_WORDS.search(simplify(text)):
        d.slots["modify_order"] = None
        d.actions.append(CancelOrder(order.order_no))
        d.say(("modify.cancelled", values))
        return
    several = len(order.lines) > 1
    line = _line_meant(text, order, ctx.catalogue) if several else None
    product = ctx.catalogue.get(line.sku if line else order.sku)
    fresh = extract(_new_values(text) if line else text, product)
    changes = {k: v for k, v in fresh.as_slots().items() if k in _CHANGE_FIELDS}
    if "quantity" in changes and not mentions_any(text, ("数量", "件", "条", "双", "套", "份", "顶", "盒", "包")):
        changes.pop("quantity")  # "电话也换一个" is not a quantity of one
    # an order of several items keeps its lines' variants apart: a size, colour or count is for the line the
    # message names (or the only line it can be for); what it already is is no change
    now_is = dict(order.details)
    if line is not None:
        now_is.update(size=line.size or "", colour=line.colour or "", quantity=str(line.quantity))
    held = {}
    for name, value in list(changes.items()):  # "还是M 就一件" / "鞋子要米白色37號 一雙": what it already is is no change
        now = now_is.get(name) if line is not None or name not in _ITEM_FIELDS or not several else None
        if (now is not None and (now == str(value) or (name == "address" and now.endswith(str(value))))) or (
            several and line is None and name in _ITEM_FIELDS
            and any(str(getattr(each, name)) == str(value) for each in order.lines)
        ):
            held[name] = changes.pop(name)
    if held and not changes:  # "换成黄色碎花吧 还是M" when it already is: said so, nothing changed
        d.slots["modify_order"] = None
        d.say(("modify.already_so", {**values, "changes": "、".join(str(v) for v in held.values())}),
              buttons=("查看订单状态", "继续逛逛"))
        return
    if several and line is None and _ITEM_FIELDS & changes.keys():
        # one item's size, colour or count, and the message does not say which: a colleague, who sees which (never
        # a guess at the first line)
        d.slots["modify_order"] = None
        _escalate(d, "human", ("modify.lines_by_person", values), order=order, opening=text)
        return
    if product:
        if "size" in changes and changes["size"] not in product.sizes:
            changes.pop("size")
        if "colour" in changes and changes["colour"] not in product.colours:
            changes.pop("colour")
    last = d.slots.get("last_change") or {}
    if not changes and last.get("order_no") == order.order_no and not re.search(
        r"再改|还要改|还想改|另外|改成|改为|换成|\d", simplify(text)
    ):
        # "麻烦快点改" right after the change was made: it is made; say what it was
        d.slots["modify_order"] = None
        d.say(("modify.done_already", {**values, "changes": str(last.get("changes") or "")}), buttons=("查看订单状态",))
        return
    if not changes:
        d.slots["modify_order"] = order.order_no
        d.slots["pending"] = "modify"
        d.say(("modify.ask_what", values), buttons=("改地址", "改尺码", "改颜色", "取消订单"))
        return
    d.slots["modify_order"] = None
    item_changes = line is not None and bool(_ITEM_FIELDS & changes.keys())
    d.actions.append(ChangeOrder(order.order_no, changes,
                                 line=(line.sku, line.colour, line.size) if item_changes and line else None))
    described = describe_changes(changes)
    if item_changes and product is not None:
        described = f"{product.name}{described}"
    d.say(("modify.updated", {**values, "changes": described}), buttons=("查看订单状态",))


_POSTAGE_WORDS = ("运费", "邮费", "快递费", "谁出", "谁承担", "谁付", "要钱吗", "收费吗", "免费退")
_RETURN_ADDRESS_WORDS = ("地址", "寄到哪", "寄哪", "寄回哪", "退到哪", "发到哪", "寄去哪")
_EXCHANGE_TO_SIZE = re.compile(r"换(?:成|到)?\s*(xxl|xl|l|m|s|\d{2})(?![a-z\d])")  # "想换S"
_EXCHANGE = re.compile(r"换货|换码|换尺码|换个码|换一个码|换大|换小|换颜色|换色|换个颜色|调换|换一件|换成|"
                       + _EXCHANGE_TO_SIZE.pattern)
_RETURN_ADDRESS = "要退货地址"


def _returns(d: Decision, t: Turn) -> None:
    """A return or exchange that is no one's fault: the shop's process from its settings — days, condition, who pays
    the postage, where it goes (or a colleague gives the address), when the money comes back."""
    ctx, plain = t.ctx, simplify(t.text)
    order = _order_for(ctx, t.found.order_no or d.slots.get("order_no"))
    if order is not None and order.status != "cancelled" and order.task_status in ("queued", "intercepted"):
        if mentions_any(t.text, _CANCEL + ("退了", "退掉", "不买了")) and not _REFUND_WHEN.search(plain):
            if re.search(r"这单|这个订单|刚才(那|的|下的)?单|刚下的|订单", plain):
                # "这单退了吧 不要了": the order named and taken back — cancelled, not asked about again
                d.actions.append(CancelOrder(order.order_no))
                d.say(("modify.cancelled", {"order_no": order.order_no, "tracking_no": "—"}), buttons=("继续逛逛",))
            else:
                _confirm_cancel(d, ctx)  # "不要了" alone may mean "nothing else": asked once
            return
        values = {"order_no": order.order_no, "product": order.product}
        if _REFUND_WHEN.search(plain) or "原路" in plain:
            d.say(("returns.cancel_refund", values), buttons=("取消订单", "保留订单"))
            return
        d.say(("returns.not_shipped", values), buttons=("取消订单", "修改订单"))  # nothing to send back yet
        return
    asks_address = t.text == _RETURN_ADDRESS or any(w in plain for w in _RETURN_ADDRESS_WORDS)
    returning = d.slots.get("last_intent") == "return_refund"  # (a return under way, whether or not we see the order)
    if asks_address and not ctx.policy.return_address:
        if ctx.orders or t.text == _RETURN_ADDRESS:
            _escalate(d, "human", ("returns.address_by_person", {}), opening=t.text)  # never a guessed address
            return
        if not returning:  # asked before buying: who gives it, and when — nothing to hand over yet
            d.say(("returns.address_later", {}), buttons=("转人工", "看看热销款"))
            return
    parts: list[tuple[str, Mapping[str, str]]] = []
    if _CONDITION.search(plain) and not _reports_fault(t.text):
        parts.append(("returns.conditions_ok", {}))  # "没洗没穿 吊牌在的": it can go back — and how
    if any(w in plain for w in _POSTAGE_WORDS):
        parts.append(("returns.postage", {}))
    if asks_address:  # (with no address in the settings: a colleague gives it, one click away)
        parts.append(("returns.address", {}) if ctx.policy.return_address else ("returns.address_ask", {}))
    if _REFUND_WHEN.search(plain):
        parts.append(("returns.refund_time", {}))
    to_size = _EXCHANGE_TO_SIZE.search(plain)
    to_colour = t.found.colour if t.found.colour and not re.search(re.escape(simplify(t.found.colour)) + r".{0,2}不变", plain) \
        and re.search(r"换(?:成|到)?.{0,3}" + re.escape(simplify(t.found.colour)), plain) else None
    wanted = "".join(v for v in (to_colour, to_size.group(1).upper() if to_size else None) if v)
    if not parts and wanted:
        parts.append(("returns.exchange_to", {"wanted": wanted}))  # "现在是M 想换S": the exchange as they want it
    if not parts:
        parts.append(("returns.exchange" if _EXCHANGE.search(plain) else "returns.policy", {}))
        if ctx.policy.return_address:
            parts.append(("returns.address", {}))
    buttons = ("查订单", "转人工") if ctx.policy.return_address else (_RETURN_ADDRESS, "转人工")
    d.say(*parts, buttons=buttons)


_INVOICE_WORDS = ("发票", "开票", "抬头", "税号", "普票", "专票")


def _invoice(d: Decision, t: Turn) -> None:
    """Invoice details collected once, over as many messages as the customer likes, then stored on the order
    as a request the shop's staff see (``GET /api/invoices``); before an order exists they wait for it."""
    s, ctx = d.slots, t.ctx
    details = _invoicing.merged(s.get("invoice") or {}, _invoicing.read(t.text))
    order = _order_for(ctx, t.found.order_no or s.get("order_no"))
    if order is not None and order.status == "cancelled":
        order = None
    invoiced: Mapping[str, str] = s.get("invoiced") or {}
    if not _invoicing.read(t.text) and mentions_any(t.text, ("电子", "纸质", "专票", "普票", "什么发票", "哪种")):
        d.say(("invoice.kinds", {}))
        return
    if order is not None and order.order_no in invoiced:
        d.say(("invoice.already", {"order_no": order.order_no, "invoice": invoiced[order.order_no]}))
        return
    if not details:
        s["pending"] = "invoice"
        d.say(("invoice.info" if order is not None or s.get("product") else "invoice.no_order", {}))
        return
    if details == (s.get("invoice") or {}) and s.get("invoice"):  # nothing new: "电子还是纸质的"
        d.say(("invoice.kinds", {}))
        return
    s["invoice"] = details
    need = _invoicing.missing(details)
    if need:
        s["pending"] = "invoice"
        d.say(("invoice.ask_missing", {"missing": "、".join(need)}))
        return
    summary = _invoicing.describe(details)
    if order is None:  # kept for the order the customer is putting together (or will)
        d.say(("invoice.noted", {"invoice": summary}))
        return
    d.actions.append(_record_invoice(order.order_no, details))
    d.say(("invoice.recorded", {"order_no": order.order_no, "invoice": summary}))
    note = t.found.notes
    if note and order.task_status in ("queued", "intercepted") and not mentions_any(note, _INVOICE_WORDS) \
            and note not in str(order.details.get("notes") or "") and not _reports_fault(note):
        _note_on_order(d, order.order_no, note)  # "快递送到公司前台就行。发票抬头…": the delivery note, on the order too


def _note_on_order(d: Decision, order_no: str, note: str) -> None:
    """A delivery note added to an order that has not left, and said (the reply stands only if the change commits)."""
    d.actions.append(ChangeOrder(order_no, {"notes": note}))
    d.say(("modify.note_added", {"order_no": order_no, "notes": note}))


def _record_invoice(order_no: str | None, details: Mapping[str, str]) -> RecordInvoice:
    return RecordInvoice(order_no=order_no, kind=details.get("kind") or "personal",
                         title=details.get("title") or "个人", tax_no=details.get("tax_no"),
                         email=details.get("email") or "")


def _thanks(d: Decision, t: Turn) -> None:
    d.stage = "farewell"
    d.say(("farewell.sale" if d.slots.get("sale") else "farewell.no_sale", {}))


_PAYMENT_QUESTION = re.compile(r"货到付款|到付|怎么付|如何付|付款方式|支付方式|怎么支付|能不能用(微信|支付宝|花呗|信用卡)"
                               r"|可以用(微信|支付宝|花呗|信用卡)|分期|花呗(吗|可以|能)")


def _payment(d: Decision, t: Turn) -> None:
    """How to pay: the shop's settings do not say (payment happens outside kefu) — said so, with a colleague."""
    d.slots["unknown_question"] = t.text.strip()[:120]
    d.say(("other.payment_unknown", {}), buttons=(_ASK_COLLEAGUE, "我要买"))


_LATER = re.compile(r"加购物车|加购|晚点(再|跟|一起)|回头再|改天再|过两天再|考虑一下|再想想|得闲再|问清楚先|先不买|先不拍|"
                    r"等发工资|再比较|先收藏")
_BYE = re.compile(r"晚安|拜拜|再见|886|下次(再)?聊|先这样吧|不聊了|睡了|下了")
_CUSTOM = re.compile(r"印(个|上|一下)?(公司)?(logo|字|名字|图案|标志)|logo|定制|订做|刺绣名字|绣(个|上)?(名字|字)|改尺寸|改短|改长")
_TOTAL_QUESTION = re.compile(r"一共多少|总共多少|一共要多少|总共要多少|合计多少|加起来多少|总价|一共几(块|钱)|总共几(块|钱)")


def _custom(d: Decision, t: Turn) -> None:
    """Made to order (a logo printed, a name embroidered, a hem shortened): the catalogue does not offer it — said so,
    with a colleague who can tell."""
    d.slots["unknown_question"] = t.text.strip()[:120]
    d.say(("consult.custom_unknown", {}), buttons=(_ASK_COLLEAGUE, "看看热销款"))


def _total(d: Decision, t: Turn) -> None:
    """What the order being put together — or the one just placed — comes to, and its postage."""
    s, ctx = d.slots, t.ctx
    product = ctx.catalogue.get(s.get("product"))
    if product is not None:
        subtotal, discount, fee, note = _terms(s, product, ctx)
        d.say(("confirm.total", {"total": format_money(subtotal - discount + fee), "price_note": note}),
              buttons=("我要买", "再看看") if s.get("pending") != "readback" else ("确认无误", "需要修改"))
        return
    order = _order_for(ctx, str(s.get("order_no") or ""))
    if order is not None and order.details.get("total"):
        fee = Decimal(order.details.get("shipping_fee") or "0")
        d.say(("confirm.total_placed", {"order_no": order.order_no, "total": order.details["total"],
                                        "price_note": f"含运费{format_money(fee)}元" if fee else "包邮"}),
              buttons=("查看订单状态", "继续逛逛"))
        return
    d.say(("shipping.policy", {}), buttons=AFTER_ANSWER)


def _other(d: Decision, t: Turn) -> None:
    text = t.text
    if mentions_any(text, _ROBOT_WORDS):
        d.say(("other.robot", {}), buttons=("转人工", "看看热销款"))
    elif mentions_any(text, _ACCOUNT_WORDS):  # what the bot cannot see: it says so and offers a person
        d.say(("other.account", {}), buttons=("转人工", "继续和小助手聊"))
    else:
        d.say(("other.chitchat", {}), buttons=MENU)


_HANDLERS = {
    "greet": _greet,
    "product_inquiry": _consult,
    "shipping_inquiry": _shipping,
    "ask_recommendation": _recommend,
    "bargain": _bargain,
    "doubt": _doubt,
    "buy": _buy,
    "affirm": _affirm,
    "deny": _deny,
    "modify_order": _modify,
    "order_status": _status,
    "return_refund": _returns,
    "invoice": _invoice,
    "thanks_bye": _thanks,
    "other": _other,
    # not labels — the flow's own answers to requests the labels share (the reported intent is set beside them)
    "payment": _payment,
    "custom": _custom,
    "total": _total,
}
