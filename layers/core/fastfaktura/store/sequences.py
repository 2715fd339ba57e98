"""Gapless per-business number sequences (invoice numbers and credit-note numbers): stage,
claim, finish — and the stream's repair of a claim whose finish never ran.

1. `stage`: the document is written unnumbered, as a PENDING item in its own partition, together with
   its companion items (e.g. line chunks) and the caller's checks, in ONE transaction. Every item it
   writes carries a TTL (`expires_at`), so a document whose create dies here simply vanishes.
2. `claim`: ONE unconditional UpdateItem on the counter `BIZ#<bid>` / `COUNTER#<name>`:
   `last = last + 1`, naming the staged document (`claim_pk`). It cannot lose a race: DynamoDB applies
   the updates of one item one after the other, in arrival order, so concurrent creates are served
   in about their arrival order, each with one write, never a retry.
3. `finish`: ONE transaction puts the numbered document (condition: not there yet) and clears the
   companions' TTL. The PENDING item is left to its TTL (nothing here deletes: the functions that
   write are not allowed to), so a late repair still finds what it needs.

A number exists only once claimed, and a claim names a document that is already staged. If the
function dies between 2 and 3, the table's stream carries the counter's change (every claim is a
MODIFY record naming its document and number) and `repair` runs step 3 from the PENDING item.
`finish` is idempotent (the same document gets the same number), so a repair racing its own create
is harmless: whichever comes second finds the document numbered and stops.

A stage that changes other items (a credit note's, which credits its invoice) must not be abandoned:
its PENDING item is in GSI5 (`Staged.finished_when_abandoned`), and the hourly job
(`finish_abandoned`) claims and finishes the ones still unnumbered ABANDONED_AFTER_SECONDS after their
stage — far past any function's timeout, so never one whose create is still running.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastfaktura.domain.errors import FastFakturaError, ServiceUnavailable, is_retryable
from fastfaktura.domain.invoices import format_number
from fastfaktura.store import db, keys

# A staged document that was never claimed expires after this long (the stream's records live 24 h).
STAGED_TTL_SECONDS = 7 * 24 * 3600
# A staging transaction is cancelled when another transaction touches one of its items at the same
# moment (e.g. the client's check of a concurrent create): retried briefly, then 503 (retryable).
STAGE_ATTEMPTS = 8
STAGE_BACKOFF_SECONDS = 0.02
# A staged document still unnumbered this long after its stage was abandoned by its create (functions
# stop after 10 s, 300 s for the hourly job itself).
ABANDONED_AFTER_SECONDS = 15 * 60


@dataclass(frozen=True)
class Sequence:
    """One business-wide gapless sequence.

    `name`: the counter's name (`COUNTER#<name>`); `document_sk`: the numbered document's sort key in
    its partition; `numbered`: (the staged document's attributes, the sequence number, the number as
    shown) → the numbered document's item (plain values, with its index keys); `beside`: the numbered
    document's item → items of other partitions written in the same finish (e.g. a credit note's
    reference in its invoice's partition), so they exist exactly when the document does."""

    name: str
    document_sk: str
    numbered: Callable[[dict[str, Any], int, str], dict[str, Any]]
    beside: Callable[[dict[str, Any]], list[dict[str, Any]]] = lambda _document: []

    @property
    def counter_sk(self) -> str:
        return keys.counter_sk(self.name)


@dataclass(frozen=True)
class Staged:
    """What a claim's finish needs: the document's partition, its unnumbered attributes, the number's
    prefix and the sort keys of its companion items."""

    document_pk: str
    document: dict[str, Any]
    prefix: str
    companions: tuple[str, ...] = ()
    finished_when_abandoned: str | None = None
    """The sequence's name when its create dying before the claim must still number it (see the module)."""

    def item(self) -> dict[str, Any]:
        now = int(time.time())
        item = {"PK": self.document_pk, "SK": keys.PENDING_SK, "document": self.document, "prefix": self.prefix,
                "companions": list(self.companions), "expires_at": now + STAGED_TTL_SECONDS}
        if self.finished_when_abandoned:
            item.update(GSI5PK=keys.abandoned_gsi5pk(self.finished_when_abandoned, self.document_pk),
                        GSI5SK=keys.abandoned_gsi5sk(now, self.document_pk))
        return item

    @classmethod
    def from_item(cls, item: dict[str, Any]) -> Staged:
        return cls(item["PK"], item["document"], item["prefix"], tuple(item.get("companions") or ()))


def stage(staged: Staged, companions: list[dict[str, Any]], checks: list[dict[str, Any]]) -> None:
    """Step 1: the PENDING item, its companion items (plain values, each with its own SK) and `checks`
    (TransactWriteItems entries, placed first, so their cancellation reasons come first: condition
    checks, or the conditional writes the document decides, e.g. a credit note's change to its
    invoice's balance) in one transaction. A TransactionCanceledException for a failed check is the caller's to read."""
    expires = int(time.time()) + STAGED_TTL_SECONDS
    table = db.table_name()
    transaction = [*checks, {"Put": {"TableName": table, "Item": db.to_item(staged.item()),
                                     "ConditionExpression": "attribute_not_exists(PK)"}}]
    transaction += [{"Put": {"TableName": table, "Item": db.to_item({**item, "PK": staged.document_pk,
                                                                      "expires_at": expires})}}
                    for item in companions]
    for attempt in range(STAGE_ATTEMPTS):
        try:
            db.client().transact_write_items(TransactItems=transaction)
            return
        except db.client().exceptions.TransactionCanceledException as exc:
            if not is_retryable(exc) or "ConditionalCheckFailed" in db.cancellation_reasons(exc):
                raise
        time.sleep(random.uniform(0, STAGE_BACKOFF_SECONDS * 2 ** attempt))
    raise ServiceUnavailable.busy()


def claim(sequence: Sequence, business_id: str, document_pk: str) -> int:
    """Step 2: the next number, in one unconditional UpdateItem that names the staged document."""
    answer = db.client().update_item(
        TableName=db.table_name(), Key=db.key(keys.business_pk(business_id), sequence.counter_sk),
        UpdateExpression="SET #last = if_not_exists(#last, :zero) + :one, claim_pk = :pk, claimed_at = :at",
        ExpressionAttributeNames={"#last": "last"},
        ExpressionAttributeValues=db.to_item({":zero": 0, ":one": 1, ":pk": document_pk, ":at": int(time.time())}),
        ReturnValues="UPDATED_NEW")
    return int(answer["Attributes"]["last"]["N"])


def finish(sequence: Sequence, staged: Staged, number: int, shown: str) -> dict[str, Any]:
    """Step 3: the numbered document (plain values) written and its companions kept for good — or, when
    that already happened (a repair or the create got there first), the document as numbered then."""
    item = sequence.numbered(staged.document, number, shown)
    table = db.table_name()
    transaction = [
        {"Put": {"TableName": table, "Item": db.to_item(item), "ConditionExpression": "attribute_not_exists(PK)"}},
    ]
    transaction += [{"Put": {"TableName": table, "Item": db.to_item(other)}} for other in sequence.beside(item)]
    transaction += [{"Update": {"TableName": table, "Key": db.key(staged.document_pk, sk),
                                "UpdateExpression": "REMOVE expires_at"}} for sk in staged.companions]
    attempt = 0
    while True:
        try:
            db.client().transact_write_items(TransactItems=transaction)
            return item
        except db.client().exceptions.TransactionCanceledException as exc:
            if "ConditionalCheckFailed" in db.cancellation_reasons(exc):
                done = db.get(staged.document_pk, sequence.document_sk, consistent=True)
                if done is not None and done.get("sequence") == number:
                    return done
                raise
            if not is_retryable(exc) or attempt == STAGE_ATTEMPTS - 1:
                raise
        time.sleep(random.uniform(0, STAGE_BACKOFF_SECONDS * 2 ** attempt))
        attempt += 1


def claim_and_finish(sequence: Sequence, business_id: str, staged: Staged, kind: str, document_id: str,
                     unclaimed: Callable[[], None] = lambda: None) -> dict[str, Any]:
    """Steps 2 and 3 for a document just staged: the numbered document as written. A claim that raises
    numbered nothing: `unclaimed` then undoes what the stage changed besides the document (which expires),
    and the error goes on. A finish that still fails is never a retryable answer (the number is taken and
    the stream's repair writes it): a 500 naming the `kind` of document (e.g. "invoice"), its number and
    its id."""
    try:
        number = claim(sequence, business_id, staged.document_pk)
    except Exception:
        unclaimed()
        raise
    shown = format_number(staged.prefix, number)
    try:
        return finish(sequence, staged, number, shown)
    except Exception as exc:
        raise FastFakturaError(f"{kind} {shown} ({document_id}) is numbered but its write failed; it appears "
                               "within a minute: do not create it again") from exc


class ClaimUnrepairable(Exception):
    """A claim names a document that is neither numbered nor staged (nothing this code writes leads
    there): the stream record fails, is retried, then lands in the on-failure queue."""


def repair(sequence: Sequence, counter: dict[str, Any]) -> bool:
    """The counter's item as a claim left it (a stream record's NewImage, plain values) → finishes the
    claimed document if its create did not; answers whether it had to."""
    document_pk, number = counter.get("claim_pk"), counter.get("last")
    if not document_pk or not number:
        return False  # a counter written without a claim (an import, a test's seed)
    done = db.get(document_pk, sequence.document_sk, consistent=True)
    if done is not None:
        if done.get("sequence") != number:
            raise ClaimUnrepairable(f"{document_pk} holds {done.get('sequence')}, claimed {number}")
        return False
    pending = db.get(document_pk, keys.PENDING_SK, consistent=True)
    if pending is None:
        raise ClaimUnrepairable(f"{document_pk} claimed {number} but is neither numbered nor staged")
    staged = Staged.from_item(pending)
    finish(sequence, staged, number, format_number(staged.prefix, number))
    return True


def set_abandonable(staged: Staged, abandonable: bool) -> None:
    """Puts the staged document in the hourly job's index (GSI5) or takes it out: out when its create
    undid what its stage changed (nothing left to number), back in when that undoing failed."""
    if abandonable:
        item = staged.item()
        db.client().update_item(TableName=db.table_name(), Key=db.key(staged.document_pk, keys.PENDING_SK),
                                UpdateExpression="SET GSI5PK = :pk, GSI5SK = :sk",
                                ExpressionAttributeValues=db.to_item({":pk": item["GSI5PK"], ":sk": item["GSI5SK"]}))
    else:
        db.client().update_item(TableName=db.table_name(), Key=db.key(staged.document_pk, keys.PENDING_SK),
                                UpdateExpression="REMOVE GSI5PK, GSI5SK")


def finish_abandoned(sequence: Sequence, now: float) -> int:
    """The hourly job: every document of `sequence` staged more than ABANDONED_AFTER_SECONDS before `now`
    (GSI5, one Query per shard) and still unnumbered is claimed and finished, as its create would have;
    each one seen leaves the index. Answers how many it numbered. A claim made before the create died
    (the counter's last claim names the document: the stream's repair has not run) is finished with
    that claim's number, never claimed again."""
    bound = keys.abandoned_gsi5sk(int(now) - ABANDONED_AFTER_SECONDS, "")
    numbered = 0
    for shard in range(keys.DUE_SHARDS):
        request = {"TableName": db.table_name(), "IndexName": keys.GSI5,
                   "KeyConditionExpression": "GSI5PK = :pk AND GSI5SK < :bound",
                   "ExpressionAttributeValues": {":pk": {"S": keys.abandoned_gsi5pk_of_shard(sequence.name, shard)},
                                                 ":bound": {"S": bound}}}
        for entry in db.query_all(request):
            document_pk = entry["PK"]["S"]
            pending = db.get(document_pk, keys.PENDING_SK, consistent=True)
            if pending is None:  # expired; the index lags its deletion
                continue
            if db.get(document_pk, sequence.document_sk, consistent=True) is None:
                staged = Staged.from_item(pending)
                business_id = staged.document["business_id"]
                counter = db.get(keys.business_pk(business_id), sequence.counter_sk, consistent=True) or {}
                number = (int(counter["last"]) if counter.get("claim_pk") == document_pk
                          else claim(sequence, business_id, document_pk))
                finish(sequence, staged, number, format_number(staged.prefix, number))
                numbered += 1
            set_abandonable(Staged.from_item(pending), False)
    return numbered
