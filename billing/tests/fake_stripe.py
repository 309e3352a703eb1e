"""A small, stateful stand-in for the Stripe API, served on 127.0.0.1 for the tests.

The real `stripe` library talks to it (stripe.api_base points here): requests arrive
form-encoded as the library sends them (`items[0][price]=...`), answers are Stripe's JSON wire
format with "object" fields. It knows customers (with search by metadata), prices, subscriptions,
checkout sessions, billing portal sessions and invoices; tests drive what Stripe "does" on its
side (a checkout completed, a status changed) through the methods of FakeStripe.
"""

from __future__ import annotations

import itertools
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

_ids = itertools.count(1000)


def new_id(prefix: str) -> str:
    return f"{prefix}_fake{next(_ids)}"


def parse_form(body: str) -> dict[str, Any]:
    """Decode Stripe's bracketed form encoding into nested dicts and lists."""
    root: dict[str, Any] = {}
    for key, value in parse_qsl(body, keep_blank_values=True):
        parts = re.findall(r"[^\[\]]+|\[\]", key)
        node: Any = root
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            if part == "[]":
                part = str(len(node))
            if last:
                node[part] = value
            else:
                node = node.setdefault(part, {})
    return _listify(root)


def _listify(node: Any) -> Any:
    if isinstance(node, dict):
        node = {k: _listify(v) for k, v in node.items()}
        if node and all(k.isdigit() for k in node):
            return [node[k] for k in sorted(node, key=int)]
    return node


def _list(data: list[dict[str, Any]], url: str) -> dict[str, Any]:
    return {"object": "list", "data": data, "has_more": False, "url": url}


class FakeStripe:
    """The state and the HTTP server. Use as a context manager or call start()/stop()."""

    def __init__(self) -> None:
        self.customers: dict[str, dict[str, Any]] = {}
        self.prices: dict[str, dict[str, Any]] = {}
        self.subscriptions: dict[str, dict[str, Any]] = {}
        self.checkout_sessions: dict[str, dict[str, Any]] = {}
        self.portal_sessions: dict[str, dict[str, Any]] = {}
        self.invoices: dict[str, dict[str, Any]] = {}
        self.requests: list[tuple[str, str]] = []
        self.lock = threading.RLock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle ----------------------------------------------------------------------------

    def start(self) -> FakeStripe:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _handle(self, method: str) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode() if length else ""
                params = parse_form(body if method == "POST" else parts.query)
                fake.requests.append((method, parts.path))
                status, payload = fake.dispatch(method, parts.path, params)
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Request-Id", new_id("req"))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                self._handle("GET")

            def do_POST(self) -> None:
                self._handle("POST")

            def do_DELETE(self) -> None:
                self._handle("DELETE")

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> FakeStripe:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- objects -----------------------------------------------------------------------------

    def add_price(self, price_id: str, *, amount: int, product: str = "") -> dict[str, Any]:
        price = {
            "id": price_id,
            "object": "price",
            "active": True,
            "currency": "eur",
            "unit_amount": amount,
            "unit_amount_decimal": str(amount),
            "type": "recurring",
            "recurring": {"interval": "month", "interval_count": 1, "usage_type": "licensed"},
            "product": product or f"prod_{price_id}",
            "livemode": False,
            "metadata": {},
            "created": int(time.time()),
            "billing_scheme": "per_unit",
            "nickname": None,
            "lookup_key": None,
            "tax_behavior": "unspecified",
            "tiers_mode": None,
            "transform_quantity": None,
        }
        self.prices[price_id] = price
        return price

    def _customer(self, params: dict[str, Any]) -> dict[str, Any]:
        customer: dict[str, Any] = {
            "id": new_id("cus"),
            "object": "customer",
            "email": params.get("email"),
            "name": params.get("name"),
            "metadata": params.get("metadata") or {},
            "created": int(time.time()),
            "livemode": False,
            "currency": "eur",
            "balance": 0,
            "delinquent": False,
            "description": None,
            "default_source": None,
            "invoice_settings": {"default_payment_method": None},
            "deleted": False,
        }
        self.customers[customer["id"]] = customer
        return customer

    def create_subscription(
        self,
        *,
        customer: str,
        price: str,
        status: str = "active",
        trial_end: int | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        now = int(time.time())
        period_end = trial_end or now + 30 * 86400
        sub_id = new_id("sub")
        subscription = {
            "id": sub_id,
            "object": "subscription",
            "customer": customer,
            "status": status,
            "metadata": metadata or {},
            "created": now,
            "start_date": now,
            "livemode": False,
            "cancel_at_period_end": False,
            "cancel_at": None,
            "canceled_at": None,
            "ended_at": None,
            "trial_start": now if trial_end else None,
            "trial_end": trial_end,
            "current_period_start": now,
            "current_period_end": period_end,
            "collection_method": "charge_automatically",
            "currency": "eur",
            "latest_invoice": None,
            "default_payment_method": None,
            "pause_collection": None,
            "items": _list([], f"/v1/subscription_items?subscription={sub_id}"),
        }
        self._set_price(subscription, price)
        self.subscriptions[sub_id] = subscription
        if status == "active":
            self._invoice(subscription)
        return subscription

    def _set_price(self, subscription: dict[str, Any], price_id: str) -> None:
        price = self.prices.get(price_id) or self.add_price(price_id, amount=1000)
        subscription["items"]["data"] = [
            {
                "id": new_id("si"),
                "object": "subscription_item",
                "price": price,
                "quantity": 1,
                "subscription": subscription["id"],
                "created": subscription["created"],
                "current_period_start": subscription["current_period_start"],
                "current_period_end": subscription["current_period_end"],
                "metadata": {},
            }
        ]
        subscription["plan"] = None

    def _invoice(self, subscription: dict[str, Any], *, paid: bool = True) -> dict[str, Any]:
        price = subscription["items"]["data"][0]["price"]
        invoice = {
            "id": new_id("in"),
            "object": "invoice",
            "customer": subscription["customer"],
            "subscription": subscription["id"],
            "status": "paid" if paid else "open",
            "paid": paid,
            "amount_due": price["unit_amount"],
            "amount_paid": price["unit_amount"] if paid else 0,
            "currency": "eur",
            "created": int(time.time()),
            "number": f"FAKE-{next(_ids)}",
            "hosted_invoice_url": "https://invoice.example/fake",
            "livemode": False,
            "period_start": subscription["current_period_start"],
            "period_end": subscription["current_period_end"],
        }
        self.invoices[invoice["id"]] = invoice
        subscription["latest_invoice"] = invoice["id"]
        return invoice

    def set_status(self, subscription_id: str, status: str) -> dict[str, Any]:
        with self.lock:
            subscription = self.subscriptions[subscription_id]
            subscription["status"] = status
            if status == "canceled":
                subscription["canceled_at"] = subscription["ended_at"] = int(time.time())
            return subscription

    def complete_checkout(self, session_id: str, *, status: str | None = None) -> dict[str, Any]:
        """What Stripe does when the customer pays: a subscription, the session completed."""
        with self.lock:
            session = self.checkout_sessions[session_id]
            data = session["_subscription_data"]
            trial_end = int(data["trial_end"]) if data.get("trial_end") else None
            subscription = self.create_subscription(
                customer=session["customer"],
                price=session["_price"],
                status=status or ("trialing" if trial_end else "active"),
                trial_end=trial_end,
                metadata=data.get("metadata") or {},
            )
            session.update(
                status="complete", payment_status="paid", subscription=subscription["id"]
            )
            return session

    def _public(self, obj: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in obj.items() if not k.startswith("_")}

    # --- HTTP --------------------------------------------------------------------------------

    def _missing(self, what: str) -> tuple[int, dict[str, Any]]:
        return 404, {
            "error": {
                "type": "invalid_request_error",
                "code": "resource_missing",
                "message": f"No such {what}",
            }
        }

    def dispatch(
        self, method: str, path: str, params: dict[str, Any]
    ) -> tuple[int, dict[str, Any]]:
        with self.lock:
            segments = path.strip("/").split("/")[1:]  # drop "v1"
            resource, rest = (segments[0], segments[1:]) if segments else ("", [])
            if resource == "customers":
                if method == "POST" and not rest:
                    return 200, self._customer(params)
                if rest == ["search"]:
                    match = re.search(r"metadata\['(\w+)'\]:'([^']*)'", params.get("query", ""))
                    found = [
                        c
                        for c in self.customers.values()
                        if match and str(c["metadata"].get(match.group(1))) == match.group(2)
                    ]
                    return 200, {
                        "object": "search_result",
                        "data": found,
                        "has_more": False,
                        "url": "/v1/customers/search",
                        "next_page": None,
                    }
                if rest:
                    customer = self.customers.get(rest[0])
                    if customer is None:
                        return self._missing("customer")
                    if method == "POST":
                        customer.update({k: v for k, v in params.items() if k != "expand"})
                    return 200, customer
            if resource == "prices" and rest:
                price = self.prices.get(rest[0])
                return (200, price) if price else self._missing("price")
            if resource == "subscriptions":
                if not rest and method == "GET":
                    found = [
                        s
                        for s in self.subscriptions.values()
                        if s["customer"] == params.get("customer")
                        and (params.get("status") == "all" or s["status"] != "canceled")
                    ]
                    return 200, _list(found, "/v1/subscriptions")
                if not rest and method == "POST":
                    price = params["items"][0]["price"]
                    return 200, self.create_subscription(
                        customer=params["customer"],
                        price=price,
                        metadata=params.get("metadata") or {},
                    )
                subscription = self.subscriptions.get(rest[0]) if rest else None
                if subscription is None:
                    return self._missing("subscription")
                if method == "POST":
                    for item in params.get("items") or []:
                        if item.get("price"):
                            self._set_price(subscription, item["price"])
                    if "cancel_at_period_end" in params:
                        subscription["cancel_at_period_end"] = (
                            params["cancel_at_period_end"] == "true"
                        )
                        subscription["cancel_at"] = (
                            subscription["current_period_end"]
                            if subscription["cancel_at_period_end"]
                            else None
                        )
                    if params.get("metadata"):
                        subscription["metadata"].update(params["metadata"])
                    subscription["_last_proration"] = params.get("proration_behavior")
                if method == "DELETE":
                    self.set_status(subscription["id"], "canceled")
                return 200, self._public(subscription)
            if resource == "checkout" and rest and rest[0] == "sessions":
                if method == "POST" and len(rest) == 1:
                    session_id = new_id("cs_test")
                    session = {
                        "id": session_id,
                        "object": "checkout.session",
                        "mode": params["mode"],
                        "status": "open",
                        "payment_status": "unpaid",
                        "customer": params.get("customer"),
                        "client_reference_id": params.get("client_reference_id"),
                        "metadata": params.get("metadata") or {},
                        "subscription": None,
                        "success_url": params.get("success_url"),
                        "cancel_url": params.get("cancel_url"),
                        "url": f"https://checkout.stripe.test/pay/{session_id}",
                        "livemode": False,
                        "created": int(time.time()),
                        "_price": params["line_items"][0]["price"],
                        "_subscription_data": params.get("subscription_data") or {},
                    }
                    self.checkout_sessions[session_id] = session
                    return 200, self._public(session)
                found_session = self.checkout_sessions.get(rest[1]) if len(rest) > 1 else None
                if found_session is None:
                    return self._missing("session")
                return 200, self._public(found_session)
            if resource == "billing_portal" and rest == ["sessions"] and method == "POST":
                session = {
                    "id": new_id("bps"),
                    "object": "billing_portal.session",
                    "customer": params["customer"],
                    "return_url": params.get("return_url"),
                    "url": f"https://billing.stripe.test/session/{params['customer']}",
                    "livemode": False,
                    "created": int(time.time()),
                }
                self.portal_sessions[session["id"]] = session
                return 200, session
            if resource == "invoices" and not rest:
                found = [
                    i for i in self.invoices.values() if i["customer"] == params.get("customer")
                ]
                found.sort(key=lambda i: i["created"], reverse=True)
                return 200, _list(found, "/v1/invoices")
            return 404, {
                "error": {
                    "type": "invalid_request_error",
                    "message": f"Unrecognized request URL ({method} {path})",
                }
            }


def sign_payload(payload: str, secret: str, timestamp: int | None = None) -> str:
    """The Stripe-Signature header for `payload`, computed as Stripe does (v1 = HMAC-SHA256)."""
    import stripe

    timestamp = int(time.time()) if timestamp is None else timestamp
    signature = stripe.WebhookSignature._compute_signature(f"{timestamp}.{payload}", secret)
    return f"t={timestamp},v1={signature}"


def event_payload(event_type: str, obj: dict[str, Any], *, event_id: str | None = None) -> str:
    return json.dumps(
        {
            "id": event_id or new_id("evt"),
            "object": "event",
            "type": event_type,
            "api_version": "2025-03-31.basil",
            "created": int(time.time()),
            "livemode": False,
            "pending_webhooks": 1,
            "request": {"id": None, "idempotency_key": None},
            "data": {"object": {k: v for k, v in obj.items() if not k.startswith("_")}},
        }
    )
