"""The docker-free dev stack (`fastfaktura dev`): DynamoDB Local, moto's server, the HTTP API and the
stream poller, running the template's functions in this process. Nothing imports this room but itself
and the `fastfaktura` command's `dev`/`invoke` (lazily); the layer's build drops it."""
