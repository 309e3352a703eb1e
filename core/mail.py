"""An e-mail backend that sends through Resend when RESEND_API_KEY is set, else to the console."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.console import EmailBackend as ConsoleBackend

logger = logging.getLogger(__name__)


class ResendBackend(BaseEmailBackend):
    """Sends each message with the Resend SDK (https://resend.com/docs/send-with-python)."""

    def __init__(self, fail_silently: bool = False, **kwargs: Any) -> None:
        super().__init__(fail_silently=fail_silently, **kwargs)
        import resend

        resend.api_key = settings.RESEND_API_KEY
        if settings.RESEND_API_URL:  # tests point the SDK at a local fake of Resend's API
            resend.api_url = settings.RESEND_API_URL.rstrip("/")
        self._resend = resend

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        sent = 0
        for message in email_messages:
            params: dict[str, Any] = {
                "from": message.from_email or settings.DEFAULT_FROM_EMAIL,
                "to": list(message.to),
                "subject": message.subject,
                "text": message.body,
            }
            if message.cc:
                params["cc"] = list(message.cc)
            if message.bcc:
                params["bcc"] = list(message.bcc)
            if message.reply_to:
                params["reply_to"] = list(message.reply_to)
            if isinstance(message, EmailMultiAlternatives):
                for content, mimetype in message.alternatives:
                    if mimetype == "text/html":
                        params["html"] = content
            try:
                self._resend.Emails.send(params)  # type: ignore[arg-type]
            except Exception:
                logger.exception("Resend refused a message to %s", params["to"])
                if not self.fail_silently:
                    raise
                continue
            sent += 1
        return sent


def EmailBackend(*args: Any, **kwargs: Any) -> BaseEmailBackend:
    """Pick the backend when mail is sent, so a key set at run time takes effect."""
    if settings.RESEND_API_KEY:
        return ResendBackend(*args, **kwargs)
    return ConsoleBackend(*args, **kwargs)
