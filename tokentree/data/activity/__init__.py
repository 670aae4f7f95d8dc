"""Estimated activity attribution (docs/attribution.md): its tables and how nodes read them."""
