"""The conversation: pure decisions from (state, message) to (new state, actions, replies).

Nothing here does IO or imports aiohttp, telegram or SQLAlchemy (``tests/bot/test_layout.py`` checks it), so the
whole sale can be exercised without a server or a database.

Other packages import the names below from here; the modules behind them are private to the package:

- ``routing`` — ``decide``: one message and the stored conversation in, a ``Decision`` out;
  its rules read a ``Draft`` (``draft``) of the message; ``placed`` has those about the order just placed,
  ``readings`` chooses the intent, ``handling`` runs its handler;
- ``answers`` — a message read as the answer to the bot's open question (a table from ``Pending`` to handler);
- ``state`` — what is stored: ``Stage``, ``Status``, ``Pending``, the typed ``Slots`` / ``Intake``, and
  ``load_slots`` / ``dump_slots`` at the conversation row's boundary;
- ``decision`` (``Turn``, ``Decision``), ``views`` (what the engine passes in), ``actions`` (what the flow asks
  the engine to do, and the claims that need them), ``buttons``, ``cues`` (the words read in a message);
- the steps: ``sales``, ``orders``, ``aftersales``, ``disputes``, with ``focus`` (which item a message is about),
  ``sizing`` and ``cart``;
- the readers they use: ``slots``, ``catalogue``, ``facts``, ``invoicing``, ``intake``, ``emotion``, ``sounds``.
"""

from bot.conversation.actions import (
    CLAIMS,
    QUEUE_CLAIMS,
    Action,
    AnnounceQueue,
    BotRemedy,
    CancelOrder,
    ChangeOrder,
    Escalate,
    ExpediteOrder,
    Line,
    NoteDispute,
    PlaceOrder,
    RecordInvoice,
    RecordScore,
    Say,
    WithdrawQueue,
    describe_changes,
    unbacked,
)
from bot.conversation.buttons import CSAT_BUTTONS, MENU
from bot.conversation.catalogue import Catalogue, ProductView, format_money, load_catalogue_file
from bot.conversation.cues import DISPUTE_TYPES
from bot.conversation.decision import Decision, Turn
from bot.conversation.emotion import score_emotion
from bot.conversation.intake import EXPECTATION_LABELS, SUBTYPE_LABELS, promised_by
from bot.conversation.routing import decide
from bot.conversation.slots import simplify
from bot.conversation.state import (
    ORDER_SLOTS,
    SHOPPING_STAGES,
    Intake,
    Pending,
    SlotLine,
    Slots,
    Stage,
    Status,
    dump_slots,
    load_slots,
)
from bot.conversation.views import Context, OrderLineView, OrderView, Policy, Request, Understanding

__all__ = [
    "CLAIMS",
    "CSAT_BUTTONS",
    "DISPUTE_TYPES",
    "EXPECTATION_LABELS",
    "MENU",
    "ORDER_SLOTS",
    "QUEUE_CLAIMS",
    "SHOPPING_STAGES",
    "SUBTYPE_LABELS",
    "Action",
    "AnnounceQueue",
    "BotRemedy",
    "CancelOrder",
    "Catalogue",
    "ChangeOrder",
    "Context",
    "Decision",
    "Escalate",
    "ExpediteOrder",
    "Intake",
    "Line",
    "NoteDispute",
    "OrderLineView",
    "OrderView",
    "Pending",
    "PlaceOrder",
    "Policy",
    "ProductView",
    "RecordInvoice",
    "RecordScore",
    "WithdrawQueue",
    "Request",
    "Say",
    "SlotLine",
    "Slots",
    "Stage",
    "Status",
    "Turn",
    "Understanding",
    "decide",
    "describe_changes",
    "dump_slots",
    "format_money",
    "load_catalogue_file",
    "load_slots",
    "promised_by",
    "score_emotion",
    "simplify",
    "unbacked",
]
