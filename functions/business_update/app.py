"""PUT /api/v1/business — partial update of the caller's business profile."""

from typing import Annotated

from fastfaktura.http.api import caller, entrypoint, make_api
from fastfaktura.http.router import Body
from fastfaktura.models.business import Business, BusinessUpdate
from fastfaktura.services import auth, business

app = make_api(auth.authenticate)


@app.put("/api/v1/business", summary="Update the business profile", tags=["Business"])
def update_business(update: Annotated[BusinessUpdate, Body()]) -> Business:
    return business.update_business(caller(app).business_id, update, by=caller(app).key_id)


lambda_handler = entrypoint(app)
