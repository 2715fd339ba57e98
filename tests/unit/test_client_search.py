"""The pure part of client search (domain.clients): what a client is matched on and what a q asks."""

from __future__ import annotations

import pytest
from fastfaktura.domain.clients import Search, caseless, grams, phone_digits, search_text
from hypothesis import given
from hypothesis import strategies as st


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


# --- the index's runs (store.clients postings) -------------------------------------------------------


@given(st.text("abcøé .@1", min_size=1, max_size=20), st.text("0123456789", max_size=10), st.data())
def test_every_client_a_q_matches_holds_the_run_the_search_reads(name, digits, data):
    """Whatever piece of a client's text or digits is searched, its run is one of the client's runs."""
    text = search_text(name, None)
    source = data.draw(st.sampled_from([text, digits] if digits else [text]))
    start = data.draw(st.integers(0, len(source)))
    search = Search.parse(source[start:data.draw(st.integers(start, len(source)))])
    if search and search.gram() and search.matches(name, None, f"+{digits}" if digits else None):
        assert search.gram() in grams(text, digits or None)


@pytest.mark.parametrize(("q", "gram"), [("ab", None), ("+47 91", None), ("lindqvist", "dqv"), ("91 005", "005")])
def test_the_run_read_is_of_the_text_and_of_the_digits_when_the_phone_is_searched(q, gram):
    assert Search.parse(q).gram() == gram
