"""The modules this project runs, in one place: settings read it, `startmodule` appends to it.

Each name is a tenant app `modules.<name>` (config/settings/base.py puts it in TENANT_APPS).
Order matters when one module points at another (orders -> customers): list the target first.
"""

INSTALLED_MODULES = [
    "customers",
    "orders",
]
