"""Devices: this machine's calls written as hive-partitioned Parquet to a shared folder or
bucket (``tokentree sync``), and every other device's partitions there merged into the store.

``location`` resolves the folder or URL through pyarrow's filesystems and lists partitions;
``settings`` remembers where and under which device name; ``write`` produces the partitions;
``merge`` reads other devices' partitions into the raw tables. docs/sync.md is the user's side.
"""

from __future__ import annotations

SYNC_SOURCE = "sync"
"""The ``files.source`` of another device's partition file in the manifest."""
SYNC_FORMAT = "sync-parquet"
"""The ``files.format`` of such a file: ingest keeps these rows; only ``merge`` changes them."""
