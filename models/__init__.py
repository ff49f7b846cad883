"""kefu's data: SQLAlchemy 2.0 typed tables, async sessions and Alembic migrations."""

from models._base import Base, utcnow
from models._db import Database, alembic_config
from models._tables import (
    DISPUTE_TYPES,
    ROLES,
    STAGES,
    STATUSES,
    TASK_STATUSES,
    AgentAction,
    Conversation,
    Customer,
    Dispute,
    FollowUp,
    LoginSession,
    Message,
    Order,
    OrderItem,
    Phrase,
    Product,
    ShippingTask,
    User,
)

__all__ = [
    "DISPUTE_TYPES",
    "ROLES",
    "STAGES",
    "STATUSES",
    "TASK_STATUSES",
    "AgentAction",
    "Base",
    "Conversation",
    "Database",
    "Customer",
    "Dispute",
    "FollowUp",
    "LoginSession",
    "Message",
    "Order",
    "OrderItem",
    "Phrase",
    "Product",
    "ShippingTask",
    "User",
    "alembic_config",
    "utcnow",
]
