"""Outbound webhooks: endpoint bodies and answers, delivery attempts and the event feed."""

from __future__ import annotations

from typing import Annotated, Any, Literal, get_args

from pydantic import AfterValidator, Field, StrictBool

from fastfaktura.models.common import RequestBody, ResponseBody, Timestamp, Uuid, not_null, text

WebhookEventType = Literal[
    "invoice.created", "invoice.sent", "invoice.reminder_sent", "invoice.opened", "invoice.payment_received",
    "invoice.paid", "invoice.overdue", "invoice.cancelled", "invoice.credited", "credit_note.created",
    "client.created", "client.updated", "client.archived", "business.bank_details_changed"]
"""The events an endpoint can subscribe to. `business.bank_details_changed` (the business's IBAN or BIC
changed: where its clients are told to pay) is ours, beside the usual catalogue."""
FeedEventType = Literal[WebhookEventType, "webhook_endpoint.disabled"]
"""The feed also records when an endpoint was disabled (which then receives nothing)."""

MAX_ENDPOINTS_PER_BUSINESS = 10
EVENT_ID_PATTERN = "^evt_[0-9a-f]{32}$"
ENDPOINT_ID_PATTERN = "^we_[0-9a-f]{32}$"
SECRET_PATTERN = "^whsec_[A-Za-z0-9_-]{43}$"
# The URL's shape only; which hosts are allowed (https, public addresses) is checked when it is saved.
WebhookUrl = Annotated[str, Field(min_length=8, max_length=2048, pattern=r"^[Hh][Tt][Tt][Pp][Ss]?://[\x21-\x7e]+$",
                                   examples=["https://erp.example.com/hooks/fastfaktura"])]
Description = Annotated[str, *text(200, examples=["ERP sync"])]


def _event_filter(events: list[str]) -> list[str]:
    if len(set(events)) != len(events):
        raise ValueError("lists an event type twice")
    if "*" in events and len(events) > 1:
        raise ValueError('"*" stands alone: it already means every event type')
    return events


EventFilter = Annotated[list[WebhookEventType | Literal["*"]], AfterValidator(_event_filter), Field(
    min_length=1, max_length=len(get_args(WebhookEventType)), examples=[["invoice.paid", "invoice.overdue"], ["*"]],
    description='The event types to receive, or `["*"]` for all of them')]


class WebhookEndpointCreate(RequestBody):
    """`POST /webhook-endpoints`: at most 10 endpoints per business."""

    url: WebhookUrl
    events: EventFilter
    description: Description | None = None


class WebhookEndpointUpdate(RequestBody):
    """`PUT /webhook-endpoints/{id}`: a partial update; absent fields are unchanged, null clears
    `description`. Enabling a disabled endpoint starts its 3-day failure window afresh."""

    url: WebhookUrl | None = None
    events: EventFilter | None = None
    enabled: StrictBool | None = None
    description: Description | None = None

    _not_null = not_null("url", "events", "enabled")


class WebhookEndpoint(ResponseBody):
    id: str = Field(pattern=ENDPOINT_ID_PATTERN)
    url: str
    events: list[WebhookEventType | Literal["*"]]
    enabled: bool
    description: str | None = None
    disabled_reason: Literal["deleted", "failing", "by_request"] | None = Field(
        default=None, description="Why `enabled` is false: DELETE, 3 days of failed deliveries, or a PUT")
    created_at: Timestamp
    updated_at: Timestamp


class WebhookEndpointWithSecret(WebhookEndpoint):
    """The answer of `POST /webhook-endpoints` and of `…/rotate-secret`: the only ones carrying the
    secret. After a rotation the previous secret keeps signing (a second `v1=`) for 24 h."""

    secret: str = Field(pattern=SECRET_PATTERN)


class WebhookEndpointList(ResponseBody):
    data: list[WebhookEndpoint]
    has_more: bool
    next_cursor: str | None = Field(description="Continues the list (`?cursor=`, same filters); null on the last page")


class WebhookDelivery(ResponseBody):
    """One attempt to deliver one event to one endpoint (kept 30 days)."""

    event_id: str = Field(pattern=EVENT_ID_PATTERN)
    event_type: FeedEventType
    status_code: int | None = Field(ge=100, le=599, description="null when no answer came back (e.g. a timeout)")
    error: str | None = Field(description="null when delivered (a 2xx within 10 s)",
                              examples=["HTTP 500", "timeout: no complete answer in time", "redirect not followed"])
    duration_ms: int = Field(ge=0)
    attempted_at: Timestamp
    next_attempt_at: Timestamp | None = Field(description="null once delivered or given up")


class WebhookDeliveryList(ResponseBody):
    data: list[WebhookDelivery]
    has_more: bool
    next_cursor: str | None = Field(description="Continues the list (`?cursor=`, same filters); null on the last page")


class WebhookEventData(ResponseBody):
    object: dict[str, Any] = Field(description="The resource as the API answers it, when the event was recorded")


class WebhookEvent(ResponseBody):
    """What an endpoint receives, and what `GET /events` answers (kept at least 30 days)."""

    id: str = Field(pattern=EVENT_ID_PATTERN, description="Derived from the event's cause: receivers dedupe on it")
    type: FeedEventType
    created_at: Timestamp = Field(description="When the change happened (a payment's own date, which may be "
                                              "back-dated)")
    sequence: int = Field(ge=0, description="Orders the events of `data.object`'s resource: when the change was "
                                            "written, in microseconds since 1970; a later change has a larger one",
                          examples=[1795000530123456])
    business_id: Uuid
    sandbox: bool
    data: WebhookEventData


class WebhookEventList(ResponseBody):
    data: list[WebhookEvent]
    has_more: bool
    next_cursor: str | None = Field(description="Continues the list (`?cursor=`, same filters); null on the last page")
