"""allauth's hooks: where a user lands after login or signup."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest

from .selectors import home_url_for_user


class AccountAdapter(DefaultAccountAdapter):
    """After login: the user's only workspace, else the picker. An explicit `next=` wins when
    allauth's is_safe_url accepts it (this site only: `//evil.example` and absolute URLs to
    other hosts are dropped)."""

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        return home_url_for_user(user=request.user)

    def get_signup_redirect_url(self, request: HttpRequest) -> str:
        if request.user.is_authenticated:
            return home_url_for_user(user=request.user)
        return super().get_signup_redirect_url(request)
