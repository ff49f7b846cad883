"""The catalogue as the conversation sees it: an immutable snapshot, searched in memory.

Pure Python (no IO): the engine loads the ``products`` table into a :class:`Catalogue` and asks it
which product a message names, what suits a stated need, and which size fits a height and weight.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.conversation.sounds import respell
from bot.errors import ConfigError
from replies import Fragment, Joined, Value

DEMO_CATALOGUE = Path(__file__).resolve().parents[2] / "models" / "data" / "demo_catalogue.yaml"
_SKU = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,31}$")

# Words customers use for a category.
CATEGORY_WORDS: Mapping[str, tuple[str, ...]] = {
    "上衣": ("上衣", "t恤", "衬衫", "polo", "卫衣", "毛衣", "针织", "打底", "短袖", "长袖", "衣服"),
    "外套": ("外套", "羽绒服", "夹克", "风衣", "大衣", "开衫", "棉服"),
    "裤装": ("裤子", "裤", "牛仔裤", "短裤", "阔腿裤", "休闲裤"),
    "裙装": ("裙子", "裙", "连衣裙", "半身裙"),
    "鞋靴": ("鞋", "鞋子", "靴", "运动鞋", "帆布鞋", "小白鞋"),
    "配饰": ("帽子", "围巾", "袜子", "包", "配饰", "腰带", "手套"),
    "家居服": ("睡衣", "家居服", "睡裤"),
}
# Garment words too broad to narrow a recommendation beyond the category ("衣服", "裤子").
BROAD_WORDS = frozenset({"上衣", "衣服", "外套", "裤子", "裤", "裙子", "裙", "鞋", "鞋子", "配饰", "包", "打底"})
# Other words for the same goods (regional words, common slips of a pinyin keyboard or voice input).
_SYNONYMS: tuple[tuple[str, str], ...] = (
    ("洋装", "连衣裙"), ("连身裙", "连衣裙"), ("雨绒", "羽绒"), ("鱼绒", "羽绒"), ("羽绒衣", "羽绒服"), ("体恤", "t恤"),
    ("t shirt", "t恤"), ("tshirt", "t恤"), ("牛仔褛", "牛仔夹克"), ("褛", "外套"), ("衬杉", "衬衫"), ("恤衫", "衬衫"), ("衬衣", "衬衫"),
    ("帆布波鞋", "帆布鞋"), ("波鞋", "运动鞋"), ("冷帽", "帽子"), ("鸭嘴帽", "鸭舌帽"), ("颈巾", "围巾"), ("家居服", "睡衣"),
    ("短袖t", "短袖t恤"), ("踢恤", "t恤"), ("提恤", "t恤"), ("t血", "t恤"), ("t袖", "t恤"), ("喂衣", "卫衣"),
    ("为衣", "卫衣"), ("家克", "夹克"), ("加克", "夹克"), ("牛仔库", "牛仔裤"), ("直桶", "直筒"), ("阔腿库", "阔腿裤"),
    ("衬杉", "衬衫"), ("趁衫", "衬衫"), ("围金", "围巾"), ("帆步", "帆布"), ("男装", "男款"), ("女装", "女款"), ("公装", "工装"), ("只筒", "直筒"),
    ("叉叉l", "xxl"), ("叉l", "xl"), ("菠萝衫", "polo衫"), ("波罗衫", "polo衫"), ("保罗衫", "polo衫"),
    ("破罗衫", "polo衫"), ("泼罗衫", "polo衫"), ("婆罗衫", "polo衫"), ("坡罗衫", "polo衫"), ("宝罗衫", "polo衫"),
    ("门为", "门卫"), ("男裤", "男士裤子"), ("女裤", "女士裤子"), ("短袖有领子", "翻领短袖"), ("短袖带领子", "翻领短袖"), ("有领子的短袖", "翻领短袖"), ("带领子的短袖", "翻领短袖"),
    ("有领的短袖", "翻领短袖"), ("带领的短袖", "翻领短袖"), ("门位", "门卫"), ("包袜", "包袜子"), ("双袜", "双袜子"),
    # colours as voice input writes them by sound
    ("鸭舌猫", "鸭舌帽"), ("鸭舌毛", "鸭舌帽"), ("棒球猫", "棒球帽"), ("君绿", "军绿"), ("恢色", "灰色"), ("辉色", "灰色"), ("藏清", "藏青"), ("卡基", "卡其"), ("米百", "米白"),
    # Cantonese: 冷衫 is a knitted sweater
    ("羊毛冷衫", "羊毛衫"), ("冷衫", "毛衣"),
    # Shanghainese: 伊 is 他/她, 几钿 多少钱
    ("伊要", "他要"), ("伊穿", "他穿"), ("伊个", "他的"), ("几钿", "多少钱"),
)
# Words of what a thing is made of or like, in a product's name: they point at no one item ("这件轻薄吗")
_NOT_A_STEM = frozenset({"轻薄", "水洗", "经典", "真皮", "弹力", "休闲", "修身", "加绒", "羊绒", "鸭绒", "混纺", "纯棉", "冰丝",
                         "羊毛", "长袖", "短袖", "垂感", "圆领", "宽松", "双面"})
# Words a shopper puts between the parts of a product's name ("法式条纹的长袖T恤", "高腰直筒的那个牛仔裤").
_FILLER = re.compile(r"的|那个|这个|那款|这款|那种|这种")
# A product's name said in passing, about something worn with it: "里面要穿厚毛衣" while choosing a down jacket.
_PASSING = re.compile(r"(里面|里边|里头|内搭|打底)[^，,。！!？?\s]{0,6}$|(?<![一两二三四五六几这那整成全])套[上着在个件]?[厚薄]?的?$|(染到|染了|染在|沾到|蹭到|弄脏|串色到)[^，,。！!？?\s]{0,2}$")
# something washed with the item or stained by it ("跟白T丢一起洗", "把白T染蓝了"): the words around its name
_WASHED_WITH = (re.compile(r"(跟|和|与|同|把)[^，,。！!？?\s]{0,2}$"),
                re.compile(r"^[^，,。！!？?\s]{0,4}(一起|一块|混着?)[^，,。！!？?\s]{0,2}(洗|泡|晾)|^[^，,。！!？?\s]{0,2}染"))


#: 包 that is no bag: postage and returns (包邮, 包退), packs (一包袜子), packing (打包, 包个礼盒), a parcel.
NOT_A_BAG = re.compile(r"包(邮|退|换|装|括|含|好|一下|个礼盒|礼盒)|(一|两|三|几|\d)包|打包|红包|包裹")


def _unpassed(text: str) -> str:
    """``text`` (lower case) with the garments it names in passing blanked out: worn under or with the item
    ("里面穿毛衣"), or stained by it — and 包 that is no bag (包邮)."""
    text = NOT_A_BAG.sub(lambda m: " " * len(m.group(0)), text)
    for word in sorted({w for words in CATEGORY_WORDS.values() for w in words}, key=len, reverse=True):
        for match in list(re.finditer(re.escape(word), text)):
            if _in_passing(text, match):
                text = text[: match.start()] + " " * len(word) + text[match.end():]
    return text


def _in_passing(text: str, name: re.Match[str]) -> bool:
    """The garment is named in passing: worn with the item, stained by it, or washed with it."""
    return bool(_PASSING.search(text[max(0, name.start() - 8): name.start()])) or bool(
        _WASHED_WITH[0].search(text[max(0, name.start() - 3): name.start()])
        and _WASHED_WITH[1].search(text[name.end(): name.end() + 10]))


@lru_cache(maxsize=4096)
def name_pattern(word: str) -> re.Pattern[str]:
    """A product's name (lower case) as shoppers write it: with 的 / 那个 between its parts ("高腰直筒的牛仔裤")."""
    return re.compile("(?:的|那个|这个)?".join(map(re.escape, word)))


def names_at(word: str, text: str) -> list[re.Match[str]]:
    """Where ``text`` (simplified, lower case) names a product by ``word`` — not where it is said in passing, of
    something worn with the product ("里面穿厚毛衣")."""
    return [m for m in name_pattern(word).finditer(text) if not _in_passing(text, m)]


# Words that settle on the item named next ("算了就围巾吧", "那还是要围巾吧", "决定买围巾") — not a weighing ("围巾还是毛衣好")
_SETTLING = re.compile(r"(算了|那就|那还是|还是|决定)[，,\s]*(就|要|买|拿|选|来)?$")


def _settles_on(text: str, name: re.Match[str]) -> bool:
    """The name is said as the choice made after another was weighed: settling words before it, and "吧" / "了" /
    the end after it when the settling word is only 还是."""
    before = _SETTLING.search(text[max(0, name.start() - 6): name.start()])
    if before is None:
        return False
    return before.group(1) != "还是" or bool(re.match(r"[^，,。！!？?\s]{0,2}(吧|了|$)", text[name.end():]))


def with_synonyms(text: str) -> str:
    """A message (lower case) with regional words and slips replaced by the catalogue's words (雨绒服 → 羽绒服)."""
    for word, canonical in _SYNONYMS:
        if word in text and canonical not in text:
            text = text.replace(word, canonical)
    return text


def _pairs(text: str) -> set[str]:
    """The character pairs of a text's words (spaces and punctuation break pairs)."""
    chunks = re.split(r"[\s,，。.!！?？、~～]+", text)
    # (a pair with a measure word or a pointer says nothing of which product: "那款衬衫" is not "男款衬衫")
    return {pair for chunk in chunks for i in range(len(chunk) - 1)
            if not _GENERIC.intersection(pair := chunk[i : i + 2]) and not pair.isascii()}  # ("lol" is no "polo")


_GENERIC = frozenset("款件个双顶套那这的")


AUDIENCE_WORDS: Mapping[str, tuple[str, ...]] = {
    "男": ("男朋友", "老公", "男生", "男士", "男款", "男装", "爸爸", "我爸", "老爸", "儿子", "哥哥", "弟弟", "男的", "男友",
          "阿爸", "老豆"),
    "女": ("女朋友", "老婆", "女生", "女士", "女款", "女装", "妈妈", "我妈", "老妈", "女儿", "姐姐", "妹妹", "闺蜜", "女的", "女友",
          "闺女", "我姑娘", "媳妇", "阿妈"),
    "儿童": ("孩子", "小孩", "宝宝", "儿童", "童装"),
    "情侣": ("情侣",),
    "送礼": ("送人", "送礼", "礼物", "生日", "送给"),
    "学生": ("学生", "上学", "开学"),
    "上班族": ("上班", "通勤", "职场", "面试"),
    "老人": ("老人", "爷爷", "奶奶", "长辈"),
}
# What a shopper needs a thing for or to do, in their words, and the words of a product page that promise it
# ("周末要去露营" — "出游露营日常都合适"; "口袋多点的" — "口袋多很实用"): a need the recommendation weighs.
USE_WORDS: Mapping[str, tuple[re.Pattern[str], re.Pattern[str]]] = {
    "露营出游": (re.compile(r"露营|野营|出游|爬山|徒步|户外|郊游|旅游|旅行"), re.compile(r"露营|出游|户外|旅行")),
    "耐磨耐脏": (re.compile(r"耐磨|耐脏|禁脏|经脏|耐穿|不怕脏|好打理|干活"), re.compile(r"耐磨|耐脏|好打理")),
    "口袋多": (re.compile(r"口袋|兜"), re.compile(r"口袋")),
    "遮阳": (re.compile(r"遮阳|挡太阳|防晒|晒"), re.compile(r"遮阳|防晒")),
    "保暖": (re.compile(r"保暖|暖和|怕冷|抗冻|御寒"), re.compile(r"保暖|暖|防风")),
    "透气凉快": (re.compile(r"透气|凉快|凉爽|不闷|怕热"), re.compile(r"透气|凉感|清爽|凉")),
    "显瘦": (re.compile(r"显瘦|遮肉|遮胯|藏肉"), re.compile(r"显瘦|遮胯|遮肉")),
    "舒服": (re.compile(r"舒服|舒适|软和|不勒"), re.compile(r"舒服|舒适|柔软|软")),
}
def sexes_named(text: str) -> set[str]:
    """"男" and/or "女": whom the message says the clothes are for ("给我老公", "男的")."""
    return {sex for sex in ("男", "女") if any(w in text for w in AUDIENCE_WORDS[sex])}


SEASON_WORDS: Mapping[str, tuple[str, ...]] = {
    "春": ("春天", "春季", "春装"),
    "夏": ("夏天", "夏季", "夏装", "热天", "清凉"),
    "秋": ("秋天", "秋季", "秋装"),
    "冬": ("冬天", "冬季", "冬装", "保暖", "暖和", "冷天", "过冬", "天冷", "降温", "变冷", "怕冷"),
}


#: What a shop may say of each product's qualities, one short text each, answering shoppers' questions about them:
#: fit (偏大偏小), see_through, thickness (and warmth), lining, stretch, waist (松紧腰头), pilling, fading, shrink, wash, origin,
#: photos (where real photos are), material (what it is made of: the product's material), itch (扎不扎),
#: breath (breathable, cool), length (九分, 裙长), gift (礼盒),
#: iron (免烫), pack (folds into a bag), water (防泼水), grip (non-slip soles), print (printed, woven or
#: embroidered). An empty field is answered
#: "the catalogue does not say", never guessed.
FACT_FIELDS: tuple[str, ...] = (
    "fit", "see_through", "thickness", "lining", "stretch", "waist", "pilling", "fading", "shrink", "wash", "origin", "photos",
    "material", "itch", "breath", "length", "gift", "iron", "pack", "water", "grip", "print", "unisex", "slimming",
    "keeps_shape",
)


@dataclass(frozen=True, slots=True)
class ProductView:
    """One product, with everything the conversation may tell a customer about it."""

    sku: str
    name: str
    category: str
    price: Decimal
    stock: int
    sizes: tuple[str, ...] = ()
    colours: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    material: str = ""
    description: str = ""
    selling_points: tuple[str, ...] = ()
    audience: tuple[str, ...] = ()
    season: tuple[str, ...] = ()
    style: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    care: str = ""
    size_chart: Mapping[str, Mapping[str, tuple[float, float]]] = field(default_factory=dict)
    related: tuple[str, ...] = ()
    facts: Mapping[str, str] = field(default_factory=dict)  # FACT_FIELDS the shop filled in

    @property
    def price_text(self) -> str:
        """The price as a shopper reads it: 59, 59.5."""
        return format_money(self.price)

    @property
    def in_stock(self) -> bool:
        return self.stock > 0

    def attributes(self) -> dict[str, Any]:
        """The JSON the ``products.attributes`` column stores."""
        return {
            "sizes": list(self.sizes), "colours": list(self.colours), "aliases": list(self.aliases),
            "material": self.material, "description": self.description,
            "selling_points": list(self.selling_points), "audience": list(self.audience),
            "season": list(self.season), "style": list(self.style), "tags": list(self.tags), "care": self.care,
            "size_chart": {k: {m: list(r) for m, r in v.items()} for k, v in self.size_chart.items()},
            **{name: self.facts[name] for name in FACT_FIELDS if self.facts.get(name)},
        }

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> ProductView:
        """Build from a catalogue-file entry or a table row's fields (attributes merged in).

        Raises:
            ConfigError: naming the sku, when a required field is missing or malformed.
        """
        sku = str(record.get("sku", ""))
        if not _SKU.match(sku):
            raise ConfigError(f"catalogue: sku {sku!r} must be upper-case letters, digits and dashes")
        try:
            price = Decimal(str(record["price"]))
            stock = int(record.get("stock", 0))
            name = str(record["name"]).strip()
        except (KeyError, ValueError, ArithmeticError) as exc:
            raise ConfigError(f"catalogue: product {sku}: missing or malformed {exc}") from None
        if not name or price < 0 or stock < 0:
            raise ConfigError(f"catalogue: product {sku}: needs a name, a price ≥ 0 and a stock ≥ 0")

        def strings(key: str) -> tuple[str, ...]:
            value = record.get(key) or ()
            if isinstance(value, str):
                value = [value]
            return tuple(str(v).strip() for v in value if str(v).strip())

        facts = {}
        for fact in FACT_FIELDS:
            value = record.get(fact)
            if value is None:
                continue
            if not isinstance(value, (str, int, float)):
                raise ConfigError(f"catalogue: product {sku}: {fact} must be a short text")
            if str(value).strip():
                facts[fact] = str(value).strip()
        chart: dict[str, dict[str, tuple[float, float]]] = {}
        for size, ranges in (record.get("size_chart") or {}).items():
            chart[str(size)] = {m: (float(r[0]), float(r[1])) for m, r in (ranges or {}).items()}
        return cls(
            sku=sku, name=name, category=str(record.get("category", "")), price=price, stock=stock,
            sizes=strings("sizes"), colours=strings("colours"), aliases=strings("aliases"),
            material=str(record.get("material") or ""), description=str(record.get("description") or ""),
            selling_points=strings("selling_points"), audience=strings("audience"), season=strings("season"),
            style=strings("style"), tags=strings("tags"), care=str(record.get("care") or ""),
            size_chart=chart, related=strings("related"), facts=facts,
        )


# How far (cm and kg, weight counted 1.5 times) measurements may lie outside the closest size before none fits.
_OUT_OF_CHART = 12.0


def vocabulary(products: Iterable[ProductView]) -> tuple[str, ...]:
    """The shop's own words a slip of the keyboard is put right to (lower case): products' names and aliases,
    their colours (with and without 色), and the garment words of :data:`CATEGORY_WORDS`."""
    words: set[str] = {w for ws in CATEGORY_WORDS.values() for w in ws}
    for product in products:
        words.update(w.lower() for w in (product.name, *product.aliases))
        words.update(c.lower() for colour in product.colours for c in (colour, colour.removesuffix("色")))
    return tuple(sorted(w for w in words if len(w) >= 2))


def format_money(value: Decimal) -> str:
    """59.00 → "59", 59.50 → "59.5"."""
    text = f"{value.quantize(Decimal('0.01'))}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def load_catalogue_file(path: Path = DEMO_CATALOGUE) -> list[ProductView]:
    """Read and validate a catalogue YAML file.

    Raises:
        ConfigError: the file is unreadable or malformed, or a related sku does not exist.
    """
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"catalogue {path}: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("products"), list):
        raise ConfigError(f"catalogue {path}: expected a top-level 'products:' list")
    products = [ProductView.from_record(item) for item in data["products"]]
    Catalogue(products)  # validates skus and related items
    return products


@dataclass(frozen=True, slots=True)
class Need:
    """What a customer said they are looking for."""

    categories: frozenset[str] = frozenset()
    audience: frozenset[str] = frozenset()
    seasons: frozenset[str] = frozenset()
    styles: frozenset[str] = frozenset()
    budget: Decimal | None = None
    kinds: frozenset[str] = frozenset()  # the garment named, narrower than its category ("衬衫" of 上衣)
    uses: frozenset[str] = frozenset()  # what it is for or must do ("露营", "耐磨", "口袋多"): keys of USE_WORDS

    def __bool__(self) -> bool:
        return bool(self.categories or self.audience or self.seasons or self.styles or self.budget or self.uses)

    def describe(self) -> Joined:
        """A short summary for the reply: "送礼、冬天穿、200元以内" (the season and budget in the bank's words)."""
        parts: list[Value] = [*sorted(self.audience), *(Fragment("part.need_season", {"season": s})
                                                         for s in sorted(self.seasons)), *sorted(self.styles)]
        parts += sorted(self.uses)
        parts += [k.upper() if k == "polo" else k for k in sorted(self.kinds)] or sorted(self.categories)  # ("衬衫" rather than 上衣 when a shirt was asked for)
        if self.budget is not None:
            parts.append(Fragment("part.need_budget", {"budget": format_money(self.budget)}))
        return Joined(tuple(parts), "、")


class Catalogue:
    """An immutable, searchable snapshot of the active products.

    Raises:
        ConfigError: on construction, when two products share a sku or a related sku is unknown.
    """

    def __init__(self, products: Iterable[ProductView]) -> None:
        self._by_sku: dict[str, ProductView] = {}
        for product in products:
            if product.sku in self._by_sku:
                raise ConfigError(f"catalogue: sku {product.sku} appears twice")
            self._by_sku[product.sku] = product
        for product in self._by_sku.values():
            missing = [sku for sku in product.related if sku not in self._by_sku]
            if missing:
                raise ConfigError(f"catalogue: product {product.sku} relates to unknown sku {', '.join(missing)}")
        # Longest names first, so "法式条纹长袖T恤" wins over "T恤".
        names: list[tuple[str, str]] = []
        for product in self._by_sku.values():
            for word in (product.name, *product.aliases, product.sku):
                names.append((word.lower(), product.sku))
        self._names = sorted(names, key=lambda pair: -len(pair[0]))
        self.vocabulary = vocabulary(self._by_sku.values())
        # the words of one product's name no other product's name or alias has, for _by_stem (worked out once)
        self._stem_owner: dict[str, str] = {
            stem: product.sku for product in self._by_sku.values()
            for stem in {product.name.lower()[i: i + 2] for i in range(len(product.name) - 1)}
            if not re.search(r"[色白黑灰蓝红绿粉\da-z]", stem)
            and not any(stem in other for other, owner in self._names if owner != product.sku)}
        stems = "|".join(map(re.escape, sorted(s for s in self._stem_owner if s not in _NOT_A_STEM)))
        # ("百褶的那个", "碎花那款", "这大衣咋这老贵"; or pointed at before — a word of what it is like too: "要那个男款修身的")
        self._stems = re.compile(f"({stems})的?(?:那|这|款|件|条|双|套|顶|吗|呢|么)"
                                 f"|那[个款条件双套顶]?(?:男款|女款|男士|女士|男|女)?"
                                 f"({'|'.join(map(re.escape, sorted(self._stem_owner)))})的(?![吗么嘛])"
                                 f"|(?:这|那)[个款件条双套顶]?({stems})") \
            if self._stem_owner else None

    def respell(self, text: str) -> str:
        """``text`` (lower case) with what a keyboard or voice input slipped on written as the shop's words
        (公装裤 → 工装裤, 前蓝 → 浅蓝): see :func:`bot.conversation.sounds.respell`."""
        return respell(text, self.vocabulary)

    @property
    def names(self) -> tuple[str, ...]:
        """Every product's name and aliases, lower case, longest first."""
        return tuple(word for word, _sku in self._names if len(word) >= 2)

    def __len__(self) -> int:
        return len(self._by_sku)

    def __iter__(self) -> Any:
        return iter(self._by_sku.values())

    def get(self, sku: str | None) -> ProductView | None:
        """The product with ``sku``, if there is one."""
        return self._by_sku.get(sku) if sku else None

    def find(self, text: str) -> ProductView | None:
        """The product a message names (by name, alias or sku), longest match first; failing that, the one product
        most of whose name the message spells ("纯棉圆领那个T恤", "法式条纹的长袖踢恤", "轻薄的雨绒服" with a slip,
        Taiwanese 洋裝). A name said of something worn with it ("里面穿厚毛衣") names nothing."""
        lowered = respell(with_synonyms(text.lower()), self.vocabulary)
        # the product named first ("再来一条围巾 跟毛衣一个地址": the scarf); at one place, the longest name
        best: tuple[int, int, str] | None = None
        settled: tuple[int, int, str] | None = None  # ("毛衣还得猜尺码 算了就围巾吧": the one settled on wins)
        for word, sku in self._names:
            found = names_at(word, lowered) if len(word) >= 2 else []
            at = found[0].start() if found else -1
            if at >= 0 and (best is None or (at, -len(word)) < (best[0], best[1])):
                best = (at, -len(word), sku)
            for one in found:
                if _settles_on(lowered, one) and (settled is None or (-one.start(), -len(word)) < settled[:2]):
                    settled = (-one.start(), -len(word), sku)
        if settled:
            return self._by_sku[settled[2]]
        if best:
            return self._by_sku[best[2]]
        lowered = _unpassed(lowered)  # ("外头还要套毛衣 衬衣要不要买大一号": no sweater asked about)
        return self._by_stem(lowered) or self._closest(_FILLER.sub("", lowered)) or self._by_page_words(lowered)

    def _by_page_words(self, lowered: str) -> ProductView | None:
        """The one product whose page says the words a message pastes ("含50%羊绒轻又暖" — a selling point copied
        from the product page), five characters at least."""
        pasted = re.sub(r"[\s，,。.!！?？~～]+", "", lowered)
        if len(pasted) < 5:
            return None
        hits = [p for p in self._by_sku.values()
                if any(pasted in re.sub(r"[\s，,。]+", "", line.lower()) for line in (*p.selling_points, p.description))]
        return hits[0] if len(hits) == 1 else None

    def _by_stem(self, lowered: str) -> ProductView | None:
        """The one product whose name holds a word the message points at ("碎花那款" for 碎花雪纺连衣裙, "百褶的那个" for
        高腰百褶半身裙, "有粉色碎花的吗") and no other product's name or alias has — never a colour, nor a word of
        what things are made of or like ("轻薄吗", "是羊绒的吗" point at no item)."""
        if self._stems is None:
            return None
        hits = {self._stem_owner[found.group(1) or found.group(2) or found.group(3)] for found in self._stems.finditer(lowered)}
        return self._by_sku[hits.pop()] if len(hits) == 1 else None

    def _closest(self, lowered: str) -> ProductView | None:
        """The product whose name or alias shares most of its character pairs with the text, when it is clearly
        the best: at least half of one of its names' pairs (two at least), and more of its names' pairs in all
        than any other product ("纯棉圆领短袖" is the T-shirt, not the POLO's alias 翻领短袖)."""
        pairs = _pairs(lowered)
        if not pairs:
            return None
        ratios: dict[str, float] = {}
        hits: dict[str, set[str]] = {}
        for word, sku in self._names:
            wanted = _pairs(word)
            got = wanted & pairs
            hits.setdefault(sku, set()).update(got)
            if len(wanted) >= 2 and len(got) >= 2:
                ratios[sku] = max(ratios.get(sku, 0.0), len(got) / len(wanted))
        ranked = sorted((sku for sku, ratio in ratios.items() if ratio >= 0.5),
                        key=lambda sku: (-len(hits[sku]), -ratios[sku]))
        if not ranked:
            return None
        if len(ranked) > 1 and len(hits[ranked[0]]) == len(hits[ranked[1]]) \
                and ratios[ranked[0]] - ratios[ranked[1]] < 0.15:
            # two products fit about as well: ask rather than guess — unless the words say whose ("牛仔裤 男款那个")
            gendered = [sku for sku in ranked[:2] for sex in "男女" if sex in lowered
                        and any(sex in word for word, owner in self._names if owner == sku)]
            return self._by_sku[gendered[0]] if len(gendered) == 1 else None
        return self._by_sku[ranked[0]]

    def exact(self, text: str) -> ProductView | None:
        """The product whose name, alias or sku *is* the whole message (a clicked product button)."""
        key = text.strip(" \t。.!！?？~～").lower()
        for word, sku in self._names:
            if word == key:
                return self._by_sku[sku]
        return None

    def in_category(self, text: str) -> list[ProductView]:
        """Products of the category a message names ("裤子", "外套"), best sellers first."""
        lowered = _unpassed(text.lower())  # ("里面要穿毛衣 我穿几号" about a coat: no sweater asked for)
        wanted = {cat for cat, words in CATEGORY_WORDS.items() if any(w in lowered for w in words)}
        in_them = [p for p in self._by_sku.values() if p.category in wanted]
        # "衬衫加牛仔裤": the shirts and the jeans, not every top and pair of trousers — where the shop has them
        kinds = {w for words in CATEGORY_WORDS.values() for w in words if w in lowered and w not in BROAD_WORDS}
        named = [p for p in in_them if not (own := {k for k in kinds if k in CATEGORY_WORDS[p.category]})
                 or any(k in w.lower() for k in own for w in (p.name, *p.aliases))] if len(wanted) > 1 else []
        named = named or [p for p in in_them if any(k in w.lower() for k in kinds for w in (p.name, *p.aliases))] \
            or in_them  # ("衬衫和裤子": the shirts, and the trousers — every kind the message names, per category)
        # "老公…衬衫": the men's shirt, not the women's — when the message says whom it is for
        gender = sexes_named(lowered)
        if len(gender) == 1:
            named = [p for p in named if gender & set(p.audience)] or named
        # "白色T恤": the T-shirt made in 白色, not the striped one (白底红条) — where a colour named tells them apart
        named = [p for p in named if any(len(c) >= 2 and c.lower() in lowered for c in p.colours)] or named
        return self._ranked(named)

    def best_sellers(self, limit: int = 3) -> list[ProductView]:
        """Products tagged 热销 that are in stock, then the rest in stock."""
        return self._ranked(self._by_sku.values())[:limit]

    def related_to(self, product: ProductView) -> list[ProductView]:
        """The in-stock items that sell well with ``product``."""
        return [p for sku in product.related if (p := self._by_sku[sku]).in_stock]

    def recommend(self, need: Need, limit: int = 3) -> list[ProductView]:
        """Up to ``limit`` in-stock products that fit ``need``, best fit first; within budget only."""
        scored: list[tuple[float, ProductView]] = []
        # "想给男朋友买件衬衫": shirts, not the tops around them — when the shop has that garment at all
        kinds = {k for k in need.kinds if any(k in w.lower() for p in self for w in (p.name, *p.aliases))}
        for product in self._by_sku.values():
            if not product.in_stock:
                continue
            own_kinds = {k for k in kinds if k in CATEGORY_WORDS.get(product.category, ())} or (
                kinds if not need.categories else set())  # ("衬衫和裤子": shirts, and any trousers)
            if own_kinds and not any(k in w.lower() for k in own_kinds for w in (product.name, *product.aliases)):
                continue
            if need.budget is not None and product.price > need.budget:
                continue
            if need.categories and product.category not in need.categories:
                continue
            score = 0.0
            score += 2 * len(need.audience & set(product.audience))
            if need.audience and {"男", "女"} & need.audience and not ({"男", "女"} & need.audience & set(product.audience)):
                continue  # a men's gift is not a women's dress
            if "儿童" in need.audience and "儿童" not in product.audience:
                continue  # a child's clothes are not an adult's in a small size: where the shop has none, it says so
            score += 1.5 * len(need.seasons & set(product.season))
            if need.seasons and not need.seasons & set(product.season):
                score -= 2
            score += len(need.styles & set(product.style))
            if need.uses:  # ("露营" and a page that says 出游露营): the more of the needs its page promises, the better
                page = " ".join((product.description, *product.selling_points, *map(str, product.facts.values())))
                score += 2 * sum(1 for use in need.uses if USE_WORDS[use][1].search(page))
            score += 0.5 if "热销" in product.tags else 0
            score -= 1 if not need.categories and product.category == "配饰" else 0
            score += 0.3 if "送礼" in product.tags and "送礼" in need.audience else 0
            scored.append((score, product))
        scored.sort(key=lambda pair: (-pair[0], pair[1].price))
        return [product for _, product in scored[:limit]]

    def size_for(
        self, product: ProductView, height: float | None, weight: float | None, foot: float | None = None
    ) -> str | None:
        """The size in ``product``'s chart that fits a height (cm) and weight (kg), or a foot length (mm), or None.

        Weight decides when height and weight disagree, since it predicts fit better than height. None when the
        chart has none of the measures given.
        """
        given = {"height": height, "weight": weight, "foot_length": foot}
        if not any(value is not None and any(m in r for r in product.size_chart.values())
                   for m, value in given.items()):
            return None
        best: tuple[float, str] | None = None
        for size, ranges in product.size_chart.items():
            distance = 0.0
            for measure, value, weight_of in (("height", height, 1.0), ("weight", weight, 1.5), ("foot_length", foot, 1.0)):
                if value is None or measure not in ranges:
                    continue
                low, high = ranges[measure]
                distance += weight_of * (max(low - value, 0) + max(value - high, 0))
            if best is None or distance < best[0]:
                best = (distance, size)
        if best is not None and best[0] > _OUT_OF_CHART:
            return None  # 140cm for a chart that starts at 155cm: no size fits, none is made up
        return best[1] if best else None

    def size_range(self, product: ProductView, size: str) -> str:
        """One size's span in the chart ("身高163–170cm、体重52–60kg"), or "" when the chart has no row for it."""
        row = product.size_chart.get(size) if product.size_chart else None
        if not row:
            return ""
        spans = [f"{label}{row[measure][0]:g}–{row[measure][1]:g}{unit}"
                 for measure, label, unit in (("height", "身高", "cm"), ("weight", "体重", "kg"), ("foot_length", "脚长", "mm"))
                 if measure in row]
        return "、".join(spans)

    def chart_range(self, product: ProductView) -> str:
        """The chart's span in words ("身高155–188cm、体重45–92kg"), for saying that a measurement is outside it."""
        spans = []
        for measure, label, unit in (("height", "身高", "cm"), ("weight", "体重", "kg"), ("foot_length", "脚长", "mm")):
            ranges = [r[measure] for r in product.size_chart.values() if measure in r]
            if ranges:
                spans.append(f"{label}{min(r[0] for r in ranges):g}–{max(r[1] for r in ranges):g}{unit}")
        return "、".join(spans)

    def _ranked(self, products: Iterable[ProductView]) -> list[ProductView]:
        return sorted(products, key=lambda p: (not p.in_stock, "热销" not in p.tags, p.category == "配饰", p.price))
