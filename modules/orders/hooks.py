"""What the Orders module brings to the tenant admin (read by modules/registry.py).

The shell mounts the URLs under /t/<slug>/m/orders/ and guards them: membership, this
tenant's switch, the plan and `permission` are checked before any view here runs.
"""

from django.utils.translation import gettext_lazy as _

from modules.registry import Module, SidebarEntry, register

PERMISSIONS = [
    "orders.view_order",
    "orders.add_order",
    "orders.change_order",
    "orders.delete_order",
]

register(
    Module(
        name="orders",
        label=_("Orders"),
        permission="orders.view_order",
        required_plan="base",
        grants={
            "owner": PERMISSIONS,
            "moderator": PERMISSIONS,
            "collaborator": PERMISSIONS,
            "customer": PERMISSIONS,
            "supplier": PERMISSIONS,
        },
        sidebar=[
            SidebarEntry(label=_("Orders"), url_name="orders:list", icon="orders"),
        ],
        main_model="orders.Order",
        api_router="modules.orders.api.router",
    )
)
