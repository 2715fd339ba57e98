"""The business profile: creation (CLI), read and partial update."""

from __future__ import annotations

from dataclasses import dataclass

from fastfaktura.domain import api_keys, identifiers, vat
from fastfaktura.domain.ids import new_id
from fastfaktura.models.business import Business, BusinessUpdate
from fastfaktura.models.common import utcnow
from fastfaktura.store import businesses

BANK_DETAILS = frozenset({"iban", "bic"})


@dataclass(frozen=True)
class NewBusiness:
    business: Business
    api_key: str


def create_business(name: str, sandbox: bool = True, country: str | None = "FR",
                    locale: str = "fr", **fields) -> NewBusiness:
    """A business and its first API key; the key is returned once and only its hash is kept."""
    now = utcnow()
    fields = vat.settle_regime(fields)
    business = Business(id=new_id(), name=name, country=country, default_locale=locale, sandbox=sandbox,
                        created_at=now, updated_at=now, **fields)
    identifiers.check_party(business.model_dump(mode="json"))
    key = api_keys.new_key(sandbox)
    businesses.create_with_key(business, api_keys.key_hash(key), api_keys.key_id(key), now)
    return NewBusiness(business, key)


def create_api_key(business_id: str) -> str:
    business = businesses.get(business_id)
    key = api_keys.new_key(business.sandbox)
    businesses.add_api_key(business.id, business.sandbox, api_keys.key_hash(key), api_keys.key_id(key),
                           utcnow())
    return key


def revoke_api_key(key_or_id: str) -> str:
    key_id = api_keys.key_id(key_or_id)
    businesses.revoke_api_key(key_id, utcnow())
    return key_id


def get_business(business_id: str) -> Business:
    return businesses.get(business_id)


# Identifiers checked against the country: changing one of these reads the profile first (one GetItem).
_BY_COUNTRY = frozenset({"country", "company_id", "vat_number"})


def update_business(business_id: str, update: BusinessUpdate, by: str | None = None) -> Business:
    """One UpdateItem; one GetItem before it when a change touches an identifier checked by country
    (the stored country or number completes the check). Identifiers are checked (422) and
    `vat_registered` made to agree with `vat_regime` before anything is written. A change of the IBAN or
    BIC is also recorded as a `business.bank_details_changed` event of the business, with the key (`by`)
    that made it: redirecting payments is what a stolen key would do."""
    changes = vat.settle_regime(update.model_dump(mode="json", exclude_unset=True))
    party = {**businesses.get(business_id).model_dump(mode="json"), **changes} if changes.keys() & _BY_COUNTRY \
        else changes
    identifiers.check_party(party, frozenset(changes))
    if BANK_DETAILS & changes.keys():
        return businesses.update_bank_details(business_id, changes, utcnow(), new_id(), by)
    return businesses.update(business_id, changes, utcnow())
