"""The public accept link of invitations (included by config/urls_public.py)."""

from django.urls import path

from . import views_members

urlpatterns = [
    path("invites/<str:token>/", views_members.invitation_accept, name="invitation-accept"),
]
