"""Identifiers checked by country with python-stdnum: each kind with a good and a bad check digit,
the bad one a 422 naming the field; numbers of countries without a checker are kept as given."""

from __future__ import annotations

import subprocess
import sys

import pytest
from fastfaktura.domain import identifiers
from fastfaktura.domain.errors import ValidationFailed

# (field, country, good, bad check digit)
KINDS = [
    ("company_id", "FR", "123456782", "123456789"),  # SIREN
    ("company_id", "FR", "123 456 782 00010", "12345678200011"),  # SIRET
    ("company_id", "NO", "923456783", "923456789"),  # organisasjonsnummer
    ("company_id", "SE", "556677-8899", "556677-8898"),  # organisationsnummer
    ("company_id", "DK", "12345674", "12345678"),  # CVR
    ("vat_number", "FR", "FR11123456782", "FR12123456782"),
    ("vat_number", "NO", "NO923456783MVA", "NO923456789MVA"),  # MVA
    ("vat_number", "NO", "923456783MVA", "923456789MVA"),
    ("vat_number", "SE", "SE556677889901", "SE556677889801"),
    ("vat_number", "DK", "DK13585628", "DK13585627"),
    ("vat_number", "DE", "DE136695976", "DE136695977"),
    ("vat_number", "DE", "136695976", "136695977"),  # without its prefix: the country's shape
    ("vat_number", None, "BE0776091951", "BE0776091952"),  # an EU prefix names the country
    ("vat_number", "GR", "EL094259216", "EL094259217"),
    ("iban", None, "FR76 3000 6000 0112 3456 7890 189", "FR76 3000 6000 0112 3456 7890 188"),
    ("iban", None, "NO9386011117947", "NO9386011117948"),
]


@pytest.mark.parametrize(("field", "country", "good", "bad"), KINDS)
def test_a_good_number_passes_and_a_bad_check_digit_is_a_422_naming_the_field(field, country, good, bad):
    identifiers.check_party({"country": country, field: good})
    with pytest.raises(ValidationFailed) as refused:
        identifiers.check_party({"country": country, field: bad})
    assert refused.value.status == 422
    assert refused.value.details == [{"field": field, "issue": "checksum", "value": bad}]
    assert field in refused.value.message


@pytest.mark.parametrize(("field", "country", "value"), [
    ("company_id", "FR", "1234567"),  # neither 9 nor 14 digits
    ("company_id", "NO", "92345678"),
    ("vat_number", "FR", "FRXX123"),
    ("bic", None, "AGRIFRP1X"),
])
def test_a_number_of_the_wrong_shape_is_a_format_422(field, country, value):
    with pytest.raises(ValidationFailed) as refused:
        identifiers.check_party({"country": country, field: value})
    assert refused.value.details[0]["issue"] == "format"


@pytest.mark.parametrize(("field", "country", "value"), [
    ("company_id", "US", "12-3456789"), ("company_id", None, "anything"), ("vat_number", "US", "123"),
    ("bic", None, "AGRIFRPP"), ("bic", None, "DEUTDEFF500"),
])
def test_numbers_without_a_checker_for_their_country_are_kept(field, country, value):
    identifiers.check_party({"country": country, field: value})


@pytest.mark.parametrize(("scheme", "good", "bad"), [
    ("0009", "12345678200010", "12345678200011"), ("0002", "123456782", "123456789"),
    ("0192", "923456783", "923456789"), ("0007", "5566778899", "5566778898"), ("0184", "12345674", "12345678"),
])
def test_an_electronic_address_of_a_checked_scheme_is_checked(scheme, good, bad):
    identifiers.check_party({"electronic_address": {"scheme": scheme, "id": good}})
    with pytest.raises(ValidationFailed) as refused:
        identifiers.check_party({"electronic_address": {"scheme": scheme, "id": bad}})
    assert refused.value.details[0]["field"] == "electronic_address.id"
    identifiers.check_party({"electronic_address": {"scheme": "0225", "id": "any-id"}})


def test_only_the_touched_identifiers_are_checked_unless_the_country_changes():
    party = {"country": "FR", "company_id": "123456789", "vat_number": "FR11123456782"}
    identifiers.check_party(party, frozenset({"vat_number"}))
    with pytest.raises(ValidationFailed):
        identifiers.check_party(party, frozenset({"country"}))
    with pytest.raises(ValidationFailed) as refused:
        identifiers.check_party({**party, "vat_number": "FR00"}, None)
    assert [d["field"] for d in refused.value.details] == ["company_id", "vat_number"]  # every bad field


@pytest.mark.parametrize(("country", "company_id", "derived"), [
    ("FR", "123 456 782 00010", {"scheme": "0009", "id": "12345678200010"}),
    ("FR", "123456782", {"scheme": "0002", "id": "123456782"}),
    ("NO", "923 456 783", {"scheme": "0192", "id": "923456783"}),
    ("SE", "556677-8899", {"scheme": "0007", "id": "5566778899"}),
    ("DK", "12345674", {"scheme": "0184", "id": "12345674"}),
    ("DE", "HRB 1234", None), ("FR", None, None),
])
def test_a_null_electronic_address_is_derived_where_a_scheme_exists(country, company_id, derived):
    assert identifiers.electronic_address(country, company_id, None) == derived
    given = {"scheme": "EM", "id": "factures@example.fr"}
    assert identifiers.electronic_address(country, company_id, given) == given


def test_stdnum_is_imported_on_the_first_identifier_not_with_the_module():
    code = ("import sys; from fastfaktura.domain import identifiers; assert 'stdnum' not in sys.modules; "
            "identifiers.check_party({'country': 'FR', 'company_id': '123456782'}); assert 'stdnum' in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True, env={"PYTHONPATH": "layers/core"})
