#!/usr/bin/env python
"""Django's command-line utility, with one clear line when a configured server is unreachable."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    from django.core.management import execute_from_command_line

    from config.preflight import explain_unreachable

    try:
        execute_from_command_line(sys.argv)
    except Exception as error:
        message = explain_unreachable(error)
        if message is None:
            raise
        print(message, file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
