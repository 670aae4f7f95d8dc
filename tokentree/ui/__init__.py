"""The explorer (Textual TUI): the only layer that imports textual and rich widgets."""
