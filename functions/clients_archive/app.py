"""DELETE /api/v1/clients/{id} — archive a client (nothing is deleted; archiving twice is a no-op)."""

from fastfaktura.http.api import caller, entrypoint, make_api
from fastfaktura.models.clients import Client
from fastfaktura.services import auth, clients

app = make_api(auth.authenticate)


@app.delete("/api/v1/clients/<client_id>", summary="Archive a client", tags=["Clients"])
def archive_client(client_id: str) -> Client:
    return clients.archive_client(caller(app).business_id, client_id)


lambda_handler = entrypoint(app)
