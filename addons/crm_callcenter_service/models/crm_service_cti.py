import datetime
import json
from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import SQL, ormcache

from odoo.addons.phone_validation.tools.phone_validation import phone_format

from crm_callcenter import fold_events, parse_event

SCREEN_POP = "crm_callcenter_service/screen_pop"
# stored events were checked on arrival: read back without the clock check
_STORED = datetime.datetime(9000, 1, 1, tzinfo=datetime.UTC)


class CrmServiceCti(models.AbstractModel):
    """The CTI webhook's storage: each PBX event once, then the calls it touches folded again.

    Exactly once under retries, duplicates and concurrent deliveries: the call row and the event row
    are written with ``INSERT ... ON CONFLICT DO NOTHING`` against unique indexes (never a read then a
    write), and a call's state is folded from *all* its stored events under the call's row lock, so
    two concurrent events of one call cannot lose each other's update, whatever their order.
    """

    _name = "crm.service.cti"
    _description = "CTI webhook storage"

    @api.model
    def _ingest(self, company_id, events, raw_items):
        """Store ``events`` (parsed, aligned with the raw JSON objects ``raw_items``) for the company.

        :return: ``{"accepted": new events, "duplicates": events already stored, "calls": {pbx id: id}}``
        """
        cr = self.env.cr
        now = fields.Datetime.now()
        uid = self.env.uid
        # a fixed order (call id, event id): two requests touching the same calls wait for each
        # other instead of deadlocking
        order = sorted(range(len(events)), key=lambda i: (events[i].call_id, events[i].event_id))
        call_ids = {}
        fresh = defaultdict(list)
        duplicates = 0
        for i in order:
            event = events[i]
            call_id = call_ids.get(event.call_id)
            if call_id is None:
                cr.execute(
                    SQL(
                        """INSERT INTO crm_service_call
                                  (company_id, pbx_call_id, direction, state, offered_at, transferred,
                                   hold_seconds, create_uid, create_date, write_uid, write_date)
                           VALUES (%s, %s, %s, 'ringing', %s, FALSE, 0, %s, %s, %s, %s)
                      ON CONFLICT (company_id, pbx_call_id) DO NOTHING
                        RETURNING id""",
                        company_id,
                        event.call_id,
                        event.direction or "inbound",
                        event.occurred_at,
                        uid,
                        now,
                        uid,
                        now,
                    )
                )
                row = cr.fetchone()
                if not row:
                    cr.execute(
                        SQL(
                            "SELECT id FROM crm_service_call WHERE company_id = %s AND pbx_call_id = %s",
                            company_id,
                            event.call_id,
                        )
                    )
                    row = cr.fetchone()
                call_id = call_ids[event.call_id] = row[0]
            cr.execute(
                SQL(
                    """INSERT INTO crm_service_call_event (call_id, company_id, pbx_event_id,
                                  event_type, occurred_at, received_at, payload)
                       VALUES (%s, %s, %s, %s, %s, %s, %s)
                  ON CONFLICT (call_id, pbx_event_id) DO NOTHING
                    RETURNING id""",
                    call_id,
                    company_id,
                    event.event_id,
                    event.event,
                    event.occurred_at,
                    now,
                    json.dumps(raw_items[i], ensure_ascii=False, sort_keys=True),
                )
            )
            if cr.fetchone():
                fresh[call_id].append(event)
            else:
                duplicates += 1
        if fresh:
            self._fold_calls(company_id, sorted(fresh), fresh)
        return {
            "accepted": sum(len(v) for v in fresh.values()),
            "duplicates": duplicates,
            "calls": call_ids,
        }

    @api.model
    def _fold_calls(self, company_id, ids, fresh):
        """Fold each call again from all its stored events, under its row lock, and write it.

        Written with one UPDATE per call (the webhook's hot path: no ORM write, whose recomputations
        and reads would double its queries); the partner, queue and agent found once per call."""
        cr = self.env.cr
        cr.execute(
            SQL(
                "SELECT id, customer_number, partner_id, commercial_partner_id, name FROM crm_service_call"
                " WHERE id = ANY(%s) ORDER BY id FOR UPDATE",
                ids,
            )
        )
        current = {row[0]: row[1:] for row in cr.fetchall()}
        cr.execute(
            SQL(
                "SELECT call_id, payload FROM crm_service_call_event WHERE call_id = ANY(%s) ORDER BY id",
                ids,
            )
        )
        stored = defaultdict(list)
        for call_id, payload in cr.fetchall():
            stored[call_id].append(parse_event(json.loads(payload), now=_STORED))
        company = self.env["res.company"].browse(company_id)
        directory = self._directory(company_id)
        rang = []
        for call_id in ids:
            state = fold_events(stored[call_id])
            number, partner_id, commercial_id, name = current[call_id]
            customer = state.caller if state.direction == "inbound" else state.callee
            customer_number = self._normalize_number(company, customer) if customer else None
            if customer_number != number:
                partner = self._match_partner(company, customer_number)
                partner_id, commercial_id = partner.id or None, partner.commercial_partner_id.id or None
                name = partner.display_name or customer_number or self.env._("Unknown caller")
            handle = (state.talk_seconds or 0.0) + state.hold_seconds + (state.wrapup_seconds or 0.0)
            cr.execute(
                SQL(
                    """UPDATE crm_service_call
                          SET direction = %s, state = %s, outcome = %s, caller_number = %s,
                              callee_number = %s, customer_number = %s, partner_id = %s,
                              commercial_partner_id = %s, name = %s, offered_at = %s, answered_at = %s,
                              ended_at = %s, wait_seconds = %s, talk_seconds = %s, hold_seconds = %s,
                              wrapup_seconds = %s, handle_seconds = %s, transferred = %s,
                              recording_url = %s, pbx_queue = %s, pbx_agent = %s,
                              team_id = COALESCE(%s, team_id), user_id = COALESCE(%s, user_id),
                              write_uid = %s, write_date = now() at time zone 'UTC'
                        WHERE id = %s""",
                    state.direction, state.state, state.outcome, state.caller, state.callee,
                    customer_number, partner_id, commercial_id, name, state.offered_at, state.answered_at,
                    state.ended_at, state.wait_seconds or 0.0, state.talk_seconds or 0.0, state.hold_seconds,
                    state.wrapup_seconds or 0.0, handle, state.transferred, state.recording_url,
                    state.queue, state.agent, directory["queues"].get((state.queue or "").casefold()),
                    directory["agents"].get(state.agent or ""), self.env.uid, call_id,
                )
            )
            if state.state == "ringing" and state.direction == "inbound" and any(
                e.event == "ringing" for e in fresh[call_id]
            ):
                rang.append(call_id)
        calls = self.env["crm.service.call"].browse(ids)
        calls.invalidate_recordset()
        for call in calls.browse(rang):
            self._screen_pop(call)

    @api.model
    def _clear_directory(self):
        self.env.registry.clear_cache()

    @api.model
    @ormcache("company_id")
    def _directory(self, company_id):
        """The company's PBX names: ``{"queues": {queue or team name, casefolded: team id},
        "agents": {extension or login: user id}}`` (cached; cleared when a team or user changes)."""
        teams = self.env["helpdesk.ticket.team"].sudo().search_fetch(
            [("company_id", "in", (company_id, False))], ["name", "crm_cti_queue"], order="id desc"
        )
        queues = {team.name.casefold(): team.id for team in teams if team.name}
        queues.update({team.crm_cti_queue.casefold(): team.id for team in teams if team.crm_cti_queue})
        users = self.env["res.users"].sudo().search_fetch(
            [("company_ids", "in", company_id), ("share", "=", False)], ["login", "crm_cti_extension"],
            order="id desc",
        )
        agents = {user.login: user.id for user in users}
        agents.update({user.crm_cti_extension: user.id for user in users if user.crm_cti_extension})
        return {"queues": queues, "agents": agents}

    @api.model
    def _normalize_number(self, company, number):
        """The number in E.164 as the company's country dials it (phone_validation), else as given."""
        country = company.country_id
        return (
            phone_format(
                number,
                country.code or None,
                country.phone_code or None,
                force_format="E164",
                raise_exception=False,
            )
            or number
        )

    @api.model
    def _match_partner(self, company, number):
        """The contact whose phone is ``number`` (E.164), among the company's and the shared contacts:
        customers first; a number shared by a company and its contacts is the company's."""
        if not number:
            return self.env["res.partner"]
        self.env["res.partner"].flush_model(
            ["phone_sanitized", "active", "company_id", "commercial_partner_id", "customer_rank"]
        )
        rows = self.env.execute_query(
            SQL(
                """SELECT p.id
                     FROM res_partner p
                     JOIN res_partner c ON c.id = p.commercial_partner_id
                    WHERE p.phone_sanitized = %s AND p.active
                      AND (p.company_id IS NULL OR p.company_id = %s)
                 ORDER BY COALESCE(c.customer_rank, 0) > 0 DESC, p.id = p.commercial_partner_id DESC, p.id
                    LIMIT 1""",
                number,
                company.id,
            )
        )
        return self.env["res.partner"].browse(rows[0][0] if rows else [])

    @api.model
    def _screen_pop(self, call):
        """Tell the call's agent, else its queue's agents, who is calling (the web client shows the
        caller's card)."""
        users = call.user_id or call.team_id.user_ids | call.team_id.user_id
        message = {"call_id": call.id, "name": call.name, "number": call.customer_number or ""}
        for user in users.filtered(lambda u: call.company_id in u.company_ids):
            user._bus_send(SCREEN_POP, message)
