"""Outbound webhooks: endpoints (register, read, change, delete, rotate their secret), the feed and the
delivery log as the API answers them; the stream consumer's part (a change → feed events → one queue
message per subscribed endpoint) and the delivery function's part (one attempt per queue message).

The table's stream is the only source of events: no handler sends a webhook itself.
"""

from __future__ import annotations

import math
import re
from datetime import datetime, timedelta
from typing import Any

from fastfaktura import settings
from fastfaktura.domain.errors import NotFound
from fastfaktura.domain.ids import new_id
from fastfaktura.models.common import to_rfc3339, utcnow
from fastfaktura.models.request import Caller
from fastfaktura.models.webhooks import (
    ENDPOINT_ID_PATTERN,
    WebhookDelivery,
    WebhookDeliveryList,
    WebhookEndpoint,
    WebhookEndpointCreate,
    WebhookEndpointList,
    WebhookEndpointUpdate,
    WebhookEndpointWithSecret,
    WebhookEvent,
    WebhookEventList,
)
from fastfaktura.observability import logger
from fastfaktura.store import db, keys, webhook_queue
from fastfaktura.store import webhooks as store
from fastfaktura.webhooks import schedule
from fastfaktura.webhooks.events import (
    PendingEvent,
    body,
    disabled_event,
    envelope,
    subscribed,
    webhook_events_of_change,
)
from fastfaktura.webhooks.secrets import derive_secret, master_key_from_text, signing_secrets
from fastfaktura.webhooks.ssrf import check_url

# The deployment's settings of this room (template.yaml; the local stack sets the last two).
MASTER_KEY_MAX_AGE_SECONDS = 300

_ENDPOINT_ID = re.compile(ENDPOINT_ID_PATTERN)
_NOT_FOUND = "webhook endpoint not found"
_sandbox_of: dict[str, bool] = {}  # a business's mode never changes: read once per container


class RetryLater(Exception):
    """The attempt failed and its message comes back after the schedule's delay (its visibility is set)."""


def local_http_allowed() -> bool:
    return settings.get().webhook_allow_local_http


def retry_scale() -> float:
    return settings.get().webhook_retry_scale


def master_key() -> bytes:
    """From the environment (tests) or the SSM SecureString the template names, cached for 5 minutes."""
    configured = settings.get()
    text = configured.webhook_master_key
    if not text:
        from aws_lambda_powertools.utilities import parameters

        if not configured.webhook_master_key_parameter:
            raise RuntimeError("neither WEBHOOK_MASTER_KEY nor WEBHOOK_MASTER_KEY_PARAMETER is set")
        text = parameters.get_parameter(configured.webhook_master_key_parameter, decrypt=True,
                                        max_age=MASTER_KEY_MAX_AGE_SECONDS)
    return master_key_from_text(text)


# --- endpoints --------------------------------------------------------------------------------------

def _endpoint(item: dict[str, Any]) -> WebhookEndpoint:
    return WebhookEndpoint(id=item["endpoint_id"], url=item["url"], events=item["events"], enabled=item["enabled"],
                           description=item.get("description"), disabled_reason=item.get("disabled_reason"),
                           created_at=item["created_at"], updated_at=item["updated_at"])


def _with_secret(business_id: str, item: dict[str, Any]) -> WebhookEndpointWithSecret:
    secret = derive_secret(master_key(), business_id, item["endpoint_id"], int(item["secret_version"]))
    return WebhookEndpointWithSecret(**_endpoint(item).model_dump(), secret=secret)


def _checked_id(endpoint_id: str) -> str:
    if not _ENDPOINT_ID.match(endpoint_id or ""):
        raise NotFound(_NOT_FOUND)
    return endpoint_id


def _check_url(caller: Caller, url: str) -> None:
    """422 for an unsafe URL: https on a public name, except a sandbox business on the local stack."""
    check_url(url, allow_local_http=caller.sandbox and local_http_allowed())


def create_endpoint(caller: Caller, body_: WebhookEndpointCreate) -> WebhookEndpointWithSecret:
    """The endpoint, with its secret (shown here and after a rotation only); 409 beyond 10 endpoints."""
    _check_url(caller, body_.url)
    now = to_rfc3339(utcnow())
    item = {"endpoint_id": "we_" + new_id().replace("-", ""), "url": body_.url, "events": body_.events,
            "enabled": True, "description": body_.description, "secret_version": 1, "created_at": now,
            "updated_at": now}
    secret = _with_secret(caller.business_id, item)  # the master key is read before anything is written
    store.create_endpoint(caller.business_id, {k: v for k, v in item.items() if v is not None})
    return secret


def get_endpoint(business_id: str, endpoint_id: str) -> WebhookEndpoint:
    item = store.get_endpoint(business_id, _checked_id(endpoint_id))
    if item is None:
        raise NotFound(_NOT_FOUND)
    return _endpoint(item)


def update_endpoint(caller: Caller, endpoint_id: str, body_: WebhookEndpointUpdate) -> WebhookEndpoint:
    """A partial update; `enabled: true` clears the failure streak, `enabled: false` disables on request."""
    _checked_id(endpoint_id)
    changes = body_.model_dump(exclude_unset=True)
    if "url" in changes:
        _check_url(caller, changes["url"])
    removes: list[str] = []
    if changes.get("description", "") is None:
        del changes["description"]
        removes.append("description")
    if changes.get("enabled") is True:
        removes += ["disabled_reason", "failing_since"]
    elif changes.get("enabled") is False:
        changes["disabled_reason"] = "by_request"
    changes["updated_at"] = to_rfc3339(utcnow())
    return _endpoint(store.update_endpoint(caller.business_id, endpoint_id, changes, tuple(removes)))


def delete_endpoint(business_id: str, endpoint_id: str) -> WebhookEndpoint:
    """Disables for good (`disabled_reason: deleted`), nothing is deleted; deleting twice changes nothing."""
    return _endpoint(store.delete_endpoint(business_id, _checked_id(endpoint_id), to_rfc3339(utcnow())))


def rotate_secret(business_id: str, endpoint_id: str) -> WebhookEndpointWithSecret:
    """A new secret; the previous one keeps signing beside it for 24 h."""
    master_key()  # fails before the version moves when the key is not readable
    return _with_secret(business_id, store.rotate_secret(business_id, _checked_id(endpoint_id), to_rfc3339(utcnow())))


def list_endpoints(business_id: str, per_page: int, cursor: str | None) -> WebhookEndpointList:
    found = store.endpoints_page(business_id, per_page, cursor)
    return WebhookEndpointList(data=[_endpoint(i) for i in found.items], has_more=found.has_more,
                               next_cursor=found.next_cursor)


def list_deliveries(business_id: str, endpoint_id: str, per_page: int, cursor: str | None) -> WebhookDeliveryList:
    """Newest first, one entry per attempt (30 days); 404 for another business's endpoint."""
    get_endpoint(business_id, endpoint_id)
    found = store.attempts_page(business_id, endpoint_id, per_page, cursor)
    data = [WebhookDelivery(**{name: item.get(name) for name in WebhookDelivery.model_fields}) for item in found.items]
    return WebhookDeliveryList(data=data, has_more=found.has_more, next_cursor=found.next_cursor)


def list_events(business_id: str, event_type: str | None, per_page: int, cursor: str | None) -> WebhookEventList:
    """The feed, newest first: the very objects the endpoints receive."""
    found = store.events_page(business_id, event_type, per_page, cursor)
    return WebhookEventList(data=[WebhookEvent.model_validate_json(i["body"]) for i in found.items],
                            has_more=found.has_more, next_cursor=found.next_cursor)


# --- the stream consumer ----------------------------------------------------------------------------

def record_change(record: dict[str, Any]) -> int:
    """One stream record in Lambda's shape → its events in the feed (each once) and one queue message per
    subscribed enabled endpoint that has none yet; answers how many messages were sent. Raises when SQS
    refuses one: the record is retried, and what was done already is not done twice."""
    change = record.get("dynamodb") or {}
    found = webhook_events_of_change(record.get("eventName"), db.from_item(change.get("OldImage") or {}),
                                     db.from_item(change.get("NewImage") or {}))
    return sum(_publish(event) for event in found)


def _publish(event: PendingEvent) -> int:
    sk = keys.feed_event_sk(to_rfc3339(event.created_at), event.id)
    if store.get_event(event.business_id, sk) is None:
        sandbox = _sandbox(event.business_id)
        text = body(envelope(event, sandbox, _resource(event))).decode()
        if not store.put_event(store.feed_item(event.business_id, event.id, event.type, event.created_at, sandbox,
                                               text)):
            logger.info("webhook event already recorded", extra={"event_id": event.id})
    sent = 0
    for endpoint in store.enabled_endpoints(event.business_id):
        if not subscribed(endpoint["events"], event.type):
            continue
        endpoint_id = endpoint["endpoint_id"]
        state = store.open_state(event.business_id, endpoint_id, event.id, sk, utcnow())
        if state is not None and (state.get("message_id") or state.get("status") != store.PENDING):
            continue  # enqueued by an earlier delivery of this record
        message_id = webhook_queue.send({"business_id": event.business_id, "endpoint_id": endpoint_id,
                                         "event_id": event.id, "event_sk": sk})
        store.claim_message(event.business_id, endpoint_id, event.id, message_id)
        sent += 1
    return sent


def _sandbox(business_id: str) -> bool:
    if business_id not in _sandbox_of:
        from fastfaktura.store import businesses

        _sandbox_of[business_id] = businesses.get(business_id).sandbox
    return _sandbox_of[business_id]


def _resource(event: PendingEvent) -> dict[str, Any]:
    """`data.object`: the resource as the API answers it now, read strongly consistent (imported here: the
    API functions of this room never read invoices, clients or the business)."""
    kind, business_id = event.resource.kind, event.business_id
    if kind == "invoice":
        from fastfaktura.services import invoices

        configured = settings.get()
        base_url = configured.public_base_url or configured.webhook_api_base_url or ""
        return invoices.get_invoice(business_id, event.resource.id, base_url).model_dump(mode="json")
    if kind == "client":
        from fastfaktura.store import clients

        item = clients.get_item(business_id, event.resource.id, consistent=True)  # the change itself is seconds old
        if item is None:
            raise NotFound("client not found")
        return clients.to_client(item).model_dump(mode="json")
    if kind == "business":
        from fastfaktura.store import businesses

        return businesses.get(business_id, consistent=True).model_dump(mode="json")
    if kind == "credit_note":
        from fastfaktura.services.credit_notes import answer
        from fastfaktura.store import credit_notes

        note = credit_notes.get(business_id, event.resource.id, consistent=True)  # finished in the same write
        return answer(note).model_dump(mode="json")
    raise ValueError(f"no {kind} resources exist yet ({event.type})")


# --- the delivery function --------------------------------------------------------------------------

def deliver_message(message: dict[str, Any], message_id: str, receipt_handle: str) -> str:
    """One attempt of one queue message; answers what became of it (`delivered`, `given_up`, `dropped`) or
    raises RetryLater once the message's visibility is the next delay. A message whose state is settled
    or owned by another message (a duplicate) is dropped unseen by the receiver."""
    business_id, endpoint_id, event_id = message["business_id"], message["endpoint_id"], message["event_id"]
    state = store.claim_message(business_id, endpoint_id, event_id, message_id)
    if state is None:
        return "dropped"
    endpoint = store.get_endpoint(business_id, endpoint_id, consistent=True)
    event = store.get_event(business_id, message["event_sk"])
    if endpoint is None or not endpoint["enabled"] or event is None:
        store.settle(business_id, endpoint_id, event_id, store.GIVEN_UP)  # a disabled endpoint receives nothing
        return "dropped"
    now = utcnow()
    rotated_at = datetime.fromisoformat(endpoint["rotated_at"]) if endpoint.get("rotated_at") else None
    secrets = signing_secrets(master_key(), business_id, endpoint_id, int(endpoint["secret_version"]), rotated_at, now)
    from fastfaktura.webhooks.attempt import deliver

    result = deliver(endpoint["url"], event["body"].encode(), secrets,
                     allow_local_http=bool(event["sandbox"]) and local_http_allowed())
    failures = int(state["attempts"]) + 1
    first = datetime.fromisoformat(state["first_attempt_at"]) if state.get("first_attempt_at") else now
    delay = None if result.delivered else schedule.next_delay(failures, first, now, retry_scale())
    attempt = {"event_id": event_id, "event_type": event["type"], "status_code": result.status_code,
               "error": result.error, "duration_ms": result.duration_ms,
               "next_attempt_at": to_rfc3339(now + timedelta(seconds=delay)) if delay is not None else None}
    status = store.DELIVERED if result.delivered else store.PENDING if delay is not None else store.GIVEN_UP
    store.record_attempt(business_id, endpoint_id, attempt, status, now)
    logger.info("webhook attempt", extra={"event_id": event_id, "endpoint_id": endpoint_id, "status": status,
                                          "status_code": result.status_code, "error": result.error})
    if result.delivered:
        store.endpoint_succeeded(business_id, endpoint_id)
        return status
    _note_failure(business_id, endpoint_id, now)
    if delay is None:
        return status
    webhook_queue.retry_after(receipt_handle, math.ceil(delay))
    raise RetryLater(f"{event_id} to {endpoint_id}: {result.error}; again in {math.ceil(delay)} s")


def _note_failure(business_id: str, endpoint_id: str, now: datetime) -> None:
    """An endpoint none of whose attempts succeeded for the retry window is disabled, and the feed says so."""
    endpoint = store.endpoint_failed(business_id, endpoint_id, to_rfc3339(now))
    if endpoint is None or not endpoint["enabled"]:
        return
    failing_since = datetime.fromisoformat(endpoint["failing_since"])
    if not schedule.endpoint_to_disable(failing_since, now, retry_scale()):
        return
    disabled = _endpoint({**endpoint, "enabled": False, "disabled_reason": "failing", "updated_at": to_rfc3339(now)})
    event = disabled_event(business_id, endpoint_id, now)
    sandbox = _sandbox(business_id)
    text = body(envelope(event, sandbox, disabled.model_dump(mode="json"))).decode()
    if store.disable_failing(business_id, endpoint_id, to_rfc3339(now),
                             store.feed_item(business_id, event.id, event.type, now, sandbox, text)):
        logger.warning("webhook endpoint disabled after failing for the retry window",
                       extra={"endpoint_id": endpoint_id, "failing_since": endpoint["failing_since"]})
