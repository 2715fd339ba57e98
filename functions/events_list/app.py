"""GET /api/v1/events — the business's event feed, newest first (kept at least 30 days)."""

from typing import Annotated

from fastfaktura.http.api import caller, entrypoint, make_api
from fastfaktura.http.router import Query
from fastfaktura.models.webhooks import FeedEventType, WebhookEventList
from fastfaktura.services import auth, webhooks

app = make_api(auth.authenticate)


@app.get("/api/v1/events", summary="Flux des événements", tags=["Webhooks"],
         description="The same objects the webhook endpoints receive: a receiver that was down catches up here. "
                     "Built from the table's change stream, so it may lag a write by a moment.")
def list_events(
    type: Annotated[FeedEventType | None, Query(description="Only events of this type")] = None,
    per_page: Annotated[int, Query(ge=1, le=100)] = 50,
    cursor: Annotated[str | None, Query(max_length=1024, description="`next_cursor` of the previous page")] = None,
) -> WebhookEventList:
    return webhooks.list_events(caller(app).business_id, type, per_page, cursor)


lambda_handler = entrypoint(app)
