"""The phrase bank: what admins and agents rely on when they edit it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from replies import GLOBAL_PLACEHOLDERS, PhraseBank, PhraseBankError, PhraseEntry

ROOT = Path(__file__).resolve().parents[2]


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "phrases.yaml"
    path.write_text(body, encoding="utf-8")
    return path


def test_the_shipped_bank_loads_and_every_key_the_flow_uses_exists() -> None:
    bank = PhraseBank.from_yaml()
    used = set()
    flow = sorted(str(path.relative_to(ROOT)) for path in (ROOT / "bot" / "conversation").glob("*.py"))
    for module in (*flow, "bot/engine/engine.py", "bot/web/limits.py"):
        for node in ast.walk(ast.parse((ROOT / module).read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                prefix = node.value.split(".")[0]
                if "." in node.value and all(node.value.split(".")) and not node.value.endswith("_") and prefix in {e.key.split(".")[0] for e in bank.entries()}:
                    if node.value.replace(".", "").replace("_", "").isalpha():
                        used.add(node.value)
    used |= {f"dispute.{kind}" for kind in ("product", "logistics", "payment", "service")}
    used |= {f"close.ask_{detail}" for detail in ("size", "colour", "quantity", "address", "phone")}
    missing = {key for key in used if key not in bank}
    assert not missing, f"keys used by the flow but missing from phrases.yaml: {missing}"
    assert len(used) > 40


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
