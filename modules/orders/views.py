"""Orders pages. Thin: they parse, call selectors and services, and render.

modules/urls.py wraps every view here in the central guard (membership, this tenant's switch,
plan, "orders.view_order"); the views add the finer permissions themselves.
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
from .forms import OrderForm

PAGE_SIZE = 25
TABLE_ID = "orders-table"


@require_http_methods(["GET"])
def order_list(request: HtmxHttpRequest) -> HttpResponse:
    """The list; an HTMX request aimed at the table gets only the table (search, pages)."""
    search = request.GET.get("q", "").strip()
    rows = selectors.order_list(user=request.user, search=search)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "search": search, "table_id": TABLE_ID}
    if request.htmx and request.htmx.target == TABLE_ID:
        return render(request, "orders/_table.html", context)
    return render(request, "orders/list.html", context)


@permission_required("orders.add_order", raise_exception=True)
@require_http_methods(["GET", "POST"])
def order_create(request: HtmxHttpRequest) -> HttpResponse:
    form = OrderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.order_create(actor=request.user, data=form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect("orders:list")
    return render(request, "orders/form.html", {"form": form, "object": None})


@permission_required("orders.change_order", raise_exception=True)
@require_http_methods(["GET", "POST"])
def order_edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    row = selectors.order_get_for_user(user=request.user, pk=pk)
    form = OrderForm(request.POST or None, instance=row)
    if request.method == "POST" and form.is_valid():
        services.order_update(actor=request.user, row=row, data=form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect("orders:list")
    return render(request, "orders/form.html", {"form": form, "object": row})


@permission_required("orders.delete_order", raise_exception=True)
@require_http_methods(["GET", "POST"])
def order_delete(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation; only a POST deletes."""
    row = selectors.order_get_for_user(user=request.user, pk=pk)
    if request.method == "POST":
        services.order_delete(actor=request.user, row=row)
        messages.success(request, _("Deleted."))
        return redirect("orders:list")
    return render(request, "orders/confirm_delete.html", {"object": row})
