"""The shop's staff's side of invoices: the requests customers made in the chat, and marking one issued.

``GET /api/invoices?status=requested|issued`` lists requests with their orders; ``POST /api/invoices/{id}/issued``
(optional ``{"invoice_no": "..."}``) records that the invoice was sent. Both sit under ``/api/``, so
``KEFU_API_KEY`` protects them.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from bot.engine.envelope import storable
from bot.errors import BadRequest
from bot.web.edge import json_body, path_id
from bot.web.keys import SERVICES
from bot.web.responses import json_response
from models import INVOICE_STATUSES, InvoiceRequest, Order, utcnow


async def listing(request: web.Request) -> web.Response:
    """``GET /api/invoices?status=…``: at most 500 requests of that status (default ``requested``), oldest first.

    :raise 400: an unknown status.
    """
    status = request.query.get("status", "requested")
    if status not in INVOICE_STATUSES:
        raise BadRequest(f"status must be one of {', '.join(INVOICE_STATUSES)}")

    def work(session: Session) -> list[dict[str, Any]]:
        query = (
            select(InvoiceRequest)
            .where(InvoiceRequest.status == status)
            .options(selectinload(InvoiceRequest.order).selectinload(Order.items))
            .order_by(InvoiceRequest.id)
            .limit(500)
        )
        return [_invoice(r) for r in session.execute(query).scalars()]

    invoices = await request.app[SERVICES].db.run(work)
    return json_response({"invoices": invoices})


async def issued(request: web.Request) -> web.Response:
    """``POST /api/invoices/{id}/issued`` (optional ``{"invoice_no"}``): the invoice was sent.

    :raise 400: an invoice number that is not a short text.
    :raise 404: no such request.
    :raise 409: it was marked issued already.
    """
    body = await json_body(request, example='{"invoice_no": "..."} or empty', empty={})
    number = body.get("invoice_no") if isinstance(body, dict) else None
    if number is not None and (not isinstance(number, str) or len(number) > 64 or not storable(number)):
        raise BadRequest("invoice_no must be a text of at most 64 characters")
    request_id = path_id(request.match_info["id"])
    if request_id is None:
        raise web.HTTPNotFound(reason="no such invoice request")

    def work(session: Session) -> dict[str, Any]:
        query = (
            select(InvoiceRequest)
            .where(InvoiceRequest.id == request_id)
            .options(selectinload(InvoiceRequest.order).selectinload(Order.items))
            .with_for_update()
        )
        found = session.execute(query).scalar_one_or_none()
        if found is None:
            raise web.HTTPNotFound(reason="no such invoice request")
        if found.status == "issued":
            raise web.HTTPConflict(reason="this invoice was already marked issued")
        found.status, found.issued_at = "issued", utcnow()
        found.invoice_no = number.strip() if number else None
        return _invoice(found)

    answer = await request.app[SERVICES].db.run(work)
    return json_response(answer)


def setup_routes(app: web.Application) -> None:
    """Add ``GET /api/invoices`` and ``POST /api/invoices/{id}/issued``."""
    app.router.add_get("/api/invoices", listing)
    app.router.add_post("/api/invoices/{id}/issued", issued)


def _invoice(request: InvoiceRequest) -> dict[str, Any]:
    order = request.order
    return {
        "id": request.id,
        "order_no": order.order_no,
        "status": request.status,
        "kind": request.kind,
        "title": request.title,
        "tax_no": request.tax_no,
        "email": request.email,
        "total": str(order.total),
        "requested_at": request.created_at.isoformat() if request.created_at else None,
        "issued_at": request.issued_at.isoformat() if request.issued_at else None,
        "invoice_no": request.invoice_no,
        "items": [{"name": i.product_name, "quantity": i.quantity, "unit_price": str(i.unit_price)} for i in order.items],
    }
