"""Every key of the single table, in one place. See docs/DATA_MODEL.md.

Business-owned items all live under a partition key that starts with the business id. The only
exception is the API-key item: a key must be resolved to its business before the business is known.
"""

from __future__ import annotations

import zlib

# --- primary keys ---------------------------------------------------------------------------------
PROFILE_SK = "PROFILE"
COUNTER_SK_PREFIX = "COUNTER#"
INVOICE_SK = "INVOICE"
PENDING_SK = "PENDING"  # a document staged for its number (store.sequences), in the document's partition
API_KEY_SK = "APIKEY"


def counter_sk(sequence: str) -> str:
    """A business's gapless counter of one sequence (`INVOICE`, …), next to its profile."""
    return f"{COUNTER_SK_PREFIX}{sequence}"


INVOICE_COUNTER_SK = counter_sk("INVOICE")
CREDIT_NOTE_COUNTER_SK = counter_sk("CREDITNOTE")


def business_pk(business_id: str) -> str:
    return f"BIZ#{business_id}"


def api_key_pk(key_hash: str) -> str:
    return f"APIKEY#{key_hash}"


def client_sk(client_id: str) -> str:
    return f"CLIENT#{client_id}"


CLIENT_SK_PREFIX = "CLIENT#"


def client_gram_pk(business_id: str, gram: str) -> str:
    """The client search index's partition of one run of characters (`domain.clients.grams`)."""
    return f"BIZ#{business_id}#CLIENTGRAM#{gram}"


def client_posting_sk(client_id: str) -> str:
    """A client's posting in a `client_gram_pk` partition: newest last, as in the client range. Not
    `CLIENT#…`, which the stream passes on as a change of the client."""
    return f"POSTING#{client_id}"


CLIENT_POSTING_SK_PREFIX = "POSTING#"


def client_external_id_sk(external_id: str) -> str:
    """Guard item that keeps `external_id` unique within a business."""
    return f"CLIENTEXT#{external_id}"


def invoice_pk(business_id: str, invoice_id: str) -> str:
    """An invoice's own partition: the invoice item, its line chunks and its events."""
    return f"BIZ#{business_id}#INV#{invoice_id}"


def line_chunk_sk(index: int) -> str:
    return f"LINES#{index:02d}"


LINE_CHUNK_SK_PREFIX = "LINES#"
CHECKOUT_SESSION_SK = "CHECKOUT"  # the invoice's open Stripe Checkout Session
PAYMENT_SK_PREFIX = "PAYMENT#"
CREDIT_NOTE_SK_PREFIX = "CREDITNOTE#"


def payment_sk(payment_id: str) -> str:
    """A payment lives in its invoice's partition: one Query reads the invoice with its payments."""
    return f"PAYMENT#{payment_id}"


def credit_note_ref_sk(credit_note_id: str) -> str:
    """A credit note's reference (id, number, total) in its invoice's partition, so one Query reads the
    invoice with its credit notes; the credit note itself has its own partition."""
    return f"CREDITNOTE#{credit_note_id}"


def credit_note_pk(business_id: str, credit_note_id: str) -> str:
    """A credit note's own partition: the numbered credit note (`CREDIT_NOTE_SK`) and, while it waits for
    its number, the staged one (`PENDING_SK`, store.sequences)."""
    return f"BIZ#{business_id}#CN#{credit_note_id}"


CREDIT_NOTE_SK = "CREDITNOTE"


EVENT_SK_PREFIX = "EVENT#"
DELIVERY_SK_PREFIX = "DELIVERY#"


def parse_invoice_pk(pk: str) -> tuple[str, str] | None:
    """(business id, invoice id) of an invoice partition key, or None for any other key (stream records)."""
    business, sep, invoice = pk.removeprefix("BIZ#").partition("#INV#")
    return (business, invoice) if pk.startswith("BIZ#") and sep and business and invoice else None


def delivery_sk(at: str, channel: str) -> str:
    """One delivery per channel per send, sorted by its RFC 3339 time."""
    return f"DELIVERY#{at}#{channel}"


def event_sk(at: str, event_id: str) -> str:
    """Events sort oldest first by their RFC 3339 time, ties broken by their deterministic id."""
    return f"EVENT#{at}#{event_id}"


def business_event_sk(at: str, event_id: str) -> str:
    """An event of the business itself (e.g. its bank details changed), under its own partition."""
    return f"EVENT#{at}#{event_id}"


def send_quota_sk(day, channel: str) -> str:
    """A business's count of `channel` messages sent on a UTC `day` (a date)."""
    return f"QUOTA#{day.isoformat()}#{channel}"


def request_budget_sk(window: int) -> str:
    """A business's count of requests in one minute (`window`: Unix seconds // 60)."""
    return f"RATE#{window}"


def idempotency_sk(idempotency_key: str) -> str:
    return f"IDEM#{idempotency_key}"


# --- GSI1: unique lookups (API keys by id, public tokens, client external ids) --------------------
GSI1 = "GSI1"


def api_key_id_gsi1pk(key_id: str) -> str:
    return f"APIKEYID#{key_id}"


def public_token_gsi1pk(token: str) -> str:
    return f"TOKEN#{token}"


def client_external_id_gsi1pk(business_id: str, external_id: str) -> str:
    return f"BIZ#{business_id}#EXT#{external_id}"


# --- GSI2: a business's invoices (and its credit notes), highest number first -----------------------
GSI2 = "GSI2"


def number_order_sk(sequence: int) -> str:
    """The sort key of a numbered document in its lists (GSI2/3/4 for invoices, GSI2/4 for credit
    notes): number order. The `N` sorts after the UUIDv7 ids that were the sort keys of invoices
    written before, so a table holding both still lists in number order, newest first."""
    return f"N#{sequence:012d}"


def credit_notes_gsi2pk(business_id: str) -> str:
    """A business's credit notes, highest number first (GSI2SK = `number_order_sk`)."""
    return f"BIZ#{business_id}#CREDITNOTES"


def invoices_gsi2pk(business_id: str) -> str:
    return f"BIZ#{business_id}#INVOICES"


# --- GSI3: a business's invoices by status --------------------------------------------------------
GSI3 = "GSI3"


def invoices_by_status_gsi3pk(business_id: str, status: str) -> str:
    return f"BIZ#{business_id}#STATUS#{status}"


# --- GSI4: a business's invoices by client --------------------------------------------------------
GSI4 = "GSI4"


def invoices_by_client_gsi4pk(business_id: str, client_id: str) -> str:
    return f"BIZ#{business_id}#CLIENT#{client_id}"


def credit_notes_by_invoice_gsi4pk(business_id: str, invoice_id: str) -> str:
    """One invoice's credit notes, highest number first (GSI4SK = `number_order_sk`)."""
    return f"BIZ#{business_id}#INV#{invoice_id}#CREDITNOTES"


# --- GSI5: open invoices by due date, across businesses (sparse; the overdue job) -----------------
GSI5 = "GSI5"
DUE_SHARDS = 8


def due_gsi5pk(invoice_id: str) -> str:
    """Spread over a few shards so the hourly overdue job's index has no hot partition."""
    return due_gsi5pk_of_shard(int(invoice_id[-2:], 16) % DUE_SHARDS)


def due_gsi5pk_of_shard(shard: int) -> str:
    """The overdue job reads the index shard by shard (0 … DUE_SHARDS - 1)."""
    return f"DUE#{shard}"


def due_gsi5sk(due_date: str, business_id: str, invoice_id: str) -> str:
    return f"{due_date}#{business_id}#{invoice_id}"


# GSI5 also holds, sparse, the staged documents of a sequence whose stage changes other items (a credit
# note's invoice): the hourly job numbers those whose create died before its claim (store.sequences).
def abandoned_gsi5pk(sequence: str, document_pk: str) -> str:
    return abandoned_gsi5pk_of_shard(sequence, zlib.crc32(document_pk.encode()) % DUE_SHARDS)


def abandoned_gsi5pk_of_shard(sequence: str, shard: int) -> str:
    return f"STAGED#{sequence}#{shard}"


def abandoned_gsi5sk(staged_at: int, document_pk: str) -> str:
    """When it was staged (Unix seconds, zero-padded, so the job reads the old ones by a range) and where."""
    return f"{staged_at:012d}#{document_pk}"


# --- outbound webhooks: endpoints, the event feed, per-endpoint delivery state and attempts ---------
WEBHOOK_ENDPOINT_SK_PREFIX = "WHEP#"
WEBHOOK_ENDPOINT_COUNTER_SK = "COUNTER#WHEP"
DELIVERY_STATE_SK_PREFIX = "STATE#"
ATTEMPT_SK_PREFIX = "ATTEMPT#"


def webhook_endpoint_sk(endpoint_id: str) -> str:
    """In the business's partition; `we_` + a UUIDv7's hex, so endpoints list oldest first."""
    return f"{WEBHOOK_ENDPOINT_SK_PREFIX}{endpoint_id}"


def events_feed_pk(business_id: str) -> str:
    """The business's event feed (`GET /events`), newest first by a descending Query."""
    return f"BIZ#{business_id}#EVENTS"


def feed_event_sk(created_at: str, event_id: str) -> str:
    """RFC 3339 time of the change, then its deterministic id: the same event always has the same key."""
    return f"{created_at}#{event_id}"


def events_by_type_gsi3pk(business_id: str, event_type: str) -> str:
    """GSI3 (shared with the invoices by status): the feed of one event type."""
    return f"BIZ#{business_id}#EVENTTYPE#{event_type}"


def webhook_endpoint_pk(business_id: str, endpoint_id: str) -> str:
    """An endpoint's own partition: its delivery state per event and its attempts."""
    return f"BIZ#{business_id}#WHEP#{endpoint_id}"


def delivery_state_sk(event_id: str) -> str:
    return f"{DELIVERY_STATE_SK_PREFIX}{event_id}"


def attempt_sk(attempted_at: str, event_id: str) -> str:
    """Newest first by a descending Query of `ATTEMPT#`."""
    return f"{ATTEMPT_SK_PREFIX}{attempted_at}#{event_id}"
