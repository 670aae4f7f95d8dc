"""One writer per source: ``write(plan, home, rng) -> list[Path]`` writes a
:class:`bench.plan.Plan` in that tool's on-disk format, with its quirks, under ``home`` (the
directory that plays ``$HOME``), and returns the files written. Quirks never change what the
plan says was billed, so the plan is the ground truth."""
