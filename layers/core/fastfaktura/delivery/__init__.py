"""Sending invoices: localized email and SMS wording, the raw MIME message, SES v2 and SNS.

`messages` and `mime` are pure (no AWS); `providers` is the only module here that talks to AWS."""
