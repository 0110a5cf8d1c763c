import datetime

import numpy as np
import pytz

from odoo import fields, models
from odoo.exceptions import UserError

from crm_callcenter import parse_event

#: calls per weekday (Monday first) of the demo's service line, for DEMO_CUSTOMERS customers (the
#: volume follows the number of customers: a small demo gets a small call center)
DAILY_CALLS = (120, 100, 95, 90, 85, 25, 0)
DEMO_CUSTOMERS = 300
MIN_CUSTOMERS = 30  # below, no call center: too few calls to show anything (and a faster small demo)
#: opening hours per weekday, local time
OPEN_HOURS = ((8, 18),) * 5 + ((9, 13), (0, 0))
EXTENSIONS = ("201", "202", "203")
BATCH_EVENTS = 500


class CrmSuiteDemoGenerator(models.AbstractModel):
    _inherit = "crm.suite.demo.generator"

    def _demo_service(self, company, today=None, n_cases=80, seed=42):
        tickets = super()._demo_service(company, today, n_cases, seed)
        if tickets and len(self._demo_invoiced_customers(company)) >= MIN_CUSTOMERS:
            self._demo_calls(company, tickets, today or fields.Date.context_today(self), seed)
        return tickets

    def _demo_calls(self, company, tickets, today, seed, weeks=6):
        """Six weeks of the service line's calls, sent through the CTI webhook's storage as PBX
        events: a weekly rhythm (busy Mondays, a short Saturday), two daily peaks, callers who hang
        up when they wait too long, holds, transfers and voicemails; the phone cases of those weeks
        linked to the call that opened them; then a staffing plan for the next week."""
        rng = np.random.default_rng(seed + 30)
        team = tickets.team_id[:1]
        agents = team.user_ids.sorted("id")[: len(EXTENSIONS)]
        team.crm_cti_queue = "support"
        for agent, extension in zip(agents, EXTENSIONS, strict=False):
            agent.crm_cti_extension = extension
        callers = self._demo_invoiced_customers(company)
        scale = min(1.0, len(callers) / DEMO_CUSTOMERS)
        callers |= callers.child_ids
        numbers = [p.phone for p in callers if p.phone]
        tz = team._crm_call_tz()
        phone = self.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_phone")
        start = today - datetime.timedelta(weeks=weeks)
        phone_cases = tickets.filtered(
            lambda t: t.channel_id == phone and t.create_date.date() >= start and t.partner_id.phone
        )
        calls, links = [], {}  # the events of each call
        for offset in range((today - start).days + 1):
            day = start + datetime.timedelta(days=offset)
            opens, closes = OPEN_HOURS[day.weekday()]
            calls.append(self._demo_agent_shifts(day, opens, closes, tz, rng))
            volume = int(rng.poisson(DAILY_CALLS[day.weekday()] * scale * float(rng.uniform(0.9, 1.1))))
            if not volume or opens == closes:
                continue
            # two peaks, mid-morning and mid-afternoon
            hours = np.where(
                rng.random(volume) < 0.55, rng.normal(10.5, 1.0, volume), rng.normal(14.5, 1.3, volume)
            ).clip(opens, closes - 0.01)
            for k, hour in enumerate(np.sort(hours)):
                local = datetime.datetime.combine(day, datetime.time()) + datetime.timedelta(
                    hours=float(hour)
                )
                offered = tz.localize(local).astimezone(pytz.UTC).replace(tzinfo=None, microsecond=0)
                if offered > fields.Datetime.now() - datetime.timedelta(minutes=15):
                    break
                known = rng.random() < 0.75
                # unknown callers: fictional numbers of an area code no demo contact has
                number = (
                    numbers[int(rng.integers(0, len(numbers)))]
                    if known
                    else f"+1 650 555 {int(rng.integers(100, 200)):04d}"
                )
                calls.append(self._demo_call_events(f"demo-{day:%Y%m%d}-{k:03d}", offered, number, hour, rng))
        for case in phone_cases:
            call_id = f"demo-case-{case.id}"
            offered = case.create_date - datetime.timedelta(minutes=int(rng.integers(2, 20)))
            calls.append(
                self._demo_call_events(call_id, offered, case.partner_id.phone, 11.0, rng, answered=True)
            )
            links[call_id] = case
        # whole calls per batch: an ended call sends no screen pop
        Cti = self.env["crm.service.cti"].sudo()
        batch = []
        for call_events in [*calls, []]:
            batch += call_events
            if len(batch) >= BATCH_EVENTS or (not call_events and batch):
                Cti._ingest(company.id, [parse_event(event) for event in batch], batch)
                batch = []
        linked = (
            self.env["crm.service.call"]
            .sudo()
            .search([("company_id", "=", company.id), ("pbx_call_id", "in", list(links))])
        )
        for call in linked:
            call.ticket_id = links[call.pbx_call_id]
        plan = self.env["crm.service.staffing.plan"].create(
            {
                "team_id": team.id,
                "company_id": company.id,
                "date_start": today + datetime.timedelta(days=7 - today.weekday()),
                "interval_minutes": "30",
                "history_weeks": weeks,
                "backtest_weeks": 2,
            }
        )
        try:
            plan.action_compute()
        except UserError:
            plan.unlink()  # too few calls to forecast from (a small demo)
        return linked

    def _demo_agent_shifts(self, day, opens, closes, tz, rng):
        """The agents' log-ins of a day: at the opening (a few minutes late), a lunch pause on full
        days, a short break, the log-out at closing (none yet today)."""
        if opens == closes:
            return []
        now = fields.Datetime.now()
        events = []
        for extension in EXTENSIONS:

            def item(kind, hour, extension=extension):
                local = datetime.datetime.combine(day, datetime.time()) + datetime.timedelta(hours=hour)
                moment = tz.localize(local).astimezone(pytz.UTC).replace(tzinfo=None, microsecond=0)
                return moment, {
                    "event_id": f"{extension}-{day:%Y%m%d}-{kind}-{hour:.2f}",
                    "event": kind,
                    "agent": extension,
                    "timestamp": moment.isoformat() + "Z",
                }

            shift = [item("agent_login", opens + float(rng.uniform(0, 0.15)))]
            if closes - opens > 6:
                lunch = float(rng.uniform(12.0, 13.0))
                shift += [item("agent_pause", lunch), item("agent_unpause", lunch + 0.75)]
            coffee = float(rng.uniform(opens + 1.5, opens + 3))
            shift += [item("agent_pause", coffee), item("agent_unpause", coffee + 0.25)]
            shift.append(item("agent_logout", closes + float(rng.uniform(0, 0.1))))
            events += [event for moment, event in shift if moment < now]
        return events

    def _demo_call_events(self, call_id, offered, number, hour, rng, answered=None):
        """The PBX events of one inbound call: it rings, waits (longer at the peaks), then is answered
        by an agent (talk, maybe hold, transfer, wrap-up) or abandoned when the caller's patience is
        shorter than the wait; a few go to voicemail."""
        peak = np.exp(-((hour - 10.5) ** 2) / 2) + np.exp(-((hour - 14.5) ** 2) / 2)
        wait = float(rng.exponential(8.0 + 22.0 * peak))
        patience = float(rng.exponential(180.0))
        at = offered

        def item(kind, seconds, **extra):
            moment = at + datetime.timedelta(seconds=round(seconds))
            return {
                "call_id": call_id,
                "event_id": f"{call_id}-{kind}",
                "event": kind,
                "timestamp": moment.isoformat() + "Z",
                **extra,
            }

        events = [item("ringing", 0, **{"from": number, "to": "+1 415 555 0100", "queue": "support"})]
        if answered is None and rng.random() < 0.03:
            return [*events, item("hangup", 25, outcome="voicemail")]
        if answered is None and patience < wait:
            return [*events, item("hangup", patience)]
        agent = EXTENSIONS[int(rng.integers(0, len(EXTENSIONS)))]
        talk = float(rng.lognormal(np.log(210.0), 0.5))
        events.append(item("answered", wait, agent=agent))
        if rng.random() < 0.15:
            held = wait + talk * 0.4
            events += [item("hold", held), item("unhold", held + float(rng.uniform(20, 90)))]
        if rng.random() < 0.06:
            other = EXTENSIONS[(EXTENSIONS.index(agent) + 1) % len(EXTENSIONS)]
            events.append(item("transferred", wait + talk * 0.6, agent=other))
        events.append(item("hangup", wait + talk + 60, wrapup_seconds=float(round(rng.uniform(15, 60)))))
        return events
