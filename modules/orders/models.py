"""Orders: tenant schema. Rows need no tenant id: the schema is the boundary."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Order(models.Model):
    number = models.CharField(_("number"), max_length=200)
    customer = models.ForeignKey(
        "customers.Company",
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    due = models.DateField(_("due"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("order")
        verbose_name_plural = _("orders")

    def __str__(self) -> str:
        return str(self.number)
