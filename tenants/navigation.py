"""The tenant admin's sidebar: core pages and what modules register, filtered per user."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavEntry:
    label: str | Promise
    url_name: str
    icon: str
    permission: str | None = None
    order: int = 100
    section: str | Promise = ""

    def url(self, request: HttpRequest) -> str | None:
        try:
            return reverse(self.url_name, urlconf=getattr(request, "urlconf", None))
        except NoReverseMatch:
            return None


CORE_ENTRIES: list[NavEntry] = [
    NavEntry(_("Dashboard"), "tenant-home", "home", "roles.view_dashboard", order=0),
    NavEntry(
        _("Members"), "members", "users", "roles.view_member", order=60, section=_("Workspace")
    ),
    NavEntry(_("Roles"), "roles", "shield", "roles.view_member", order=70, section=_("Workspace")),
    NavEntry(
        _("Audit log"),
        "audit-log",
        "list",
        "roles.view_audit_log",
        order=80,
        section=_("Workspace"),
    ),
    NavEntry(
        _("Billing"),
        "billing:overview",
        "card",
        "roles.manage_billing",
        order=75,
        section=_("Workspace"),
    ),
    NavEntry(
        _("API keys"),
        "api-keys",
        "key",
        "roles.manage_api_keys",
        order=88,
        section=_("Workspace"),
    ),
    NavEntry(
        _("Settings"),
        "tenant-settings",
        "settings",
        "roles.manage_settings",
        order=90,
        section=_("Workspace"),
    ),
    NavEntry(
        _("Modules"),
        "module-settings",
        "grid",
        "roles.manage_settings",
        order=85,
        section=_("Workspace"),
    ),
]


def nav_entries(request: HttpRequest) -> list[dict[str, object]]:
    """The entries this user may open in this tenant, in order, with their URL and state."""
    user = request.user
    entries = sorted(CORE_ENTRIES, key=lambda entry: entry.order)
    items: list[dict[str, object]] = []
    for entry in entries:
        if entry.permission and not user.has_perm(entry.permission):
            continue
        url = entry.url(request)
        if url is None:
            continue
        active = (
            request.path == url if entry.url_name == "tenant-home" else request.path.startswith(url)
        )
        items.append(
            {
                "label": entry.label,
                "url": url,
                "icon": entry.icon,
                "active": active,
                "section": entry.section,
            }
        )
    # What modules register (already filtered by membership, switch, plan and permission) goes
    # between the dashboard and the workspace pages.
    from modules.registry import sidebar_entries

    module_items: list[dict[str, object]] = [
        {
            "label": e.label,
            "url": e.url,
            "icon": e.icon,
            "active": request.path.startswith(e.url),
            "section": _("Modules"),
        }
        for e in sidebar_entries(request)
    ]
    return items[:1] + module_items + items[1:]
