""".env.example documents every variable the settings read (fails when one is added silently)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from deploy.tests.helpers import ROOT

ENV_EXAMPLE = ROOT / ".env.example"
SOURCES = [*sorted((ROOT / "config" / "settings").glob("*.py")), ROOT / "config" / "celery.py"]
# What the Stripe, LiteLLM, n8n, archive and session code needs, whether or not it is read yet.
ALSO_REQUIRED = {
    "STRIPE_SECRET_KEY", "STRIPE_PUBLISHABLE_KEY", "STRIPE_WEBHOOK_SECRET", "STRIPE_PRICE_BASE",
    "STRIPE_PRICE_PRO", "STRIPE_PRICE_COMPANY", "STRIPE_LIVE_MODE", "LITELLM_URL",
    "LITELLM_MASTER_KEY", "DEEPSEEK_API_KEY", "MISTRAL_API_KEY", "OPENAI_API_KEY",
    "N8N_ENCRYPTION_KEY", "TENANT_ARCHIVE_DIR", "TENANT_ARCHIVE_RETENTION_DAYS",
    "SESSION_IDLE_TIMEOUT", "RESEND_API_KEY", "DEFAULT_FROM_EMAIL", "SITE_URL",
    "DJANGO_ALLOWED_HOSTS", "DJANGO_CSRF_TRUSTED_ORIGINS", "DATABASE_URL", "REDIS_URL",
    "POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB", "ACME_EMAIL",
}  # fmt: skip


def _is_env_call(func: ast.expr) -> bool:
    """env(...), env.bool(...), env.list(...), ... and os.environ.get / os.getenv / setdefault."""
    if isinstance(func, ast.Name):
        return func.id == "env"
    if isinstance(func, ast.Attribute):
        owner = func.value
        if isinstance(owner, ast.Name) and owner.id == "env":
            return True
        if isinstance(owner, ast.Name) and owner.id == "os" and func.attr == "getenv":
            return True
        return ast.unparse(owner) == "os.environ" and func.attr in {"get", "setdefault", "pop"}
    return False


def variables_read(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call) and _is_env_call(node.func) and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                names.add(first.value)
        elif (
            isinstance(node, ast.Subscript)
            and ast.unparse(node.value) == "os.environ"
            and isinstance(node.slice, ast.Constant)
            and isinstance(node.slice.value, str)
        ):
            names.add(node.slice.value)
    return names


def documented() -> set[str]:
    """NAME=... lines, active or commented out (# NAME=...)."""
    pattern = re.compile(r"^(?:#\s*)?([A-Z][A-Z0-9_]*)=", re.MULTILINE)
    return set(pattern.findall(ENV_EXAMPLE.read_text()))


def test_the_scanner_finds_what_the_settings_read() -> None:
    """Guards the scanner itself: a few variables every settings file is known to read."""
    read = set().union(*(variables_read(path) for path in SOURCES))
    assert {"DJANGO_SECRET_KEY", "DJANGO_DEBUG", "DATABASE_URL", "SESSION_IDLE_TIMEOUT"} <= read
    assert "DJANGO_SETTINGS_MODULE" in read  # os.environ in config/celery.py


def test_every_variable_read_by_the_settings_is_in_env_example() -> None:
    read = set().union(*(variables_read(path) for path in SOURCES))
    missing = read - documented()
    assert not missing, f"add these to .env.example, with a comment: {sorted(missing)}"


def test_integration_and_deploy_variables_are_in_env_example() -> None:
    missing = ALSO_REQUIRED - documented()
    assert not missing, sorted(missing)


def test_each_variable_has_a_comment_above_it() -> None:
    """A variable, or the group of variables it belongs to, follows a comment line."""
    lines = ENV_EXAMPLE.read_text().splitlines()
    assignment = re.compile(r"^(?:#\s*)?[A-Z][A-Z0-9_]*=")
    for index, line in enumerate(lines):
        if assignment.match(line):
            above = index - 1
            while above >= 0 and assignment.match(lines[above]):
                above -= 1
            assert above >= 0, f"no comment above: {line}"
            assert lines[above].startswith("#"), f"no comment above: {line}"


def test_active_lines_have_no_inline_comment() -> None:
    """django-environ reads `NAME=value  # note` as the value "value  # note"."""
    for line in ENV_EXAMPLE.read_text().splitlines():
        if re.match(r"^[A-Z][A-Z0-9_]*=", line):
            assert " #" not in line, line


def test_database_and_redis_urls_are_left_unset() -> None:
    """Unset, they select the embedded servers: the example must not switch them off."""
    text = ENV_EXAMPLE.read_text()
    assert re.search(r"^# DATABASE_URL=", text, re.MULTILINE)
    assert re.search(r"^# REDIS_URL=", text, re.MULTILINE)
    assert not re.search(r"^(DATABASE_URL|REDIS_URL)=", text, re.MULTILINE)
