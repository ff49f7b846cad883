"""The phrase bank: what admins and agents rely on when they edit it."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import get_args

import pytest

from bot.config import Settings
from replies import GLOBAL_PLACEHOLDERS, Fragment, Joined, PhraseBank, PhraseBankError, PhraseEntry

ROOT = Path(__file__).resolve().parents[2]


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "phrases.yaml"
    path.write_text(body, encoding="utf-8")
    return path


def fragments_named(tree: ast.AST) -> set[str]:
    """The literal first argument of every ``Fragment(...)`` call: a missing key is found here, not live."""
    named = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Fragment" \
                and node.args and isinstance(node.args[0], ast.Constant):  # (a key from a table: found as a constant)
            named.add(str(node.args[0].value))
    return named


def test_the_shipped_bank_loads_and_every_key_the_flow_uses_exists() -> None:
    bank = PhraseBank.from_yaml()
    used = set()
    flow = sorted(str(path.relative_to(ROOT)) for folder in ("conversation", "engine")
                  for path in (ROOT / "bot" / folder).glob("*.py"))
    fragments: set[str] = set()
    for module in (*flow, "bot/web/limits.py"):
        tree = ast.parse((ROOT / module).read_text(encoding="utf-8"))
        fragments |= fragments_named(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                prefix = node.value.split(".")[0]
                if "." in node.value and all(node.value.split(".")) and not node.value.endswith("_") and prefix in {e.key.split(".")[0] for e in bank.entries()}:
                    if node.value.replace(".", "").replace("_", "").isalpha():
                        used.add(node.value)
    used |= {f"dispute.{kind}" for kind in ("product", "logistics", "payment", "service")}
    used |= {f"close.ask_{detail}" for detail in ("size", "colour", "quantity", "address", "phone")}
    # the engine names a fragment by the KEFU_RETURN_POSTAGE setting: one per value it may take
    used |= {f"part.return_postage_{who}" for who in get_args(Settings.model_fields["return_postage"].annotation)}
    missing = {key for key in used | fragments if key not in bank}
    assert not missing, f"keys used by the flow but missing from phrases.yaml: {missing}"
    assert len(used) > 40
    assert len(fragments) > 10 and all(key.startswith("part.") for key in fragments), fragments


def test_every_variant_renders_with_the_shop_settings() -> None:
    bank = PhraseBank.from_yaml()
    values = {name: f"<{name}>" for name in GLOBAL_PLACEHOLDERS}
    for entry in bank.entries():
        context = {name: "X" for name in entry.placeholders}
        for index in range(len(entry.variants)):
            text = bank.render(entry.key, {**values, **context}, index)
            assert "{" not in text and "}" not in text


def test_an_unknown_placeholder_is_an_error_naming_the_key(tmp_path: Path) -> None:
    path = write(tmp_path, "phrases:\n  greet.hello:\n    title: 问候\n    shortcut: hi\n    variants: ['亲，{discount_code}～']\n")
    with pytest.raises(PhraseBankError, match=r"greet\.hello.*discount_code"):
        PhraseBank.from_yaml(path)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("phrases: [1, 2]", "phrases"),
        ("phrases:\n  greet.x:\n    shortcut: a\n    variants: []\n", "at least one"),
        ("phrases:\n  Greet:\n    shortcut: a\n    variants: [hi]\n", "dotted"),
        ("phrases:\n  greet.x:\n    shortcut: 'A B'\n    variants: [hi]\n", "shortcut"),
        ("phrases:\n  greet.x:\n    shortcut: a\n    variants: [hi]\n  greet.y:\n    shortcut: a\n    variants: [yo]\n", "already used"),
        ("phrases:\n  greet.x:\n    shortcut: a\n    variants: ['亲{']\n", "greet.x"),
        ("phrases: {greet.x: {shortcut: a, variants: [ok]}\n", "YAML"),
    ],
)
def test_malformed_banks_are_refused_with_a_reason(tmp_path: Path, body: str, reason: str) -> None:
    with pytest.raises(PhraseBankError, match=reason):
        PhraseBank.from_yaml(write(tmp_path, body))


def test_variants_rotate_so_the_bot_does_not_repeat_itself() -> None:
    bank = PhraseBank([PhraseEntry("greet.hi", "问候", "hi", ("一", "二", "三"))])
    seen, last = [], None
    for _ in range(4):
        last = bank.next_variant("greet.hi", last)
        seen.append(bank.render("greet.hi", {}, last))
    assert seen == ["一", "二", "三", "一"]


def test_rendering_without_a_value_names_the_placeholder() -> None:
    bank = PhraseBank([PhraseEntry("order.x", "订单", "dd", ("订单{order_no}已发货",))])
    with pytest.raises(PhraseBankError, match="order_no"):
        bank.render("order.x", {})


FRAGMENTS = PhraseBank([
    PhraseEntry("confirm.total", "合计", "hj", ("一共{total}元（{price_note}）",)),
    PhraseEntry("part.fee", "运费", "pf", ("含运费{fee}元",)),
    PhraseEntry("part.coupon", "券", "pq", ("已减{amount}元优惠券",)),
    PhraseEntry("part.gift", "赠品", "pg", ("赠{gift}",)),
    PhraseEntry("part.size", "某人", "ps", ("{who}建议{size}码",)),
])


@pytest.mark.parametrize(
    ("price_note", "text"),
    [
        (Fragment("part.fee", {"fee": "10"}), "一共99元（含运费10元）"),
        (Joined((Fragment("part.coupon", {"amount": "5"}), Fragment("part.fee", {"fee": "10"}))), "一共99元（已减5元优惠券，含运费10元）"),
        (Joined((Fragment("part.gift"), Fragment("part.size", {"who": Fragment("part.gift"), "size": "L"})), "；"),
         "一共99元（赠袜子；赠袜子建议L码）"),
        ("包邮", "一共99元（包邮）"),
    ],
)
def test_a_placeholder_value_may_be_a_fragment_of_the_bank(price_note: object, text: str) -> None:
    # the shop's own values ({gift}) reach a fragment; the values of the sentence around it do not
    assert FRAGMENTS.render("confirm.total", {"total": "99", "gift": "袜子", "price_note": price_note}) == text


@pytest.mark.parametrize(
    ("fragment", "reason"),
    [
        (Fragment("part.nothing"), "part.nothing"),
        (Fragment("confirm.total", {"total": "1", "price_note": "x"}), "fragments are part"),
        (Fragment("part.size", {"size": "L"}), r"part\.size.*who"),  # the outer "who" is not lent to it
    ],
)
def test_a_fragment_that_cannot_be_rendered_is_an_error_naming_it(fragment: Fragment, reason: str) -> None:
    with pytest.raises(PhraseBankError, match=reason):
        FRAGMENTS.render("confirm.total", {"total": "1", "who": "妈妈", "price_note": fragment})


def test_a_fragment_has_one_wording(tmp_path: Path) -> None:
    path = write(tmp_path, "phrases:\n  part.fee:\n    title: 运费\n    shortcut: pf\n    variants: ['含运费{fee}元', '运费{fee}元']\n")
    with pytest.raises(PhraseBankError, match="part.fee.*one wording"):
        PhraseBank.from_yaml(path)


def test_a_shop_value_may_be_a_fragment_too() -> None:
    # the return address unset: "（请同事提供）" from the bank, in any phrase that names it, not in the others
    bank = PhraseBank([PhraseEntry("return.where", "退货地址", "th", ("请寄到{return_address}",)),
                       PhraseEntry("part.ask", "问同事", "pa", ("（请同事提供）",))])
    shop = {"return_address": Fragment("part.ask"), "shop": "小店"}
    assert bank.render("return.where", shop) == "请寄到（请同事提供）"
    assert bank.fill(Fragment("part.ask"), shop) == "（请同事提供）"
