"""The streaming reader of large legacy sessions yields exactly what ``json.loads`` sees, however
the file falls into chunks, and keeps what precedes damage."""

from __future__ import annotations

import io
import json

import pytest

from tokentree.data.sources.gemini import jsonstream
from tokentree.data.sources.gemini.jsonstream import StreamError, read_object

DOCUMENT = {
    "sessionId": "s",
    "projectHash": "ab" * 32,
    "messages": [
        {"id": "a", "type": "user", "content": [{"text": "héllo ✓ 🎉"}]},
        {"id": "b", "type": "gemini", "tokens": {"input": 12345678901, "output": 0.5}},
        [],
        {},
        "text",
        -12.5e3,
        {"nested": {"deep": [1, [2, [3, {"x": None}]]]}},
    ],
    "kind": "main",
    "empty": [],
    "n": 7,
}


def members(data: bytes) -> list[tuple[str, object]]:
    return list(read_object(io.BytesIO(data), "messages"))


def expected() -> list[tuple[str, object]]:
    out: list[tuple[str, object]] = []
    for key, value in DOCUMENT.items():
        if key == "messages":
            out += [(key, m) for m in value]  # type: ignore[attr-defined]
        else:
            out.append((key, value))
    return out


@pytest.mark.parametrize("chunk", [1, 2, 7, 64, 1 << 20])
@pytest.mark.parametrize("indent", [None, 2])
def test_every_chunking_yields_the_same_members(
    monkeypatch: pytest.MonkeyPatch, chunk: int, indent: int | None
) -> None:
    monkeypatch.setattr(jsonstream, "CHUNK", chunk)
    data = json.dumps(DOCUMENT, indent=indent, ensure_ascii=False).encode()
    assert members(data) == expected()
    assert members(b"\xef\xbb\xbf" + data) == expected()


def test_damage_keeps_what_came_before(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jsonstream, "CHUNK", 16)
    data = json.dumps(DOCUMENT, indent=2).encode()
    cut = data[: data.index(b'"nested"')]
    got: list[tuple[str, object]] = []
    with pytest.raises(StreamError):
        for member in read_object(io.BytesIO(cut), "messages"):
            got.append(member)
    assert got == expected()[:8]


@pytest.mark.parametrize("data", [b"", b"[1, 2]", b'{"a": 1 "b": 2}', b'{"messages": [1 2]}'])
def test_what_is_not_an_object_of_that_shape_is_an_error(data: bytes) -> None:
    with pytest.raises(StreamError):
        members(data)
