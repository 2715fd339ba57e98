"""Pure business rules: no boto3, no HTTP."""
