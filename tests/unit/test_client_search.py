"""The pure part of client search (domain.clients): what a client is matched on and what a q asks."""

from __future__ import annotations

import pytest
from fastfaktura.domain.clients import Search, caseless, phone_digits, search_text


def test_caseless_folds_case_and_compatibility_forms():
    assert caseless("ÅSA ÆRØ") == caseless("åsa ærø")
    assert caseless("Straße") == caseless("STRASSE")
    assert caseless("E\u0301milie") == caseless("Émilie")  # decomposed é


def test_search_text_keeps_name_and_email_apart():
    assert search_text("Bob", "ob@x.no") == "bob\nob@x.no"
    assert search_text("Bob", None) == "bob"


def test_phone_digits():
    assert phone_digits("+4791234567") == "4791234567"
    assert phone_digits(None) is None


@pytest.mark.parametrize(("q", "digits"), [
    ("912 34", "91234"), ("+47 (912)", "47912"), ("33-6", "336"), ("anna", None), ("a1", None), ("()", None),
])
def test_a_phone_like_q_also_searches_digits(q, digits):
    assert Search.parse(q).digits == digits


@pytest.mark.parametrize("q", [None, "", "   "])
def test_an_empty_q_is_no_search(q):
    assert Search.parse(q) is None


@pytest.mark.parametrize(("q", "matches"), [
    ("ÉMILIE", True), ("čap", True), ("example.fr", True), ("e\nexa", False), ("33 6", True), ("+33-612", True),
    ("4791", False), ("capek", False),
])
def test_matches(q, matches):
    assert Search.parse(q).matches("Émilie Čapek", "emilie@example.fr", "+33612345678") is matches
