"""GET /api/v1/clients/{id} — one client (archived ones too)."""

from fastfaktura.http.api import caller, entrypoint, make_api
from fastfaktura.models.clients import Client
from fastfaktura.services import auth, clients

app = make_api(auth.authenticate)


@app.get("/api/v1/clients/<client_id>", summary="Get a client", tags=["Clients"])
def get_client(client_id: str) -> Client:
    return clients.get_client(caller(app).business_id, client_id)


lambda_handler = entrypoint(app)
