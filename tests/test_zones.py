"""planner/data/zones.py: each approved state's zones, the main zone, blank cells, unknowns."""

import pytest

from planner.data.zones import STATE_ZONES, is_iana_zone, main_zone, resolve_zone

CONTRACT_TABLE = {
    "FL": ("America/New_York", "America/Chicago"),
    "GA": ("America/New_York",),
    "ID": ("America/Boise", "America/Los_Angeles"),
    "MI": ("America/Detroit", "America/Menominee"),
    "NC": ("America/New_York",),
    "TX": ("America/Chicago", "America/Denver"),
    "WA": ("America/Los_Angeles",),
}
"""CONTRACT.md's agents.csv table, first zone = main zone."""


def test_table_matches_the_contract_in_order() -> None:
    assert STATE_ZONES == CONTRACT_TABLE


def test_every_zone_in_the_table_is_a_real_iana_zone() -> None:
    for zones in STATE_ZONES.values():
        for zone in zones:
            assert is_iana_zone(zone), zone


@pytest.mark.parametrize(
    ("state", "zone"),
    [
        ("FL", "America/New_York"),
        ("GA", "America/New_York"),
        ("ID", "America/Boise"),
        ("MI", "America/Detroit"),
        ("NC", "America/New_York"),
        ("TX", "America/Chicago"),
        ("WA", "America/Los_Angeles"),
    ],
)
def test_main_zone(state: str, zone: str) -> None:
    assert main_zone(state) == zone


@pytest.mark.parametrize(
    ("state", "split"),
    [
        ("FL", "America/Chicago"),  # western panhandle
        ("TX", "America/Denver"),  # El Paso, Hudspeth
        ("ID", "America/Los_Angeles"),  # north of the Salmon River
        ("MI", "America/Menominee"),  # Upper Peninsula border counties
    ],
)
def test_split_zone_is_kept_and_is_not_the_main_zone(state: str, split: str) -> None:
    assert split in STATE_ZONES[state]
    assert main_zone(state) != split
    assert resolve_zone(state, split) == split


@pytest.mark.parametrize("cell", ["", "   ", "\t"])
def test_blank_cell_means_the_main_zone(cell: str) -> None:
    assert resolve_zone("TX", cell) == "America/Chicago"
    assert resolve_zone("MI", cell) == "America/Detroit"


def test_given_zone_is_stripped() -> None:
    assert resolve_zone("ID", " America/Los_Angeles ") == "America/Los_Angeles"


def test_unknown_state_has_no_main_zone() -> None:
    with pytest.raises(KeyError):
        main_zone("CA")
    with pytest.raises(KeyError):
        resolve_zone("CA", "")


@pytest.mark.parametrize("name", ["Mars/Olympus_Mons", "", "america/new_york", "EST+5"])
def test_unknown_zone_names_are_not_iana(name: str) -> None:
    assert not is_iana_zone(name)
