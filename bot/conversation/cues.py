"""The words and patterns the flow reads in a message, shared by its modules.
"""

from __future__ import annotations

import re

from bot.conversation.slots import simplify

_WANT_WORDS = ("要", "买", "拍", "下单", "来一", "就这")
_CHOOSING = re.compile(
    r"(?<!不)(?<!不想)要(?=[a-z0-9一两俩二三四五六七八九十这那它黑白灰蓝红粉绿黄紫棕米杏卡驼藏浅深燕雾酒奶全纯香军咖]|了|吧|的$|买|下单)"
    r"|拍|下单|来[一两俩二三四五\d]|就[这那]|那就|就它|就选|选这|买[一两俩\d]"
    r"|就\s*(?:xxxl|xxl|xl|xs|s|m|l|\d{2})(?![a-z])\s*码?\s*(?:吧|了|就行|好了|得了)"  # ("他腿不粗 就L吧")
    r"|给我来|帮我下|买了吧|(先|就|那就)把.{0,10}(买|拍|下单)|各[来要拿]?[一两俩二三四五\d]"
    r"|(要|来|拿|买|拍|订|[a-z]|色|码|号|的)\s*[一两俩二三四五六七八九十\d]\s*[件条双套顶包盒](吧|就行|就好|啊|哈)?$"
    r"|(?<!不)拿[^，,。]{0,6}吧|(?<!不)拿[一两俩二三\d]"
    r"|(?:^|[\s,，])(好吧|行吧|行行行|那行|那好吧)(?:$|[\s,，!！~])|^(行|好|好的|ok|可以)[\s,，!！~]"
)


DISPUTE_TYPES = {
    "complaint_product": "product",
    "complaint_logistics": "logistics",
    "complaint_payment": "payment",
    "complaint_service": "service",
}
_SURE_DISPUTE = 0.5  # a combined complaint probability this high escalates without asking first
_SALES_INTENTS = frozenset({"product_inquiry", "shipping_inquiry", "ask_recommendation", "bargain", "doubt", "buy"})
def _chooses(text: str) -> bool:
    """Whether a message chooses rather than asks ("要L" / "那就藏青色的吧", not "有L吗" / "要不要买L") — in any of its
    sentences: "要一件藏青的一件灰色的。这个能机洗吗？" chooses, and asks something else besides."""
    return any(_CHOOSING.search(clause) and not re.search(r"吗|么|有没有|还是|几天|多久|几时|什么时候|啥时候|能不能到|[?？]$"
                                                          r"|本来|原本|原来|本想", clause)
               for clause in re.split(r"(?<=[?？])|[。！!~～，,\s]+", simplify(text)) if clause)
_WHEN = ("几天", "多久", "多长时间", "什么时候", "今天", "明天", "几点", "能到", "到货", "发货")
_ALTERNATIVE_WORDS = ("别的", "其他", "其它", "还有什么", "有哪些", "有什么款", "换一款", "换个", "类似", "同款")
_ATTRIBUTE_WORDS = ("颜色", "色", "尺码", "码", "面料", "材质", "多少钱", "价格", "库存", "洗")
_CANCEL = ("取消", "不要了", "退掉", "不想要了", "撤销", "作废")
# "换成黄色碎花吧 …蓝色不要了": a change of the order, not a cancel of it
_CHANGE_WORDS = re.compile(r"换成|改成|改为|换个|换一|还是要|还是.{0,4}码|要.{0,4}的吧")
# A question (not a report): "会透吗", "够不够暖", "哪里产的"; and words that report what already happened.
# Shanghainese 伐 ending a question ("扎伐？", "起球伐"): 吗
WU_QUESTION = re.compile(r"(?<=[\u4e00-\u9fa5])[伐哇](?=$|[\s，,。？?！!额])")
_ASKS = re.compile(r"吗|么|嘛|呢|[?？]|会不会|能不能|是不是|有没有|有冇|多少|怎么|哪|够不够|(.)[不唔]\1|(?P<ab>[\u4e00-\u9fff]{2})[不唔](?P=ab)|能[^\s，,。]{1,3}不能|(?<![不])能[^\s，,。吧]{1,4}吧(?=$|[\s，,。!！?？~～])|还是|"
                   r"(会|能|可以|有|是|行|够|包)[^\s，,。不]{0,5}不(?=$|[\s，,。!！?？~～啊呀])|"  # ("会掉色不", "包邮不")
                   + WU_QUESTION.pattern)
# How a colour looks on someone ("哪个显白", "我黄皮"): a question the catalogue does not answer
_LOOK = re.compile(r"显白|显黑|显瘦|显胖|显气色|提气色|显年轻|衬肤色|黄皮|黑皮|肤色|皮肤(偏)?(黄|黑|暗)")
# Asking for a lower price ("能不能便宜点", "有优惠吗"), beside anything else the message does
_ASKS_A_DISCOUNT = re.compile(r"便宜|优惠|少点|打折|抹")
# The couriers a shopper may name (a return sent back with one, a parcel asked to go by one)
COURIER_NAMES = ("顺丰", "京东", "邮政", "ems", "圆通", "中通", "申通", "韵达", "极兔", "德邦")
# A question about when the shop's people are there ("人工客服几点上班", "客服什么时候在线"), not a call for one now.
_HOURS_QUESTION = re.compile(r"(几点|什么时候|啥时候|哪个时间|时间是|多久)[^，。,.!！]{0,4}(上班|在线|有人|开始|下班|营业)"
                             r"|(上班|在线|营业|工作)时间|(营业|上班|在线)到几点|(晚上|早上|中午)?[一二三四五六七八九十\d]{1,2}点.{0,3}还有人")
_FAULT_WORDS = re.compile(r"丢(了|失|件|包)|弄丢|没收到|没到|坏|破|烂|投诉|差评|态度|怎么回事|为什么|凭什么"
                          r"|甩毛|跑绒|钻绒|钻毛|漏绒|掉绒|成身.{0,2}毛|全身.{0,2}毛|冒毛|冒绒|往外.{0,2}(毛|绒)"  # (its down)
                          r"|全是(毛|绒)|一抖.{0,3}(毛|绒)"
                          r"|(有|开|裂|破|就)(个|了个|一个|道)?口子|一个口子|开线|脱线|开胶")  # ("袖子有个口子": torn)
# What was bought and what came ("我买的黑色XL 寄来个卡其色L的"): a report about goods received, not a choice
_RECEIVED = re.compile(r"我买的|买的是|拍的是|下单的是|寄来|发来|送来|收到|到手|怎么搞|搞什么|发错|寄错|给我发了")
# An earlier purchase somewhere else or long ago ("去年买的一件穿一个月全是球"): experience behind a question, when
# nothing was bought here
_ELSEWHERE = re.compile(r"去年|前年|上次|上回|以前|之前|老早|早前|早些年|别家|别的店|其他店|别人家|网上买|商场买|买过")
_HAPPENED = re.compile(r"收到|洗了|穿了|到了|已经|刚买|买的|之后就|结果|居然|竟然")
_REFUND_HOW = re.compile(r"原路|退款.{0,4}(吗|么|呢)|钱.{0,4}(退|回|返)|退到哪|退哪|退回哪|退去哪|退到.{0,3}(微信|支付宝|卡)")
_REFUND_WHEN = re.compile(r"(钱|款|退款|退回|到账|退给|返还|退).{0,8}(什么时候|啥时候|多久|几天|多长时间|何时|几时|哪天|没到|没收到|还没)"
                          r"|(什么时候|啥时候|多久|几天|多长时间|何时|几时).{0,8}(退|到账|钱|款|返)")
_SURE_WHILE_SHOPPING = 0.97


def _reports_fault(text: str) -> bool:
    """Whether a message reports something gone wrong — not as background from before ("别放门口 上次丢过一回")."""
    return any(_FAULT_WORDS.search(_ASKED_IF.sub(" ", clause)) and not _ELSEWHERE.search(clause)
               for clause in re.split(r"[，,。！!？?~～\s]+", simplify(text)) if clause)


# A quality asked about, not reported: "缩不缩水", "起不起球", "会不会掉色"
_ASKED_IF = re.compile(r"([\u4e00-\u9fff])[不没]\1[\u4e00-\u9fff]?|会不会[\u4e00-\u9fff]{0,4}")


_DROP = re.compile(r"不要了|不要啦|就不要了|算了|去掉|删掉|不买了|拿掉")


# Another one for someone else: "我同事也想要一件", "再给我妹妹来一件", "给我妈也来一件"
_ALSO_WANTS = re.compile(r"也想要|也要|也来|也想买|也买|再买|再来|再要|再给|还要|想要一[件条双顶个套]"
                         r"|给.{1,4}(也|再)?(来|要|买)一[件条双顶个套]"
                         r"|^还有(那个|这个|那条|那件|一条|一件)?[^，,。？?]{0,8}[\s，,]*给[我他她]?[^，,。？?\s]{1,3}的")
_LEAVES_IT_TO_US = re.compile(r"建议|推荐|你们看着|你看着|帮我选|帮我看|你定|给我定|你们定|帮我定|按你说|就按|合适的就|看着办|看着给|"
                              r"你说(的|那个|那)码|你说的那个|"
                              r"按.{0,3}尺码表|按.{0,6}身高体重|按.{0,6}(身材|身高|体型)|"
                              r"不懂.{0,4}码|不知道.{0,6}码|不清楚.{0,4}码|搞不清.{0,4}码|你们?帮我挑")
# A message that begins by saying yes ("对，就这样。谢谢你", "好的 没问题 辛苦了") — not "对了" (by the way).
# Go ahead with the order as it now stands ("其他没问题可以下", "其他没毛病 下吧", "就这样下吧", "冲")
_GO_AHEAD = re.compile(r"其[他它](都|就)?(没问题|没毛病|没错)|其[他它]都?对|就这样下|就这么下|可以下(单)?|下吧|下单吧|直接下"
                       r"|帮我下单?$|确认下单|冲$|冲冲")
_YES_FIRST = re.compile(r"^(对(?!了)|是的|好的|好(?![看多])|嗯|确认|正确|无误|都对|全对|没问题|没错|可以|行|ok|就这样|啱|冇问题|系|yes|yep|yeah|sure)")
# ("我里面加件毛衣" / "内搭一件" is what they wear under it, not one more item)
_ADD_MORE = re.compile(r"凑个?单|凑一单|(?<!里面)(?<!里边)(?<!里头)(?<!内)(?:再加|再给我?(?:拿|来|加|要)|(?<!了)(?<!次)(?<!头)(?<!天)(?<!时)再来(?![看买问逛找光顾])|再要|再拿|还要一|加[一两]?[件条双套顶个包盒]|另外一[件条双套顶个包]"
                       r"|再买|再搭|再配|搭一[件条双套顶个包]"
                       r"|配一[件条双套顶个]|(?<!增)加[个件条双顶套包](?!钱|价)|再整"
                       r"|顺便.{0,8}(来|要|拿|买|加)[一两]?[件条双套顶个包盒]|另外[^，,。？?]{0,8}(也|都)?(要|来|拿|买)[一两]?[件条双套顶个包盒])")  # ("整一件" alone: just "one")
# A push to place the order ("好滴 下单下单"), and with an item in view a plain yes to it too; not with a no or a cancel
_ORDER_PUSH = re.compile(r"下单|拍了|买了|要了|就这些|就要这|^冲[冲鸭呀吧!！]*$")
# A return with nothing wrong, said so ("没有质量问题 就是不太适合我"): one of its conditions too
# It does not fit — and nothing is wrong with it ("有点紧", "大了一码", "不合身")
_FIT_ONLY = re.compile(r"紧|松|大了|小了|偏大|偏小|有点大|有点小|太大|太小|有点肥|宽了|不合身|不合适|穿不下|穿不上|短了|长了|肥了|瘦了|尺码不对|码数不对|码不合"
                       r"|显黑|显胖|显老|显矮|显壮|不显白|不衬肤色|颜色不适合|不太适合我|不适合我")  # (or does not suit)
_NO_FAULT = re.compile(r"(没有?|不是|没啥)质量问题|就是不太?(合适|适合|喜欢|合身)")
_CONDITION = re.compile(r"没洗|没穿|未洗|未穿|吊牌|标签|没拆|未拆|没剪|没用过|未使用|全新|包装完好|第[一二三四五六1-6]天"
                        r"|没下过?水|才到[一二两三四五六1-6]天|收到[一二两三四五六1-6]天"
                        r"|只?试(过|了|穿)|在家(里)?.{0,6}试|鞋底.{0,2}干净|没穿出(门|去)|" + _NO_FAULT.pattern)
# A return on its way back, or received by the shop ("我退的那条百褶裙 物流显示你们昨天签收了"): its refund is asked about
_RETURN_BACK = re.compile(r"(我退|退回|寄回|退货|退的|寄回去的|退回去的).{0,20}(签收|收到|到了|寄出|寄回|发出)")
# A refund that is late ("都五天了还没到"): that is a complaint, not a question of when
_REFUND_LATE = re.compile(r"没到|没收到|还没|没退|未退|未到|未收|仲未|没见|不见|超过|超时|都.{0,3}(天|周|礼拜)|一个?(星期|礼拜|周)|怎么还|到底")


_ASIDE_INTENTS = frozenset({"product_inquiry", "shipping_inquiry", "doubt", "ask_recommendation"})
_SIZE_WORDS = ("码", "尺码", "尺寸", "大小", "多大", "身高", "体重", "偏大", "偏小", "合身", "穿多大", "cm", "斤", "kg")
_MATERIAL_WORDS = ("材质", "面料", "料子", "什么料", "成分", "纯棉", "棉的", "透气", "厚", "薄", "洗", "缩水", "掉色", "羊毛", "真皮")
_COLOUR_WORDS = ("颜色", "色", "配色")
_STOCK_WORDS = ("有货", "库存", "现货", "还有吗", "有没有", "还有没有", "断货", "缺货", "卖完", "补货", "有吗", "还剩",
                "剩几", "剩多少", "还有几", "还有多少")
_PRICE_WORDS = ("多少钱", "价格", "几块", "多少米", "啥价", "什么价", "多钱")


# Asking for the shop's small extras by name ("买三双能送点什么吗", "有啥优惠就给我用上"): offered at once, not first
# held like a plain "便宜点"
_ASKS_PERK = re.compile(r"送(点|个|些|一?双|一?份)?(什么|啥|东西)|赠品|小礼物|有(什么|啥|没有)?优惠|优惠.{0,4}(用上|给我)|有券|有没有券"
                        r"|优惠券|领券|什么活动|有活动")


# When it comes, asked ("寄廣州幾時到呀", "几天能到"); or whether in time (_IN_TIME)
_ARRIVES = re.compile(r"(几时|什么时候|啥时候|多久|几天|哪天|几号)[^，,。]{0,4}(到|发|收)|到货要")
# "包裹里别放发票": a packing note, not an invoice
_NO_INVOICE_IN_PARCEL = re.compile(r"(别|不要|不用|不放|别放|不需要)(放)?[^，,。发]{0,4}(发票|价格单|小票|价签|吊牌|收据)")
_IN_TIME = re.compile(r"来得及|赶得上|赶不赶得上|来不来得及|能赶上|赶上吗|赶得及|赶不上|(前|之前|以前)能(到|收到)|(前|之前|以前)(到|收)得(了|到)|能不能(到|收到)|(几号|哪天)能?(到|收到)"
                      r"|(周|星期|礼拜)[一二三四五六日天末].{0,4}(能|可以)?(到|收到)吗?")


_INVOICE_WORDS = ("发票", "开票", "抬头", "税号", "普票", "专票")


_LATER = re.compile(r"加购物车|加购|晚点(再|跟|一起)|回头再|改天再|过两天再|下次再|下回再|以后再说|有空再|考虑一下|再想想|得闲再|问清楚先|先不买|先不拍|"
                    r"等发工资|再比较|先收藏")
# A moment away mid-chat ("等下 到站了", "稍等 接个电话"): nothing else said — the chat waits, its question kept
_PAUSE = re.compile(r"等下|等等|等一下|等一等|稍等|等我一下|到站了?|要?下车了?|上车了?|进电梯|信号不好|有人找我?|"
                    r"接个电话|来电话了|开个会|先开会|开会了|要开会|马上回来|一会儿?回来|等阵|等我下|回来再说|下课再说|忙完再|先忙|"
                    r"没信号|要上课|上课了|娃哭|孩子哭|宝宝哭|娃醒|宝宝醒|去追|叫我了|叫走了|[娃孩宝][子宝]?在?闹|"
                    r"(一会儿?|等会儿?|待会儿?|晚点|回头)再?发")
_PAUSE_FILLER = re.compile(r"[我先了啊呀哈哦喔噢嗯去下一个呢吧，,。.!！~～\s]")
# Words that describe an order already placed ("拍成黄色的了", "刚刚那个", "下的单")
_ORDERED_BEFORE = re.compile(r"拍成|拍错|拍了|拍的|买的|下的|下了|刚刚那|刚才那|本来想|结果|订的|订单是|订单里|单子是|那一?单是|收件人是|寄到了?我?老家|尾号"
                             r"|分钟前|小时前|还没发货|还没发吧|没发货吧")

# "M对吧" / "L没问题吧" / "XL不会太大吗" / "著M得唔得": a size named, to be checked against the chart
_SIZE_CHECK = re.compile(r"对吧|对吗|对不对|可不可以|合不合适|没错吧|没错吗|没问题吧|没问题吗|可以吗|可以吧|行吗|行不行|合适吗|合适吧|合不合适|够吗|应该.{0,3}吧"
                         r"|会不会太?(大|小|紧|松|肥)|不会太(大|小|紧|松)|得唔得|啱唔啱|啱吗|係咪|是不是")


def _checks_size(text: str, size: str) -> bool:
    """Whether a message asks to check ``size`` — the check said of the size itself ("M对吧", "L？不会太大吗", "著M得唔得"),
    not of something else beside it ("L吧 黑色是不是更显瘦")."""
    return bool(re.search(re.escape(size.lower()) + r"码?\s*[？?，,]?\s*(" + _SIZE_CHECK.pattern + ")", simplify(text)))


# Asking what sells best ("你们卖得最好的是啥", "有什么爆款")
_BEST_SELLING = re.compile(r"卖得?最好|最火|最热销|爆款|卖得好的|销量最|什么最好卖|热门")
