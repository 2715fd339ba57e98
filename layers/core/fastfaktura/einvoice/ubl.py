"""UBL 2.1 Invoice or CreditNote: Peppol BIS Billing 3.0 (EHF) for sellers outside France, and for a French
seller the same document with BT-23 (B1/S1/M1) in ProfileID and its coded notes, as the French rules read
UBL (Peppol fixes ProfileID to its own process, so a French seller's UBL is EN 16931, not BIS 3)."""

from __future__ import annotations

from lxml import etree

from fastfaktura.einvoice.model import Document, Party, VatCategory, amount, decimal_text
from fastfaktura.einvoice.readiness import is_french, require_ready

NS_INVOICE = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
NS_CREDIT_NOTE = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
PEPPOL_CUSTOMIZATION = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
PEPPOL_PROFILE = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
EN16931_CUSTOMIZATION = "urn:cen.eu:en16931:2017"


def _cac(parent: etree._Element, name: str) -> etree._Element:
    return etree.SubElement(parent, f"{{{CAC}}}{name}")


def _cbc(parent: etree._Element, name: str, text: str | None, **attributes: str) -> etree._Element | None:
    if text is None or text == "":
        return None
    element = etree.SubElement(parent, f"{{{CBC}}}{name}", attributes)
    element.text = text
    return element


def write_ubl(document: Document, *, check: bool = True) -> bytes:
    """The UBL file of a document that `readiness` accepts. NotReady otherwise (`check=False` writes it
    anyway: the tests use it to show that each readiness rule is one the official checks enforce)."""
    if check:
        require_ready(document)
    credit = document.is_credit_note
    root_ns = NS_CREDIT_NOTE if credit else NS_INVOICE
    root = etree.Element(f"{{{root_ns}}}{'CreditNote' if credit else 'Invoice'}",
                         nsmap={None: root_ns, "cac": CAC, "cbc": CBC})
    french = is_french(document.seller)
    currency = {"currencyID": document.currency}
    _cbc(root, "CustomizationID", EN16931_CUSTOMIZATION if french else PEPPOL_CUSTOMIZATION)
    _cbc(root, "ProfileID", document.billing_framework if french else PEPPOL_PROFILE)
    _cbc(root, "ID", document.number)
    _cbc(root, "IssueDate", document.issue_date.isoformat())
    if not credit and document.due_date:
        _cbc(root, "DueDate", document.due_date.isoformat())
    _cbc(root, "CreditNoteTypeCode" if credit else "InvoiceTypeCode", document.type.value)
    _cbc(root, "Note", _single_note(document))
    _cbc(root, "DocumentCurrencyCode", document.currency)
    _cbc(root, "TaxCurrencyCode", document.tax_currency)
    _cbc(root, "BuyerReference", document.buyer_reference)
    if document.vat_on_debits:
        _cbc(_cac(root, "InvoicePeriod"), "DescriptionCode", "3")
    if document.purchase_order:
        _cbc(_cac(root, "OrderReference"), "ID", document.purchase_order)
    if document.preceding_invoice:
        reference = _cac(_cac(root, "BillingReference"), "InvoiceDocumentReference")
        _cbc(reference, "ID", document.preceding_invoice.number)
        _cbc(reference, "IssueDate", document.preceding_invoice.issue_date.isoformat())
    without_vat_ids = any(line.vat_category is VatCategory.OUTSIDE_SCOPE for line in document.lines)
    _party(_cac(root, "AccountingSupplierParty"), document.seller, without_vat_ids, seller=True)
    _party(_cac(root, "AccountingCustomerParty"), document.buyer, without_vat_ids, seller=False)
    if document.delivery_date or document.deliver_to_country:
        delivery = _cac(root, "Delivery")
        _cbc(delivery, "ActualDeliveryDate", document.delivery_date.isoformat() if document.delivery_date else None)
        if document.deliver_to_country:
            country = _cac(_cac(_cac(delivery, "DeliveryLocation"), "Address"), "Country")
            _cbc(country, "IdentificationCode", document.deliver_to_country)
    if document.payment_means:
        means = document.payment_means
        element = _cac(root, "PaymentMeans")
        _cbc(element, "PaymentMeansCode", means.code)
        if credit and document.due_date:
            _cbc(element, "PaymentDueDate", document.due_date.isoformat())
        _cbc(element, "PaymentID", means.remittance)
        if means.iban:
            account = _cac(element, "PayeeFinancialAccount")
            _cbc(account, "ID", means.iban)
            _cbc(account, "Name", means.account_name)
            if means.bic:
                _cbc(_cac(account, "FinancialInstitutionBranch"), "ID", means.bic)
    if document.payment_terms:
        _cbc(_cac(root, "PaymentTerms"), "Note", document.payment_terms)
    tax_total = _cac(root, "TaxTotal")
    _cbc(tax_total, "TaxAmount", amount(document.tax_total_cents), **currency)
    for group in document.vat_breakdown:
        subtotal = _cac(tax_total, "TaxSubtotal")
        _cbc(subtotal, "TaxableAmount", amount(group.taxable_cents), **currency)
        _cbc(subtotal, "TaxAmount", amount(group.tax_cents), **currency)
        category = _cac(subtotal, "TaxCategory")
        _cbc(category, "ID", group.category.value)
        if group.category is not VatCategory.OUTSIDE_SCOPE:
            _cbc(category, "Percent", decimal_text(group.rate))
        _cbc(category, "TaxExemptionReasonCode", group.exemption_reason_code)
        _cbc(category, "TaxExemptionReason", group.exemption_reason)
        _cbc(_cac(category, "TaxScheme"), "ID", "VAT")
    if document.tax_currency and document.tax_in_tax_currency_cents is not None:
        _cbc(_cac(root, "TaxTotal"), "TaxAmount", amount(document.tax_in_tax_currency_cents),
             currencyID=document.tax_currency)
    totals = _cac(root, "LegalMonetaryTotal")
    _cbc(totals, "LineExtensionAmount", amount(document.line_total_cents), **currency)
    _cbc(totals, "TaxExclusiveAmount", amount(document.line_total_cents), **currency)
    _cbc(totals, "TaxInclusiveAmount", amount(document.total_with_tax_cents), **currency)
    if document.rounding_cents:
        _cbc(totals, "PayableRoundingAmount", amount(document.rounding_cents), **currency)
    _cbc(totals, "PayableAmount", amount(document.payable_cents), **currency)
    for line in document.lines:
        element = _cac(root, "CreditNoteLine" if credit else "InvoiceLine")
        _cbc(element, "ID", line.id)
        _cbc(element, "CreditedQuantity" if credit else "InvoicedQuantity", decimal_text(line.quantity_for_document),
             unitCode=line.unit_code)
        _cbc(element, "LineExtensionAmount", amount(line.net_amount_cents), **currency)
        item = _cac(element, "Item")
        _cbc(item, "Description", line.description)
        _cbc(item, "Name", line.name)
        category = _cac(item, "ClassifiedTaxCategory")
        _cbc(category, "ID", line.vat_category.value)
        if line.vat_category is not VatCategory.OUTSIDE_SCOPE:
            _cbc(category, "Percent", decimal_text(line.vat_rate))
        _cbc(_cac(category, "TaxScheme"), "ID", "VAT")
        _cbc(_cac(element, "Price"), "PriceAmount", amount(line.net_price_cents_for_document), **currency)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _single_note(document: Document) -> str | None:
    """Peppol allows one Note (PEPPOL-EN16931-R002): the free notes joined, then for a French seller the
    coded legal mentions as the French rules read them in UBL (`#PMT#…#PMD#…#AAB#…`)."""
    parts = list(document.notes)
    if document.french_notes:
        notes = document.french_notes
        parts.append(f"#PMT#{notes.recovery_indemnity}#PMD#{notes.late_penalties}#AAB#{notes.early_payment}")
    return "\n".join(parts) or None


def _party(parent: etree._Element, party: Party, without_vat_ids: bool, *, seller: bool) -> None:
    element = _cac(parent, "Party")
    if party.electronic_address:
        _cbc(element, "EndpointID", party.electronic_address.id, schemeID=party.electronic_address.scheme)
    if party.trading_name:
        _cbc(_cac(element, "PartyName"), "Name", party.trading_name)
    address = _cac(element, "PostalAddress")
    _cbc(address, "StreetName", party.address.street)
    _cbc(address, "AdditionalStreetName", party.address.additional_street)
    _cbc(address, "CityName", party.address.city)
    _cbc(address, "PostalZone", party.address.postal_code)
    _cbc(address, "CountrySubentity", party.address.subdivision)
    if party.address.address_line:
        _cbc(_cac(address, "AddressLine"), "Line", party.address.address_line)
    _cbc(_cac(address, "Country"), "IdentificationCode", party.address.country)
    if party.vat_number and not without_vat_ids:
        scheme = _cac(element, "PartyTaxScheme")
        _cbc(scheme, "CompanyID", party.vat_number)
        _cbc(_cac(scheme, "TaxScheme"), "ID", "VAT")
    if seller and (party.tax_registration or party.business_register_name):
        scheme = _cac(element, "PartyTaxScheme")
        _cbc(scheme, "CompanyID", party.tax_registration or party.business_register_name)
        _cbc(_cac(scheme, "TaxScheme"), "ID", "TAX")
    legal = _cac(element, "PartyLegalEntity")
    _cbc(legal, "RegistrationName", party.name)
    if party.legal_id:
        if party.legal_id_scheme:
            _cbc(legal, "CompanyID", party.legal_id, schemeID=party.legal_id_scheme)
        else:
            _cbc(legal, "CompanyID", party.legal_id)
    if seller:
        _cbc(legal, "CompanyLegalForm", party.trade_register)
    if party.contact_email:
        _cbc(_cac(element, "Contact"), "ElectronicMail", party.contact_email)
