"""The config file: unknown keys are errors that name the valid ones, including binding ids."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_cli
from tokentree import config


def test_keymap_ids_are_checked() -> None:
    settings = config.parse({"keymap": {"tokentree.quit": "q,ctrl+q"}})
    assert settings.keymap == {"tokentree.quit": "q,ctrl+q"}
    with pytest.raises(config.ConfigError) as raised:
        config.parse({"keymap": {"tokentree.qit": "x"}})
    message = str(raised.value)
    assert "tokentree.qit" in message and "[keymap]" in message
    assert "tokentree.quit" in message and "tokentree.sort-cost" in message  # the valid ones


def test_an_unknown_keymap_id_stops_every_command(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[keymap]\n"tokentree.sort-costs" = "x"\n')
    code, _out, err = run_cli("--config", str(path), "--demo", "export", "--json")
    assert code == 2
    assert "tokentree.sort-costs" in err and "valid: " in err and "tokentree.sort-cost," in err


def test_other_unknown_keys_still_name_the_valid_ones() -> None:
    with pytest.raises(config.ConfigError, match="valid: bars, feeds, theme, timezone"):
        config.parse({"colour": "red"})


def test_budgets_are_read_and_validated() -> None:
    settings = config.parse(
        {"budget": {"daily_usd": 20, "weekly_usd": 80.5, "block_tokens": 2_000_000, "bell": True}}
    )
    assert settings.budget == config.Budgets(
        daily_usd=20.0, weekly_usd=80.5, block_tokens=2_000_000, bell=True
    )
    assert settings.budget.any and not config.parse({}).budget.any


@pytest.mark.parametrize(
    ("table", "message"),
    [
        (
            {"daily": 5},
            r"unknown key\(s\) daily in \[budget\]; valid: bell, block_tokens, daily_usd",
        ),
        ({"daily_usd": 0}, "budget.daily_usd must be a positive number"),
        ({"monthly_usd": "100"}, "budget.monthly_usd must be a positive number"),
        ({"block_tokens": True}, "budget.block_tokens must be a positive number"),
        ({"bell": "yes"}, "budget.bell must be true or false"),
    ],
)
def test_bad_budgets_are_errors(table: dict, message: str) -> None:
    with pytest.raises(config.ConfigError, match=message):
        config.parse({"budget": table})


def test_the_documented_example_is_a_valid_config() -> None:
    import re
    import tomllib

    text = (Path(__file__).resolve().parents[1] / "docs" / "configuration.md").read_text()
    example = re.search(r"```toml\n(.*?)```", text, re.S)
    assert example is not None
    settings = config.parse(tomllib.loads(example.group(1)))
    assert settings.budget == config.Budgets(20.0, 80.0, 250.0, 2_000_000, False)
