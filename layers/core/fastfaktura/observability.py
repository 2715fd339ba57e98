"""Powertools Logger, Tracer and Metrics: one instance each per container."""

from aws_lambda_powertools import Logger, Metrics, Tracer

logger = Logger(service="fastfaktura")
# Only botocore is patched: every AWS call is what the traces must show, and patching every library
# X-Ray knows (its default) is work at every cold start for calls we never make.
tracer = Tracer(service="fastfaktura", patch_modules=("botocore",))
metrics = Metrics(namespace="FastFaktura", service="fastfaktura")
