"""The quick-reply phrase bank: load, validate, pick a variant, fill placeholders.

Plain synchronous Python: no database, no network. The service loads the shipped YAML into the
``phrases`` table once, and builds a :class:`PhraseBank` from the table's rows.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeAlias

import yaml

SHIPPED = Path(__file__).parent / "phrases.yaml"

#: Placeholders every phrase may use; the service fills them from the shop's settings.
GLOBAL_PLACEHOLDERS = frozenset(
    {
        "shop", "free_shipping_threshold", "shipping_fee", "courier", "dispatch_cutoff",
        "return_days", "service_hours", "coupon", "coupon_min_total", "gift", "return_postage", "refund_days", "return_address",
        "invoice_days", "invoice_types",
    }
)
#: Placeholders the conversation fills (product, order, customer details).
CONTEXT_PLACEHOLDERS = frozenset(
    {
        "product", "price", "material", "sizes", "colours", "selling_point", "size", "colour", "measure", "care", "stock", "wanted", "delivery_days", "need", "reason", "related", "quantity",
        "total", "address", "phone", "notes", "price_note", "order_no", "tracking_no", "changes", "lines",
        "wait", "position", "remedy", "ahead", "date", "amount", "summary", "next_open",
        "aspect", "fact", "missing", "invoice", "advice", "example", "place", "range", "subtotal", "fee", "said",
        "limit", "height", "weight", "foot", "who", "title", "tax_no", "email", "month", "day", "value", "season", "sex", "up",
        "budget", "when", "time", "other", "ordered",
    }
)
PLACEHOLDERS = GLOBAL_PLACEHOLDERS | CONTEXT_PLACEHOLDERS
#: The group of the bank's fragments: parts of a sentence ("含运费10元", "尺码改为L") that fill a placeholder.
FRAGMENTS = "part"
_KEY = re.compile(r"^[a-z_]+(\.[a-z_]+)+$")
_SHORTCUT = re.compile(r"^[a-z0-9]{1,8}$")


class PhraseBankError(ValueError):
    """The phrase bank is malformed, or a phrase was asked for that it cannot give."""


@dataclass(frozen=True, slots=True)
class Fragment:
    """A placeholder value that is a phrase of its own: a ``part.*`` key of the bank and its values.

    The renderer fills it first (its own values and the shop-wide ones, nothing of the phrase it sits in), then puts
    the text in its placeholder; its values may be fragments in turn.
    """

    key: str
    values: Mapping[str, Value] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Joined:
    """Several values rendered and put one after another with ``sep`` — punctuation ("、", "，", "；", "\n"), never
    words: the words are in the parts."""

    parts: tuple[Value, ...]
    sep: str = "，"


#: What a placeholder may be given: a text (a name, a number, an order number…), a fragment, or fragments joined.
Value: TypeAlias = "str | Fragment | Joined"


@dataclass(frozen=True, slots=True)
class PhraseEntry:
    """One key of the bank: its agents' title and shortcut, and its variants."""

    key: str
    title: str
    shortcut: str
    variants: tuple[str, ...]

    @property
    def placeholders(self) -> frozenset[str]:
        """Every placeholder any variant of this key uses."""
        return frozenset(name for variant in self.variants for name in _fields(variant))


def _fields(template: str) -> list[str]:
    return [name for _, name, _, _ in string.Formatter().parse(template) if name is not None]


def _check(entry: PhraseEntry) -> None:
    if not _KEY.match(entry.key):
        raise PhraseBankError(f"phrase key {entry.key!r}: use dotted lowercase names such as greet.welcome")
    if not entry.variants or not all(isinstance(v, str) and v.strip() for v in entry.variants):
        raise PhraseBankError(f"phrase {entry.key}: needs at least one non-empty variant")
    if entry.key.split(".")[0] == FRAGMENTS and len(entry.variants) != 1:
        raise PhraseBankError(f"phrase {entry.key}: a fragment has one wording (its sentence rotates, not its parts)")
    if not _SHORTCUT.match(entry.shortcut):
        raise PhraseBankError(f"phrase {entry.key}: shortcut {entry.shortcut!r} must be 1-8 lowercase letters/digits")
    for variant in entry.variants:
        try:
            names = _fields(variant)
        except ValueError as exc:
            raise PhraseBankError(f"phrase {entry.key}: {exc} in {variant!r}") from None
        for name in names:
            if name not in PLACEHOLDERS:
                raise PhraseBankError(f"phrase {entry.key}: unknown placeholder {{{name}}} in {variant!r}")


class PhraseBank:
    """A validated set of phrases.

    Raises:
        PhraseBankError: on construction, naming the key, when a key, shortcut or placeholder is
            malformed or unknown, or a shortcut is used twice.
    """

    def __init__(self, entries: Iterable[PhraseEntry]) -> None:
        self._entries: dict[str, PhraseEntry] = {}
        shortcuts: dict[str, str] = {}
        for entry in entries:
            _check(entry)
            if entry.key in self._entries:
                raise PhraseBankError(f"phrase {entry.key}: defined twice")
            if entry.shortcut in shortcuts:
                raise PhraseBankError(
                    f"phrase {entry.key}: shortcut {entry.shortcut!r} already used by {shortcuts[entry.shortcut]}"
                )
            shortcuts[entry.shortcut] = entry.key
            self._entries[entry.key] = entry

    @classmethod
    def from_yaml(cls, path: Path = SHIPPED) -> PhraseBank:
        """Read a phrase file (the shipped ``replies/phrases.yaml`` by default).

        Raises:
            PhraseBankError: the file is not valid YAML of the expected shape, or a phrase is invalid.
        """
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise PhraseBankError(f"{path.name}: not valid YAML: {exc}") from None
        if not isinstance(data, dict) or not isinstance(data.get("phrases"), dict):
            raise PhraseBankError(f"{path.name}: expected a top-level 'phrases:' mapping")
        return cls(_entry(key, body) for key, body in data["phrases"].items())

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def __len__(self) -> int:
        return len(self._entries)

    def entries(self) -> list[PhraseEntry]:
        """All entries, in file order."""
        return list(self._entries.values())

    def entry(self, key: str) -> PhraseEntry:
        """The entry for ``key``.

        Raises:
            PhraseBankError: no such key.
        """
        try:
            return self._entries[key]
        except KeyError:
            raise PhraseBankError(f"no phrase {key!r} in the phrase bank") from None

    def next_variant(self, key: str, last: int | None) -> int:
        """Index of the variant to use after ``last`` (rotating, so replies don't repeat)."""
        count = len(self.entry(key).variants)
        return 0 if last is None else (last + 1) % count

    def render(self, key: str, values: Mapping[str, Any], variant: int = 0) -> str:
        """Fill variant ``variant`` of ``key`` with ``values``; a :class:`Fragment` or :class:`Joined` value is
        rendered from the bank first.

        Raises:
            PhraseBankError: no such key, no such fragment (or a fragment key outside ``part.*``), or the variant
                or a fragment needs a value that it was not given.
        """
        entry = self.entry(key)
        template = entry.variants[variant % len(entry.variants)]
        shop = {name: values[name] for name in GLOBAL_PLACEHOLDERS if name in values}
        try:  # (only the values the template uses are filled: a fragment among the shop's values fills no other)
            filled = {name: self.fill(values[name], shop) for name in _fields(template) if name in values}
            return template.format_map(filled)
        except KeyError as exc:
            raise PhraseBankError(f"phrase {key}: no value for placeholder {{{exc.args[0]}}}") from None

    def fill(self, value: Any, shop: Mapping[str, Any]) -> Any:
        """A placeholder value as text: a :class:`Fragment` or :class:`Joined` rendered with the shop-wide values
        ``shop``; anything else as it is.

        Raises:
            PhraseBankError: as :meth:`render`, for a fragment.
        """
        if isinstance(value, Joined):
            return value.sep.join(str(self.fill(part, shop)) for part in value.parts)
        if isinstance(value, Fragment):
            if value.key.split(".")[0] != FRAGMENTS:
                raise PhraseBankError(f"fragment {value.key!r}: fragments are {FRAGMENTS}.* keys")
            return self.render(value.key, {**shop, **value.values})
        return value


def _entry(key: Any, body: Any) -> PhraseEntry:
    if not isinstance(body, dict):
        raise PhraseBankError(f"phrase {key}: expected title, shortcut and variants")
    variants = body.get("variants")
    if isinstance(variants, str):
        variants = [variants]
    if not isinstance(variants, list):
        raise PhraseBankError(f"phrase {key}: 'variants' must be a list of texts")
    return PhraseEntry(
        key=str(key),
        title=str(body.get("title") or key),
        shortcut=str(body.get("shortcut") or ""),
        variants=tuple(str(v).strip() for v in variants),
    )
