"""Public URLs of the accounts app (included at the site root, before allauth's /accounts/)."""

from django.urls import path

from . import views

urlpatterns = [
    path("workspaces/", views.workspaces, name="workspaces"),
    path("workspaces/new/", views.workspace_create, name="workspace-create"),
    path("accounts/profile/", views.profile, name="account_profile"),
    path("accounts/sessions/", views.sessions, name="account_sessions"),
    path(
        "accounts/sessions/end-others/",
        views.sessions_end_others,
        name="account_sessions_end_others",
    ),
    path(
        "accounts/sessions/<str:session_id>/end/",
        views.session_end_view,
        name="account_session_end",
    ),
]
