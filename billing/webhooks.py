"""The Stripe webhook endpoint (public URLconf): verify, store once, process."""

from __future__ import annotations

import logging

import stripe
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .services import webhook_event_receive
from .stripe_api import StripeUnavailable

logger = logging.getLogger(__name__)


@csrf_exempt  # Stripe signs the body instead; the signature is checked below
@require_POST
def stripe_webhook(request: HttpRequest) -> HttpResponse:
    """400 and nothing stored for a bad signature; 200 once stored (or already seen)."""
    try:
        event = stripe.Webhook.construct_event(
            request.body.decode("utf-8"),
            request.headers.get("Stripe-Signature", ""),
            settings.STRIPE_WEBHOOK_SECRET,
            tolerance=settings.STRIPE_WEBHOOK_TOLERANCE,
        )
    except (ValueError, UnicodeDecodeError, stripe.SignatureVerificationError):
        logger.warning("Stripe webhook refused: bad payload or signature")
        return HttpResponse("invalid signature", status=400)
    try:
        processed = webhook_event_receive(event=event)
    except StripeUnavailable:
        logger.exception("Stripe webhook %s: Stripe unreachable, asking for a retry", event["id"])
        return HttpResponse("retry later", status=503)
    return JsonResponse({"received": True, "duplicate": not processed})
