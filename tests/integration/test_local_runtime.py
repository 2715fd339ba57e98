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


def test_worker_processes_keep_every_log_line_with_its_own_function_and_request(api, capfd, monkeypatch):
    """`fastfaktura dev` runs each concurrent invocation in a process of its own: 20 requests at once over
    5 functions, and every line each function logs names that function and that request."""
    import json

    from fastfaktura.devstack import runtime

    monkeypatch.setenv("POWERTOOLS_LOG_LEVEL", "DEBUG")  # the workers log one line per request
    requests = [("GET", "/api/v1/business", "BusinessGetFunction"),
                ("GET", "/api/v1/clients", "ClientsListFunction"),
                ("GET", "/api/v1/invoices", "InvoicesListFunction"),
                ("GET", "/api/v1/invoices/0190a000-0000-7000-8000-000000000000", "InvoicesGetFunction"),
                ("GET", "/api/v1/nope", "DefaultRouteFunction")] * 4
    workers = runtime.use_worker_processes()
    try:
        barrier = threading.Barrier(len(requests))

        def send(request):
            method, path, _ = request
            barrier.wait()
            status, headers, _ = runtime.call_api(method, f"http://127.0.0.1:3000{path}",
                                                  {"x-api-key": api.key})
            return status, headers["apigw-requestid"]

        with ThreadPoolExecutor(max_workers=len(requests)) as pool:
            answers = list(pool.map(send, requests))
        started = {name: len(workers.processes(functions()[name])) for _, _, name in requests[:5]}
    finally:
        runtime.stop_worker_processes()
    assert [status for status, _ in answers] == [200, 200, 200, 404, 404] * 4
    expected = {request_id: name for (_, _, name), (_, request_id) in zip(requests, answers, strict=True)}
    lines = [json.loads(line) for line in capfd.readouterr().out.splitlines() if line.startswith('{"level"')]
    logged = {}
    for line in lines:
        assert line["function_name"] == expected[line["correlation_id"]], line
        logged.setdefault(line["correlation_id"], set()).add(line["function_request_id"])
    assert set(logged) == set(expected)  # every request logged, each under one invocation id of its own
    assert all(len(ids) == 1 for ids in logged.values())
    assert len(set().union(*logged.values())) == len(requests)
    # 4 concurrent requests to one function: up to 4 processes (fewer when one was free again).
    assert all(1 <= count <= 4 for count in started.values()), started


def test_the_functions_no_request_waits_for_run_at_a_lower_cpu_priority(api):
    """The stream's consumers (and the queue's, the schedule's) yield the CPU to the API's functions."""
    import os

    from fastfaktura.devstack import runtime

    change = {"eventID": "1", "eventName": "INSERT", "eventVersion": "1.1", "eventSource": "aws:dynamodb",
              "awsRegion": "eu-west-1", "eventSourceARN": "arn:aws:dynamodb:eu-west-1:0:table/t/stream/x",
              "dynamodb": {"Keys": {"PK": {"S": "BIZ#0"}, "SK": {"S": "CLIENT#0"}},
                           "NewImage": {"PK": {"S": "BIZ#0"}, "SK": {"S": "CLIENT#0"}},
                           "SequenceNumber": "1", "StreamViewType": "NEW_AND_OLD_IMAGES"}}
    workers = runtime.use_worker_processes()
    try:
        status, _, _ = runtime.call_api("GET", "http://127.0.0.1:3000/api/v1/business", {"x-api-key": api.key})
        answer = runtime.invoke(functions()["TimelineFunction"], {"Records": [change]})
        (api_worker,) = workers.processes(functions()["BusinessGetFunction"])
        (stream_worker,) = workers.processes(functions()["TimelineFunction"])
        priorities = [os.getpriority(os.PRIO_PROCESS, p.pid) for p in (api_worker, stream_worker)]
    finally:
        runtime.stop_worker_processes()
    assert (status, answer) == (200, {"batchItemFailures": []})
    ours = os.getpriority(os.PRIO_PROCESS, 0)
    assert priorities == [ours, min(ours + runtime.BACKGROUND_NICENESS, 19)]
