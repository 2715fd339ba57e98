"""Outbound webhooks: the event catalogue and envelope, signing, the signing secrets, the SSRF guard, one
delivery attempt and the retry schedule. Standard library only (no AWS): the stream consumer and the
delivery function wire it to the table and the queue."""
