"""The fixed label set, in the order of docs/INTENTS.md."""

from __future__ import annotations

LABELS: tuple[str, ...] = (
    "greet",
    "product_inquiry",
    "shipping_inquiry",
    "ask_recommendation",
    "bargain",
    "doubt",
    "buy",
    "affirm",
    "deny",
    "modify_order",
    "order_status",
    "return_refund",
    "complaint_product",
    "complaint_logistics",
    "complaint_payment",
    "complaint_service",
    "human",
    "invoice",
    "thanks_bye",
    "other",
)

#: The labels that start dispute handling (the chat goes to a person).
DISPUTE_LABELS: tuple[str, ...] = tuple(label for label in LABELS if label.startswith("complaint_"))

#: What an empty or whitespace-only message is.
EMPTY_LABEL = "other"
