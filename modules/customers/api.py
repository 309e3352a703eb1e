"""The Customers API: a django-ninja router the tenant API mounts (modules.registry.api_routers).

Authentication is the tenant API's (API keys); permissions are checked here, per operation.
"""

from __future__ import annotations

from typing import Any

from ninja import ModelSchema, Router
from ninja.errors import HttpError

from . import selectors
from .models import Company

router = Router(tags=["Customers"])


class CompanyOut(ModelSchema):
    class Meta:
        model = Company
        fields = ["id", "name", "vat_number", "email", "phone", "notes", "created_at"]


def _require(request: Any, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise HttpError(403, "You do not have permission to do this.")


@router.get("/", response=list[CompanyOut])
def company_list_api(request: Any, q: str = "", limit: int = 100) -> Any:
    _require(request, "customers.view_company")
    return list(selectors.company_list(user=request.user, search=q)[: min(limit, 500)])


@router.get("/{pk}", response=CompanyOut)
def company_get_api(request: Any, pk: int) -> Any:
    _require(request, "customers.view_company")
    return selectors.company_get_for_user(user=request.user, pk=pk)
