"""Every key of the single table, in one place. See docs/DATA_MODEL.md.

Business-owned items all live under a partition key that starts with the business id. The only
exception is the API-key item: a key must be resolved to its business before the business is known.
"""

from __future__ import annotations

# --- primary keys ---------------------------------------------------------------------------------
PROFILE_SK = "PROFILE"
INVOICE_COUNTER_SK = "COUNTER#INVOICE"
CREDIT_NOTE_COUNTER_SK = "COUNTER#CREDITNOTE"
INVOICE_SK = "INVOICE"
API_KEY_SK = "APIKEY"


def business_pk(business_id: str) -> str:
    return f"BIZ#{business_id}"


def api_key_pk(key_hash: str) -> str:
    return f"APIKEY#{key_hash}"


def client_sk(client_id: str) -> str:
    return f"CLIENT#{client_id}"


CLIENT_SK_PREFIX = "CLIENT#"


def client_external_id_sk(external_id: str) -> str:
    """Guard item that keeps `external_id` unique within a business."""
    return f"CLIENTEXT#{external_id}"


def invoice_pk(business_id: str, invoice_id: str) -> str:
    """An invoice's own partition: the invoice item, its line chunks and its events."""
    return f"BIZ#{business_id}#INV#{invoice_id}"


def line_chunk_sk(index: int) -> str:
    return f"LINES#{index:02d}"


LINE_CHUNK_SK_PREFIX = "LINES#"
PAYMENT_SK_PREFIX = "PAYMENT#"
CREDIT_NOTE_SK_PREFIX = "CREDITNOTE#"
CREDIT_NOTE_GSI1SK = "CREDITNOTE"


def payment_sk(payment_id: str) -> str:
    """A payment lives in its invoice's partition: one Query reads the invoice with its payments."""
    return f"PAYMENT#{payment_id}"


def credit_note_sk(credit_note_id: str) -> str:
    """A credit note lives in its invoice's partition (one Query reads both), sorted by its UUIDv7."""
    return f"CREDITNOTE#{credit_note_id}"
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


def credit_note_gsi1pk(business_id: str, credit_note_id: str) -> str:
    """A credit note by its id alone (its invoice is not in the URL)."""
    return f"BIZ#{business_id}#CREDITNOTE#{credit_note_id}"


# --- GSI2: a business's invoices, newest first (GSI2SK = invoice id, a UUIDv7) --------------------
GSI2 = "GSI2"


def credit_notes_gsi2pk(business_id: str) -> str:
    """A business's credit notes, newest first (GSI2SK = credit note id, a UUIDv7)."""
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
