"""The modules' periodic tasks, merged into config/celery.py's BEAT_SCHEDULE.

Imported by config/celery.py before Django is set up: nothing here imports models. Hooks files
declare task names as strings, so discovering them needs no app registry either.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from typing import Any


def beat_schedule_merger(schedule: MutableMapping[str, Any]) -> Callable[..., None]:
    """A receiver for Celery's on_after_finalize that adds every module's entries to `schedule`."""

    def merge(sender: Any = None, **kwargs: Any) -> None:
        from .registry import registry

        registry.autodiscover()
        for name, entry in registry.beat_schedule().items():
            schedule.setdefault(name, entry)

    return merge
