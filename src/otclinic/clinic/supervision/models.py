"""OTA supervision: the models."""
