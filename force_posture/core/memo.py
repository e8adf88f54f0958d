"""Answers kept per object: for a pure function of an object that is shared and never changed (a record's
Dataset, one of its frames), asked again and again of the same object by many sessions and requests.

The object itself is the key, by identity (a DataFrame cannot be hashed): it is held with its answer, so its
id is never reused while the answer is kept, and only the last few objects' answers are.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Hashable
from typing import Any


class PerObject:
    """`fn(obj, *args)`, kept for the last `kept` (object, args) it was asked; safe for many threads (one
    may compute an answer another is computing: both get equal answers, one is kept)."""

    def __init__(self, fn: Callable[..., Any], kept: int):
        self._fn, self._size = fn, kept
        self._kept: dict[tuple, tuple[object, Any]] = {}
        self._lock = threading.Lock()
        functools.update_wrapper(self, fn)

    def __call__(self, obj: object, *args: Hashable) -> Any:
        key = (id(obj), *args)
        hit = self._kept.get(key)
        if hit is not None and hit[0] is obj:
            return hit[1]
        value = self._fn(obj, *args)
        with self._lock:
            while len(self._kept) >= self._size:  # the oldest goes
                del self._kept[next(iter(self._kept))]
            self._kept[key] = (obj, value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()

    def __len__(self) -> int:
        return len(self._kept)


def per_object(kept: int) -> Callable[[Callable[..., Any]], PerObject]:
    """Decorate a pure function of a shared, never-changed object: see PerObject."""
    return lambda fn: PerObject(fn, kept)
