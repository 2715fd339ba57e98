"""API Gateway in and out: error JSON, request ids, authentication wiring, pagination params."""
