"""tokentree: ncdu for AI coding-assistant tokens."""

__version__ = "0.1.0"
