"""The one door to the Stripe API: keys and base URL from settings, errors made explicit.

Everything in the project that talks to Stripe goes through `stripe_call`, so tests can point the
library at a local fake (STRIPE_API_BASE) and the policy benchmark can count calls.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any, TypeVar

import stripe
from django.conf import settings

logger = logging.getLogger(__name__)
T = TypeVar("T")

DEFAULT_API_BASE = "https://api.stripe.com"


class StripeUnavailable(Exception):
    """Stripe could not be reached or answered with an error: decide nothing destructive."""


class _Counter:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.value = 0

    def increment(self) -> None:
        with self._lock:
            self.value += 1


calls = _Counter()


def stripe_configure() -> None:
    """Point the stripe library at the configured key and API base (the fake one in tests)."""
    stripe.api_key = settings.STRIPE_SECRET_KEY or None
    stripe.api_base = settings.STRIPE_API_BASE or DEFAULT_API_BASE
    stripe.max_network_retries = 0 if settings.STRIPE_API_BASE else 2


def stripe_call(function: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
    """Call one stripe-library function; any failure becomes StripeUnavailable.

    `stripe.InvalidRequestError` for a missing object is re-raised as is: the caller decides what
    "does not exist" means.
    """
    stripe_configure()
    calls.increment()
    try:
        return function(*args, **kwargs)
    except stripe.InvalidRequestError as error:
        if getattr(error, "http_status", None) == 404:
            raise
        raise StripeUnavailable(str(error)) from error
    except stripe.StripeError as error:
        logger.warning("Stripe API error: %s", error)
        raise StripeUnavailable(str(error)) from error
