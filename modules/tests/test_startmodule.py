"""startmodule: validation, --dry-run, and a generated module whose own tests pass."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

ROOT = Path(settings.BASE_DIR)


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("Invoices", "lowercase Python identifier"),
        ("2fast", "lowercase Python identifier"),
        ("class", "Python keyword"),
        ("orders", "already installed"),
        ("roles", "app label"),
        ("_templates", "lowercase Python identifier"),
    ],
)
def test_a_bad_or_clashing_name_fails_and_says_why(name, reason):
    with pytest.raises(CommandError, match=reason):
        call_command("startmodule", name, "--dry-run")


def test_an_existing_folder_is_a_clash(tmp_path, settings):
    (tmp_path / "modules" / "invoices").mkdir(parents=True)
    settings.BASE_DIR = tmp_path
    with pytest.raises(CommandError, match="already exists"):
        call_command("startmodule", "invoices", "--dry-run")


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (["--with-model", "--fields", "title:money"], "unknown type"),
        (["--with-model", "--fields", "vendor:fk"], "main model"),
        (["--with-model", "--fields", "id:str"], "not a usable field name"),
        (["--roles", "owner,boss"], "unknown role"),
        (["--fields", "title:str"], "add --with-model"),
    ],
)
def test_bad_options_fail_and_say_why(args, reason):
    with pytest.raises(CommandError, match=reason):
        call_command("startmodule", "invoices", *args, "--dry-run")


def test_dry_run_prints_the_files_and_writes_nothing():
    installed = (ROOT / "modules" / "installed.py").read_text()
    out = StringIO()
    call_command(
        "startmodule",
        "invoices",
        "--with-model",
        "--fields",
        "title:str,amount:decimal,due:date,customer:fk",
        "--with-api",
        "--dry-run",
        stdout=out,
    )
    text = out.getvalue()
    for path in ("models.py", "migrations/0001_initial.py", "views.py", "api.py", "hooks.py"):
        assert f"modules/invoices/{path}" in text
    assert not (ROOT / "modules" / "invoices").exists()
    assert (ROOT / "modules" / "installed.py").read_text() == installed


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own interpreter on our own project copy
        args, cwd=cwd, env=env, capture_output=True, text=True, timeout=900, check=False
    )


def _pg(settings_dict: dict[str, object], binary: str, *args: str) -> None:
    from tenants.deletion import pg_binary

    env = {**os.environ, "PGUSER": str(settings_dict.get("USER") or "postgres")}
    if settings_dict.get("HOST"):
        env["PGHOST"] = str(settings_dict["HOST"])
    if settings_dict.get("PORT"):
        env["PGPORT"] = str(settings_dict["PORT"])
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    result = subprocess.run(  # noqa: S603
        [pg_binary(binary), *args], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


def _database_copy(settings_dict: dict[str, object], target: str) -> None:
    """pg_dump the suite's test database (its committed state) into a new database."""
    source = str(settings_dict["NAME"])
    _pg(settings_dict, "dropdb", "--if-exists", target)
    _pg(settings_dict, "createdb", target)
    dump = Path(tempfile.mkdtemp()) / "test.dump"
    _pg(settings_dict, "pg_dump", "-Fc", "--no-owner", "-f", str(dump), source)
    _pg(settings_dict, "pg_restore", "--no-owner", "-d", target, str(dump))


def _database_drop(settings_dict: dict[str, object], target: str) -> None:
    _pg(settings_dict, "dropdb", "--if-exists", target)


@pytest.mark.slow
def test_a_generated_module_migrates_and_its_tests_pass(tmp_path, db):
    """In a copy of the project: generate, check the migration, run the generated tests."""
    from django.db import connection

    from core.testing.browser import database_url as _database_url

    copy = tmp_path / "project"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv", ".data", ".git", "__pycache__", "*.pyc", "staticfiles"
        ),
    )
    # The copy's tests run on a copy of this suite's test database (already migrated: public
    # and template schemas), which then only needs the generated module's migration.
    copy_db = f"test_startmodule_{os.getpid()}"
    _database_copy(connection.settings_dict, copy_db)
    settings_dict = {**connection.settings_dict, "NAME": "tenanthawk"}
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        # The server the suite uses; the copy's tests get their own database on it.
        "DATABASE_URL": os.environ.get("DATABASE_URL") or _database_url(settings_dict),
        "TEST_DATABASE_NAME": copy_db,
        "TENANTHAWK_TEST_DB": "migrate",
        "TEST_REDIS_DB": "13",
        "TEST_BROKER_REDIS_DB": "12",
        "PYTHONPATH": str(copy),
    }
    python = sys.executable
    generated = _run(
        [
            python,
            "manage.py",
            "startmodule",
            "invoices",
            "--label",
            "Invoices",
            "--roles",
            "owner,moderator",
            "--with-model",
            "--fields",
            "title:str,amount:decimal,due:date,paid:bool,customer:fk",
            "--with-api",
        ],
        copy,
        env,
    )
    assert generated.returncode == 0, generated.stderr
    assert "migrate_schemas" in generated.stdout
    assert '"invoices"' in (copy / "modules" / "installed.py").read_text()

    drift = _run([python, "manage.py", "makemigrations", "--check", "--dry-run"], copy, env)
    assert drift.returncode == 0, f"the generated migration differs from the model:\n{drift.stdout}"

    tests = _run(
        [python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "modules/invoices"],
        copy,
        env,
    )
    _database_drop(connection.settings_dict, copy_db)
    assert tests.returncode == 0, tests.stdout[-4000:] + tests.stderr[-2000:]
    assert " passed" in tests.stdout
    assert " passed" in tests.stdout
