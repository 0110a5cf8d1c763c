import datetime
import json

from odoo import Command
from odoo.tests import new_test_user

from .common import ServiceTestCommon

WEBHOOK = "/crm_callcenter/cti/events"
T0 = datetime.datetime(2026, 11, 30, 9, 0, 0)  # Monday 30 November 2026, 09:00 UTC


def stamp(moment):
    return moment.replace(microsecond=0).isoformat() + "Z"


def event(call_id, kind, at, event_id=None, **extra):
    """One webhook event object (``at``: naive UTC datetime)."""
    return {
        "call_id": call_id,
        "event_id": event_id or f"{call_id}-{kind}",
        "event": kind,
        "timestamp": stamp(at),
        **extra,
    }


def call_events(
    call_id,
    offered,
    wait,
    talk=None,
    number="0612345678",
    queue="support",
    agent="201",
    outcome=None,
    **hangup,
):
    """The events of a whole inbound call: ringing, then the answer after ``wait`` seconds and the hangup
    ``talk`` seconds later, or (``talk`` None) the hangup after ``wait`` seconds (abandoned)."""
    items = [event(call_id, "ringing", offered, **{"from": number, "to": "+33140000000", "queue": queue})]
    if talk is not None:
        answered = offered + datetime.timedelta(seconds=wait)
        items.append(event(call_id, "answered", answered, agent=agent))
        items.append(event(call_id, "hangup", answered + datetime.timedelta(seconds=talk), **hangup))
    else:
        items.append(
            event(
                call_id,
                "hangup",
                offered + datetime.timedelta(seconds=wait),
                **({"outcome": outcome} if outcome else {}),
                **hangup,
            )
        )
    return items


class CallCenterTestCommon(ServiceTestCommon):
    """The service team as the PBX queue 'support' in a French company, its agent on extension 201,
    a customer company reachable on +33 6 12 34 56 78 with a contact of its own, and an API key."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.country_id = cls.env.ref("base.fr")
        cls.team.crm_cti_queue = "support"
        cls.agent.crm_cti_extension = "201"
        cls.customer.write(
            {"phone": "+33 6 12 34 56 78", "country_id": cls.env.ref("base.fr").id, "customer_rank": 1}
        )
        cls.contact = cls.env["res.partner"].create(
            {"name": "Bob Contact", "parent_id": cls.customer.id, "phone": "+33 6 98 76 54 32"}
        )
        cls.key_record, cls.key = cls.env["crm.service.cti.key"]._generate("Test PBX", cls.company)
        cls.queue_agent = new_test_user(
            cls.env,
            login="svc_queue_agent",
            groups="base.group_user,helpdesk_mgmt.group_helpdesk_user_team",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )
        cls.other_team = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "Sales line",
                "company_id": cls.company.id,
                "crm_cti_queue": "sales",
                "user_ids": [Command.set(cls.queue_agent.ids)],
            }
        )

    def _ingest(self, items, company=None):
        """Store webhook events as the controller does (parsed, then ``_ingest``), in this transaction."""
        from crm_callcenter import parse_events

        events = parse_events(json.loads(json.dumps(items)))
        return self.env["crm.service.cti"].sudo()._ingest((company or self.company).id, events, items)

    def _call(self, pbx_id, company=None):
        return (
            self.env["crm.service.call"]
            .sudo()
            .search([("pbx_call_id", "=", pbx_id), ("company_id", "=", (company or self.company).id)])
        )
