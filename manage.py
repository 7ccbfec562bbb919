#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    # The settings refuse a bad environment with a message that says what to set (config/settings.py);
    # a person at a terminal needs that message, not a traceback through the settings module.
    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as error:
        sys.exit(f"{os.path.basename(sys.argv[0])}: not a usable configuration: {error}")


if __name__ == "__main__":
    main()
