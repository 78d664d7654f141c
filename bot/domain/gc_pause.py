"""Pausing Python's cyclic GC while a loop builds many long-lived rows.

A million young containers make the collector rescan the heap again and again (~30% of an
import's Python time); rows hold no cycles, so nothing is lost by letting it rest.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
