"""The business profile."""

from __future__ import annotations

from typing import Annotated
from zoneinfo import available_timezones

from pydantic import AfterValidator, Field

from fastfaktura.models.common import (
    CountryCode,
    Currency,
    E164Phone,
    EmailAddress,
    Locale,
    RequestBody,
    ResponseBody,
    Timestamp,
    Uuid,
    not_null,
    text,
)
from fastfaktura.models.numbers import TaxRate as Percent
from fastfaktura.models.parties import (
    Address,
    City,
    CompanyId,
    ElectronicAddress,
    PostalCode,
    Street,
    VatNumber,
    VatRegime,
)


def _iana_timezone(value: str) -> str:
    if value not in _timezones():
        raise ValueError("must be an IANA time zone, e.g. Europe/Paris")
    return value


_tz_cache: set[str] = set()


def _timezones() -> set[str]:
    if not _tz_cache:
        _tz_cache.update(available_timezones())
    return _tz_cache


TimeZone = Annotated[str, AfterValidator(_iana_timezone), Field(examples=["Europe/Paris"])]
Name = Annotated[str, *text(200, min_length=1)]
Iban = Annotated[str, Field(pattern=r"^[A-Z]{2}[0-9]{2}[A-Z0-9 ]{10,36}$", description="Its check digits are "
                                                                                       "checked (a bad one is a 422)")]
Bic = Annotated[str, Field(pattern=r"^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$")]
PaymentTermsDays = Annotated[int, Field(ge=0, le=365, strict=True)]
NumberPrefix = Annotated[str, Field(max_length=20, pattern=r"^[A-Za-z0-9/_.-]*$")]
ShortText = Annotated[str, *text(200)]
# Legal mentions printed on invoice PDFs (fastfaktura/pdf/legal.py), per the seller's country.
LegalForm = Annotated[str, *text(
    100, description="Legal form as printed on invoices, e.g. 'SAS au capital de 10 000 €', 'AS', "
                     "'ASA' (NO: prints Foretaksregisteret), 'AB'")]
VatRegistered = Annotated[bool, Field(strict=True, description="Registered for VAT (NO: 'MVA' after the org.nr). "
                                                               "Agrees with vat_regime: exempt → false; setting "
                                                               "true makes the regime standard")]
Regime = Annotated[VatRegime, Field(description="standard: lines may carry VAT. exempt: not registered for VAT "
                                                "(FR franchise en base, art. 293 B du CGI; NO, SE, DK below the "
                                                "registration threshold): no line may carry VAT, and lines default "
                                                "to category E with the country's exemption reason")]
VatOnDebits = Annotated[bool, Field(strict=True, description=(
    "FR: the option to pay VAT on debits (prints \"Option pour le paiement de la taxe d'après les débits\")"))]
TradeRegister = Annotated[str, *text(
    100, examples=["RCS Paris"], description="FR: the trade register, printed beside the SIREN "
                                             "(e.g. \"RCS Paris\", \"RM 75\")")]
EarlyPaymentTerms = Annotated[str, *text(
    500, lines=True, description="The early-payment discount terms; null prints the "
                                 "standard \"no discount for early payment\" wording")]
LatePaymentRate = Annotated[Percent, Field(description="FR: annual late-payment penalty rate in %; absent: three "
                                                       "times the legal interest rate is printed")]
FSkatt = Annotated[bool, Field(strict=True, description="SE: approved for F-tax ('Godkänd för F-skatt')")]


class BusinessFields(RequestBody):
    """The writable fields of a business profile."""

    name: Name
    legal_name: ShortText | None = None
    email: EmailAddress | None = None
    phone: E164Phone | None = None
    address: Address | None = None
    street: Street | None = None
    postal_code: PostalCode | None = None
    city: City | None = None
    country: CountryCode | None = None
    vat_number: VatNumber | None = None
    company_id: CompanyId | None = None
    iban: Iban | None = None
    bic: Bic | None = None
    default_currency: Currency = "EUR"
    default_locale: Locale = "fr"
    payment_terms_days: PaymentTermsDays = 30
    invoice_number_prefix: NumberPrefix = "F-"
    credit_note_number_prefix: NumberPrefix = "AV-"
    timezone: TimeZone = "Europe/Paris"
    legal_form: LegalForm | None = None
    vat_registered: VatRegistered = False
    vat_regime: Regime = "standard"
    vat_on_debits: VatOnDebits = False
    electronic_address: ElectronicAddress | None = None
    trade_register: TradeRegister | None = None
    early_payment_terms: EarlyPaymentTerms | None = None
    late_payment_rate: LatePaymentRate | None = None
    f_skatt: FSkatt = False


class BusinessUpdate(RequestBody):
    """`PUT /business`: a partial update; fields absent from the body are unchanged."""

    name: Name | None = None
    legal_name: ShortText | None = None
    email: EmailAddress | None = None
    phone: E164Phone | None = None
    address: Address | None = None
    street: Street | None = None
    postal_code: PostalCode | None = None
    city: City | None = None
    country: CountryCode | None = None
    vat_number: VatNumber | None = None
    company_id: CompanyId | None = None
    iban: Iban | None = None
    bic: Bic | None = None
    default_currency: Currency | None = None
    default_locale: Locale | None = None
    payment_terms_days: PaymentTermsDays | None = None
    invoice_number_prefix: NumberPrefix | None = None
    credit_note_number_prefix: NumberPrefix | None = None
    timezone: TimeZone | None = None
    legal_form: LegalForm | None = None
    vat_registered: VatRegistered | None = None
    vat_regime: Regime | None = None
    vat_on_debits: VatOnDebits | None = None
    electronic_address: ElectronicAddress | None = None
    trade_register: TradeRegister | None = None
    early_payment_terms: EarlyPaymentTerms | None = None
    late_payment_rate: LatePaymentRate | None = None
    f_skatt: FSkatt | None = None

    _not_null = not_null("name", "default_currency", "default_locale", "payment_terms_days",
                     "invoice_number_prefix", "credit_note_number_prefix", "timezone", "vat_regime",
                     "vat_on_debits")


class Business(BusinessFields):
    """A business profile as answered by the API."""

    model_config = ResponseBody.model_config

    id: Uuid
    sandbox: bool
    created_at: Timestamp
    updated_at: Timestamp
