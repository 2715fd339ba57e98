"""The repair of gapless sequences: from the table's stream, a counter's change names the document that
claimed its number (`store.sequences`) and a claim whose create died is finished here; from the hourly
job, a credit note staged by a create that died before its claim is numbered here."""

from __future__ import annotations

import time
from typing import Any

from fastfaktura.observability import count, logger
from fastfaktura.store import credit_notes as credit_note_store
from fastfaktura.store import db, sequences
from fastfaktura.store import invoices as invoice_store

SEQUENCES = {sequence.counter_sk: sequence for sequence in (invoice_store.NUMBERING, credit_note_store.NUMBERING)}
"""Every sequence by its counter's sort key: invoice numbers and credit-note numbers."""


def repair_claim(record: dict[str, Any]) -> bool:
    """One stream record in Lambda's shape: when it is a counter's claim whose document was never
    numbered, numbers it. Answers whether it did (False for any other record)."""
    change = record.get("dynamodb") or {}
    new = db.from_item(change.get("NewImage") or {})
    sequence = SEQUENCES.get(str(new.get("SK", "")))
    if record.get("eventName") not in ("INSERT", "MODIFY") or sequence is None:
        return False
    repaired = sequences.repair(sequence, new)
    if repaired:
        logger.warning("finished a claimed number its create left unwritten",
                       extra={"claim_pk": new["claim_pk"], "sequence": new["last"]})
        count("NumbersRepaired")
    return repaired


def finish_abandoned_stages(now: float | None = None) -> int:
    """The hourly job's part: numbers every staged document its create abandoned before the claim (only
    sequences whose stage changes other items stage such documents: credit notes). Answers how many."""
    numbered = sum(sequences.finish_abandoned(sequence, time.time() if now is None else now)
                   for sequence in SEQUENCES.values())
    if numbered:
        logger.warning("numbered documents whose create died before its claim", extra={"numbered": numbered})
        count("AbandonedStagesNumbered", numbered)
    return numbered
