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
        agent_items = [(e, raw) for e, raw in zip(events, raw_items, strict=True) if e.is_agent_event]
        agent_new = self._store_agent_events(company_id, agent_items) if agent_items else 0
        pairs = [(e, raw) for e, raw in zip(events, raw_items, strict=True) if not e.is_agent_event]
        events, raw_items = [e for e, _raw in pairs], [raw for _e, raw in pairs]
        if not events:
            return {"accepted": agent_new, "duplicates": len(agent_items) - agent_new, "calls": {}}
        cr = self.env.cr
        now = fields.Datetime.now()
        uid = self.env.uid
        # one row per call, inserted in the order of the PBX ids: two requests touching the same
        # calls wait for each other instead of deadlocking
        firsts = {}
        for event in sorted(events, key=lambda e: (e.call_id, e.occurred_at)):
            firsts.setdefault(event.call_id, event)
        pbx_ids = sorted(firsts)
        cr.execute(
            SQL(
                """WITH inserted AS (
                       INSERT INTO crm_service_call (company_id, pbx_call_id, direction, state, offered_at,
                                                     transferred, hold_seconds, create_uid, create_date,
                                                     write_uid, write_date)
                       SELECT %(company)s, x.pbx, x.direction, 'ringing', x.at, FALSE, 0, %(uid)s, %(now)s,
                              %(uid)s, %(now)s
                         FROM unnest(%(pbx)s::varchar[], %(direction)s::varchar[], %(at)s::timestamp[])
                              AS x(pbx, direction, at)
                     ORDER BY x.pbx
                  ON CONFLICT (company_id, pbx_call_id) DO NOTHING
                    RETURNING id, pbx_call_id)
                   SELECT id, pbx_call_id FROM inserted
                    UNION ALL
                   SELECT id, pbx_call_id FROM crm_service_call
                    WHERE company_id = %(company)s AND pbx_call_id = ANY(%(pbx)s)""",
                company=company_id,
                uid=uid,
                now=now,
                pbx=pbx_ids,
                direction=[firsts[p].direction or "inbound" for p in pbx_ids],
                at=[firsts[p].occurred_at for p in pbx_ids],
            )
        )
        call_ids = {pbx: call_id for call_id, pbx in cr.fetchall()}
        missing = [pbx for pbx in pbx_ids if pbx not in call_ids]
        if missing:
            # inserted by a concurrent request that committed while this statement waited for it
            cr.execute(
                SQL(
                    "SELECT id, pbx_call_id FROM crm_service_call"
                    " WHERE company_id = %s AND pbx_call_id = ANY(%s)",
                    company_id,
                    missing,
                )
            )
            call_ids.update({pbx: call_id for call_id, pbx in cr.fetchall()})
        # every event in one statement; an event already stored (or twice in the request) is skipped
        order = sorted(range(len(events)), key=lambda i: (call_ids[events[i].call_id], events[i].event_id))
        cr.execute(
            SQL(
                """INSERT INTO crm_service_call_event (call_id, company_id, pbx_event_id, event_type,
                                                      occurred_at, received_at, payload)
                   SELECT x.call_id, %s, x.event_id, x.kind, x.at, %s, x.payload
                     FROM unnest(%s::int[], %s::varchar[], %s::varchar[], %s::timestamp[], %s::text[])
                          AS x(call_id, event_id, kind, at, payload)
              ON CONFLICT (call_id, pbx_event_id) DO NOTHING
                RETURNING call_id, pbx_event_id""",
                company_id,
                now,
                [call_ids[events[i].call_id] for i in order],
                [events[i].event_id for i in order],
                [events[i].event for i in order],
                [events[i].occurred_at for i in order],
                [json.dumps(raw_items[i], ensure_ascii=False, sort_keys=True) for i in order],
            )
        )
        stored = set(cr.fetchall())
        fresh = defaultdict(list)
        for i in order:
            key = (call_ids[events[i].call_id], events[i].event_id)
            if key in stored:
                stored.discard(key)  # a second copy in the same request is a duplicate
                fresh[key[0]].append(events[i])
        duplicates = len(events) - sum(len(v) for v in fresh.values())
        if fresh:
            self._fold_calls(company_id, sorted(fresh), fresh)
        return {
            "accepted": sum(len(v) for v in fresh.values()) + agent_new,
            "duplicates": duplicates + len(agent_items) - agent_new,
            "calls": call_ids,
        }

    @api.model
    def _store_agent_events(self, company_id, items):
        """Store the agents' log-in / pause events, each (agent, event id) once; the number stored."""
        agents = self._directory(company_id)["agents"]
        now = fields.Datetime.now()
        items = sorted(items, key=lambda pair: (pair[0].agent, pair[0].event_id))
        self.env.cr.execute(
            SQL(
                """INSERT INTO crm_service_agent_event (company_id, pbx_agent, user_id, pbx_event_id,
                                                      event_type, occurred_at, received_at, payload)
                   SELECT %s, x.agent, x.user_id, x.event_id, x.kind, x.at, %s, x.payload
                     FROM unnest(%s::varchar[], %s::int[], %s::varchar[], %s::varchar[], %s::timestamp[],
                                 %s::text[]) AS x(agent, user_id, event_id, kind, at, payload)
              ON CONFLICT (company_id, pbx_agent, pbx_event_id) DO NOTHING
                RETURNING id""",
                company_id,
                now,
                [e.agent for e, _raw in items],
                [agents.get(e.agent) for e, _raw in items],
                [e.event_id for e, _raw in items],
                [e.event for e, _raw in items],
                [e.occurred_at for e, _raw in items],
                [json.dumps(raw, ensure_ascii=False, sort_keys=True) for _e, raw in items],
            )
        )
        return len(self.env.cr.fetchall())

    @api.model
    def _fold_calls(self, company_id, ids, fresh):
        """Fold each call again from all its stored events, under its row lock, and write it.

        Written with one UPDATE per call (the webhook's hot path: no ORM write, whose recomputations
        and reads would double its queries); the partner, queue and agent found once per call."""
        cr = self.env.cr
        cr.execute(
            SQL(
                # NO KEY UPDATE: compatible with the KEY SHARE lock that inserting an event of the call
                # takes (its foreign key), which two requests with new events of one call both hold
                "SELECT id, customer_number, partner_id, commercial_partner_id, name FROM crm_service_call"
                " WHERE id = ANY(%s) ORDER BY id FOR NO KEY UPDATE",
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
            team_id = directory["queues"].get((state.queue or "").casefold())
            user_id = directory["agents"].get(state.agent or "")
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
                    state.queue, state.agent, team_id, user_id, self.env.uid, call_id,
                )
            )
            if state.state == "ringing" and state.direction == "inbound" and any(
                e.event == "ringing" for e in fresh[call_id]
            ):
                rang.append((call_id, name, customer_number, user_id, team_id))
        calls = self.env["crm.service.call"].browse(ids)
        calls.invalidate_recordset()
        for call_id, name, number, user_id, team_id in rang:
            self._screen_pop(company_id, call_id, name, number, user_id, team_id, directory)

    @api.model
    def _clear_directory(self):
        self.env.registry.clear_cache()

    @api.model
    @ormcache("company_id")
    def _directory(self, company_id):
        """The company's PBX names: ``{"queues": {queue or team name, casefolded: team id},
        "agents": {extension or login: user id}, "members": {team id: its users of the company}}``
        (cached; cleared when a team or user changes)."""
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
        company_users = set(users.ids)
        members = {
            team.id: sorted(company_users & set((team.user_ids | team.user_id).ids)) for team in teams
        }
        return {"queues": queues, "agents": agents, "members": members}

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
    def _screen_pop(self, company_id, call_id, name, number, user_id, team_id, directory):
        """Tell the call's agent, else its queue's agents (members and leader of the company), who is
        calling: the web client shows the caller's card."""
        users = [user_id] if user_id else directory["members"].get(team_id, [])
        message = {"call_id": call_id, "name": name, "number": number or ""}
        for user in self.env["res.users"].browse(users):
            user._bus_send(SCREEN_POP, message)
