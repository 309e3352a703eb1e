"""What the Customers module brings to the tenant admin (read by modules/registry.py).

The shell mounts the URLs under /t/<slug>/m/customers/ and guards them: membership, this
tenant's switch, the plan and `permission` are checked before any view here runs.
"""

from django.utils.translation import gettext_lazy as _

from modules.registry import Module, SidebarEntry, register

PERMISSIONS = [
    "customers.view_company",
    "customers.add_company",
    "customers.change_company",
    "customers.delete_company",
]

register(
    Module(
        name="customers",
        label=_("Customers"),
        permission="customers.view_company",
        required_plan="base",
        grants={
            "owner": PERMISSIONS,
            "moderator": PERMISSIONS,
            "collaborator": PERMISSIONS,
        },
        sidebar=[
            SidebarEntry(label=_("Customers"), url_name="customers:list", icon="customers"),
        ],
        main_model="customers.Company",
        api_router="modules.customers.api.router",
    )
)
