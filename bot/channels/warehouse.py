"""The warehouse's side of "hand off to shipping": the queue of confirmed orders, and marking one shipped.

``GET /api/shipping?status=queued|intercepted|shipped|cancelled`` lists tasks with their orders;
``POST /api/shipping/{order_no}/ship`` with ``{"tracking_no": "..."}`` records the dispatch. Both sit under
``/api/``, so ``KEFU_API_KEY`` protects them.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from bot.engine.envelope import storable
from bot.errors import BadRequest
from bot.web.edge import json_body
from bot.web.keys import SERVICES
from bot.web.responses import json_response
from models import TASK_STATUSES, UNSHIPPED, Order, ShippingTask, utcnow


async def queue(request: web.Request) -> web.Response:
    """``GET /api/shipping?status=…``: at most 500 tasks of that status (default ``queued``), oldest first.

    :raise 400: an unknown status.
    """
    status = request.query.get("status", "queued")
    if status not in TASK_STATUSES:
        raise BadRequest(f"status must be one of {', '.join(TASK_STATUSES)}")

    def work(session: Session) -> list[dict[str, Any]]:
        query = (
            select(ShippingTask)
            .where(ShippingTask.status == status)
            .options(selectinload(ShippingTask.order).selectinload(Order.items))
            .order_by(ShippingTask.id)
            .limit(500)
        )
        return [_task(t) for t in session.execute(query).scalars()]

    tasks = await request.app[SERVICES].db.run(work)
    return json_response({"tasks": tasks})


async def ship(request: web.Request) -> web.Response:
    """``POST /api/shipping/{order_no}/ship`` ``{"tracking_no"}``: the order left the warehouse.

    :raise 400: no tracking number, or one too long.
    :raise 404: no such order.
    :raise 409: the order is shipped or cancelled already.
    """
    body = await json_body(request, example='{"tracking_no": "..."}', empty={})
    tracking = body.get("tracking_no") if isinstance(body, dict) else None
    if not isinstance(tracking, str) or not tracking.strip():
        raise BadRequest("tracking_no is required")
    if len(tracking) > 64 or not storable(tracking):
        raise BadRequest("tracking_no must be a text of at most 64 characters")
    order_no, tracking_no = request.match_info["order_no"], tracking.strip()
    if len(order_no) > 32 or not storable(order_no):
        raise web.HTTPNotFound(reason="no such order")

    def work(session: Session) -> dict[str, Any]:
        query = (
            select(ShippingTask)
            .join(Order)
            .where(Order.order_no == order_no)
            .options(selectinload(ShippingTask.order).selectinload(Order.items))
            .with_for_update()
        )
        task = session.execute(query).scalar_one_or_none()
        if task is None:
            raise web.HTTPNotFound(reason="no such order")
        if task.status not in UNSHIPPED:
            raise web.HTTPConflict(reason=f"the order is {task.status}, it cannot be shipped")
        task.status, task.tracking_no = "shipped", tracking_no
        task.history = [*task.history, {"at": utcnow().isoformat(), "what": f"shipped {tracking_no}"}]
        return _task(task)

    answer = await request.app[SERVICES].db.run(work)
    return json_response(answer)


def setup_routes(app: web.Application) -> None:
    """Add ``GET /api/shipping`` and ``POST /api/shipping/{order_no}/ship``."""
    app.router.add_get("/api/shipping", queue)
    app.router.add_post("/api/shipping/{order_no}/ship", ship)


def _task(task: ShippingTask) -> dict[str, Any]:
    order = task.order
    return {
        "order_no": order.order_no,
        "status": task.status,
        "tracking_no": task.tracking_no,
        "notes": task.notes,
        "history": task.history,
        "address": order.address,
        "phone": order.phone,
        "total": str(order.total),
        "items": [
            {"sku": i.sku, "name": i.product_name, "size": i.size, "colour": i.colour, "quantity": i.quantity}
            for i in order.items
        ],
    }
