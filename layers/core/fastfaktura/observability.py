"""Powertools Logger, Tracer and Metrics: one instance each per container."""

from aws_lambda_powertools import Logger, Metrics, Tracer

logger = Logger(service="fastfaktura")
tracer = Tracer(service="fastfaktura")
metrics = Metrics(namespace="FastFaktura", service="fastfaktura")
