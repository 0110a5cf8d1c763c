"""CTI webhook payloads and the state of a call folded from its events (crm_callcenter.cti)."""

import datetime
import itertools

import pytest

from crm_callcenter import CtiPayloadError, fold_events, parse_event, parse_events

NOW = datetime.datetime(2026, 12, 1, 12, 0, tzinfo=datetime.UTC)
T0 = datetime.datetime(2026, 12, 1, 9, 0, 0)


def event(kind, seconds, event_id=None, **extra):
    item = {
        "call_id": "pbx-1",
        "event_id": event_id or f"{kind}-{seconds}",
        "event": kind,
        "timestamp": (T0 + datetime.timedelta(seconds=seconds)).isoformat() + "Z",
        **extra,
    }
    return parse_event(item, now=NOW)


def test_parse_iso_with_offset_and_epoch_give_naive_utc():
    a = parse_event(
        {"call_id": "c", "event_id": "e", "event": "ringing", "timestamp": "2026-12-01T10:00:00+01:00"},
        now=NOW,
    )
    b = parse_event(
        {
            "call_id": "c",
            "event_id": "e",
            "event": "ringing",
            "timestamp": datetime.datetime(2026, 12, 1, 9, tzinfo=datetime.UTC).timestamp(),
        },
        now=NOW,
    )
    assert a.occurred_at == b.occurred_at == datetime.datetime(2026, 12, 1, 9, 0)
    assert a.occurred_at.tzinfo is None


@pytest.mark.parametrize(
    ("item", "field"),
    [
        ({"event_id": "e", "event": "ringing", "timestamp": 1.764e9}, "call_id"),
        ({"call_id": "c", "event": "ringing", "timestamp": 1.764e9}, "event_id"),
        ({"call_id": "c", "event_id": "e", "event": "ring", "timestamp": 1.764e9}, "event"),
        ({"call_id": "c", "event_id": "e", "event": "ringing"}, "timestamp"),
        (
            {"call_id": "c", "event_id": "e", "event": "ringing", "timestamp": "2026-12-01T10:00:00"},
            "timestamp",
        ),
        ({"call_id": "c", "event_id": "e", "event": "ringing", "timestamp": "yesterday"}, "timestamp"),
        ({"call_id": "c", "event_id": "e", "event": "ringing", "timestamp": 9e18}, "timestamp"),
        ({"call_id": "c", "event_id": "e", "event": "ringing", "timestamp": 10**400}, "timestamp"),
        ({"call_id": "c", "event_id": "e", "event": "ringing", "timestamp": float("nan")}, "timestamp"),
        ({"call_id": "c", "event_id": "e", "event": "ringing", "timestamp": 1.9e9}, "timestamp"),  # 2030
        ({"call_id": "c", "event_id": "e", "event": "ringing", "timestamp": True}, "timestamp"),
        ({"call_id": "c" * 129, "event_id": "e", "event": "ringing", "timestamp": 1.764e9}, "call_id"),
        ({"call_id": "a b", "event_id": "e", "event": "ringing", "timestamp": 1.764e9}, "call_id"),
        (
            {"call_id": "c", "event_id": "e", "event": "ringing", "timestamp": 1.764e9, "from": "<script>"},
            "from",
        ),
        (
            {"call_id": "c", "event_id": "e", "event": "ringing", "timestamp": 1.764e9, "direction": "up"},
            "direction",
        ),
        (
            {"call_id": "c", "event_id": "e", "event": "hangup", "timestamp": 1.764e9, "outcome": "lost"},
            "outcome",
        ),
        (
            {"call_id": "c", "event_id": "e", "event": "ringing", "timestamp": 1.764e9, "outcome": "missed"},
            "outcome",
        ),
        (
            {"call_id": "c", "event_id": "e", "event": "hangup", "timestamp": 1.764e9, "wrapup_seconds": -1},
            "wrapup_seconds",
        ),
        (
            {
                "call_id": "c",
                "event_id": "e",
                "event": "hangup",
                "timestamp": 1.764e9,
                "recording_url": "javascript:alert(1)",
            },
            "recording_url",
        ),
        ({"call_id": ["c"], "event_id": "e", "event": "ringing", "timestamp": 1.764e9}, "call_id"),
    ],
)
def test_bad_events_name_the_field(item, field):
    with pytest.raises(CtiPayloadError) as caught:
        parse_event(item, now=NOW)
    assert caught.value.field == field
    assert str(caught.value)


def test_bodies_one_list_or_wrapped_and_limits():
    one = {"call_id": "c", "event_id": "e", "event": "ringing", "timestamp": 1.764e9}
    assert len(parse_events(one, now=NOW)) == 1
    assert len(parse_events([one, {**one, "event_id": "f"}], now=NOW)) == 2
    assert len(parse_events({"events": [one]}, now=NOW)) == 1
    with pytest.raises(CtiPayloadError, match="no event"):
        parse_events([], now=NOW)
    with pytest.raises(CtiPayloadError, match="at most 100"):
        parse_events([one] * 101, now=NOW)
    with pytest.raises(CtiPayloadError, match="JSON object"):
        parse_events(["ringing"], now=NOW)
    with pytest.raises(CtiPayloadError) as caught:
        parse_events([one, {**one, "event": "x"}], now=NOW)
    assert caught.value.index == 1


def test_answered_call_with_hold_and_wrapup():
    events = [
        event("ringing", 0, **{"from": "+33612345678", "to": "100", "queue": "support"}),
        event("answered", 30, agent="201"),
        event("hold", 100),
        event("unhold", 160),
        event("hangup", 400, wrapup_seconds=45, recording_url="https://pbx.example.com/r/1.wav"),
    ]
    call = fold_events(events)
    assert call.state == "done" and call.outcome == "answered"
    assert call.wait_seconds == 30 and call.hold_seconds == 60 and call.talk_seconds == 400 - 30 - 60
    assert call.wrapup_seconds == 45 and call.agent == "201" and call.queue == "support"
    assert call.caller == "+33612345678" and call.direction == "inbound"
    assert call.recording_url.endswith("1.wav")


def test_every_arrival_order_gives_the_same_call():
    events = [
        event("ringing", 0, **{"from": "0612345678"}),
        event("answered", 12, agent="201"),
        event("transferred", 50, agent="305"),
        event("hold", 60),
        event("hangup", 200),
    ]
    states = {fold_events(list(order)) for order in itertools.permutations(events)}
    assert len(states) == 1
    call = states.pop()
    assert call.outcome == "transferred" and call.agent == "305"
    assert call.hold_seconds == 140  # hold never released: it ends with the call
    assert call.talk_seconds == 200 - 12 - 140


def test_hangup_before_answer_arrives_abandon_and_ongoing_states():
    assert fold_events([event("ringing", 0)]).state == "ringing"
    ongoing = fold_events([event("answered", 9), event("ringing", 0)])
    assert ongoing.state == "in_progress" and ongoing.outcome is None and ongoing.talk_seconds is None
    assert ongoing.wait_seconds == 9
    abandoned = fold_events([event("hangup", 25), event("ringing", 0)])
    assert (
        abandoned.outcome == "abandoned" and abandoned.wait_seconds == 25 and abandoned.talk_seconds is None
    )
    outbound = fold_events([event("ringing", 0, direction="outbound"), event("hangup", 40)])
    assert outbound.outcome == "missed"
    voicemail = fold_events([event("ringing", 0), event("hangup", 40, outcome="voicemail")])
    assert voicemail.outcome == "voicemail"
    # no ringing received at all: the call is offered at its first event
    late = fold_events([event("hangup", 100), event("answered", 20)])
    assert late.offered_at == T0 + datetime.timedelta(seconds=20) and late.wait_seconds == 0


def test_fold_refuses_empty_and_mixed_calls():
    with pytest.raises(ValueError):
        fold_events([])
    other = parse_event(
        {"call_id": "pbx-2", "event_id": "x", "event": "ringing", "timestamp": 1.764e9}, now=NOW
    )
    with pytest.raises(ValueError, match="several calls"):
        fold_events([event("ringing", 0), other])


def test_agent_events_need_the_agent_not_a_call():
    login = parse_event(
        {"event_id": "a1", "event": "agent_login", "agent": "201", "timestamp": 1.764e9}, now=NOW
    )
    assert login.is_agent_event and login.call_id == "" and login.agent == "201"
    assert not event("ringing", 0).is_agent_event
    with pytest.raises(CtiPayloadError) as caught:
        parse_event({"event_id": "a2", "event": "agent_pause", "timestamp": 1.764e9}, now=NOW)
    assert caught.value.field == "agent"
