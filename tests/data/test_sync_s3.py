"""A real S3 protocol round trip: moto's standalone server on a local port, pyarrow's
S3FileSystem with ``endpoint_override`` (through ``$AWS_ENDPOINT_URL``), two homes syncing to
one bucket and seeing one merged tree."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import moto.server as server_module
import pytest

from tests.conftest import export, run_cli
from tests.data.test_sync import TOTALS, added, sessions, shape, totals
from tokentree.data.sync.location import list_partitions, open_location
from tokentree.data.workspace import demo_root


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def endpoint(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    port = _free_port()
    server = server_module.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    url = f"http://127.0.0.1:{port}"
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    monkeypatch.setenv("AWS_ENDPOINT_URL", url)
    import pyarrow.fs as pafs

    pafs.S3FileSystem(
        endpoint_override=f"127.0.0.1:{port}",
        scheme="http",
        region="us-east-1",
        allow_bucket_creation=True,
    ).create_dir("team-usage")
    try:
        yield url
    finally:
        server.stop()


def test_two_homes_share_one_bucket(
    endpoint: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    small_corpus: tuple[Path, Any],
) -> None:
    bucket = "s3://team-usage/tokentree"
    roots = {
        "a": [f"--root=codex={demo_root() / 'codex'}", f"--root=claude={demo_root() / 'claude'}"],
        "b": [f"--root=claude={small_corpus[0]}"],
    }

    def use(home: str) -> list[str]:
        monkeypatch.setenv("TOKENTREE_SYNC_CONFIG", str(tmp_path / home / "sync.json"))
        monkeypatch.setenv("TOKENTREE_CACHE_DIR", str(tmp_path / home / "cache"))
        return roots[home]

    alone_a = export(*use("a"), "--no-annotate")[0]
    alone_b = export(*use("b"), "--no-annotate")[0]
    for home in ("a", "b"):
        code, _, err = run_cli("sync", bucket, "--device", home, *use(home))
        assert code == 0, err
    found = list_partitions(open_location(bucket))
    assert {p.device for p in found} == {"a", "b"}
    assert all(p.path.startswith("team-usage/tokentree/device=") for p in found)

    merged = export(*use("b"), "--no-annotate")[0]
    assert totals(merged) == added(alone_a, alone_b)
    assert merged["devices"] == ["a", "b"]
    own, seen = sessions(alone_a), sessions(merged, "a")
    assert own.keys() == seen.keys()
    assert all(shape(own[key]) == shape(seen[key]) for key in own)

    code, _, err = run_cli("sync", *use("a"))  # remembered: the bucket and the device
    assert code == 0, err
    assert "0 partitions written" in err
    assert totals(export(*use("b"), "--no-annotate")[0]) == {k: merged["totals"][k] for k in TOTALS}
