"""GET /api/v1/credit-notes/{id} — one credit note (one Query)."""

from fastfaktura.http.api import caller, entrypoint, make_api
from fastfaktura.models.credit_notes import CreditNote
from fastfaktura.services import auth, credit_notes

app = make_api(auth.authenticate)


@app.get("/api/v1/credit-notes/<credit_note_id>", summary="Get a credit note", tags=["Credit notes"])
def get_credit_note(credit_note_id: str) -> CreditNote:
    return credit_notes.get_credit_note(caller(app).business_id, credit_note_id)


lambda_handler = entrypoint(app)
