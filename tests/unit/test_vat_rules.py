"""VAT categories of lines: the defaults that keep first-release bodies working, and every rule at and
past its edge (domain.vat), each refusal naming the field and the EN 16931 rule."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest
from fastfaktura.domain import vat
from fastfaktura.domain.errors import ValidationFailed


@dataclass(frozen=True)
class Reason:
    code: str
    text: str | None = None


@dataclass(frozen=True)
class Line:
    tax_rate: Decimal
    vat_category: str | None = None
    vat_exemption_reason: Reason | None = None


def line(rate: str = "0", category: str | None = None, code: str | None = None, text: str | None = None) -> Line:
    return Line(Decimal(rate), category, Reason(code, text) if code else None)


FR_TO_DE = vat.Parties(seller_country="FR", vat_regime="standard", client_country="DE",
                       client_vat_number="DE136695976")
EXEMPT_FR = vat.Parties(seller_country="FR", vat_regime="exempt", client_country="FR", client_vat_number=None)


def refusal(lines: list[Line], parties: vat.Parties = FR_TO_DE) -> list[tuple[str, str]]:
    with pytest.raises(ValidationFailed) as refused:
        vat.resolve(lines, parties)
    assert refused.value.status == 422
    return [(detail["field"], detail["issue"]) for detail in refused.value.details]


# --- defaults ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("rate", "category"), [("20", "S"), ("0.01", "S"), ("0", "Z")])
def test_a_first_release_line_is_s_above_zero_and_z_at_zero(rate, category):
    assert vat.resolve([line(rate)], FR_TO_DE) == [vat.LineVat(category, None)]


@pytest.mark.parametrize(("country", "code", "text"), [
    ("FR", "VATEX-FR-FRANCHISE", "TVA non applicable, art. 293 B du CGI"),
    ("NO", None, "Selger er ikke registrert i Merverdiavgiftsregisteret"),
    ("SE", None, "Omsättningen är undantagen från mervärdesskatt (18 kap. mervärdesskattelagen)"),
    ("DK", None, "Virksomheden er ikke momsregistreret (momsloven § 48)"),
    ("DE", None, "VAT exemption for small enterprises (Council Directive 2006/112/EC, art. 284)"),
    ("US", None, "Seller not registered for VAT"),
])
def test_an_exempt_business_defaults_to_e_with_its_countrys_exemption(country, code, text):
    parties = vat.Parties(seller_country=country, vat_regime="exempt", client_country=None, client_vat_number=None)
    assert vat.resolve([line("0")], parties) == [vat.LineVat("E", vat.Exemption(code, text))]


@pytest.mark.parametrize(("category", "code"), [("AE", "VATEX-EU-AE"), ("K", "VATEX-EU-IC"), ("G", "VATEX-EU-G"),
                                                ("O", "VATEX-EU-O")])
def test_ae_k_g_o_default_their_reason(category, code):
    [resolved] = vat.resolve([line("0", category)], FR_TO_DE)
    assert resolved.category == category and resolved.reason.code == code and resolved.reason.text


def test_a_given_reason_is_kept_with_its_text():
    [resolved] = vat.resolve([line("0", "E", "VATEX-EU-132-1I", "Formation professionnelle")], FR_TO_DE)
    assert resolved == vat.LineVat("E", vat.Exemption("VATEX-EU-132-1I", "Formation professionnelle"))


# --- category and rate -------------------------------------------------------------------------------

@pytest.mark.parametrize("category", ["Z", "E", "AE", "K", "G", "O"])
def test_every_category_but_s_has_rate_zero(category):
    code = {"E": "VATEX-EU-132"}.get(category)
    vat.resolve([line("0", category, code)], FR_TO_DE)  # at the edge: accepted
    rule = {"K": "BR-IC-05"}.get(category, f"BR-{category}-05")
    assert refusal([line("0.01", category, code)]) == [("lines.0.tax_rate", rule)]


def test_s_needs_a_rate_above_zero():
    vat.resolve([line("0.01", "S")], FR_TO_DE)
    assert refusal([line("0", "S")]) == [("lines.0.tax_rate", "BR-S-05")]


@pytest.mark.parametrize(("category", "rate"), [("S", "20"), ("Z", "0")])
def test_s_and_z_carry_no_exemption_reason(category, rate):
    assert refusal([line(rate, category, "VATEX-EU-132")]) == [("lines.0.vat_exemption_reason", f"BR-{category}-10")]


# --- reasons -----------------------------------------------------------------------------------------

def test_e_of_a_standard_business_needs_a_reason():
    assert refusal([line("0", "E")]) == [("lines.0.vat_exemption_reason", "BR-E-10")]
    vat.resolve([line("0", "E", "VATEX-EU-132")], FR_TO_DE)


@pytest.mark.parametrize(("category", "code"), [("AE", "VATEX-EU-IC"), ("K", "VATEX-EU-AE"), ("E", "VATEX-EU-G"),
                                                ("G", "VATEX-EU-132"), ("O", "VATEX-FR-FRANCHISE")])
def test_a_reasons_code_belongs_to_the_lines_category(category, code):
    assert refusal([line("0", category, code)]) == [("lines.0.vat_exemption_reason.code", "reason_category")]


def test_one_reason_per_category_and_rate():
    same = [line("0", "E", "VATEX-EU-132"), line("0", "E", "VATEX-EU-132")]
    vat.resolve(same, FR_TO_DE)
    assert refusal([same[0], line("0", "E", "VATEX-EU-143")]) == [("lines.1.vat_exemption_reason", "reason_conflict")]
    assert refusal([same[0], line("0", "E", "VATEX-EU-132", "other text")]) == [
        ("lines.1.vat_exemption_reason", "reason_conflict")]


# --- the client --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("category", "rule"), [("AE", "BR-AE-02"), ("K", "BR-IC-02")])
def test_ae_and_k_need_the_clients_vat_number(category, rule):
    without = vat.Parties(seller_country="FR", vat_regime="standard", client_country="DE", client_vat_number=None)
    assert refusal([line("0", category)], without) == [("client.vat_number", rule)]
    assert refusal([line("0", category)] * 3, without) == [("client.vat_number", rule)]  # named once


def test_k_goes_to_another_eu_country():
    vat.resolve([line("0", "K")], FR_TO_DE)
    domestic = vat.Parties(seller_country="FR", vat_regime="standard", client_country="FR",
                           client_vat_number="FR11123456782")
    assert refusal([line("0", "K")], domestic) == [("client.country", "same_country")]


@pytest.mark.parametrize(("seller", "client", "field"), [("FR", "NO", "client.country"), ("FR", None, "client.country"),
                                                         ("NO", "SE", "business.country"),
                                                         (None, "SE", "business.country")])
def test_k_is_not_for_a_country_outside_the_eu(seller, client, field):
    parties = vat.Parties(seller_country=seller, vat_regime="standard", client_country=client,
                          client_vat_number="SE556677889901")
    assert refusal([line("0", "K")], parties) == [(field, "outside_eu")]


# --- the invoice as a whole --------------------------------------------------------------------------

def test_o_is_never_mixed_with_another_category():
    vat.resolve([line("0", "O"), line("0", "O")], FR_TO_DE)
    assert refusal([line("0", "O"), line("20")]) == [("lines.1.vat_category", "BR-O-11")]
    assert refusal([line("0", "Z"), line("0", "O")]) == [("lines.0.vat_category", "BR-O-11")]


def test_an_exempt_business_has_no_s_line():
    vat.resolve([line("0"), line("0", "Z"), line("0", "G")], EXEMPT_FR)
    assert refusal([line("0.01")], EXEMPT_FR) == [("lines.0.tax_rate", "exempt_business")]
    assert refusal([line("20", "S")], EXEMPT_FR) == [("lines.0.vat_category", "exempt_business")]


def test_every_broken_rule_is_named_at_once():
    assert refusal([line("20", "E"), line("0", "S")]) == [
        ("lines.0.tax_rate", "BR-E-05"), ("lines.0.vat_exemption_reason", "BR-E-10"), ("lines.1.tax_rate", "BR-S-05")]


# --- vat_registered agrees with vat_regime -----------------------------------------------------------

@pytest.mark.parametrize(("changes", "settled"), [
    ({"vat_regime": "exempt"}, {"vat_regime": "exempt", "vat_registered": False}),
    ({"vat_registered": True}, {"vat_registered": True, "vat_regime": "standard"}),
    ({"vat_registered": False}, {"vat_registered": False}),
    ({"vat_regime": "standard"}, {"vat_regime": "standard"}),
    ({"name": "x"}, {"name": "x"}),
])
def test_vat_registered_agrees_with_the_regime(changes, settled):
    assert vat.settle_regime(changes) == settled


def test_an_exempt_registered_business_is_a_contradiction():
    with pytest.raises(ValidationFailed) as refused:
        vat.settle_regime({"vat_regime": "exempt", "vat_registered": True})
    assert refused.value.details[0]["field"] == "vat_registered"
