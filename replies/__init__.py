"""The curated quick-reply phrase bank (快捷短语): what kefu says, in the shop's voice."""

from replies._bank import (
    FRAGMENTS,
    GLOBAL_PLACEHOLDERS,
    PLACEHOLDERS,
    SHIPPED,
    Fragment,
    Joined,
    PhraseBank,
    PhraseBankError,
    PhraseEntry,
    Value,
)

__all__ = [
    "FRAGMENTS", "GLOBAL_PLACEHOLDERS", "PLACEHOLDERS", "SHIPPED", "Fragment", "Joined", "PhraseBank",
    "PhraseBankError", "PhraseEntry", "Value",
]
