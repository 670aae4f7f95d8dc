"""pi's session files — one JSONL file per session, written by pi's session manager — read
into the raw tables. Used by the pi source and by OpenClaw, which runs pi's session manager;
each keeps its own paths, session identity and documentation (docs/counting.md, "pi and
OpenClaw")."""

from tokentree.data.shared.pi_session.format import FileContext, session_format

__all__ = ["FileContext", "session_format"]
