"""The in-process Lambda emulation under concurrency: each request is handled with its own event,
as if every concurrent invocation had a container of its own."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from fastfaktura.tools.template import functions


def test_concurrent_requests_each_get_their_own_event_and_answer(api):
    def rename(i: int) -> tuple[int, str]:
        answer = api.put("/api/v1/business", {"name": f"Atelier {i}"})
        return answer.status, answer.json["name"]

    with ThreadPoolExecutor(max_workers=12) as pool:
        answers = list(pool.map(rename, range(36)))
    assert answers == [(200, f"Atelier {i}") for i in range(36)]


def test_a_function_gets_a_new_container_only_when_all_of_its_warm_ones_are_busy(api):
    from fastfaktura.devstack import runtime

    function = functions()["BusinessGetFunction"]
    with runtime._containers.handler(function) as first, runtime._containers.handler(function) as concurrent:
        assert concurrent is not first
    with runtime._containers.handler(function) as again:
        assert again in (first, concurrent)


def test_the_event_being_handled_belongs_to_its_thread():
    """Powertools sets `BaseRouter.current_event` on the class; the adapter makes it per thread (local stack)."""
    from aws_lambda_powertools.event_handler import APIGatewayHttpResolver
    from aws_lambda_powertools.event_handler.api_gateway import BaseRouter
    from fastfaktura.powertools_adapter import isolate_concurrent_requests

    isolate_concurrent_requests()
    resolver = APIGatewayHttpResolver()
    both_set = threading.Barrier(2)
    seen = {}

    def handle(name: str) -> None:
        BaseRouter.current_event = name         # what Powertools' resolve() does
        both_set.wait()
        seen[name] = (BaseRouter.current_event, resolver.current_event)

    threads = [threading.Thread(target=handle, args=(name,)) for name in ("first", "second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen == {"first": ("first", "first"), "second": ("second", "second")}
