"""The repair of gapless sequences from the table's stream: a counter's change names the document
that claimed its number (`store.sequences`); a claim whose create died is finished here."""

from __future__ import annotations

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
