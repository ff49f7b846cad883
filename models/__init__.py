"""kefu's data: SQLAlchemy 2.0 typed tables, async sessions and Alembic migrations."""

from models._base import Base, utcnow
from models._db import Database, alembic_config
from models._tables import (
    DISPUTE_TYPES,
    STAGES,
    STATUSES,
    TASK_STATUSES,
    Conversation,
    Customer,
    Dispute,
    Message,
    Order,
    OrderItem,
    Phrase,
    Product,
    ShippingTask,
)

__all__ = [
    "DISPUTE_TYPES",
    "STAGES",
    "STATUSES",
    "TASK_STATUSES",
    "Base",
    "Conversation",
    "Database",
    "Customer",
    "Dispute",
    "Message",
    "Order",
    "OrderItem",
    "Phrase",
    "Product",
    "ShippingTask",
    "alembic_config",
    "utcnow",
]
