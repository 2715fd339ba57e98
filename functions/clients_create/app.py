"""POST /api/v1/clients — create a client (201); honours the Idempotency-Key header."""

from typing import Annotated

from fastfaktura.http.api import caller, entrypoint, json_response, make_api
from fastfaktura.http.router import Body
from fastfaktura.models.clients import Client, ClientCreate
from fastfaktura.services import auth, clients, idempotency

app = make_api(auth.authenticate, around=idempotency.honour_idempotency_key)


@app.post("/api/v1/clients", summary="Create a client", tags=["Clients"],
          responses={201: {"description": "The client", "content": {"application/json": {"model": Client}}}})
def create_client(body: Annotated[ClientCreate, Body()]):
    return json_response(201, clients.create_client(caller(app).business_id, body))


lambda_handler = entrypoint(app)
