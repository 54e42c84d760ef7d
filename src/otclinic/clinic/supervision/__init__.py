"""OTA supervision."""
