"""Messages and tasks."""
