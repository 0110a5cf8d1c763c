"""CTI events of a PBX: validation of the webhook payload and the state of a call from its events.

A PBX reports each call as a few events (``ringing``, ``answered``, ``hold`` / ``unhold``,
``transferred``, ``hangup``), each with the PBX's call id, its own event id and the time it happened;
and its agents' ``agent_login`` / ``agent_logout`` / ``agent_pause`` / ``agent_unpause`` (with the
agent, no call), from which their available time is known.
Deliveries may be retried, duplicated, concurrent or out of order, so the state of a call is never
updated event by event: it is *folded* from the whole set of its distinct events, sorted by the time
they happened (:func:`fold_events`). The same set gives the same call whatever the arrival order.

Durations follow the call-center definitions of :mod:`crm_callcenter.kpis`: the wait runs from the
offer (the first event) to the answer, or to the hangup of an unanswered call; the talk time from the
answer to the hangup minus the time on hold; the wrap-up (after-call work) is reported by the PBX or
the agent with the hangup.
"""

import dataclasses
import datetime
import math
import re

from .presence import AGENT_EVENT_TYPES

EVENT_TYPES = ("ringing", "answered", "hold", "unhold", "transferred", "hangup")
DIRECTIONS = ("inbound", "outbound")
#: outcomes a hangup may state explicitly (otherwise they follow from the events)
HANGUP_OUTCOMES = ("answered", "abandoned", "missed", "voicemail", "transferred")
MAX_EVENTS = 100  # per request
_RANK = {name: rank for rank, name in enumerate(EVENT_TYPES)}
_ID = re.compile(r"^[\x21-\x7e]{1,128}$")  # printable ASCII, no spaces
_NUMBER = re.compile(r"^[0-9+()./ \-*#]{1,64}$")
_URL = re.compile(r"^https?://[^\s\"'<>]{1,2040}$", re.IGNORECASE)
_EPOCH_MIN = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


class CtiPayloadError(ValueError):
    """The payload is not a valid event; ``field`` names the offending key (or None)."""

    def __init__(self, message, field=None, index=None):
        super().__init__(message)
        self.field = field
        self.index = index


@dataclasses.dataclass(frozen=True)
class CtiEvent:
    """One PBX event, validated; ``occurred_at`` is naive UTC."""

    call_id: str
    event_id: str
    event: str
    occurred_at: datetime.datetime
    direction: str | None = None
    caller: str | None = None
    callee: str | None = None
    queue: str | None = None
    agent: str | None = None
    outcome: str | None = None
    recording_url: str | None = None
    wrapup_seconds: float | None = None

    @property
    def is_agent_event(self):
        """An agent's log-in, log-out or pause (no call): see :mod:`crm_callcenter.presence`."""
        return self.event in AGENT_EVENT_TYPES


@dataclasses.dataclass(frozen=True)
class CallState:
    """A call as its events describe it (times naive UTC, durations in seconds, None when unknown)."""

    state: str  # ringing, in_progress, done
    direction: str
    caller: str | None
    callee: str | None
    queue: str | None
    agent: str | None
    offered_at: datetime.datetime
    answered_at: datetime.datetime | None
    ended_at: datetime.datetime | None
    outcome: str | None
    wait_seconds: float | None
    talk_seconds: float | None
    hold_seconds: float
    wrapup_seconds: float | None
    transferred: bool
    recording_url: str | None


def _text(item, key, pattern, index, what, required=False):
    value = item.get(key)
    if value is None or value == "":
        if required:
            raise CtiPayloadError(f"'{key}' is required", key, index)
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise CtiPayloadError(f"'{key}' must be a string", key, index)
    value = str(value).strip()
    if not pattern.match(value):
        raise CtiPayloadError(f"'{key}' is not a valid {what}", key, index)
    return value


def _timestamp(value, index, now):
    """ISO 8601 with a time zone, or Unix seconds -> naive UTC."""
    if isinstance(value, bool) or value is None or value == "":
        raise CtiPayloadError(
            "'timestamp' is required (ISO 8601 with a time zone, or Unix seconds)", "timestamp", index
        )
    if isinstance(value, (int, float)):
        try:
            if not math.isfinite(value):
                raise CtiPayloadError("'timestamp' must be a finite number of seconds", "timestamp", index)
            moment = datetime.datetime.fromtimestamp(value, tz=datetime.UTC)
        except (OverflowError, OSError, ValueError):
            raise CtiPayloadError("'timestamp' is out of range", "timestamp", index) from None
    elif isinstance(value, str):
        try:
            moment = datetime.datetime.fromisoformat(value.strip())
        except ValueError:
            raise CtiPayloadError(
                f"'timestamp' {value[:40]!r} is not ISO 8601 (2026-12-01T09:30:00+01:00)", "timestamp", index
            ) from None
        if moment.tzinfo is None:
            raise CtiPayloadError(
                "'timestamp' must carry a time zone (Z or +hh:mm): a PBX clock's local time is ambiguous",
                "timestamp",
                index,
            )
    else:
        raise CtiPayloadError("'timestamp' must be a string or a number", "timestamp", index)
    if moment < _EPOCH_MIN or moment > now + datetime.timedelta(days=1):
        raise CtiPayloadError(
            "'timestamp' is before 2000 or more than a day ahead of the server's clock", "timestamp", index
        )
    return moment.astimezone(datetime.UTC).replace(tzinfo=None)


def parse_event(item, index=None, now=None) -> CtiEvent:
    """Validate one event object of the webhook (see the addon's README for the fields)."""
    if not isinstance(item, dict):
        raise CtiPayloadError("an event must be a JSON object", None, index)
    now = now or datetime.datetime.now(datetime.UTC)
    event = item.get("event")
    if event not in EVENT_TYPES and event not in AGENT_EVENT_TYPES:
        raise CtiPayloadError(
            f"'event' must be one of {', '.join(EVENT_TYPES + AGENT_EVENT_TYPES)}", "event", index
        )
    agent_event = event in AGENT_EVENT_TYPES
    direction = item.get("direction")
    if direction not in (None, "", *DIRECTIONS):
        raise CtiPayloadError("'direction' must be inbound or outbound", "direction", index)
    outcome = item.get("outcome")
    if outcome not in (None, "", *HANGUP_OUTCOMES):
        raise CtiPayloadError(f"'outcome' must be one of {', '.join(HANGUP_OUTCOMES)}", "outcome", index)
    if outcome and event != "hangup":
        raise CtiPayloadError("'outcome' belongs to the hangup event", "outcome", index)
    wrapup = item.get("wrapup_seconds")
    if wrapup not in (None, ""):
        if isinstance(wrapup, bool) or not isinstance(wrapup, (int, float)) or not 0 <= wrapup < 86400:
            raise CtiPayloadError(
                "'wrapup_seconds' must be a number of seconds from 0 to 86400", "wrapup_seconds", index
            )
        wrapup = float(wrapup)
    else:
        wrapup = None
    return CtiEvent(
        call_id=""
        if agent_event
        else _text(item, "call_id", _ID, index, "call id (1 to 128 printable characters)", required=True),
        event_id=_text(
            item, "event_id", _ID, index, "event id (1 to 128 printable characters)", required=True
        ),
        event=event,
        occurred_at=_timestamp(item.get("timestamp"), index, now),
        direction=direction or None,
        caller=_text(item, "from", _NUMBER, index, "phone number"),
        callee=_text(item, "to", _NUMBER, index, "phone number"),
        queue=_text(item, "queue", re.compile(r"^[^\x00-\x1f]{1,128}$"), index, "queue name"),
        agent=_text(
            item, "agent", re.compile(r"^[^\x00-\x1f]{1,128}$"), index, "agent", required=agent_event
        ),
        outcome=outcome or None,
        recording_url=_text(item, "recording_url", _URL, index, "http(s) URL"),
        wrapup_seconds=wrapup,
    )


def parse_events(payload, now=None) -> list[CtiEvent]:
    """The events of a webhook body: one event object, a list of them, or ``{"events": [...]}``
    (at most :data:`MAX_EVENTS`); raises :class:`CtiPayloadError` with the reason."""
    if isinstance(payload, dict) and "events" in payload:
        payload = payload["events"]
    items = payload if isinstance(payload, list) else [payload]
    if not items:
        raise CtiPayloadError("the body holds no event")
    if len(items) > MAX_EVENTS:
        raise CtiPayloadError(f"at most {MAX_EVENTS} events per request, got {len(items)}")
    now = now or datetime.datetime.now(datetime.UTC)
    return [parse_event(item, index if len(items) > 1 else None, now) for index, item in enumerate(items)]


def _first(events, name):
    return next((getattr(e, name) for e in events if getattr(e, name)), None)


def _hold_seconds(events, ended_at):
    """Time between each hold and the next unhold (or the end of the call), events sorted."""
    hold = 0.0
    held_since = None
    for e in events:
        if e.event == "hold" and held_since is None:
            held_since = e.occurred_at
        elif e.event == "unhold" and held_since is not None:
            hold += (e.occurred_at - held_since).total_seconds()
            held_since = None
    if held_since is not None and ended_at is not None:
        hold += max((ended_at - held_since).total_seconds(), 0.0)
    return hold


def _outcome(hangup, answered_at, transferred, direction):
    if hangup.outcome:
        return hangup.outcome
    if answered_at is not None:
        return "transferred" if transferred else "answered"
    return "abandoned" if direction == "inbound" else "missed"


def fold_events(events) -> CallState:
    """The state of one call from the set of its distinct events, in any order.

    Sorted by the time they happened (then ringing < answered < ... < hangup, then event id), so a
    hangup delivered before the answer still closes the call after it.
    """
    events = sorted(events, key=lambda e: (e.occurred_at, _RANK[e.event], e.event_id))
    if not events:
        raise ValueError("a call needs at least one event")
    if len({e.call_id for e in events}) > 1:
        raise ValueError("the events belong to several calls")
    kinds = [e.event for e in events]
    offered_at = next((e.occurred_at for e in events if e.event == "ringing"), events[0].occurred_at)
    answered_at = next((e.occurred_at for e in events if e.event == "answered"), None)
    hangup = next((e for e in events if e.event == "hangup"), None)
    ended_at = hangup.occurred_at if hangup else None
    transferred = "transferred" in kinds
    direction = _first(events, "direction") or "inbound"
    hold = _hold_seconds(events, ended_at)
    if ended_at is not None:
        outcome = _outcome(hangup, answered_at, transferred, direction)
        state = "done"
    else:
        outcome = None
        state = "in_progress" if answered_at is not None else "ringing"
    wait = talk = None
    if answered_at is not None:
        wait = max((answered_at - offered_at).total_seconds(), 0.0)
        if ended_at is not None:
            talk = max((ended_at - answered_at).total_seconds() - hold, 0.0)
    elif ended_at is not None:
        wait = max((ended_at - offered_at).total_seconds(), 0.0)
    handling = [e.agent for e in events if e.agent and e.event in ("answered", "transferred")]
    agent = handling[-1] if handling else _first(events, "agent")
    wrapups = [e.wrapup_seconds for e in events if e.wrapup_seconds is not None]
    recordings = [e.recording_url for e in events if e.recording_url]
    return CallState(
        state=state,
        direction=direction,
        caller=_first(events, "caller"),
        callee=_first(events, "callee"),
        queue=_first(events, "queue"),
        agent=agent,
        offered_at=offered_at,
        answered_at=answered_at,
        ended_at=ended_at,
        outcome=outcome,
        wait_seconds=wait,
        talk_seconds=talk,
        hold_seconds=hold,
        wrapup_seconds=max(wrapups) if wrapups else None,
        transferred=transferred,
        recording_url=recordings[-1] if recordings else None,
    )
