"""Questions about a product's qualities — 会透吗, 偏大还是偏小, 哪里产的, 能机洗吗, 有实拍图吗 — and their answers
from the catalogue. Pure: no IO.

Each aspect has the words that ask about it, the catalogue field a shop fills in to answer it, and, for some,
words that let a sentence of the product's description or care label answer it instead. Where neither says,
the answer is that the catalogue does not say — never a guess.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from bot.conversation.catalogue import FACT_FIELDS, ProductView
from bot.conversation.cues import WU_QUESTION
from bot.conversation.slots import simplify
from replies import Fragment


@dataclass(frozen=True, slots=True)
class Aspect:
    name: str  # the catalogue field (``see_through: 白色不透肉…``)
    label: str  # how a reply names it ("透不透")
    asks: re.Pattern[str]
    # Words a sentence of the description, selling points, material or care must hold to answer it.
    answered_by: tuple[str, ...] = ()


#: The aspects, in the order a reply answers them. Patterns run on simplified text (Traditional → Simplified).
ASPECTS: tuple[Aspect, ...] = (
    Aspect("fit", "尺码", re.compile(
        r"偏大|偏小|偏瘦|偏肥|码数?(准|正)不|码数?(准|正)吗|尺码(准|正|标准)|正码|标准码|大码还是小码|码是正|码正不正"
        r"|会(不|唔)会细|细咗|偏细|会(不|唔)会(好|很|太)?紧|版型(偏|大|小|宽|正)|宽松吗|宽不宽松|修身(的)?吗|修身还是|还是宽松|紧不紧|是不是修身|会不会小|会不会大|大一码还是|要不要拍大|要拍大|拍大一码|(得|要|需要|该|用)不?(得|要|用)?(买|拍|穿|选|拿)?大一[号码个](吗|么|不|嘛|吧|啊)?$"
        r"|(胯|臀|屁股|腰|肚子|腿|大腿|肩|胸)(有点|有些|比较|很|偏)?(宽|大|粗|胖|圆).{0,12}(没问题吧|可以吗|行吗|够吗|穿得下|会不会紧|合适吗)"
        r"|卡(胯|裆|腰|屁股|肚子|腿|大腿)|勒(肚子|腰|腿)|会不会勒|显胖|显胯|头围|头大|头比较大|能调(节)?(大小|松紧)?|可(以)?调(节)?(大小|松紧)?吗|戴得下|戴不下|能戴吗|戴得上|脚背|脚宽|宽脚|挤脚|磨脚"
    )),
    Aspect("see_through", "透不透", re.compile(r"(?<![渗湿])透(?!气|风|明胶)|走光|露肉|凸点|透肉|看得到里面|看得见里面"),
           ("不透", "透肉", "透光", "内衬", "双层")),
    Aspect("thickness", "厚薄保暖", re.compile(
        r"厚(不厚|唔厚|吗|么|嘛|度|实吗|的薄的)|薄(不薄|唔薄|吗|么|嘛)|多厚|厚还是薄|冷不冷|会不会冷|会冷吗|穿着?冷吗|冻唔冻|够(不|唔)?够?暖|暖(不暖|唔暖|和吗|和不|吗)|保暖(吗|么|性|不|怎么)"
        r"|抗冻|零下|扛得住|抗风|挡风|(冬天|冬季|秋冬|秋天|春秋|夏天|东北|北方)(能|可以|穿着?)(穿|冷|热)"
        r"|够(不够)?穿|穿得住|能过冬|过冬|充绒|绒量|(冬天|冬季|东北|北方|零下).{0,6}够(不|唔)够"
        r"|(一|二|十二|腊|1|2|12)月份?.{0,6}(够(不|唔)?够|冷不冷|暖不暖|穿得住)"
        r"|太薄|太厚|偏薄|会(不|唔)会(太)?薄|加绒|加不加绒|有(没有|冇)?绒"
        r"|(去|在|到|回)[\u4e00-\u9fff]{2,4}[^，,。]{0,4}(够(不|唔)?够|扛得住|扛不住|冷不冷|够暖|穿得住|冻不冻)"
    ), ("保暖", "厚实", "重磅", "轻薄", "充绒", "加绒", "抗风", "挡风")),
    Aspect("lining", "内衬", re.compile(r"内衬|里衬|衬里|内里|里子|里布|内胆|有衬|加绒吗|有没有加绒|加不加绒"
                                      r"|(钻|跑)(毛|绒)(吗|么|嘛|不)|(会不会|容不容易|容易|易)(钻|跑)(毛|绒)|(钻|跑)不(钻|跑)(毛|绒)"),
           ("内衬", "里衬", "加绒", "钻绒")),
    Aspect("stretch", "弹力", re.compile(r"弹力|弹性|弹不弹|有弹|紧绷|太贴身|紧身吗|会不会紧|勒不勒|会勒|勒肚子|勒腿"),
           ("弹力", "弹性", "微弹", "氨纶")),
    Aspect("waist", "腰头", re.compile(r"松紧|腰头|抽绳|系绳|裤腰|(系|配|要|带|送|穿|扎)皮带|皮带(扣|袢|襻)|腰带"),
           ("松紧", "腰头", "抽绳", "系带")),
    Aspect("pilling", "起球", re.compile(r"起球|起求|起毛|掉毛|起毛球"), ("起球", "起毛", "掉毛")),
    Aspect("fading", "掉色", re.compile(r"掉色|褪色|染色|串色|掉颜色|甩色|落色"), ("掉色", "褪色", "色牢", "色织")),
    Aspect("shrink", "缩水", re.compile(r"缩水|缩不缩|会缩"), ("缩水", "预缩")),
    Aspect("wash", "洗涤方式", re.compile(
        r"机洗|手洗|干洗|水洗|能(不能)?洗|可以洗|怎么洗|洗衣机|怎么打理|怎么保养|洗涤|好打理|难打理|好洗"
    )),
    Aspect("origin", "产地", re.compile(r"产地|哪(里|儿|边)?(产|生产|制造|做)的?|哪产|国产|进口|made ?in|哪个厂|厂家|原产")),
    Aspect("photos", "实拍图", re.compile(
        r"实拍|实物图|实物照|实物图片|真人图|真人秀|买家秀|上身图|上身效果图|细节图|视频|有图吗|有没有图|发.{0,3}图|看看图|照片看看"
    )),
    Aspect("material", "面料成分", re.compile(
        r"(羊绒|羊毛|纯棉|真丝|真皮|棉|麻|成分|含量|面料|材质|料子).{0,6}(是真的|真的吗|真不真|正不正|系咪真|是不是真|纯吗|是纯|多少)"
        r"|真系有|什么(面料|材质|料子)|啥(面料|材质|料子)|什么料|成分是|含量是|面料是"
    ), ("%", "棉", "羊毛", "羊绒", "涤纶", "氨纶")),
    Aspect("itch", "扎不扎", re.compile(r"扎(不扎|吗|人|脖子|皮肤|不)|会扎|怕扎|刺挠|刺痒|发痒|会痒|痒不痒|磨皮肤|咬人|好痒|易痒|会不会痒|痒吗|说痒|怕痒|很痒|太痒"),
           ("不扎", "软糯", "亲肤", "柔软", "细腻")),
    Aspect("breath", "透气凉快", re.compile(r"太热|热不热|(夏天|夏季)[^，,。]{0,4}(热|闷)|透气|闷不闷|会闷|闷吗|闷热|捂汗|热不热|会不会热|会热吗|穿着?热吗|凉快|凉不凉|吸汗|出汗"),
           ("透气", "凉感", "吸汗", "速干", "冰丝")),
    Aspect("length", "长度", re.compile(r"九分|七分|八分|长度|裤长|裙长|衣长|袖长|多长|会不会长|太长|拖地|到哪|到脚踝|到膝盖|裤脚|束脚"),
           ("九分", "七分", "长度", "及踝", "过膝", "中长", "短款", "长款", "束脚", "裤脚")),
    Aspect("gift", "礼盒包装", re.compile(r"礼盒|礼品袋|礼品包装|包装(一下|好看|精美)|(能|可以)包(个|一下|成)|送礼包装"),
           ("礼盒", "礼品", "送礼包装")),
    Aspect("iron", "熨烫", re.compile(r"熨|免烫|(要不要|用不用|需不需要|需要|不会|会不会|不用|得)烫|烫(衣服|一下|吗)|皱不皱|会皱|易皱|起皱|容易皱|就皱|皱[吗么嘛]|掉褶|褶.{0,3}(会不会|会)?(掉|没|平)"),
           ("免烫", "熨", "抗皱", "不易皱", "不易起皱", "不皱", "不掉褶")),
    Aspect("pack", "收纳", re.compile(r"收纳|收起来|折起来|叠起来|叠小|带着出差|出差带|占地方|压缩|塞包里|收埋|细袋|小袋|收进|塞[^，,。]{0,3}(行李箱|箱子|背包|包里|包包)|行李箱|登机箱|(放|装)[^，,。]{0,2}(背包|包里)"),
           ("收纳", "便携", "折叠", "小包")),
    Aspect("water", "防水", re.compile(r"防水|防泼水|泼水|淋雨|湿(不|唔)湿|会(不|唔)会湿|会湿|怕水|沾水|(下雨|下雪|落雨)(天)?(能|可以)穿"),
           ("防泼水", "防水", "拒水")),
    Aspect("grip", "防滑", re.compile(r"滑(不|唔)滑|防滑|打滑|会滑|怕摔|摔跤|鞋底|跣|滑(吗|么|嘛|不)|湿滑|地砖|瓷砖|容易滑"), ("防滑", "耐磨", "橡胶", "大底")),
    Aspect("print", "印花还是织的", re.compile(r"印上去|是印的|印的还是|印花吗|是不是印|织的吗|织上去|色织吗|绣的吗|是绣|烫印|会糊"),
           ("印花", "色织", "刺绣", "提花")),
    Aspect("unisex", "男女款", re.compile(
        r"男女(都|皆|通用|同款|款|均|通穿|可穿)|男(的|生|士|人|仔|孩子|孩|娃)?也?(能|可以|适合)穿|女(的|生|士|仔|孩子|孩|娃)?也?(能|可以|适合)穿"
        r"|男款.{0,3}女款|男款还是女款|有(没有|冇)?(男|女)款|分(不分)?男女|中性|unisex|男(的|生)?(能|可以)戴|女(的|生)?(能|可以)戴"
    ), ("男女", "中性")),
    Aspect("slimming", "显瘦遮肉", re.compile(r"显瘦|显胖|遮肉|藏肉|遮胯|遮肚子|遮屁股|遮腿|显腿长|显高|显矮|胖的(能|可以)穿|微胖"),
           ("显瘦", "遮胯", "遮肉", "显腿长", "显高", "不挑身材", "收腰")),
    Aspect("keeps_shape", "变形", re.compile(r"变形|走形|洗松|松垮|领口.{0,4}(松|大|变)|会(不会)?塌|起包|鼓包|洗了.{0,4}松"),
           ("变形", "走形", "松垮", "回弹", "挺括")),
)
BY_NAME: Mapping[str, Aspect] = {a.name: a for a in ASPECTS}
assert tuple(BY_NAME) == FACT_FIELDS, "every catalogue fact field has its aspect, in the same order"


# Voice input writes 透 (tòu) as 头 or 偷 in a worry ("白色的会不会头啊"): read as 透 there, never in 头围/头发.
_VOICE_TOU = re.compile(r"(会不会|会唔会|怕不怕|会不|怕|会|不)[头偷](?![发围巾盔疼痛晕部像饰顶])")


# ... and 烫 (tàng) as 汤 in "要不要汤啊 我儿子不会汤衣服" — never in a soup.
_VOICE_TANG = re.compile(r"(要不要|用不用|需不需要|需要|不会|会不会|不用|免|得)汤|汤(衣服|衬衫|一下|一烫|吗|不汤)")


def asked(text: str, names: Iterable[str] = ()) -> list[Aspect]:
    """The aspects a message asks about, in the order of :data:`ASPECTS` ("会透吗 能机洗吗" → see_through, wash).

    Args:
        names: product names and aliases (lower case, longest first), left out before reading: "男士弹力修身牛仔裤
            黑色L" names the jeans and asks nothing about stretch.
    """
    plain = _VOICE_TOU.sub(r"\1透", simplify(text))
    plain = _VOICE_TANG.sub(lambda m: m.group(0).replace("汤", "烫"), plain)
    plain = WU_QUESTION.sub("吗", plain)  # (Shanghainese "扎伐？" is 扎吗)
    for name in names:
        if name in plain:
            plain = plain.replace(name, " ")
    return [a for a in ASPECTS if a.asks.search(plain)]


@dataclass(frozen=True, slots=True)
class Answer:
    aspect: Aspect
    fact: str | Fragment | None  # None: the catalogue does not say; a fragment: said in the bank's words


def answer(product: ProductView, aspect: Aspect) -> Answer:
    """The catalogue's answer about ``aspect``: the shop's own field, else — for washing — the care label, else a
    sentence of the product's description, selling points or material that speaks of it; else nothing."""
    own = (product.facts.get(aspect.name) or "").strip()
    if own:
        return Answer(aspect, own.rstrip("。"))
    if aspect.name == "wash" and product.care:
        return Answer(aspect, product.care.rstrip("。"))
    if aspect.name == "thickness" and not any(
        w in source for source in (*product.selling_points, product.description) for w in aspect.answered_by
    ) and product.season:  # the seasons it is made for say something true about warmth
        return Answer(aspect, Fragment("part.fact_season", {"season": "、".join(product.season)}))
    sentences = [sentence for source in (*product.selling_points, product.description, product.material)
                 for sentence in re.split(r"[。；;]", source or "")]
    for word in aspect.answered_by:  # (the likeliest word first: "扎脖子吗" — 不扎脖子, before 软糯保暖)
        for sentence in sentences:
            if word in sentence:
                return Answer(aspect, sentence.strip().rstrip("，,"))
    if aspect.name == "unisex" and product.audience and {"男", "女"} & set(product.audience):
        # who it is made for says it: both, or the one ("男女都能穿吗" of a women's coat: 这款是女款)
        if {"男", "女"} <= set(product.audience):
            return Answer(aspect, Fragment("part.fact_unisex", {}))
        return Answer(aspect, Fragment("part.fact_one_sex", {"sex": "男" if "男" in product.audience else "女"}))
    return Answer(aspect, None)
