"""Answers kept per object (core/memo.py): by the object's identity, for the last few objects, from many
threads at once."""

import threading

import pandas as pd

from force_posture.core import memo


def _counting():
    asked: list[tuple] = []

    @memo.per_object(kept=2)
    def total(frame: pd.DataFrame, column: str) -> int:
        asked.append((id(frame), column))
        return int(frame[column].sum())

    return total, asked


def test_an_answer_is_kept_per_object_and_arguments_and_the_oldest_goes_first():
    total, asked = _counting()
    a, b, c = (pd.DataFrame({"troops": [900, 1000]}) for _ in range(3))
    assert total(a, "troops") == 1900 and total(a, "troops") == 1900
    assert len(asked) == 1  # the second time, kept
    assert total(b, "troops") == 1900 and len(asked) == 2  # an equal frame is another object: asked again
    assert total(c, "troops") == 1900 and len(asked) == 3 and len(total) == 2  # a's answer went
    assert total(a, "troops") == 1900 and len(asked) == 4
    total.clear()
    assert len(total) == 0 and total(c, "troops") == 1900 and len(asked) == 5


def test_many_threads_asking_at_once_get_the_answer_and_keep_no_more_than_asked():
    total, asked = _counting()
    frames = [pd.DataFrame({"troops": [i, 1]}) for i in range(6)]
    got: list[list[int]] = []
    barrier = threading.Barrier(8)

    def ask() -> None:
        barrier.wait()
        got.append([total(frames[k % 6], "troops") for k in range(60)])

    threads = [threading.Thread(target=ask) for _ in range(8)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert got == [[k % 6 + 1 for k in range(60)]] * 8
    assert len(total) <= 2
