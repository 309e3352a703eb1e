"""What the Customers module brings to the tenant admin (read by modules/registry.py).

The shell mounts the URLs under /t/<slug>/m/customers/ and guards them: membership, this
tenant's switch, the plan and `permission` are checked before any view here runs.
"""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from modules.registry import DashboardWidget, Module, SidebarEntry, register

PERMISSIONS = [
    "customers.view_company",
    "customers.add_company",
    "customers.change_company",
    "customers.delete_company",
]

CONTACT_PERMISSIONS = [
    "customers.view_contact",
    "customers.add_contact",
    "customers.change_contact",
    "customers.delete_contact",
]


def widget_context(request: HttpRequest) -> dict[str, Any]:
    from .models import Company

    return {"count": Company.objects.count()}


register(
    Module(
        name="customers",
        label=_("Customers"),
        permission="customers.view_company",
        required_plan="base",
        grants={
            "owner": PERMISSIONS + CONTACT_PERMISSIONS,
            "moderator": PERMISSIONS + CONTACT_PERMISSIONS,
            # Collaborators keep the book current but do not delete customers.
            "collaborator": [
                "customers.view_company",
                "customers.add_company",
                "customers.change_company",
                "customers.view_contact",
                "customers.add_contact",
                "customers.change_contact",
            ],
        },
        widgets=[
            DashboardWidget(
                key="companies",
                label=_("Customers"),
                template="customers/_widget.html",
                context=widget_context,
                order=20,
            ),
        ],
        description=_("Customer companies and their contacts."),
        sidebar=[
            SidebarEntry(
                label=_("Customers"), url_name="customers:list", icon="building", order=20
            ),
        ],
        main_model="customers.Company",
        api_router="modules.customers.api.router",
    )
)
