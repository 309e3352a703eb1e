"""The module registry: what each module declares, and who may reach it.

Modelled on Wagtail's hooks (`wagtail/hooks.py`, `admin/menu.py`) and Django's admin autodiscover:
each installed module (modules/installed.py) has a `hooks.py` that calls `register(Module(...))`
when the modules app is ready. The module says what it has (URLs, sidebar entries, dashboard
widgets, permissions granted to roles, periodic tasks, an API router); the registry decides who
reaches it. Every module URL goes through `module_access()` (mounted by modules/urls.py): a module
is never trusted to guard its own URLs alone.

Who reaches a module page, checked in this order:
1. an authenticated member of the tenant (anonymous: login redirect; not a member: 404;
   suspended: 403);
2. the module switched on for this tenant (ModuleSwitch; off: 404, as if it did not exist);
3. the tenant's plan includes it (else 402 with a page naming the plan that unlocks it: the user
   can do something about it, unlike a 404);
4. the user holds the module's permission in this tenant (else 403).

The admin shell calls `sidebar_entries(request)` and `dashboard_widgets(request)`: both already
filter by permission, plan and switch.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise

from billing.plans import PLANS as BILLING_PLANS

from .installed import INSTALLED_MODULES

# Plans, cheapest first. A module (or one of its entries) names the cheapest plan that includes it.
# The plan codes from cheapest to dearest: the billing catalog's order.
PLANS: tuple[str, ...] = tuple(BILLING_PLANS)
PLAN_LABELS = {"base": "Base", "pro": "Pro", "company": "Company"}


def tenant_plan(tenant: Any) -> str:
    """The tenant's plan, lower-cased. The one place that reads it (billing adds Tenant.plan)."""
    plan = str(getattr(tenant, "plan", "") or "base").lower()
    return plan if plan in PLANS else "base"


def plan_includes(plan: str, required: str) -> bool:
    """Does `plan` include what `required` (the cheapest plan that has it) includes?"""
    if not required:
        return True
    return PLANS.index(plan if plan in PLANS else "base") >= PLANS.index(required)


@dataclass
class SidebarEntry:
    """A link in the tenant admin's sidebar. Empty permission/plan: the module's own."""

    label: str | Promise
    url_name: str
    icon: str = "square"
    order: int = 100
    permission: str = ""
    plan: str = ""
    module: str = ""
    url: str = ""  # filled per request by sidebar_entries()


@dataclass
class DashboardWidget:
    """A card on the tenant dashboard: a template rendered with `context(request)`."""

    key: str
    label: str | Promise
    template: str
    context: Callable[[HttpRequest], Mapping[str, Any]] | None = None
    order: int = 100
    permission: str = ""
    plan: str = ""
    module: str = ""


@dataclass
class PeriodicTask:
    """A Celery beat entry; `schedule` is a crontab or seconds. Merged into config/celery.py."""

    name: str
    task: str
    schedule: Any
    kwargs: Mapping[str, Any] = field(default_factory=dict)


@dataclass
class Module:
    """What a module declares in its hooks.py.

    `permission` is the floor every one of its URLs requires; views may ask for more.
    `grants` maps built-in role names to the permissions the module gives them (synced into each
    tenant schema's groups on migrate, by accounts.roles). `main_model` ("app_label.Model") is what
    a `<name>:fk` field of a generated module points at. `api_router` is a dotted path to a
    django-ninja Router.
    """

    name: str
    label: str | Promise
    permission: str
    required_plan: str = "base"
    grants: Mapping[str, Iterable[str]] = field(default_factory=dict)
    sidebar: list[SidebarEntry] = field(default_factory=list)
    widgets: list[DashboardWidget] = field(default_factory=list)
    periodic_tasks: list[PeriodicTask] = field(default_factory=list)
    api_router: str = ""
    main_model: str = ""
    default_enabled: bool = True
    description: str | Promise = ""

    @property
    def url_prefix(self) -> str:
        return f"m/{self.name}/"

    @property
    def roles(self) -> list[str]:
        return sorted(role for role, perms in self.grants.items() if perms)


class Access(Enum):
    ALLOWED = "allowed"
    ANONYMOUS = "anonymous"
    NOT_MEMBER = "not_member"
    SUSPENDED = "suspended"
    SWITCHED_OFF = "switched_off"
    PLAN = "plan"
    PERMISSION = "permission"


class Registry:
    def __init__(self) -> None:
        self._modules: dict[str, Module] = {}
        self._lock = threading.Lock()
        self._discovered = False

    # --- filling ---------------------------------------------------------------------------------

    def register(self, module: Module) -> Module:
        from accounts.roles.definitions import BUILT_IN_ROLES

        if module.name not in INSTALLED_MODULES:
            raise ImproperlyConfigured(
                f"Module {module.name!r} registers itself but is not in modules/installed.py."
            )
        if module.required_plan not in PLANS:
            raise ImproperlyConfigured(
                f"Module {module.name!r}: unknown plan {module.required_plan!r}"
            )
        unknown = set(module.grants) - set(BUILT_IN_ROLES)
        if unknown:
            raise ImproperlyConfigured(f"Module {module.name!r} grants to unknown roles {unknown}")
        items: list[SidebarEntry | DashboardWidget] = [*module.sidebar, *module.widgets]
        for item in items:
            item.module = module.name
            item.permission = item.permission or module.permission
            item.plan = item.plan or module.required_plan
        with self._lock:
            self._modules[module.name] = module
        return module

    def autodiscover(self) -> None:
        """Import modules.<name>.hooks for each installed module (once; no database access)."""
        if self._discovered:
            return
        for name in INSTALLED_MODULES:
            importlib.import_module(f"modules.{name}.hooks")
            if name not in self._modules:
                raise ImproperlyConfigured(f"modules/{name}/hooks.py did not register the module.")
        self._discovered = True

    # --- reading ---------------------------------------------------------------------------------

    def modules(self) -> list[Module]:
        return [self._modules[name] for name in INSTALLED_MODULES if name in self._modules]

    def get(self, name: str) -> Module | None:
        return self._modules.get(name)

    def role_grants(self) -> dict[str, set[str]]:
        """Role -> permissions every module grants it (accounts.roles syncs them on migrate)."""
        grants: dict[str, set[str]] = {}
        for module in self.modules():
            for role, perms in module.grants.items():
                grants.setdefault(role, set()).update(perms)
        return grants

    def beat_schedule(self) -> dict[str, dict[str, Any]]:
        """The modules' periodic tasks as Celery beat entries (config/celery.py merges them)."""
        schedule: dict[str, dict[str, Any]] = {}
        for module in self.modules():
            for task in module.periodic_tasks:
                schedule[f"{module.name}-{task.name}"] = {
                    "task": task.task,
                    "schedule": task.schedule,
                    "kwargs": dict(task.kwargs),
                }
        return schedule

    def api_routers(self) -> list[tuple[str, Any]]:
        """(prefix, django-ninja Router) of every module that has one, for the tenant API."""
        from django.utils.module_loading import import_string

        return [
            (f"/{module.name}/", import_string(module.api_router))
            for module in self.modules()
            if module.api_router
        ]


registry = Registry()
register = registry.register


# --- access: the one guard every module URL goes through ------------------------------------------


def module_switches(request: HttpRequest) -> dict[str, bool]:
    """This tenant's switches, read once per request (Redis-cached: no SQL when warm)."""
    cached = getattr(request, "_module_switches", None)
    if cached is None:
        from .selectors import switches_for_tenant

        cached = switches_for_tenant(tenant_id=request.tenant.pk)  # type: ignore[attr-defined]
        request._module_switches = cached  # type: ignore[attr-defined]
    return cached


def module_enabled(request: HttpRequest, module: Module) -> bool:
    """Switched on for this tenant (its own switch, or the module's default)."""
    return module_switches(request).get(module.name, module.default_enabled)


def request_membership(request: HttpRequest) -> Any:
    """The user's membership of request.tenant: the gate middleware's, or one query of our own."""
    if hasattr(request, "membership"):
        return request.membership
    from accounts.models import Membership

    membership = Membership.objects.filter(
        user_id=int(request.user.pk or 0),
        tenant_id=request.tenant.pk,  # type: ignore[attr-defined]
    ).first()
    request.membership = membership  # type: ignore[attr-defined]
    return membership


def member_access(request: HttpRequest) -> Access:
    """Steps 1 of the module guard, shared with other tenant pages (the module switches page)."""
    if not request.user.is_authenticated:
        return Access.ANONYMOUS
    membership = request_membership(request)
    if membership is None:
        return Access.NOT_MEMBER
    if getattr(membership, "status", "active") != "active":
        return Access.SUSPENDED
    return Access.ALLOWED


def module_access(request: HttpRequest, module: Module) -> Access:
    """Whether request.user may open `module` in request.tenant, and if not, why."""
    access = member_access(request)
    if access is not Access.ALLOWED:
        return access
    if not module_enabled(request, module):
        return Access.SWITCHED_OFF
    if not plan_includes(tenant_plan(request.tenant), module.required_plan):  # type: ignore[attr-defined]
        return Access.PLAN
    if not request.user.has_perm(module.permission):
        return Access.PERMISSION
    return Access.ALLOWED


def _visible(request: HttpRequest, module: Module, permission: str, plan: str) -> bool:
    return (
        module_enabled(request, module)
        and plan_includes(tenant_plan(request.tenant), module.required_plan)  # type: ignore[attr-defined]
        and plan_includes(tenant_plan(request.tenant), plan)  # type: ignore[attr-defined]
        and request.user.has_perm(module.permission)
        and request.user.has_perm(permission)
    )


def sidebar_entries(request: HttpRequest) -> list[SidebarEntry]:
    """The sidebar links this user may follow in this tenant, sorted, with their URLs."""
    if member_access(request) is not Access.ALLOWED:
        return []
    entries: list[SidebarEntry] = []
    for module in registry.modules():
        for entry in module.sidebar:
            if not _visible(request, module, entry.permission, entry.plan):
                continue
            try:
                url = reverse(entry.url_name)
            except NoReverseMatch:
                continue
            entries.append(
                SidebarEntry(**{**entry.__dict__, "url": url})  # a copy: the registry is shared
            )
    return sorted(entries, key=lambda item: (item.order, str(item.label)))


def dashboard_widgets(request: HttpRequest) -> list[dict[str, Any]]:
    """Dashboard cards this user may see: {"widget": DashboardWidget, "context": {...}}."""
    if member_access(request) is not Access.ALLOWED:
        return []
    widgets: list[dict[str, Any]] = []
    for module in registry.modules():
        for widget in module.widgets:
            if not _visible(request, module, widget.permission, widget.plan):
                continue
            context = dict(widget.context(request)) if widget.context else {}
            widgets.append({"widget": widget, "template": widget.template, "context": context})
    return sorted(widgets, key=lambda item: (item["widget"].order, str(item["widget"].label)))
