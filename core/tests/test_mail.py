from __future__ import annotations

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.console import EmailBackend as ConsoleBackend

from core.mail import ResendBackend
from core.services import email_send

from .fake_resend import FakeResend


@pytest.fixture
def fake_resend(settings):
    with FakeResend() as server:
        settings.RESEND_API_KEY = server.api_key
        settings.RESEND_API_URL = server.url
        yield server


def test_without_a_resend_key_mail_goes_to_the_console(settings, capsys):
    settings.RESEND_API_KEY = ""
    connection = get_connection("core.mail.EmailBackend")
    assert isinstance(connection, ConsoleBackend)
    EmailMultiAlternatives(
        "Hello", "Body text", "a@example.com", ["b@example.com"], connection=connection
    ).send()
    assert "Subject: Hello" in capsys.readouterr().out


def test_with_a_resend_key_mail_goes_through_resend(fake_resend):
    connection = get_connection("core.mail.EmailBackend")
    assert isinstance(connection, ResendBackend)
    message = EmailMultiAlternatives(
        "Welcome",
        "Plain body",
        "TenantHawk <no-reply@example.com>",
        ["new@example.com"],
        connection=connection,
        reply_to=["help@example.com"],
    )
    message.attach_alternative("<p>HTML body</p>", "text/html")
    assert message.send() == 1
    assert fake_resend.sent == [
        {
            "from": "TenantHawk <no-reply@example.com>",
            "to": ["new@example.com"],
            "subject": "Welcome",
            "text": "Plain body",
            "html": "<p>HTML body</p>",
            "reply_to": ["help@example.com"],
        }
    ]


def test_a_resend_error_is_raised_unless_failing_silently(fake_resend):
    fake_resend.fail_next = 2
    loud = get_connection("core.mail.EmailBackend")
    with pytest.raises(Exception, match="Internal server error"):
        EmailMultiAlternatives("x", "y", "a@example.com", ["b@example.com"], connection=loud).send()
    quiet = get_connection("core.mail.EmailBackend", fail_silently=True)
    assert (
        EmailMultiAlternatives(
            "x", "y", "a@example.com", ["b@example.com"], connection=quiet
        ).send()
        == 0
    )
    assert fake_resend.sent == []


def test_a_wrong_resend_key_is_refused(fake_resend, settings):
    settings.RESEND_API_KEY = "re_wrong"
    connection = get_connection("core.mail.EmailBackend")
    with pytest.raises(Exception, match="API key is invalid"):
        EmailMultiAlternatives(
            "x", "y", "a@example.com", ["b@example.com"], connection=connection
        ).send()


def test_email_send_waits_for_the_commit_and_goes_through_a_task(
    db, settings, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    from config.celery import app

    app.conf.task_always_eager = True
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            email_send(to=["x@example.com"], subject="Later", body="After commit")
        assert mail.outbox == []  # nothing is sent while the transaction is open
        assert len(callbacks) == 1
        callbacks[0]()
    finally:
        app.conf.task_always_eager = False
    assert [m.subject for m in mail.outbox] == ["Later"]
