"""GET /api/v1/business — the caller's business profile."""

from fastfaktura.http.api import caller, entrypoint, make_api
from fastfaktura.models.business import Business
from fastfaktura.services import auth, business

app = make_api(auth.authenticate)


@app.get("/api/v1/business", summary="Get the business profile", tags=["Business"])
def get_business() -> Business:
    return business.get_business(caller(app).business_id)


lambda_handler = entrypoint(app)
