"""UN/CEFACT CII D16B at the Factur-X profile EN 16931: the XML a Factur-X PDF embeds as factur-x.xml."""

from __future__ import annotations

from datetime import date

from lxml import etree

from fastfaktura.einvoice.model import Document, Party, VatCategory, amount, decimal_text
from fastfaktura.einvoice.readiness import is_french, require_ready

RSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
QDT = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100"
UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
FACTURX_EN16931 = "urn:cen.eu:en16931:2017"


def _ram(parent: etree._Element, name: str, text: str | None = None, **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{RAM}}}{name}", attributes)
    if text is not None:
        element.text = text
    return element


def _optional(parent: etree._Element, name: str, text: str | None, **attributes: str) -> None:
    if text:
        _ram(parent, name, text, **attributes)


def _date(parent: etree._Element, name: str, value: date, namespace: str = UDT) -> None:
    etree.SubElement(_ram(parent, name), f"{{{namespace}}}DateTimeString", format="102").text = \
        value.strftime("%Y%m%d")


def write_cii(document: Document, *, check: bool = True) -> bytes:
    """The CII file of a document that `readiness` accepts. NotReady otherwise (`check=False` writes it
    anyway: the tests use it to show that each readiness rule is one the official checks enforce)."""
    if check:
        require_ready(document)
    root = etree.Element(f"{{{RSM}}}CrossIndustryInvoice", nsmap={"rsm": RSM, "ram": RAM, "qdt": QDT, "udt": UDT})
    french = is_french(document.seller)
    context = etree.SubElement(root, f"{{{RSM}}}ExchangedDocumentContext")
    if french:
        _ram(_ram(context, "BusinessProcessSpecifiedDocumentContextParameter"), "ID", document.billing_framework)
    _ram(_ram(context, "GuidelineSpecifiedDocumentContextParameter"), "ID", FACTURX_EN16931)

    header = etree.SubElement(root, f"{{{RSM}}}ExchangedDocument")
    _ram(header, "ID", document.number)
    _ram(header, "TypeCode", document.type.value)
    _date(header, "IssueDateTime", document.issue_date)
    for text in document.notes:
        _ram(_ram(header, "IncludedNote"), "Content", text)
    if document.french_notes:
        notes = document.french_notes
        for code, text in (("PMT", notes.recovery_indemnity), ("PMD", notes.late_penalties),
                           ("AAB", notes.early_payment)):
            note = _ram(header, "IncludedNote")
            _ram(note, "Content", text)
            _ram(note, "SubjectCode", code)

    transaction = etree.SubElement(root, f"{{{RSM}}}SupplyChainTradeTransaction")
    currency = document.currency
    for line in document.lines:
        item = _ram(transaction, "IncludedSupplyChainTradeLineItem")
        _ram(_ram(item, "AssociatedDocumentLineDocument"), "LineID", line.id)
        product = _ram(item, "SpecifiedTradeProduct")
        _ram(product, "Name", line.name)
        _optional(product, "Description", line.description)
        _ram(_ram(_ram(item, "SpecifiedLineTradeAgreement"), "NetPriceProductTradePrice"), "ChargeAmount",
             amount(line.net_price_cents_for_document))
        _ram(_ram(item, "SpecifiedLineTradeDelivery"), "BilledQuantity", decimal_text(line.quantity_for_document),
             unitCode=line.unit_code)
        settlement = _ram(item, "SpecifiedLineTradeSettlement")
        tax = _ram(settlement, "ApplicableTradeTax")
        _ram(tax, "TypeCode", "VAT")
        _ram(tax, "CategoryCode", line.vat_category.value)
        if line.vat_category is not VatCategory.OUTSIDE_SCOPE:
            _ram(tax, "RateApplicablePercent", decimal_text(line.vat_rate))
        _ram(_ram(settlement, "SpecifiedTradeSettlementLineMonetarySummation"), "LineTotalAmount",
             amount(line.net_amount_cents))

    agreement = _ram(transaction, "ApplicableHeaderTradeAgreement")
    _optional(agreement, "BuyerReference", document.buyer_reference)
    without_vat_ids = any(line.vat_category is VatCategory.OUTSIDE_SCOPE for line in document.lines)
    _party(agreement, "SellerTradeParty", document.seller, without_vat_ids)
    _party(agreement, "BuyerTradeParty", document.buyer, without_vat_ids)
    if document.purchase_order:
        _ram(_ram(agreement, "BuyerOrderReferencedDocument"), "IssuerAssignedID", document.purchase_order)

    delivery = _ram(transaction, "ApplicableHeaderTradeDelivery")
    if document.deliver_to_country:
        _ram(_ram(_ram(delivery, "ShipToTradeParty"), "PostalTradeAddress"), "CountryID", document.deliver_to_country)
    if document.delivery_date:
        _date(_ram(delivery, "ActualDeliverySupplyChainEvent"), "OccurrenceDateTime", document.delivery_date)

    settlement = _ram(transaction, "ApplicableHeaderTradeSettlement")
    means = document.payment_means
    if means:
        _optional(settlement, "PaymentReference", means.remittance)
    _optional(settlement, "TaxCurrencyCode", document.tax_currency)
    _ram(settlement, "InvoiceCurrencyCode", currency)
    if means:
        element = _ram(settlement, "SpecifiedTradeSettlementPaymentMeans")
        _ram(element, "TypeCode", means.code)
        if means.iban:
            account = _ram(element, "PayeePartyCreditorFinancialAccount")
            _ram(account, "IBANID", means.iban)
            _optional(account, "AccountName", means.account_name)
        if means.bic:
            _ram(_ram(element, "PayeeSpecifiedCreditorFinancialInstitution"), "BICID", means.bic)
    for group in document.vat_breakdown:
        tax = _ram(settlement, "ApplicableTradeTax")
        _ram(tax, "CalculatedAmount", amount(group.tax_cents))
        _ram(tax, "TypeCode", "VAT")
        _optional(tax, "ExemptionReason", group.exemption_reason)
        _ram(tax, "BasisAmount", amount(group.taxable_cents))
        _ram(tax, "CategoryCode", group.category.value)
        _optional(tax, "ExemptionReasonCode", group.exemption_reason_code)
        if document.vat_on_debits:
            _ram(tax, "DueDateTypeCode", "5")
        if group.category is not VatCategory.OUTSIDE_SCOPE:
            _ram(tax, "RateApplicablePercent", decimal_text(group.rate))
    if document.payment_terms or document.due_date:
        terms = _ram(settlement, "SpecifiedTradePaymentTerms")
        _optional(terms, "Description", document.payment_terms)
        if document.due_date:
            _date(terms, "DueDateDateTime", document.due_date)
    totals = _ram(settlement, "SpecifiedTradeSettlementHeaderMonetarySummation")
    _ram(totals, "LineTotalAmount", amount(document.line_total_cents))
    _ram(totals, "TaxBasisTotalAmount", amount(document.line_total_cents))
    _ram(totals, "TaxTotalAmount", amount(document.tax_total_cents), currencyID=currency)
    if document.tax_currency and document.tax_in_tax_currency_cents is not None:
        _ram(totals, "TaxTotalAmount", amount(document.tax_in_tax_currency_cents), currencyID=document.tax_currency)
    if document.rounding_cents:
        _ram(totals, "RoundingAmount", amount(document.rounding_cents))
    _ram(totals, "GrandTotalAmount", amount(document.total_with_tax_cents))
    _ram(totals, "DuePayableAmount", amount(document.payable_cents))
    if document.preceding_invoice:
        reference = _ram(settlement, "InvoiceReferencedDocument")
        _ram(reference, "IssuerAssignedID", document.preceding_invoice.number)
        _date(reference, "FormattedIssueDateTime", document.preceding_invoice.issue_date, QDT)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _party(parent: etree._Element, name: str, party: Party, without_vat_ids: bool) -> None:
    element = _ram(parent, name)
    _ram(element, "Name", party.name)
    seller = name == "SellerTradeParty"
    if seller:
        _optional(element, "Description", party.trade_register)
    if party.legal_id or party.trading_name:
        legal = _ram(element, "SpecifiedLegalOrganization")
        if party.legal_id:
            attributes = {"schemeID": party.legal_id_scheme} if party.legal_id_scheme else {}
            _ram(legal, "ID", party.legal_id, **attributes)
        _optional(legal, "TradingBusinessName", party.trading_name)
    if party.contact_email:
        contact = _ram(element, "DefinedTradeContact")
        _ram(_ram(contact, "EmailURIUniversalCommunication"), "URIID", party.contact_email)
    address = _ram(element, "PostalTradeAddress")
    _optional(address, "PostcodeCode", party.address.postal_code)
    _optional(address, "LineOne", party.address.street)
    _optional(address, "LineTwo", party.address.additional_street)
    _optional(address, "LineThree", party.address.address_line)
    _optional(address, "CityName", party.address.city)
    _ram(address, "CountryID", party.address.country)
    _optional(address, "CountrySubDivisionName", party.address.subdivision)
    if party.electronic_address:
        _ram(_ram(element, "URIUniversalCommunication"), "URIID", party.electronic_address.id,
             schemeID=party.electronic_address.scheme)
    if party.vat_number and not without_vat_ids:
        _ram(_ram(element, "SpecifiedTaxRegistration"), "ID", party.vat_number, schemeID="VA")
    if seller and party.tax_registration:
        _ram(_ram(element, "SpecifiedTaxRegistration"), "ID", party.tax_registration, schemeID="FC")
