import json
import logging

from psycopg2.extensions import ISOLATION_LEVEL_READ_COMMITTED
from werkzeug.exceptions import ClientDisconnected, RequestEntityTooLarge

from odoo import SUPERUSER_ID, api, http
from odoo.http import request
from odoo.sql_db import Cursor

from crm_callcenter import CtiPayloadError, parse_events

_logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 256 * 1024  # 100 events of 2.5 kB


UNAUTHORIZED = [("WWW-Authenticate", 'Bearer realm="cti"')]


def _reply(status, body, headers=()):
    return request.make_response(
        json.dumps(body),
        headers=[("Content-Type", "application/json"), ("Cache-Control", "no-store"), *headers],
        status=status,
    )


class _Refused(Exception):
    """A request answered with a 4xx and a JSON reason."""

    def __init__(self, status, message, headers=(), **extra):
        super().__init__(message)
        self.status, self.headers, self.extra = status, headers, extra

    def response(self):
        _logger.info("CTI webhook: %s %s", self.status, self)
        return _reply(self.status, {"error": str(self), **self.extra}, self.headers)


def _api_key(httprequest):
    auth = httprequest.headers.get("Authorization", "")
    key = auth[7:].strip() if auth[:7].lower() == "bearer " else httprequest.headers.get("X-Api-Key", "")
    if not key:
        raise _Refused(401, "missing API key: send 'Authorization: Bearer <key>'", UNAUTHORIZED)
    return key


def _body(httprequest):
    """The body, read only when its announced length is within the limit (the stream never reads
    past the Content-Length); kept, so that Odoo's replay of the request after a concurrency
    error reads it again."""
    too_large = f"the body exceeds {MAX_BODY_BYTES} bytes: send fewer events per request"
    if httprequest.mimetype != "application/json":
        raise _Refused(415, "the body must be JSON (Content-Type: application/json)")
    length = httprequest.content_length
    if length is None:
        raise _Refused(411, "send the body with a Content-Length (chunked bodies are not accepted)")
    if length > MAX_BODY_BYTES:
        raise _Refused(413, too_large)
    try:
        return httprequest.get_data(cache=True)
    except RequestEntityTooLarge:
        raise _Refused(413, too_large) from None
    except (ClientDisconnected, TimeoutError):
        # the worker's socket timeout ended a body that stopped arriving (Odoo's workers give each
        # read 2 seconds, ODOO_HTTP_SOCKET_TIMEOUT): a slow client never holds a worker for long
        raise _Refused(408, "the body was not received completely") from None


def _events(raw):
    """``(parsed events, their raw JSON objects)``."""
    try:
        payload = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _Refused(400, f"the body is not valid JSON: {exc}") from None
    try:
        events = parse_events(payload)
    except CtiPayloadError as exc:
        raise _Refused(400, str(exc), field=exc.field, index=exc.index) from None
    if isinstance(payload, dict) and "events" in payload:
        payload = payload["events"]
    return events, payload if isinstance(payload, list) else [payload]


class CrmCtiController(http.Controller):
    @http.route(
        "/crm_callcenter/cti/events",
        type="http",
        auth="none",
        methods=["POST"],
        csrf=False,
        save_session=False,
        readonly=False,
    )
    def crm_cti_events(self, **_params):
        """Receive PBX events (see the module's README): ``Authorization: Bearer <API key>``, a JSON
        object, a list of them or ``{"events": [...]}``. The key names the company. Answers 200 with
        the number of events accepted and of duplicates (already stored: a retry is harmless), 4xx
        with the reason otherwise. The events are committed before the answer is sent."""
        httprequest = request.httprequest
        try:
            # the key is checked before the body is read (from the keys cached per worker)
            found = request.env["crm.service.cti.key"].sudo()._find(_api_key(httprequest))
            if not found:
                raise _Refused(401, "invalid or revoked API key", UNAUTHORIZED)
            key_id, company_id = found
            raw = _body(httprequest)
            events, items = _events(raw)
            with request.env.registry.cursor() as cr:
                if isinstance(cr, Cursor):
                    # read committed: a concurrent duplicate waits for the first one and is then
                    # skipped, instead of failing on the repeatable-read snapshot (the pool's next
                    # cursor on this connection sets repeatable read again)
                    cr.connection.set_isolation_level(ISOLATION_LEVEL_READ_COMMITTED)
                env = api.Environment(cr, SUPERUSER_ID, {})
                env["crm.service.cti.key"]._touch(key_id)
                result = env["crm.service.cti"]._ingest(company_id, events, items)
        except _Refused as refused:
            return refused.response()
        return _reply(200, {"accepted": result["accepted"], "duplicates": result["duplicates"]})
