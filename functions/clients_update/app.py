"""PUT /api/v1/clients/{id} — partial update; `"archived_at": null` unarchives."""

from typing import Annotated

from fastfaktura.http.api import caller, entrypoint, make_api
from fastfaktura.http.router import Body
from fastfaktura.models.clients import Client, ClientUpdate
from fastfaktura.services import auth, clients

app = make_api(auth.authenticate)


@app.put("/api/v1/clients/<client_id>", summary="Update a client", tags=["Clients"])
def update_client(client_id: str, body: Annotated[ClientUpdate, Body()]) -> Client:
    return clients.update_client(caller(app).business_id, client_id, body)


lambda_handler = entrypoint(app)
