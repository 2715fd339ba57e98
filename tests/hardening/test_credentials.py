"""Credentials are unambiguous: X-Api-Key and Authorization: Bearer may both be sent only with the same key.
Found by the contract fuzzer: a valid X-Api-Key beside an empty or foreign Authorization header was
accepted, so a request could carry a credential that the API silently ignored."""

from __future__ import annotations

import pytest

from tests.helpers.api import assert_error


@pytest.mark.parametrize("authorization", ["Bearer ", "Bearer ffk_test_someoneelse", "Basic dXNlcjpwYXNz", "x"])
def test_a_valid_key_beside_a_different_or_malformed_credential_is_401(api, business, authorization):
    answer = api.get("/api/v1/business", headers={"authorization": authorization})
    assert_error(answer, 401, "authentication_error")


def test_the_same_key_in_both_headers_is_accepted(api, business):
    answer = api.get("/api/v1/business", headers={"authorization": f"Bearer {business.api_key}"})
    assert answer.status == 200
