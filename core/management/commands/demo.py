"""`make demo`: migrate, seed the demo tenants, then run web, worker and beat until Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Migrate, seed the demo tenants, and run web, worker and beat; Ctrl-C stops them all."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--addr", default="127.0.0.1:8000")
        parser.add_argument("--no-setup", action="store_true", help="Skip migrate and seeding")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["no_setup"]:
            call_command("migrate", interactive=False, verbosity=0)
            call_command("collectstatic", interactive=False, verbosity=0)
            call_command("seed_demo")
        python = sys.executable
        celery = os.path.join(os.path.dirname(python), "celery")
        commands = {
            "web": [python, "manage.py", "runserver", options["addr"], "--noreload"],
            "worker": [celery, "-A", "config", "worker", "-l", "INFO", "--concurrency", "2"],
            "beat": [celery, "-A", "config", "beat", "-l", "INFO", "-s", "/dev/null"],
        }
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        processes: dict[str, subprocess.Popen[bytes]] = {}
        stopping = False

        def stop(*_: Any) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        for name, command in commands.items():
            # Own process group: Ctrl-C reaches this command, which stops the children in order.
            processes[name] = subprocess.Popen(command, env=env, start_new_session=True)  # noqa: S603
        url = f"http://{options['addr']}"
        self.stdout.write(self.style.SUCCESS(f"\nTenantHawk is running on {url}/"))
        self.stdout.write(f"  health:     {url}/healthz")
        self.stdout.write(f"  tenants:    {url}/t/acme/  {url}/t/globex/")
        self.stdout.write(f"  superadmin: {url}/superadmin/")
        self.stdout.write("Press Ctrl-C to stop.\n")
        try:
            while not stopping:
                for name, process in processes.items():
                    if process.poll() is not None:
                        self.stderr.write(f"{name} exited with {process.returncode}; stopping.")
                        stopping = True
                time.sleep(0.5)
        finally:
            self._stop_all(processes)

    def _stop_all(self, processes: dict[str, subprocess.Popen[bytes]]) -> None:
        self.stdout.write("\nStopping web, worker and beat...")
        for process in processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for process in processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        started = [s for s in os.environ.get("TENANTHAWK_EMBEDDED_STARTED", "").split(",") if s]
        if started:
            from config import embedded

            if "postgres" in started:
                embedded.postgres_stop()
            if "redis" in started:
                embedded.redis_stop()
            self.stdout.write(f"Stopped the embedded {' and '.join(started)} started for this run.")
        self.stdout.write(self.style.SUCCESS("Stopped."))
