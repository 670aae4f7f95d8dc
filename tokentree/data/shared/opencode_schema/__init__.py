"""OpenCode's storage schema — its sqlite database (``message``, ``part``, ``session``,
``session_message``) and the legacy JSON message tree — read into the raw tables. Used by the
OpenCode source and by tools forked from OpenCode that kept its schema (Kilo)."""
