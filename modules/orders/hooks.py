"""What the Orders module brings to the tenant admin (read by modules/registry.py).

The shell mounts the URLs under /t/<slug>/m/orders/ and guards them: membership, this
tenant's switch, the plan and `permission` are checked before any view here runs.
"""

from typing import Any

from celery.schedules import crontab
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from modules.registry import DashboardWidget, Module, PeriodicTask, SidebarEntry, register

PERMISSIONS = [
    "orders.view_order",
    "orders.add_order",
    "orders.change_order",
    "orders.delete_order",
]

STAFF = ["orders.view_all_orders", "orders.view_orderline", "orders.add_orderline"]


def widget_context(request: HttpRequest) -> dict[str, Any]:
    from .models import Order
    from .selectors import order_visible_to

    open_states = [Order.Status.DRAFT, Order.Status.CONFIRMED, Order.Status.SHIPPED]
    rows = Order.objects.filter(order_visible_to(request.user), status__in=open_states)
    return {"count": rows.count()}


register(
    Module(
        name="orders",
        label=_("Orders"),
        permission="orders.view_order",
        required_plan="base",
        grants={
            "owner": [*PERMISSIONS, *STAFF],
            "moderator": [*PERMISSIONS, *STAFF],
            "collaborator": [
                "orders.view_order",
                "orders.add_order",
                "orders.change_order",
                *STAFF,
            ],
            # Customers and suppliers see only their own orders (selectors.order_visible_to).
            "customer": ["orders.view_order"],
            "supplier": ["orders.view_order"],
        },
        widgets=[
            DashboardWidget(
                key="open-orders",
                label=_("Open orders"),
                template="orders/_widget.html",
                context=widget_context,
                order=30,
            ),
        ],
        periodic_tasks=[
            PeriodicTask(
                name="overdue",
                task="modules.orders.tasks.orders_report_overdue",
                schedule=crontab(minute=0, hour=6),
            ),
        ],
        description=_("Orders of customer companies, with lines and a status."),
        sidebar=[
            SidebarEntry(label=_("Orders"), url_name="orders:list", icon="cart", order=30),
        ],
        main_model="orders.Order",
        api_router="modules.orders.api.router",
    )
)
