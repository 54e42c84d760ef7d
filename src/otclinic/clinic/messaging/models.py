"""Messages and tasks: the models."""
