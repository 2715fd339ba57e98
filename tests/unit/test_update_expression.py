"""The one builder of UpdateItem expressions (partial updates, client updates, status transitions)."""

from __future__ import annotations

import pytest
from fastfaktura.store import db


@pytest.fixture(autouse=True)
def table(monkeypatch):
    monkeypatch.setattr(db, "table_name", lambda: "invoicing")


def test_sets_removes_and_adds_in_that_order_with_placeholders_for_every_name_and_value():
    update = db.UpdateExpression().set("status", "paid").remove("GSI5PK").add("version", 1).set("at", "x")
    request = update.request("P", "S", "attribute_exists(PK)")
    assert request["UpdateExpression"] == "SET #n0 = :v0, #n3 = :v2 REMOVE #n1 ADD #n2 :v1"
    assert request["ExpressionAttributeNames"] == {"#n0": "status", "#n1": "GSI5PK", "#n2": "version", "#n3": "at"}
    assert request["ExpressionAttributeValues"] == {":v0": {"S": "paid"}, ":v1": {"N": "1"}, ":v2": {"S": "x"}}
    assert (request["TableName"], request["Key"]) == ("invoicing", {"PK": {"S": "P"}, "SK": {"S": "S"}})
    assert request["ConditionExpression"] == "attribute_exists(PK)"


def test_a_condition_names_an_attribute_with_the_placeholder_of_the_update():
    update = db.UpdateExpression().set("updated_at", "new")
    condition = f"{update.name('updated_at')} = {update.value('old')}"
    assert condition == "#n0 = :v1"
    assert update.names == {"#n0": "updated_at"}
    assert update.values == {":v0": "new", ":v1": "old"}


def test_null_changes_are_removed_and_the_others_set():
    request = db.UpdateExpression().changes({"email": None, "name": "Nordlys AS"}).request("P", "S", "c")
    assert request["UpdateExpression"] == "SET #n1 = :v0 REMOVE #n0"
    assert request["ExpressionAttributeNames"] == {"#n0": "email", "#n1": "name"}


def test_an_update_of_removes_only_carries_no_values():
    request = db.UpdateExpression().remove("a").copy("b", "c").request("P", "S", "c")
    assert request["UpdateExpression"] == "SET #n1 = #n2 REMOVE #n0"
    assert "ExpressionAttributeValues" not in request


def test_values_are_stored_as_the_table_stores_them():
    request = db.UpdateExpression().set("rate", 5.5).set("tags", ["a"]).request("P", "S", "c")
    assert request["ExpressionAttributeValues"] == {":v0": {"N": "5.5"}, ":v1": {"L": [{"S": "a"}]}}
