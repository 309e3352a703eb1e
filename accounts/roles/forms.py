"""The custom role form: a name and permissions chosen from the tenant's."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.auth.models import Permission
from django.utils.translation import gettext_lazy as _

from accounts.selectors import role_permission_choices


class RoleForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    permissions = forms.ModelMultipleChoiceField(
        label=_("Permissions"),
        queryset=Permission.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelMultipleChoiceField, self.fields["permissions"])
        field.queryset = role_permission_choices()

    def permission_groups(self) -> list[tuple[str, list[Any]]]:
        """The checkboxes grouped by app, for the template."""
        selected = {str(value) for value in (self["permissions"].value() or [])}
        groups: dict[str, list[Any]] = {}
        field = cast(forms.ModelMultipleChoiceField, self.fields["permissions"])
        for perm in field.queryset or []:
            groups.setdefault(perm.content_type.app_label, []).append(
                {"pk": perm.pk, "name": perm.name, "checked": str(perm.pk) in selected}
            )
        return list(groups.items())
