import json
import re
import socket
import threading
import time
from pathlib import Path

import requests

from odoo.tests import HttpCase, tagged

from odoo.addons.crm_callcenter_service.models import crm_service_cti_key as cti_key

from .common_calls import T0, WEBHOOK, CallCenterTestCommon, call_events, event

README = Path(__file__).parents[1] / "readme" / "CONFIGURE.md"


@tagged("post_install", "-at_install")
class TestCtiWebhook(CallCenterTestCommon, HttpCase):
    def _post(self, body, key=None, content_type="application/json", raw=None, headers=None):
        data = raw if raw is not None else json.dumps(body)
        all_headers = {"Content-Type": content_type, "X-Odoo-Database": self.env.cr.dbname, **(headers or {})}
        if key is not False:
            all_headers["Authorization"] = f"Bearer {key or self.key}"
        return self.url_open(WEBHOOK, data=data, headers=all_headers, timeout=30)

    def test_authentication(self):
        items = call_events("auth-1", T0, wait=5, talk=20)
        cases = {
            "no key": dict(key=False),
            "wrong key": dict(key=self.key[:-4] + "abcd"),
            "malformed key": dict(key="not-a-key"),
        }
        for name, kwargs in cases.items():
            with self.subTest(name):
                response = self._post(items, **kwargs)
                self.assertEqual(response.status_code, 401)
                self.assertIn("error", response.json())
                self.assertIn("Bearer", response.headers.get("WWW-Authenticate", ""))
        self.key_record.active = False
        self.assertEqual(self._post(items).status_code, 401, "a revoked key is refused")
        self.key_record.active = True
        # the worker writes a key's last use once a minute: forget this class's earlier requests, whose
        # writes the test transactions rolled back
        cti_key._LAST_USED.clear()
        response = self._post(items, key=False, headers={"X-Api-Key": self.key})
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.json(), {"accepted": 3, "duplicates": 0})
        self.assertTrue(self.key_record.last_used)

    def test_each_key_writes_into_its_company_only(self):
        other = self.setup_other_company()["company"]
        _record, other_key = self.env["crm.service.cti.key"]._generate("PBX of B", other)
        self.assertEqual(self._post(call_events("shared-id", T0, wait=5, talk=20)).status_code, 200)
        # company B's PBX happens to use the same call id: its own call, A's untouched
        response = self._post(call_events("shared-id", T0, wait=50, talk=None), key=other_key)
        self.assertEqual(response.json(), {"accepted": 2, "duplicates": 0})
        mine, theirs = self._call("shared-id"), self._call("shared-id", company=other)
        self.assertEqual((mine.outcome, mine.wait_seconds, len(mine.event_ids)), ("answered", 5.0, 3))
        self.assertEqual((theirs.outcome, theirs.wait_seconds, len(theirs.event_ids)), ("abandoned", 50.0, 2))
        self.assertFalse(theirs.partner_id, "company B does not match company A's customers")
        self.assertFalse(theirs.team_id, "nor its queues")

    def test_malformed_requests(self):
        good = event("bad-1", "ringing", T0)
        cases = [
            ("not JSON", dict(body=None, raw="{not json"), 400, None),
            ("not UTF-8", dict(body=None, raw=b"\xff\xfe"), 400, None),
            ("form body", dict(body=good, content_type="application/x-www-form-urlencoded"), 415, None),
            ("empty list", dict(body=[]), 400, None),
            ("unknown event", dict(body={**good, "event": "ring"}), 400, "event"),
            (
                "no timestamp",
                dict(body={k: v for k, v in good.items() if k != "timestamp"}),
                400,
                "timestamp",
            ),
            ("local time", dict(body={**good, "timestamp": "2026-11-30T09:00:00"}), 400, "timestamp"),
            ("script in number", dict(body={**good, "from": "<b>1</b>"}), 400, "from"),
            ("too many", dict(body=[good] * 101), 400, None),
            ("too large", dict(body=None, raw="[" + " " * 300_000 + "]"), 413, None),
            ("chunked", dict(body=None, raw=iter([b'{"event": "ringing"}'])), 411, None),
        ]
        for name, kwargs, status, field in cases:
            with self.subTest(name):
                response = self._post(**kwargs)
                self.assertEqual(response.status_code, status, response.text)
                body = response.json()
                self.assertTrue(body["error"])
                if field:
                    self.assertEqual(body["field"], field)
        self.assertFalse(self._call("bad-1"), "nothing of a refused request is stored")
        self.assertEqual(
            self.url_open(WEBHOOK, headers={"X-Odoo-Database": self.env.cr.dbname}).status_code, 405
        )

    def test_agent_events(self):
        login = {
            "event_id": "201-in",
            "event": "agent_login",
            "agent": "201",
            "timestamp": "2026-11-30T08:00:00Z",
        }
        logout = {
            **login,
            "event_id": "201-out",
            "event": "agent_logout",
            "timestamp": "2026-11-30T12:00:00Z",
        }
        ringing = event("mixed-1", "ringing", T0, **{"from": "0612345678", "queue": "support"})
        self.assertEqual(self._post([login, ringing, logout]).json(), {"accepted": 3, "duplicates": 0})
        self.assertEqual(self._post([logout, login]).json(), {"accepted": 0, "duplicates": 2})
        response = self._post({k: v for k, v in login.items() if k != "agent"})
        self.assertEqual((response.status_code, response.json()["field"]), (400, "agent"))
        stored = self.env["crm.service.agent.event"].sudo().search([("company_id", "=", self.company.id)])
        self.assertEqual(sorted(stored.mapped("event_type")), ["agent_login", "agent_logout"])
        self.assertEqual(stored.user_id, self.agent)
        self.assertTrue(self._call("mixed-1"))

    def test_retries_are_harmless(self):
        items = call_events("retry-1", T0, wait=12, talk=100)
        self.assertEqual(self._post(items).json(), {"accepted": 3, "duplicates": 0})
        self.assertEqual(self._post(items).json(), {"accepted": 0, "duplicates": 3})
        self.assertEqual(self._post({"events": items[1:]}).json(), {"accepted": 0, "duplicates": 2})
        call = self._call("retry-1")
        self.assertEqual((len(call.event_ids), call.outcome, call.talk_seconds), (3, "answered", 100.0))

    def test_concurrent_burst_of_duplicates(self):
        """Eight clients deliver the same call's events five times each, in different groupings and
        orders, at the same time: one call, each event once, every request answered 200."""
        items = [
            *call_events("burst-1", T0, wait=8, talk=90),
            event("burst-1", "hold", T0.replace(second=30)),
            event("burst-1", "unhold", T0.replace(second=50)),
        ]
        bodies = [items, items[::-1], items[:2], items[2:], [items[4], items[0]]]
        statuses, accepted, errors = [], [], []
        url = self.base_url() + WEBHOOK
        headers = {
            "Content-Type": "application/json",
            "X-Odoo-Database": self.env.cr.dbname,
            "Authorization": f"Bearer {self.key}",
        }

        def client(k):
            try:
                session = requests.Session()
                for i in range(5):
                    response = session.post(
                        url, data=json.dumps(bodies[(k + i) % len(bodies)]), headers=headers, timeout=60
                    )
                    statuses.append(response.status_code)
                    accepted.append(response.json().get("accepted", 0))
            except Exception as exc:
                errors.append(exc)

        threads = [threading.Thread(target=client, args=(k,)) for k in range(8)]
        with self.allow_requests(all_requests=True):
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(120)
        self.assertFalse(errors)
        self.assertEqual(statuses, [200] * 40)
        self.assertEqual(sum(accepted), 5, "each event accepted exactly once over all the requests")
        calls = self.env["crm.service.call"].sudo().search([("pbx_call_id", "=", "burst-1")])
        self.assertEqual(len(calls), 1)
        self.assertEqual(
            sorted(calls.event_ids.mapped("event_type")), ["answered", "hangup", "hold", "ringing", "unhold"]
        )
        self.assertEqual((calls.hold_seconds, calls.talk_seconds), (20.0, 70.0))

    def test_slow_client_is_cut_off(self):
        """A client that sends half its body and stalls is answered 408 by the server's socket timeout
        (5 s in tests, 2 s in Odoo's workers) and nothing is stored; the next delivery goes through."""
        body = json.dumps(event("slow-1", "ringing", T0)).encode()
        host, port = "127.0.0.1", int(self.base_url().rsplit(":", 1)[1])
        with (
            self.allow_requests(all_requests=True),
            socket.create_connection((host, port), timeout=30) as sock,
        ):
            sock.sendall(
                (
                    f"POST {WEBHOOK} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/json\r\n"
                    f"Authorization: Bearer {self.key}\r\nX-Odoo-Database: {self.env.cr.dbname}\r\n"
                    f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
                ).encode()
                + body[:10]
            )
            started = time.monotonic()
            reply = sock.recv(4096).decode(errors="replace")
            waited = time.monotonic() - started
        self.assertIn(" 408 ", reply.splitlines()[0], reply)
        self.assertLess(waited, 15.0)
        self.assertFalse(self._call("slow-1"))
        self.assertEqual(self._post(call_events("after-slow", T0, wait=5, talk=20)).status_code, 200)

    def test_screen_pop_is_sent_to_the_queue(self):
        self.env["bus.bus"].sudo().search([]).unlink()
        self._post([event("pop-1", "ringing", T0, **{"from": "0612345678", "queue": "support"})])
        call = self._call("pop-1")
        notes = self.env["bus.bus"].sudo().search([])
        pops = [json.loads(n.message) for n in notes if "crm_callcenter_service/screen_pop" in n.message]
        targets = {tuple(json.loads(n.channel))[-2:] for n in notes if "screen_pop" in n.message}
        self.assertEqual(targets, {("res.partner", p.id) for p in (self.leader | self.agent).partner_id})
        self.assertEqual(len(pops), 2, "the queue's leader and agent")
        self.assertEqual(pops[0]["payload"]["call_id"], call.id)
        # the answer and the hangup pop nothing more
        self._post(call_events("pop-1", T0, wait=5, talk=20)[1:])
        self.assertEqual(
            len([n for n in self.env["bus.bus"].sudo().search([]) if "screen_pop" in n.message]), 2
        )

    def test_documented_example_payload(self):
        """The example of the module's documentation is accepted as it is written."""
        text = README.read_text()
        blocks = re.findall(r"```json\n(.*?)```", text, re.S)
        self.assertTrue(blocks, "the documentation shows an example payload")
        payload = json.loads(blocks[0])
        response = self._post(payload)
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.json()["duplicates"], 0)
        call = self.env["crm.service.call"].sudo().search([("pbx_call_id", "=", payload[0]["call_id"])])
        self.assertEqual((call.state, call.outcome), ("done", "answered"))
