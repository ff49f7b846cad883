"""The quick-reply buttons the flow offers, and what a click on each one means.
"""

from __future__ import annotations

from bot.conversation.catalogue import ProductView

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
_EDIT_BUTTONS = {"改尺码": "size", "改颜色": "colour", "改地址": "address", "改电话": "phone", "改数量": "quantity"}
_YES_PROBLEM, _NO_PROBLEM = "是的，有问题要处理", "不是，我想问别的"
# The follow-up's satisfaction buttons (the engine sends them with ``pending="csat"``), worst first.
CSAT_BUTTONS = ("1分 很不满意", "2分 不满意", "3分 一般", "4分 满意", "5分 非常满意")


_ASK_COLLEAGUE = "请同事确认"


def _menu_for(products: list[ProductView]) -> tuple[str, ...]:
    return tuple(p.name for p in products[:3])


_INTAKE_BUTTONS = frozenset({"还是要找人工", "好的，我再等等", "稍后发照片", "没有照片", "不是这些订单"})
