"""`fastfaktura dev` at a function's worker cap: the invocations that wait are served first come, first
served, so that under load no request waits many times its share (the long tail of the load test)."""

from __future__ import annotations

import threading
import time

from fastfaktura.devstack import runtime


def _until(condition, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.001)


def test_waiting_invocations_get_their_turn_in_their_order_of_arrival():
    turns = runtime._Turns(1)
    served: list[object] = []

    def invocation(name: object) -> None:
        with turns.turn():
            served.append(name)

    busy = turns.turn()
    busy.__enter__()  # the function's one worker is busy
    waiting = []
    for arrival in range(5):
        thread = threading.Thread(target=invocation, args=(arrival,))
        thread.start()
        waiting.append(thread)
        _until(lambda n=arrival + 1: turns.waiting == n)
    busy.__exit__(None, None, None)
    invocation("newcomer")  # arrives as the turn is freed: it queues behind the five, it does not take it
    for thread in waiting:
        thread.join(10)
    assert served == [0, 1, 2, 3, 4, "newcomer"]


def test_up_to_the_cap_nobody_waits():
    turns = runtime._Turns(3)
    held = [turns.turn() for _ in range(3)]
    for turn in held:
        turn.__enter__()
    assert turns.waiting == 0
    late = threading.Thread(target=lambda: turns.turn().__enter__())
    late.start()
    _until(lambda: turns.waiting == 1)
    held[0].__exit__(None, None, None)
    late.join(10)
    assert not late.is_alive() and turns.waiting == 0
