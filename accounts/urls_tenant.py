"""Tenant URLs of the members, roles and API keys pages (included by config/urls_tenant.py)."""

from django.urls import path

from . import views_api_keys as api_keys
from . import views_members as members
from .roles import views as roles

urlpatterns = [
    path("members/", members.member_list, name="members"),
    path("members/invite/", members.invitation_create, name="member-invite"),
    path("members/<int:membership_id>/", members.member_detail, name="member-detail"),
    path("members/<int:membership_id>/roles/", members.member_roles_change, name="member-roles"),
    path("members/<int:membership_id>/suspend/", members.member_suspend, name="member-suspend"),
    path(
        "members/<int:membership_id>/reactivate/",
        members.member_reactivate,
        name="member-reactivate",
    ),
    path("members/<int:membership_id>/remove/", members.member_remove, name="member-remove"),
    path(
        "members/<int:membership_id>/transfer-ownership/",
        members.member_transfer_ownership,
        name="member-transfer-ownership",
    ),
    path(
        "members/invitations/<int:invitation_id>/resend/",
        members.invitation_resend,
        name="invitation-resend",
    ),
    path(
        "members/invitations/<int:invitation_id>/revoke/",
        members.invitation_revoke,
        name="invitation-revoke",
    ),
    path("api-keys/", api_keys.api_key_list, name="api-keys"),
    path("api-keys/<int:key_id>/revoke/", api_keys.api_key_revoke, name="api-key-revoke"),
    path("roles/", roles.role_list, name="roles"),
    path("roles/new/", roles.role_create, name="role-create"),
    path("roles/<int:group_id>/edit/", roles.role_edit, name="role-edit"),
    path("roles/<int:group_id>/delete/", roles.role_delete, name="role-delete"),
]
