"""Every URL answers bad or missing input with a 4xx or a page, never a 500.

All patterns of both URLconfs are requested as an owner of a tenant, with GET and with an empty
POST; path parameters get values that match nothing (999999, "nope"). The superadmin, allauth,
dj-stripe and the API's generated docs are third-party code and excluded.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

SKIP_PREFIXES = ("superadmin/", "accounts/", "i18n/", "hijack/", "stripe/", "api/", "__")
PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def _patterns(urlconf: str) -> Iterator[str]:
    def walk(patterns, prefix: str) -> Iterator[str]:
        for entry in patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns, route)
            elif isinstance(entry, URLPattern):
                yield route

    yield from walk(get_resolver(urlconf).url_patterns, "")


def _concrete(route: str) -> str:
    def value(match: re.Match[str]) -> str:
        return "999999" if match.group("converter") == "int" else "nope"

    return PARAMETER.sub(value, route).lstrip("^").rstrip("$").replace("\\Z", "")


def _routes(urlconf: str) -> list[str]:
    routes = sorted({_concrete(route) for route in _patterns(urlconf)})
    return [route for route in routes if not route.startswith(SKIP_PREFIXES) and "(?P" not in route]


@pytest.mark.parametrize("route", _routes("config.urls_tenant"))
def test_tenant_urls_never_answer_500(client, tenant, owner, route):
    client.force_login(owner)
    client.raise_request_exception = False
    for response in (client.get(f"/t/acme/{route}"), client.post(f"/t/acme/{route}", {})):
        assert response.status_code < 500, (route, response.status_code)


@pytest.mark.parametrize("route", _routes("config.urls_public"))
def test_public_urls_never_answer_500(client, tenant, owner, route):
    client.raise_request_exception = False
    for response in (client.get(f"/{route}"), client.post(f"/{route}", {})):
        assert response.status_code < 500, (route, response.status_code)
    client.force_login(owner)
    for response in (client.get(f"/{route}"), client.post(f"/{route}", {})):
        assert response.status_code < 500, (route, response.status_code)
