"""Builder for the small NLLB-200-layout fixture models (see models/README.md)."""
