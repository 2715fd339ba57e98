"""Powertools' resolver, in debug mode, printed every event, API keys included; our router has no such
mode: POWERTOOLS_DEV (a developer's shell, a misconfigured stack) must never print an event."""

from __future__ import annotations

from fastfaktura.http.api import make_api


def test_powertools_dev_does_not_print_events(monkeypatch, capsys):
    monkeypatch.setenv("POWERTOOLS_DEV", "true")
    monkeypatch.setenv("POWERTOOLS_EVENT_HANDLER_DEBUG", "true")
    app = make_api(None)

    @app.get("/ping")
    def ping() -> dict:
        return {"ok": True}

    event = {"version": "2.0", "routeKey": "$default", "rawPath": "/ping", "rawQueryString": "",
             "headers": {"x-api-key": "ffk_never_printed"}, "isBase64Encoded": False,
             "requestContext": {"http": {"method": "GET", "path": "/ping"}, "requestId": "r", "stage": "$default"}}
    assert app.resolve(event, None)["statusCode"] == 200
    assert "ffk_never_printed" not in capsys.readouterr().out
