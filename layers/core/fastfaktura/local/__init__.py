"""The docker-free local stack and the `fastfaktura` command. Nothing imports this room."""
