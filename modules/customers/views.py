"""Customers pages. Thin: they parse, call selectors and services, and render.

modules/urls.py wraps every view here in the central guard (membership, this tenant's switch,
plan, "customers.view_company"); the views add the finer permissions themselves.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from modules.http import HtmxHttpRequest

from . import selectors, services
from .forms import CompanyForm

PAGE_SIZE = 25
TABLE_ID = "customers-table"


@require_http_methods(["GET"])
def company_list(request: HtmxHttpRequest) -> HttpResponse:
    """The list; an HTMX request aimed at the table gets only the table (search, pages)."""
    search = request.GET.get("q", "").strip()
    rows = selectors.company_list(user=request.user, search=search)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "search": search, "table_id": TABLE_ID}
    if request.htmx and request.htmx.target == TABLE_ID:
        return render(request, "customers/_table.html", context)
    return render(request, "customers/list.html", context)


@permission_required("customers.add_company", raise_exception=True)
@require_http_methods(["GET", "POST"])
def company_create(request: HtmxHttpRequest) -> HttpResponse:
    form = CompanyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.company_create(actor=request.user, data=form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect("customers:list")
    return render(request, "customers/form.html", {"form": form, "object": None})


@permission_required("customers.change_company", raise_exception=True)
@require_http_methods(["GET", "POST"])
def company_edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    row = selectors.company_get_for_user(user=request.user, pk=pk)
    form = CompanyForm(request.POST or None, instance=row)
    if request.method == "POST" and form.is_valid():
        services.company_update(actor=request.user, row=row, data=form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect("customers:list")
    return render(request, "customers/form.html", {"form": form, "object": row})


@permission_required("customers.delete_company", raise_exception=True)
@require_http_methods(["GET", "POST"])
def company_delete(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation; only a POST deletes."""
    row = selectors.company_get_for_user(user=request.user, pk=pk)
    if request.method == "POST":
        services.company_delete(actor=request.user, row=row)
        messages.success(request, _("Deleted."))
        return redirect("customers:list")
    return render(request, "customers/confirm_delete.html", {"object": row})
