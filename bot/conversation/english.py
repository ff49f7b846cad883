"""English in a Chinese shop's chat: the words of shopping said in English ("有没有black的", "这个size偏大吗", "I want to
buy a down jacket for my dad") glossed into the Chinese the classifier and the slot reading know, before either
reads the message. The transcript keeps what the customer typed; only the reading sees the gloss.

The table is the shop's own vocabulary — greetings, asking and buying, sizes and measures, colours, garments,
the people bought for, delivery and after-sale words — not a translator: a sentence outside it keeps its English,
and the bot answers in Chinese as it always does.
"""

from __future__ import annotations

import re
from functools import lru_cache

# (English, Chinese), matched case-insensitively as whole words, the longest first. Kept to words whose Chinese
# is the same in every shop: product names stay the catalogue's own.
_GLOSS: tuple[tuple[str, str], ...] = (
    # greeting, thanks, yes and no
    ("anyone there", "在吗"), ("anybody there", "在吗"), ("are you there", "在吗"), ("hello", "你好"), ("hi", "你好"),
    ("hey", "你好"), ("good morning", "早上好"), ("good evening", "晚上好"), ("thank you", "谢谢"), ("thanks", "谢谢"),
    ("thx", "谢谢"), ("ty", "谢谢"), ("bye", "再见"), ("see you", "再见"), ("no problem", "没问题"),
    ("that's all", "就这些"), ("thats all", "就这些"), ("sounds good", "好的"), ("okay", "好的"), ("ok", "好的"),
    ("sure", "好的"), ("yes", "是的"), ("yep", "是的"), ("yeah", "是的"), ("correct", "没错"), ("confirm", "确认"),
    ("confirmed", "确认"), ("never mind", "算了"), ("nevermind", "算了"), ("no thanks", "不用了"), ("nope", "不要"),
    ("sorry", "抱歉"), ("please", ""), ("pls", ""), ("plz", ""), ("i'm", "我"), ("i am", "我"), ("my", "我的"),
    ("do you speak english", "你会说英文吗"),
    # asking and buying
    ("i want to buy", "我想买"), ("i'd like to buy", "我想买"), ("i would like to buy", "我想买"), ("want to buy", "想买"),
    ("i want", "我要"), ("i'll take", "我要"), ("i will take", "我要"), ("i'll take it", "我要了"), ("take it", "要了"),
    ("looking for", "想找"), ("recommend", "推荐"), ("recommendation", "推荐"), ("how much", "多少钱"),
    ("price", "价格"), ("in stock", "有货"), ("available", "有货"), ("sold out", "卖完了"), ("out of stock", "没货"),
    ("discount", "优惠"), ("coupon", "优惠券"), ("cheaper", "便宜点"), ("best seller", "热销款"),
    ("best sellers", "热销款"), ("gift", "礼物"), ("gift box", "礼盒"), ("gift wrap", "礼盒包装"),
    ("what size", "穿什么码"), ("which size", "穿什么码"), ("size", "尺码"), ("sizes", "尺码"), ("colour", "颜色"),
    ("color", "颜色"), ("colours", "颜色"), ("colors", "颜色"), ("material", "面料"), ("fabric", "面料"),
    ("runs small", "偏小"), ("runs large", "偏大"), ("runs big", "偏大"), ("true to size", "尺码标准"),
    ("see-through", "透"), ("see through", "透"), ("transparent", "透"), ("machine wash", "机洗"),
    ("machine washable", "能机洗"), ("washable", "能洗"), ("shrink", "缩水"), ("warm enough", "够暖和"),
    ("too hot", "太热"), ("hot", "热"), ("too cold", "太冷"), ("cold", "冷"), ("summer", "夏天"), ("winter", "冬天"),
    ("spring", "春天"), ("autumn", "秋天"), ("fall", "秋天"),
    ("warm", "暖和"), ("thick", "厚"), ("thin", "薄"), ("light", "轻薄"), ("lightweight", "轻薄"),
    ("waterproof", "防水"), ("water resistant", "防泼水"), ("pack it", "收纳"), ("packable", "能收纳"),
    ("itchy", "扎"), ("soft", "软"), ("loose", "宽松"), ("oversize", "宽松"), ("oversized", "宽松"), ("tight", "紧"),
    ("wrinkle", "皱"), ("iron", "熨"), ("pilling", "起球"), ("each", "各"), ("one each", "各一件"),
    ("pieces", "件"), ("pcs", "件"), ("pc", "件"),
    # measures
    ("tall", "高"), ("height", "身高"), ("weight", "体重"), ("weighs", "体重"), ("foot length", "脚长"),
    # colours
    ("black", "黑色"), ("white", "白色"), ("navy blue", "藏青"), ("navy", "藏青"), ("dark blue", "深蓝"),
    ("light blue", "浅蓝"), ("sky blue", "天蓝"), ("blue", "蓝色"), ("grey", "灰色"), ("gray", "灰色"),
    ("light grey", "浅灰"), ("light gray", "浅灰"), ("dark grey", "深灰"), ("dark gray", "深灰"), ("pink", "粉色"),
    ("light pink", "浅粉"), ("red", "红色"), ("wine red", "酒红"), ("burgundy", "酒红"), ("beige", "米色"),
    ("khaki", "卡其"), ("green", "绿色"), ("army green", "军绿"), ("brown", "咖啡色"), ("camel", "驼色"),
    ("oatmeal", "燕麦色"), ("apricot", "杏色"), ("yellow", "黄色"), ("purple", "紫色"), ("cream", "米白"),
    ("off-white", "米白"), ("off white", "米白"),
    # garments
    ("down jacket", "羽绒服"), ("puffer jacket", "羽绒服"), ("puffer", "羽绒服"), ("jacket", "夹克"), ("coat", "大衣"),
    ("trench coat", "风衣"), ("sweater", "毛衣"), ("jumper", "毛衣"), ("knit", "针织"), ("cardigan", "开衫"),
    ("hoodie", "卫衣"), ("sweatshirt", "卫衣"), ("t-shirt", "t恤"), ("tshirt", "t恤"), ("t shirt", "t恤"), ("tee", "t恤"),
    ("shirt", "衬衫"), ("polo shirt", "polo衫"), ("jeans", "牛仔裤"), ("pants", "裤子"), ("trousers", "裤子"),
    ("shorts", "短裤"), ("dress", "连衣裙"), ("skirt", "半身裙"), ("scarf", "围巾"), ("beanie", "毛线帽"),
    ("hat", "帽子"), ("cap", "帽子"), ("sneakers", "运动鞋"), ("shoes", "鞋子"), ("socks", "袜子"),
    ("pajamas", "睡衣"), ("pyjamas", "睡衣"),
    # for whom
    ("for me", "自己穿"), ("myself", "自己"), ("my dad", "我爸"), ("my father", "我爸"), ("my mom", "我妈"),
    ("my mum", "我妈"), ("my mother", "我妈"), ("my wife", "我老婆"), ("my husband", "我老公"),
    ("my girlfriend", "我女朋友"), ("my gf", "我女朋友"), ("my boyfriend", "我男朋友"), ("my bf", "我男朋友"),
    ("me", "我"), ("her", "她"), ("him", "他"), ("mine", "我的"), ("hers", "她的"), ("his", "他的"),
    ("couple", "情侣"), ("couples", "情侣"), ("for couples", "情侣款"),
    ("my son", "我儿子"), ("my daughter", "我女儿"), ("my friend", "我朋友"), ("for him", "给他"), ("for her", "给她"),
    # delivery, orders, after-sale
    ("free shipping", "包邮"), ("shipping fee", "运费"), ("shipping", "运费"), ("ship to", "寄到"), ("send to", "寄到"),
    ("deliver to", "寄到"), ("delivery", "发货"), ("ship", "发货"), ("ships", "发货"),
    ("shipped", "发货了"), ("arrive", "到"), ("how long", "多久"), ("how many days", "几天"),
    ("when", "什么时候"), ("tracking number", "快递单号"), ("tracking", "物流"), ("where is my order", "我的订单到哪了"),
    ("my order", "我的订单"), ("order", "订单"), ("cancel", "取消"), ("change", "修改"), ("address", "地址"),
    ("phone", "电话"), ("return", "退货"), ("refund", "退款"), ("exchange", "换货"), ("invoice", "发票"),
    ("broken", "坏了"), ("damaged", "破损"), ("wrong item", "发错了"), ("missing", "少件"),
    ("real person", "人工"), ("human", "人工"), ("agent", "人工客服"), ("customer service", "客服"),
)

_LATIN = re.compile(r"[a-z]", re.I)


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    words = sorted({english for english, _ in _GLOSS}, key=len, reverse=True)
    return re.compile(r"(?<![a-z'])(" + "|".join(re.escape(w) for w in words) + r")(?![a-z'])", re.I)


_CHINESE = {english: chinese for english, chinese in _GLOSS}


def gloss(text: str) -> str:
    """``text`` with the English shopping words in it said in Chinese ("有没有black的" → "有没有黑色的"); text with no
    Latin letters is returned as it is."""
    if not _LATIN.search(text):
        return text
    return _pattern().sub(lambda m: _CHINESE[m.group(1).lower()], text)
