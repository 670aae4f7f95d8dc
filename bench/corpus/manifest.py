"""The ground truth of a generated Claude Code tree, computed from the generator's bookkeeping
while it writes (never by re-reading the files), and its JSON form (``out/manifest.json``)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

GENERATOR_VERSION = 3
"""Part of a corpus's parameters: bump it when the same parameters would write other bytes."""

CALL_FIELDS = (
    "message_id",
    "request_id",
    "timestamp",
    "model",
    "input",
    "output",
    "cache_read",
    "cache_write_5m",
    "cache_write_1h",
    "session_id",
    "is_subagent",
    "fast",
)


@dataclass
class Manifest:
    """Ground truth of one generated tree (also written to ``out/manifest.json``)."""

    params: dict[str, Any]
    calls: list[tuple]  # one tuple per unique billed call, fields in CALL_FIELDS order
    broken_lines: list[tuple[str, int, str]]  # (path relative to out, 1-based line, kind)
    broken_by_kind: dict[str, int]
    lines_by_type: dict[str, int]
    files: dict[str, Any]
    features: dict[str, int]

    # -- derived ------------------------------------------------------------------------
    @property
    def unique_calls(self) -> int:
        return len(self.calls)

    def totals(self) -> dict[str, int]:
        t = {
            "calls": 0,
            "input": 0,
            "output": 0,
            "cache_read": 0,
            "cache_write_5m": 0,
            "cache_write_1h": 0,
        }
        for c in self.calls:
            t["calls"] += 1
            t["input"] += c[4]
            t["output"] += c[5]
            t["cache_read"] += c[6]
            t["cache_write_5m"] += c[7]
            t["cache_write_1h"] += c[8]
        t["cache_write"] = t["cache_write_5m"] + t["cache_write_1h"]
        return t

    def day_totals(self, tz: str = "UTC") -> dict[str, dict[str, int]]:
        """Totals per calendar day in time zone ``tz`` (IANA name), keyed ``YYYY-MM-DD``."""
        from zoneinfo import ZoneInfo

        zone = ZoneInfo(tz)
        out: dict[str, dict[str, int]] = {}
        for c in self.calls:
            ts = datetime.fromisoformat(c[2].replace("Z", "+00:00"))
            day = ts.astimezone(zone).date().isoformat() if tz != "UTC" else c[2][:10]
            d = out.get(day)
            if d is None:
                d = out[day] = {
                    "calls": 0,
                    "input": 0,
                    "output": 0,
                    "cache_read": 0,
                    "cache_write_5m": 0,
                    "cache_write_1h": 0,
                    "cache_write": 0,
                }
            d["calls"] += 1
            d["input"] += c[4]
            d["output"] += c[5]
            d["cache_read"] += c[6]
            d["cache_write_5m"] += c[7]
            d["cache_write_1h"] += c[8]
            d["cache_write"] += c[7] + c[8]
        return dict(sorted(out.items()))

    # -- (de)serialisation --------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        models: dict[str, int] = {}
        sessions: dict[str, int] = {}
        rows = []
        for c in self.calls:
            mi = models.setdefault(c[3], len(models))
            si = sessions.setdefault(c[9], len(sessions))
            rows.append(
                [c[0], c[1], c[2], mi, c[4], c[5], c[6], c[7], c[8], si, int(c[10]), int(c[11])]
            )
        return {
            "generator_version": GENERATOR_VERSION,
            "params": self.params,
            "files": self.files,
            "lines_by_type": self.lines_by_type,
            "broken_by_kind": self.broken_by_kind,
            "features": self.features,
            "totals": self.totals(),
            "days_utc": self.day_totals("UTC"),
            "broken_lines": [list(b) for b in self.broken_lines],
            "calls": {
                "fields": list(CALL_FIELDS),
                "note": "model and session_id are indexes into models/sessions; "
                "is_subagent and fast are 0/1",
                "models": list(models),
                "sessions": list(sessions),
                "rows": rows,
            },
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Manifest:
        cs = d["calls"]
        models, sessions = cs["models"], cs["sessions"]
        calls = [
            (
                r[0],
                r[1],
                r[2],
                models[r[3]],
                r[4],
                r[5],
                r[6],
                r[7],
                r[8],
                sessions[r[9]],
                bool(r[10]),
                bool(r[11]),
            )
            for r in cs["rows"]
        ]
        return cls(
            params=d["params"],
            calls=calls,
            broken_lines=[tuple(b) for b in d["broken_lines"]],
            broken_by_kind=d["broken_by_kind"],
            lines_by_type=d["lines_by_type"],
            files=d["files"],
            features=d.get("features", {}),
        )

    @classmethod
    def load(cls, path: Path) -> Manifest:
        return cls.from_json(json.loads(Path(path).read_text(encoding="utf-8")))
