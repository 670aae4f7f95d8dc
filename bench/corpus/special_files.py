"""Files without usage: a big file of snapshots, summary-only files."""

from __future__ import annotations

from bench.corpus.base import Base, enc
from bench.corpus.text import LANG_EXT, PROMPTS, WORDS


class SpecialFiles(Base):
    # ---- special files -----------------------------------------------------------------
    def noise_file(self, nbytes: int) -> None:
        """A big file without any usage: file-history-snapshot lines of ~200 KB each."""
        r = self.r
        proj = self._projects[0]
        rel = f".claude/projects/{proj['enc']}/{self.uuid()}.jsonl"
        tracked = {}
        for i in range(900):
            f = f"{proj['cwd']}/src/{r.choice(WORDS)}/{r.choice(WORDS)}_{i}{LANG_EXT[proj['lang']]}"
            tracked[f] = {
                "backupFileName": f"{self.hexid(16)}@v{r.randint(1, 40)}",
                "version": r.randint(1, 40),
                "backupTime": self.iso(self.t0 + r.uniform(0, 86400)),
            }
        base = enc(tracked)
        lines = []
        size = 0
        t = self.t0 + 86400 * max(0, self.cfg.days - 7) + 3600 * 10
        while size < nbytes:
            m = self.uuid()
            ln = (
                '{"type":"file-history-snapshot","messageId":"'
                + m
                + '","snapshot":{"messageId":"'
                + m
                + '","trackedFileBackups":'
                + base
                + ',"timestamp":"'
                + self.iso(t)
                + '"},"isSnapshotUpdate":true}\n'
            )
            lines.append(ln)
            size += len(ln)
            t += r.uniform(5, 120)
        self.types["file-history-snapshot"] += len(lines)
        self.write_raw(rel, "".join(lines).encode(), "no_usage")

    def summary_only_file(self) -> None:
        proj = self.pick_project()
        rel = f".claude/projects/{proj['enc']}/{self.uuid()}.jsonl"
        lines = []
        for _ in range(self.r.randint(1, 4)):
            lines.append(
                enc(
                    {
                        "type": "summary",
                        "summary": self.fill(self.r.choice(PROMPTS)).capitalize(),
                        "leafUuid": self.uuid(),
                    }
                )
                + "\n"
            )
            self.types["summary"] += 1
        self.write_raw(rel, "".join(lines).encode(), "summary_only")
        self.features["summary_only_file"] += 1
