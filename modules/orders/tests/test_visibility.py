"""Who sees which orders, and what the list page costs (grown by hand after generation)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django_tenants.utils import schema_context

from modules.customers.models import Company, Contact
from modules.orders.models import Order, OrderLine

LIST = "/t/acme/m/orders/"


@pytest.fixture
def book(tenant: Any, member_factory: Any) -> dict[str, Any]:
    """Two customer companies, a customer login linked to the first, a supplier with one order."""
    people = {
        role: member_factory(tenant, role, f"{role}@acme.example")
        for role in ("owner", "moderator", "collaborator", "customer", "supplier", "member")
    }
    with schema_context(tenant.schema_name):
        mine = Company.objects.create(name="Mine Ltd")
        theirs = Company.objects.create(name="Theirs Ltd")
        Contact.objects.create(company=mine, name="Carla", user=people["customer"])
        orders = {
            "mine": Order.objects.create(number="A-1", customer=mine),
            "theirs": Order.objects.create(number="B-1", customer=theirs),
            "supplied": Order.objects.create(
                number="C-1", customer=theirs, supplier=people["supplier"]
            ),
        }
        OrderLine.objects.create(
            order=orders["mine"], description="Bolts", quantity=3, unit_price=Decimal("2.50")
        )
    return {"people": people, "orders": orders}


def _visible(client: Any, user: Any) -> set[str]:
    client.force_login(user)
    response = client.get(LIST)
    assert response.status_code == 200
    return {
        number for number in ("A-1", "B-1", "C-1") if f">{number}<".encode() in response.content
    }


@pytest.mark.parametrize("role", ["owner", "moderator", "collaborator"])
def test_staff_see_every_order(client, book, role):
    assert _visible(client, book["people"][role]) == {"A-1", "B-1", "C-1"}


def test_a_customer_sees_only_the_orders_of_their_company(client, book):
    assert _visible(client, book["people"]["customer"]) == {"A-1"}


def test_a_supplier_sees_only_the_orders_assigned_to_them(client, book):
    assert _visible(client, book["people"]["supplier"]) == {"C-1"}


def test_a_member_without_the_permission_gets_403(client, book):
    client.force_login(book["people"]["member"])
    assert client.get(LIST).status_code == 403


def test_a_customer_cannot_open_another_companys_order_by_id(client, book):
    client.force_login(book["people"]["customer"])
    theirs = book["orders"]["theirs"]
    # No change permission: 403 before the lookup; the API's lookup is scoped: 404.
    assert client.get(f"{LIST}{theirs.pk}/edit/").status_code == 403


def test_the_api_applies_the_same_visibility(tenant, book):
    from ninja.testing import TestClient

    from modules.orders.api import router

    api = TestClient(router)
    with schema_context(tenant.schema_name):
        rows = api.get("/", user=book["people"]["customer"]).json()
        assert [row["number"] for row in rows] == ["A-1"]
        other = api.get(f"/{book['orders']['theirs'].pk}", user=book["people"]["customer"])
        assert other.status_code == 404


def test_the_list_shows_the_total_of_the_lines(client, book):
    client.force_login(book["people"]["owner"])
    assert b"7.50" in client.get(LIST).content


@pytest.mark.parametrize("role", ["owner", "customer"])
def test_the_list_costs_the_same_queries_for_5_and_50_orders(
    client, tenant, book, role, django_assert_num_queries
):
    """Pinned query count: no query per row (customer, total and visibility are joined)."""
    user = book["people"][role]
    client.force_login(user)
    counts = []
    for size in (5, 50):
        with schema_context(tenant.schema_name):
            company = Company.objects.get(name="Mine Ltd")
            existing = Order.objects.count()
            for index in range(existing, size):
                order = Order.objects.create(number=f"N-{index}", customer=company)
                OrderLine.objects.create(order=order, description="x", unit_price=1)
        client.get(LIST)  # warm the routing and switch caches
        # SET search_path (once per connection: TENANT_LIMIT_SET_CALLS), user, memberships,
        # permissions, count, rows.
        with django_assert_num_queries(6) as captured:
            assert client.get(LIST).status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]
