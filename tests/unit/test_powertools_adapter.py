"""Powertools is pinned exactly; an upgrade that changes one of the private APIs we use must say which,
here, rather than fail at run time."""

from __future__ import annotations

import inspect

from aws_lambda_powertools.utilities.idempotency.persistence.dynamodb import DynamoDBPersistenceLayer
from fastfaktura import powertools_adapter
from fastfaktura.store.idempotency import BusinessScopedPersistence


def test_the_installed_powertools_has_every_private_api_we_use():
    missing = powertools_adapter.missing_private_apis()
    assert not missing, "Powertools changed what fastfaktura.powertools_adapter relies on:\n" + "\n".join(missing)


def test_a_missing_private_api_is_named(monkeypatch):
    monkeypatch.delattr(DynamoDBPersistenceLayer, "_get_key")
    assert powertools_adapter.missing_private_apis() == [
        "DynamoDBPersistenceLayer._get_key is gone (BusinessScopedPersistence overrides it)"]


def test_a_changed_signature_is_named(monkeypatch):
    monkeypatch.setattr(DynamoDBPersistenceLayer, "_delete_record", lambda self, record, extra: None)
    assert powertools_adapter.missing_private_apis() == [
        "DynamoDBPersistenceLayer._delete_record now takes ('self', 'record', 'extra'), not ('self', 'data_record')"]


def test_our_persistence_layer_overrides_the_hooks_with_their_signatures():
    for name in ("_get_hashed_idempotency_key", "_get_key", "_delete_record"):
        ours, theirs = getattr(BusinessScopedPersistence, name), getattr(DynamoDBPersistenceLayer, name)
        assert ours is not theirs
        assert list(inspect.signature(ours).parameters) == list(inspect.signature(theirs).parameters)
