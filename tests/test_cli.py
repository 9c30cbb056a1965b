"""The command line itself: every contract command is registered, usage errors exit 2."""

import pytest

from planner.cli import COMMANDS, build_parser, main


def test_every_contract_command_is_registered() -> None:
    contract = {"sample-data", "validate", "forecast", "staff", "solve", "check"}
    assert contract <= set(COMMANDS)
    build_parser()  # every command module imports and declares its options


def test_unknown_command_is_bad_input(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["no-such-command"])
    assert exit_info.value.code == 2
    assert "command line" in capsys.readouterr().err
