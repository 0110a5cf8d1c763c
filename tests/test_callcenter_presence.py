"""Agents' availability from the PBX's agent events (crm_callcenter.presence)."""

import datetime

import numpy as np
import pytest

from crm_callcenter import available_periods, available_seconds, call_kpis

T = datetime.datetime(2026, 11, 30, 9, 0)


def at(minutes):
    return T + datetime.timedelta(minutes=minutes)


def test_login_pause_logout_in_any_order():
    events = [
        (at(120), "agent_logout"),
        (at(0), "agent_login"),
        (at(75), "agent_unpause"),
        (at(60), "agent_pause"),
    ]
    assert available_periods(events, until=at(600)) == [(at(0), at(60)), (at(75), at(120))]
    assert available_periods(list(reversed(events)), until=at(600)) == [(at(0), at(60)), (at(75), at(120))]


def test_open_sessions_repeats_and_strays():
    # a second login while logged in changes nothing; a logout without login is ignored
    events = [(at(-30), "agent_logout"), (at(0), "agent_login"), (at(10), "agent_login")]
    assert available_periods(events, until=at(90)) == [(at(0), at(90))]
    assert available_periods([(at(0), "agent_login")], until=at(60 * 24)) == [(at(0), at(60 * 12))]
    assert available_periods([], until=at(10)) == []
    with pytest.raises(ValueError):
        available_periods([(at(0), "login")], until=at(1))


def test_seconds_split_over_intervals_and_occupancy():
    periods = {7: [(at(10), at(50))], 8: [(at(0), at(30))]}
    seconds = available_seconds(periods, interval_minutes=30)
    slot = np.datetime64(T, "m")
    assert seconds == {
        (slot, 7): 20 * 60.0,
        (slot + np.timedelta64(30, "m"), 7): 20 * 60.0,
        (slot, 8): 1800.0,
    }
    # agent 7 handles one 10-minute call in the first half hour: occupancy 600 / 1200
    kpis = call_kpis(
        [np.datetime64(at(12), "s")],
        [5.0],
        ["answered"],
        [540.0],
        [0.0],
        [60.0],
        groups=[7],
        interval_minutes=30,
        available_seconds=seconds,
    )
    assert kpis.occupancy.tolist() == [0.5]
    with pytest.raises(ValueError):
        available_seconds(periods, interval_minutes=20)
