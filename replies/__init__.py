"""The curated quick-reply phrase bank (快捷短语): what kefu says, in the shop's voice."""

from replies._bank import (
    GLOBAL_PLACEHOLDERS,
    PLACEHOLDERS,
    SHIPPED,
    PhraseBank,
    PhraseBankError,
    PhraseEntry,
)

__all__ = ["GLOBAL_PLACEHOLDERS", "PLACEHOLDERS", "SHIPPED", "PhraseBank", "PhraseBankError", "PhraseEntry"]
