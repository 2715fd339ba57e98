"""Pydantic models of the API's bodies and answers: the source of the OpenAPI document."""
