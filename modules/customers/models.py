"""Customers: tenant schema. Rows need no tenant id: the schema is the boundary."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Company(models.Model):
    name = models.CharField(_("name"), max_length=200)
    vat_number = models.CharField(_("vat number"), max_length=200)
    email = models.CharField(_("email"), max_length=200)
    phone = models.CharField(_("phone"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("company")
        verbose_name_plural = _("customers")

    def __str__(self) -> str:
        return str(self.name)
