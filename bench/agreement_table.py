"""The agreement scripts' tables (Markdown): per day and kind, tokentree beside ccusage, the
plan and ccusage's rules recomputed here."""

from __future__ import annotations

from bench.agreement import KINDS, Days


def column_table(title: str, columns: dict[str, Days]) -> None:
    """Per day and kind: every column and ccusage − tokentree; then how many days each column
    equals tokentree, and ccusage its rule recomputed here."""
    print(f"\n## {title}\n")
    names = list(columns)
    print("| day | kind | " + " | ".join(names) + " | ccusage − tokentree |")
    print("|---|---|" + "---:|" * (len(names) + 1))
    days = sorted({d for col in columns.values() for d in col})
    sums = {name: dict.fromkeys(KINDS, 0) for name in names}
    for day in days:
        for kind in KINDS:
            values = {n: columns[n].get(day, {}).get(kind, 0) for n in names}
            for n in names:
                sums[n][kind] += values[n]
            delta = values.get("ccusage", 0) - values.get("tokentree", 0)
            print(
                f"| {day} | {kind} | "
                + " | ".join(f"{values[n]:,}" for n in names)
                + f" | {delta:+,} |"
            )
    for kind in KINDS:
        delta = sums.get("ccusage", {}).get(kind, 0) - sums["tokentree"][kind]
        share = f" ({delta / sums['tokentree'][kind]:+.1%})" if sums["tokentree"][kind] else ""
        print(
            f"| **all** | {kind} | "
            + " | ".join(f"{sums[n][kind]:,}" for n in names)
            + f" | {delta:+,}{share} |"
        )
    agree = {
        name: sum(columns[name].get(d) == columns["tokentree"].get(d) for d in days)
        for name in names
        if name != "tokentree"
    }
    print(f"\ndays: {len(days)}; days equal to tokentree: {agree}")
    if "ccusage" in columns:
        same = sum(columns["ccusage"].get(d) == columns["ccusage rule"].get(d) for d in days)
        print(f"days where ccusage equals its rule recomputed here: {same} of {len(days)}")


def cause_table(title: str, columns: dict[str, Days], causes: dict[str, Days]) -> bool:
    """Per day and kind: every column, ccusage − tokentree, and that difference split by cause
    (each cause's tokens as ccusage counts them minus tokentree's). Returns whether the causes
    explain every difference."""
    print(f"\n## {title}\n")
    names = list(columns)
    cause_names = list(causes)
    head = "| day | kind | " + " | ".join(names) + " | ccusage − tokentree |"
    head += "".join(f" {c} |" for c in cause_names) + " unexplained |"
    print(head)
    print("|---|---|" + "---:|" * (len(names) + len(cause_names) + 2))
    days = sorted({d for col in columns.values() for d in col})
    sums = {n: dict.fromkeys(KINDS, 0) for n in (*names, *cause_names, "Δ", "rest")}
    explained = True
    for day in days:
        for kind in KINDS:
            values = {n: columns[n].get(day, {}).get(kind, 0) for n in names}
            delta = values["ccusage"] - values["tokentree"]
            parts = {c: causes[c].get(day, {}).get(kind, 0) for c in cause_names}
            rest = delta - sum(parts.values())
            explained = explained and rest == 0
            for n, v in (*values.items(), *parts.items(), ("Δ", delta), ("rest", rest)):
                sums[n][kind] += v
            _cause_row(day, kind, [values[n] for n in names], delta, "", parts, rest, cause_names)
    for kind in KINDS:
        base = sums["tokentree"][kind]
        share = f" ({sums['Δ'][kind] / base:+.2%})" if base else ""
        totals = {c: sums[c][kind] for c in cause_names}
        row = [sums[n][kind] for n in names]
        _cause_row(
            "**all**", kind, row, sums["Δ"][kind], share, totals, sums["rest"][kind], cause_names
        )
    equal = sum(
        all(
            columns["ccusage"].get(d, {}).get(k, 0) == columns["tokentree"].get(d, {}).get(k, 0)
            for k in KINDS
        )
        for d in days
    )
    print(
        f"\ndays: {len(days)}; equal in every kind: {equal}; every difference explained: "
        f"{explained}"
    )
    return explained


def _cause_row(
    day: str,
    kind: str,
    values: list[int],
    delta: int,
    share: str,
    parts: dict[str, int],
    rest: int,
    cause_names: list[str],
) -> None:
    """One row of the cause table: each tool's count, their difference (with its share of
    tokentree's on the totals row), the part each cause explains and what is left."""
    print(
        f"| {day} | {kind} | "
        + " | ".join(f"{v:,}" for v in values)
        + f" | {delta:+,}{share} |"
        + "".join(f" {parts[c]:+,} |" for c in cause_names)
        + f" {rest:+,} |"
    )
