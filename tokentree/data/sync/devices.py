"""A workspace's other devices: when to look at the sync folder again, and the merge."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from tokentree.data.sync.location import Location, open_location
from tokentree.data.sync.merge import MergeReport, merge_devices

if TYPE_CHECKING:
    from tokentree.data.read.scan import FileState
    from tokentree.data.sync.settings import SyncSettings
    from tokentree.data.workspace import Workspace

LIVE_INTERVAL = 30.0
"""Seconds between looks at the folder during live refreshes (a listing of a bucket is a
request; a walk or ``r`` always looks)."""


class Devices:
    def __init__(self, workspace: Workspace, settings: SyncSettings) -> None:
        self._workspace = workspace
        self._settings = settings
        self._location: Location | None = None
        self._last = 0.0
        self.present: list[str] = []
        """The other devices found at the last look."""

    @property
    def enabled(self) -> bool:
        """Whether anything is merged: a folder is remembered and the data is the user's own
        (not the demo)."""
        return not self._workspace.options.demo

    @property
    def configured(self) -> bool:
        """A sync folder is set."""
        return self._settings.dir is not None

    def location(self) -> Location | None:
        if self._settings.dir is None:
            return None
        if self._location is None:
            self._location = open_location(self._settings.dir, self._settings.endpoint)
        return self._location

    def due(self, *, walked: bool) -> bool:
        return self.enabled and (walked or time.monotonic() - self._last >= LIVE_INTERVAL)

    def merge(self, states: dict[int, FileState] | None) -> MergeReport:
        """Merge the folder's other devices into the store (``states`` updated in place)."""
        self._last = time.monotonic()
        if states is None:
            return MergeReport()
        try:
            location = self.location()
        except (OSError, ValueError) as error:
            return MergeReport(errors=[(self._settings.dir or "", str(error))])
        report = merge_devices(
            self._workspace.store,
            location,
            self._workspace.device,
            states,
            before_change=self._workspace.materialize_cache,
        )
        self.present = report.devices
        return report
