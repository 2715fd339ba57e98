"""The legal mentions of an invoice as keys and values (domain.mentions): what the renderers look up."""

from __future__ import annotations

from fastfaktura.domain.mentions import Mention, legal_mentions

FR_SELLER = {"country": "FR", "vat_regime": "standard"}
CLIENT = {"name": "Client SARL", "country": "FR"}


def invoice(*groups: tuple[str, str | None, str | None], kinds=("service",), **fields) -> dict:
    return {"tax_breakdown": [{"vat_category": category, "tax_rate": 0 if category != "S" else 20,
                               "vat_exemption_reason": {"code": code, "text": text} if code or text else None}
                              for category, code, text in groups],
            "lines": [{"kind": kind} for kind in kinds], **fields}


def keys(mentions: list[Mention]) -> list[str]:
    return [mention.key for mention in mentions]


def test_a_plain_french_invoice_names_its_operations_and_the_early_payment_wording():
    assert keys(legal_mentions(FR_SELLER, CLIENT, invoice(("S", None, None)))) == [
        "fr.operations.services", "fr.early_payment.none"]


def test_a_franchise_seller_prints_293_b_once():
    mentions = legal_mentions({**FR_SELLER, "vat_regime": "exempt"}, CLIENT,
                              invoice(("E", "VATEX-FR-FRANCHISE", "TVA non applicable, art. 293 B du CGI")))
    assert mentions[0] == Mention("vat.reason.VATEX-FR-FRANCHISE", {"text": "TVA non applicable, art. 293 B du CGI"})
    assert keys(mentions).count("vat.reason.VATEX-FR-FRANCHISE") == 1
    assert "vat.category.E" in keys(mentions)


def test_each_category_and_reason_is_named_once():
    mentions = keys(legal_mentions(FR_SELLER, CLIENT, invoice(("AE", "VATEX-EU-AE", None), ("K", "VATEX-EU-IC", None),
                                                             ("S", None, None), ("Z", None, None))))
    assert mentions[:4] == ["vat.reason.VATEX-EU-AE", "vat.reason.VATEX-EU-IC", "vat.category.AE", "vat.category.K"]
    assert "vat.category.S" not in mentions and "vat.category.Z" not in mentions


def test_an_exemption_without_a_vatex_code_is_keyed_by_the_sellers_country():
    for country, key in (("NO", "vat.reason.franchise.NO"), ("DE", "vat.reason.franchise.eu"),
                         ("US", "vat.reason.franchise.other")):
        mentions = legal_mentions({"country": country}, CLIENT, invoice(("E", None, "not registered")))
        assert mentions[0] == Mention(key, {"text": "not registered"})


def test_the_french_sellers_options_and_the_nature_of_its_operations():
    seller = {**FR_SELLER, "vat_on_debits": True, "trade_register": "RCS Paris", "early_payment_terms": "2 % à 8 jours"}
    mentions = legal_mentions(seller, CLIENT, invoice(("S", None, None), kinds=("service", "goods")))
    assert mentions == [Mention("fr.vat_on_debits"), Mention("fr.operations.goods_and_services"),
                        Mention("fr.trade_register", {"value": "RCS Paris"}),
                        Mention("fr.early_payment.terms", {"text": "2 % à 8 jours"})]
    assert keys(legal_mentions(FR_SELLER, CLIENT, invoice(kinds=("goods",))))[0] == "fr.operations.goods"


def test_a_seller_outside_france_has_no_french_mentions():
    assert legal_mentions({"country": "NO", "vat_on_debits": True}, CLIENT, invoice(("S", None, None))) == []


def test_the_clients_identifiers_delivery_address_and_the_references():
    client = {**CLIENT, "company_id": "123456782", "vat_number": "FR11123456782", "street": "3 quai Voltaire",
              "postal_code": "75007", "city": "Paris", "delivery_address": "Entrepôt\n12 rue du Port\n13002 Marseille"}
    mentions = legal_mentions({"country": "SE"}, client, invoice(
        ("S", None, None), buyer_reference="ACME-7", purchase_order="PO-42", delivery_date="2026-12-01"))
    assert mentions == [Mention("client.company_id", {"value": "123456782"}),
                        Mention("client.vat_number", {"value": "FR11123456782"}),
                        Mention("delivery_address", {"value": "Entrepôt\n12 rue du Port\n13002 Marseille"}),
                        Mention("buyer_reference", {"value": "ACME-7"}), Mention("purchase_order", {"value": "PO-42"}),
                        Mention("delivery_date", {"value": "2026-12-01"})]


def test_a_delivery_address_equal_to_the_address_is_not_repeated():
    same = {**CLIENT, "street": "3 quai Voltaire", "postal_code": "75007", "city": "Paris",
            "delivery_address": "3 Quai Voltaire,\n75007  Paris"}
    assert "delivery_address" not in keys(legal_mentions({"country": "SE"}, same, invoice()))
    free_text = {**CLIENT, "address": "3 quai Voltaire\n75007 Paris", "delivery_address": "3 quai Voltaire 75007 Paris"}
    assert "delivery_address" not in keys(legal_mentions({"country": "SE"}, free_text, invoice()))
