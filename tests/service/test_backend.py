"""The service layer's door to a data set (no Textual): levels, paths, file names, and errors
mapped to types at the boundary."""

from __future__ import annotations

import pytest

from tokentree.data.workspace import Options
from tokentree.model.tree import Kind
from tokentree.service.backend import Backend, check_time_zone
from tokentree.service.errors import DataError, OptionsError, SourceUnavailable, service_error
from tokentree.service.export import export_filename


@pytest.fixture(scope="module")
def backend():
    demo = Backend(Options(demo=True, tz="UTC", use_cache=False))
    first = demo.refresh()
    assert first.files > 0 and demo.version == 1
    yield demo
    demo.close()


def test_levels_and_paths(backend: Backend) -> None:
    weeks = backend.children(())
    assert [n.kind for n in weeks] == [Kind.WEEK] * len(weeks)
    days = backend.children((weeks[0].id,))
    path = (weeks[0].id, days[-1].id)
    nodes = backend.path_nodes(path)
    assert [n.id for n in nodes] == list(path)
    assert nodes[1].totals == days[-1].totals
    assert [n.id for n in backend.path_nodes((weeks[0].id, "1999-01-01"))] == [weeks[0].id]


def test_refresh_without_changes_keeps_the_version(backend: Backend) -> None:
    report = backend.refresh()
    assert not report.changed and backend.version == 1


def test_export_file_names() -> None:
    assert export_filename(Kind.WEEK, "2026-W47") == "tokentree-week-2026-W47.json"
    assert export_filename(Kind.TURN, "abc:pre") == "tokentree-turn-abc_pre.json"
    assert export_filename(Kind.CALL, "../../etc") == "tokentree-call-.._.._etc.json"
    assert "/" not in export_filename(Kind.SESSION, "a/b\\c d")


@pytest.mark.parametrize(
    "options",
    [Options(sources=("cursor",), tz="UTC"), Options(demo=True, tz="Mars/Olympus_Mons")],
    ids=["source", "time-zone"],
)
def test_bad_options_are_an_options_error(options: Options) -> None:
    backend = Backend(options)
    with pytest.raises(OptionsError) as raised:
        backend.refresh()
    assert isinstance(raised.value, ValueError)  # the CLI reports it as a usage error
    assert ("cursor" in str(raised.value)) or ("Mars/Olympus_Mons" in str(raised.value))


def test_an_unknown_time_zone_is_refused_before_opening() -> None:
    with pytest.raises(OptionsError, match="unknown time zone 'Nowhere/City'"):
        check_time_zone(Options(tz="Nowhere/City"))
    check_time_zone(Options(tz="Europe/Berlin"))


def test_service_error_mapping() -> None:
    assert isinstance(service_error(ValueError("bad"), opening=True), OptionsError)
    assert isinstance(service_error(ValueError("bad")), DataError)
    assert isinstance(service_error(PermissionError("no")), SourceUnavailable)
    unchanged = OptionsError("x")
    assert service_error(unchanged) is unchanged
    assert "KeyError" in str(service_error(KeyError("k")))


def test_the_live_view_keeps_the_latest_calls_of_a_long_turn(
    backend: Backend, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A turn of thousands of calls is not held whole on every refresh: the latest calls, and
    how many came before them."""
    from tokentree.service import follow

    sessions = [
        session.id
        for week in backend.children(())
        for day in backend.children((week.id,))
        for session in backend.children((week.id, day.id))
    ]
    full = next(
        view for sid in sessions if (view := backend.session_view(sid)) and len(view.calls) >= 3
    )
    assert full.earlier == 0
    monkeypatch.setattr(follow, "LIVE_CALLS", 2)
    kept = backend.session_view(full.id)
    assert kept is not None
    assert [n.id for n in kept.calls] == [n.id for n in full.calls[-2:]]
    assert kept.earlier == len(full.calls) - 2


def test_the_followed_session_reuses_its_rows_while_calls_are_appended(tmp_path) -> None:
    """Appended calls change the live view's totals, span and models as a full read shows them,
    without reading the session's rows again; a new turn (a prompt) reads them again."""
    import json
    import shutil

    from tests.ui.test_ui_live_pane import LATEST, append_call
    from tokentree.data.workspace import demo_root

    logs = tmp_path / "claude"
    shutil.copytree(demo_root() / "claude", logs)
    transcript = next(logs.rglob(f"{LATEST}.jsonl"))
    live = Backend(Options(roots=[logs], tz="UTC", use_cache=False))
    try:
        live.refresh()
        before = live.session_view(LATEST)
        assert before is not None
        memo = live._followed_rows
        append_call(transcript, "msg_reuse_1", "2026-11-20T23:58:20.000Z", 70_001, "Grep")
        append_call(transcript, "msg_reuse_2", "2026-11-21T00:01:05.000Z", 9, "Bash")  # next day
        live.refresh(paths=[transcript])
        reused = live.session_view(LATEST)
        assert reused is not None and live._followed_rows is not memo  # a day came: re-read
        memo = live._followed_rows
        append_call(transcript, "msg_reuse_3", "2026-11-21T00:02:00.000Z", 11, "Read")
        live.refresh(paths=[transcript])
        reused = live.session_view(LATEST)
        assert live._followed_rows is memo  # only calls appended: the rows were reused
        live._followed_rows = None
        assert reused == live.session_view(LATEST)  # as a full read shows it
        assert reused.totals.output == before.totals.output + 70_001 + 9 + 11
        assert reused.path[1] == "2026-11-21"

        prompt = {
            "type": "user",
            "uuid": "uuid-reuse-prompt",
            "sessionId": LATEST,
            "timestamp": "2026-11-21T00:03:00.000Z",
            "message": {"role": "user", "content": "and now?"},
        }
        with transcript.open("a") as handle:
            handle.write(json.dumps(prompt) + "\n")
        append_call(transcript, "msg_reuse_4", "2026-11-21T00:03:30.000Z", 5, "Edit")
        live.refresh(paths=[transcript])
        memo = live._followed_rows
        turned = live.session_view(LATEST)
        assert turned is not None and live._followed_rows is not memo  # a turn came: re-read
        assert turned.turn is not None and turned.turn.id == "uuid-reuse-prompt"
    finally:
        live.close()


def test_refreshes_of_streamed_changes_are_spaced_and_read_all_appended(tmp_path) -> None:
    """A refresh of watched changes starts ``live_gap`` after the previous one ended at the
    earliest and reads everything appended by then; a walk (``r``) never waits."""
    import shutil
    import time

    from tests.ui.test_ui_live_pane import LATEST, append_call
    from tokentree.data.workspace import demo_root

    logs = tmp_path / "claude"
    shutil.copytree(demo_root() / "claude", logs)
    transcript = next(logs.rglob(f"{LATEST}.jsonl"))
    live = Backend(Options(roots=[logs], tz="UTC", use_cache=False))
    live.live_gap = 1.0
    try:
        live.refresh()
        before = live.session_view(LATEST)
        assert before is not None
        append_call(transcript, "msg_gap_1", "2026-11-20T23:58:20.000Z", 101, "Grep")
        first = time.monotonic()
        live.refresh(paths=[transcript])  # the first after a quiet spell: at once
        append_call(transcript, "msg_gap_2", "2026-11-20T23:58:21.000Z", 202, "Read")
        live.refresh(paths=[transcript])  # starts a second after the first ended
        assert time.monotonic() - first >= 1.0
        append_call(transcript, "msg_gap_3", "2026-11-20T23:58:22.000Z", 303, "Edit")
        live.live_gap = 60.0
        started = time.monotonic()
        live.refresh()  # a walk: not spaced
        walked = time.monotonic() - started
        view = live.session_view(LATEST)
        assert view is not None and view.totals.output == before.totals.output + 606
        assert walked < 30.0
    finally:
        live.close()


def test_a_turns_last_calls_are_the_tail_of_its_call_level(backend: Backend) -> None:
    """``last_calls`` (ordered latest first, limited, reversed) gives the same rows as the
    end of the turn's whole call level, for every turn of the demo."""
    store = backend.workspace.store
    turns = {(row[2], row[3]) for row in store.level_rows("turn")}
    assert len(turns) > 20
    for session, turn in sorted(turns):
        whole = store.level_rows("call", session=session, turn=turn)
        for count in (1, 3):
            assert store.last_calls(count, session=session, turn=turn) == whole[-count:]
