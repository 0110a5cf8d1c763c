"""Staffing of a week of 15-minute intervals: crm_callcenter.agents_required against pyworkforce.

    .venv/bin/python bench/callcenter.py                 # one team: 672 intervals
    .venv/bin/python bench/callcenter.py --teams 20      # 20 teams at once: 13,440 intervals

The week has a daily rhythm (a morning and an afternoon peak, quiet nights) and a weekly one (busier
Mondays, quiet weekends), from 0 to about 600 calls per interval, AHT 240 s, target 80 % answered in
20 s, shrinkage 30 %, occupancy at most 90 %. pyworkforce (test-only dependency) is called once per
interval, as it is made to be used; ours once for all intervals. Prints both times, the ratio, and
whether the agents are identical: pyworkforce starts its search at round(load + 1), which in a few
intervals is one agent above the fewest that meet the target (both meet it); those are counted and
checked apart. Asserts nothing about time.

    .venv/bin/python bench/callcenter.py --webhook                            # CTI webhook throughput
    .venv/bin/python bench/callcenter.py --webhook --calls 300 --clients 8    # a quick run

``--webhook``: the throughput of the CTI webhook of ``crm_callcenter_service``
(``POST /crm_callcenter/cti/events``) on Odoo's multi-worker server. Installs the addon in ``--db``
(``bench_cti``) when missing (updates it when its version changed, or with ``--update``), gives the
main company a country (France), a helpdesk team with the PBX queue ``bench`` and the admin the
extension ``201`` (so that the number, queue and agent matching run), generates an API key, starts
``setup/odoo.sh --workers=N`` on a free port and drives it with ``--clients`` threads
(``http.client``), ``--calls`` calls of 3 events (ringing, answered, hangup), once per ``--batch``
size (1: one request per event; 3: one per call), a share of the requests (``--duplicate-share``)
sent twice by two different clients, half of the copies right after the original (concurrently),
half later (a PBX retry). Prints events and requests per second, the latencies, the non-200
answers, then checks in the database that every call and event is stored once (exit status 1
otherwise). Stops the server at the end. Asserts nothing about time.
"""

import argparse
import ast
import collections
import datetime
import http.client
import json
import os
import pathlib
import random
import re
import signal
import socket
import subprocess
import threading
import time

import numpy as np

from crm_callcenter import agents_required, service_level


def week_rates(teams=1, seed=0):
    """Calls per second of each 15-minute interval of a week, for ``teams`` teams (rows)."""
    rng = np.random.default_rng(seed)
    minutes = np.arange(7 * 96) * 15
    hour = (minutes % 1440) / 60.0
    day = minutes // 1440
    daily = np.exp(-((hour - 10.5) ** 2) / 3.0) + 0.8 * np.exp(-((hour - 15.0) ** 2) / 4.0)
    weekly = np.array([1.25, 1.1, 1.0, 1.0, 0.95, 0.45, 0.25])[day]
    scale = rng.uniform(50, 600, size=(teams, 1))
    calls = scale * daily * weekly * rng.uniform(0.9, 1.1, size=(teams, len(minutes)))
    return np.round(calls) / 900.0


def ours(rates, aht, sl, target, shrinkage, max_occupancy):
    return agents_required(rates, aht, sl, target, shrinkage=shrinkage, max_occupancy=max_occupancy)


def reference(rates, aht, sl, target, shrinkage, max_occupancy):
    from pyworkforce.queuing import ErlangC

    raw, scheduled = np.zeros(rates.size, dtype=np.int64), np.zeros(rates.size, dtype=np.int64)
    for i, rate in enumerate(rates.ravel()):
        if rate == 0:
            continue
        result = ErlangC(
            transactions=rate * 900, aht=aht / 60, asa=target / 60, interval=15, shrinkage=shrinkage
        ).required_positions(sl, max_occupancy)
        raw[i], scheduled[i] = result["raw_positions"], result["positions"]
    return raw.reshape(rates.shape), scheduled.reshape(rates.shape)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--teams", type=int, default=1)
    parser.add_argument("--runs", type=int, default=5)
    hook = parser.add_argument_group("CTI webhook throughput (--webhook)")
    hook.add_argument("--webhook", action="store_true",
                      help="benchmark the CTI webhook instead of the staffing")
    hook.add_argument("--db", default="bench_cti")
    hook.add_argument("--update", action="store_true",
                      help="update the addon in --db first (done anyway when its version changed)")
    hook.add_argument("--workers", type=int, default=4, help="Odoo HTTP workers (default 4)")
    hook.add_argument("--clients", type=int, default=16, help="concurrent client threads (default 16)")
    hook.add_argument("--calls", type=int, default=1000,
                      help="calls of 3 events per batch size (default 1000)")
    hook.add_argument("--seconds", type=float, default=None,
                      help="stop each batch size's run after this many seconds (default: send all calls)")
    hook.add_argument("--batch", default="1,3", help="events per request, one run each (default 1,3)")
    hook.add_argument("--duplicate-share", type=float, default=0.5,
                      help="share of the requests sent twice, by two clients (default 0.5; 1: all)")
    hook.add_argument("--http-port", type=int, default=0, help="port of the server (default: a free one)")
    hook.add_argument("--log-level", default=None,
                      help="Odoo --log-level of the server (default: Odoo's, info)")
    hook.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    if args.webhook:
        return webhook(args)
    aht, sl, target, shrinkage, max_occupancy = 240.0, 0.8, 20.0, 0.3, 0.9
    rates = week_rates(args.teams)
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        result = ours(rates, aht, sl, target, shrinkage, max_occupancy)
        times.append(time.perf_counter() - start)
    t_ours = float(np.median(times))
    start = time.perf_counter()
    raw, scheduled = reference(rates, aht, sl, target, shrinkage, max_occupancy)
    t_ref = time.perf_counter() - start
    same = result.agents == raw
    lower = (result.agents == raw - 1) & (service_level(rates, aht, result.agents, target) >= sl)
    unexplained = ~(same | lower)
    print(
        f"{rates.size:,} intervals ({args.teams} team(s) x 672), peak {rates.max() * 900:.0f} calls per "
        f"interval, up to {int(result.agents.max())} agents"
    )
    print(
        f"crm_callcenter.agents_required: {t_ours * 1000:.2f} ms (median of {args.runs}); pyworkforce "
        f"ErlangC per interval: {t_ref * 1000:.1f} ms; ratio {t_ref / t_ours:.1f}x"
    )
    print(
        f"agents identical in {int(same.sum()):,} of {rates.size:,} intervals; one fewer (and meeting the "
        f"target) in {int(lower.sum())}; unexplained differences: {int(unexplained.sum())}"
    )
    # scheduled = ceil(agents / (1 - shrinkage)): where that quotient is a whole number, float division
    # can leave it a hair above the whole number, and the reference's ceil adds an agent
    quotient = result.agents / (1 - shrinkage)
    whole = np.abs(quotient - np.round(quotient)) < 1e-9
    sched_same = result.scheduled == scheduled
    rounding = same & ~sched_same & whole & (scheduled == result.scheduled + 1)
    other = same & ~sched_same & ~rounding
    first = result.agents[rounding][:1]
    example = "-"
    if len(first):
        example = f"{int(first[0])} / (1 - {shrinkage}) = {float(first[0] / (1 - shrinkage))!r}"
    print(
        f"scheduled agents identical in {int((same & sched_same).sum()):,} of {int(same.sum()):,}; in "
        f"{int(rounding.sum())} pyworkforce schedules one more because agents / (1 - shrinkage) is a whole "
        f"number computed a hair above it ({example}); other differences: "
        f"{int(other.sum())}"
    )
    return 1 if unexplained.any() or other.any() else 0


# --- CTI webhook throughput (--webhook) ---------------------------------------------------------

REPO = pathlib.Path(__file__).resolve().parent.parent
ODOO_SH = REPO / "setup" / "odoo.sh"
LOGS = REPO / ".run" / "logs"
MODULE = "crm_callcenter_service"
CTI_PATH = "/crm_callcenter/cti/events"
QUEUE, EXTENSION = "bench", "201"
EVENTS = ("ringing", "answered", "hangup")
RETRY_STATUS = (408, 429, 500, 502, 503, 504)
MARK = "BENCH_CTI "

# run in an Odoo shell (``env`` defined): the company's country, the queue's team, the agent's
# extension and a new API key, printed on marked lines
SETUP_SCRIPT = f"""
company = env.company
company.country_id = env.ref("base.fr")
Team = env["helpdesk.ticket.team"]
team = Team.search([("crm_cti_queue", "=", {QUEUE!r}), ("company_id", "=", company.id)], limit=1)
admin = env.ref("base.user_admin")
if not team:
    team = Team.create({{"name": "Bench CTI", "company_id": company.id, "crm_cti_queue": {QUEUE!r},
                         "user_ids": [(6, 0, admin.ids)]}})
admin.crm_cti_extension = {EXTENSION!r}
record, key = env["crm.service.cti.key"]._generate("bench", company)
env.cr.commit()
print({MARK!r} + "team=%d" % team.id)
print({MARK!r} + "user=%d" % admin.id)
print({MARK!r} + "key=" + key)
"""


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _psql(db, sql):
    done = subprocess.run(["psql", "-X", "-Atq", "-v", "ON_ERROR_STOP=1", "-d", db, "-c", sql],
                          capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"psql failed on {db}: {done.stderr.strip()}\n{sql}")
    return done.stdout.splitlines()


def _module_state(db):
    """``(state, installed version)`` of the addon in ``db``; None without the database or Odoo in it."""
    if not _psql("postgres", f"SELECT 1 FROM pg_database WHERE datname = '{db}'"):
        return None
    if _psql(db, "SELECT to_regclass('ir_module_module') IS NOT NULL") != ["t"]:
        return None
    rows = _psql(db, "SELECT state, coalesce(latest_version, '') FROM ir_module_module"
                     f" WHERE name = '{MODULE}'")
    return tuple(rows[0].split("|")) if rows else None


def _manifest_version():
    manifest = ast.literal_eval((REPO / "addons" / MODULE / "__manifest__.py").read_text())
    return manifest.get("version", "")


def _odoo_sh(args, log_path, **kwargs):
    with open(log_path, "ab") as log:
        return subprocess.run([str(ODOO_SH), *args], cwd=REPO, stdout=subprocess.PIPE, stderr=log,
                              text=True, check=False, **kwargs)


def prepare_cti_database(db, stamp, update=False):
    """Install the addon when missing (update it when its version changed, or with ``update``), then
    the company's country, team, extension and a new API key: ``(key, team id, admin id)``."""
    LOGS.mkdir(parents=True, exist_ok=True)
    log_path = LOGS / f"bench-cti-setup-{stamp}.log"
    state = _module_state(db)
    installed = state is not None and state[0] == "installed"
    if not installed or update or state[1] != _manifest_version():
        if installed:
            how, what = "-u", f"updating {MODULE} in {db} (installed {state[1]}, code {_manifest_version()})"
        else:
            how, what = "-i", f"installing {MODULE} in {db}"
        print(f"{what} (log: {log_path})", flush=True)
        start = time.perf_counter()
        done = _odoo_sh(["-d", db, how, MODULE, "--stop-after-init", "--http-port", str(_free_port()),
                         "--gevent-port", str(_free_port()), "--max-cron-threads=0", "--log-level=warn"],
                        log_path)
        state = _module_state(db)
        if done.returncode or state is None or state[0] != "installed":
            raise SystemExit(f"{what} failed (exit {done.returncode}):\n"
                             f"{done.stdout[-2000:]}{log_path.read_text(errors='replace')[-3000:]}")
        print(f"done in {time.perf_counter() - start:.0f} s", flush=True)
    done = _odoo_sh(["shell", "-d", db, "--http-port", str(_free_port()), "--log-level=warn",
                     "--max-cron-threads=0"], log_path, input=SETUP_SCRIPT)
    marked = [line[len(MARK):] for line in done.stdout.splitlines() if line.startswith(MARK)]
    values = dict(line.split("=", 1) for line in marked)
    if done.returncode or "key" not in values:
        raise SystemExit(f"the setup shell script failed on {db} (exit {done.returncode}):\n"
                         f"{done.stdout[-2000:]}{log_path.read_text(errors='replace')[-3000:]}")
    return values["key"], int(values["team"]), int(values["user"])


class Server:
    """``setup/odoo.sh`` multi-worker server in its own process group, its output in a log file."""

    def __init__(self, db, workers, port, log_path, log_level=None):
        self.db, self.port, self.log_path = db, port, log_path
        args = ["-d", db, f"--workers={workers}", "--max-cron-threads=0", "--http-port", str(port),
                "--http-interface", "127.0.0.1", "--gevent-port", str(_free_port()), "--db_maxconn", "64",
                "--limit-time-real", "600"]
        if log_level:
            args.append(f"--log-level={log_level}")
        self.command = ["./setup/odoo.sh", *args]
        self._log = open(log_path, "wb")
        self.process = subprocess.Popen([str(ODOO_SH), *args], cwd=REPO, stdout=self._log,
                                        stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                        start_new_session=True)

    def wait_ready(self, timeout=180):
        """Poll the webhook without a key until it answers 401."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"the server exited ({self.process.returncode}):\n{self.log_tail()}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
                conn.request("POST", CTI_PATH, b"[]", {"Content-Type": "application/json",
                                                      "X-Odoo-Database": self.db})
                status = conn.getresponse().status
                conn.close()
                if status == 401:
                    return
                raise SystemExit(f"the webhook without a key answered {status}, not 401:\n{self.log_tail()}")
            except OSError:
                time.sleep(0.5)
        raise SystemExit(f"the server did not answer within {timeout} s:\n{self.log_tail()}")

    def cpu_seconds(self):
        """``(Odoo, PostgreSQL)``: user + system CPU seconds of the server's live processes (master,
        workers) and of the PostgreSQL backends connected to its database."""
        pgid, tick, odoo, postgres = self.process.pid, os.sysconf("SC_CLK_TCK"), 0, 0
        title = f" {self.db} ".encode()
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    fields_ = stat.read().rsplit(")", 1)[1].split()
                with open(f"/proc/{entry}/cmdline", "rb") as cmdline:
                    command = cmdline.read()
            except OSError:
                continue
            cpu = int(fields_[11]) + int(fields_[12])
            if int(fields_[2]) == pgid:
                odoo += cpu
            elif command.startswith(b"postgres:") and title in command:
                postgres += cpu
        return odoo / tick, postgres / tick

    def log_tail(self, lines=40):
        self._log.flush()
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def stop(self):
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
            except ProcessLookupError:
                pass
        self._log.close()


def _machine_busy():
    """(busy, total) CPU seconds of the machine since boot, from /proc/stat."""
    values = [int(v) for v in open("/proc/stat").readline().split()[1:]]
    tick = os.sysconf("SC_CLK_TCK")
    idle = values[3] + values[4]
    return (sum(values[:8]) - idle) / tick, sum(values[:8]) / tick


class Job:
    __slots__ = ("body", "copy_of", "end", "events", "late", "sender", "start", "status")

    def __init__(self, body, events, copy_of=None, late=False):
        self.body, self.events, self.copy_of, self.late = body, events, copy_of, late
        self.sender = self.start = self.end = self.status = None


def _event(prefix, call, kind, base):
    """One PBX event of call number ``call``: ringing at ``base + 2 * call`` s, answered 12 s later,
    hangup 3 minutes after the answer; ISO timestamps with Z on even calls, Unix seconds on odd ones."""
    call_id = f"{prefix}{call:06d}"
    moment = base + 2 * call + {"ringing": 0, "answered": 12, "hangup": 192}[kind]
    if call % 2:
        timestamp = moment
    else:
        timestamp = datetime.datetime.fromtimestamp(moment, datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    item = {"call_id": call_id, "event_id": f"{call_id}-{kind}", "event": kind, "timestamp": timestamp}
    if kind == "ringing":
        item.update({"from": f"06 {call % 10**8:08d}", "to": "+33 1 40 00 00 00", "queue": QUEUE})
    elif kind == "answered":
        item["agent"] = EXTENSION
    return item


def make_jobs(prefix, calls, batch, duplicate_share, clients, rng):
    """The requests in sending order. With one event per request, a call's events are spread
    (answered and hangup come ~4 rounds of clients later, as a call lasts); a duplicated request's
    copy follows the original at once (sent concurrently by another client) or, for half of them,
    20 to 200 requests later (a PBX retry)."""
    base = int(time.time()) - 6 * 3600 - 2 * calls
    items = []  # (sort key, events)
    if batch == 1:
        lag = 4 * clients
        for call in range(calls):
            for k, kind in enumerate(EVENTS):
                items.append(((call + k * lag, k), [_event(prefix, call, kind, base)]))
    else:
        flat = [_event(prefix, call, kind, base) for call in range(calls) for kind in EVENTS]
        for start in range(0, len(flat), batch):
            items.append(((start, 0), flat[start:start + batch]))
    items.sort(key=lambda item: item[0])
    keyed = []
    for position, (_key, events) in enumerate(items):
        body = json.dumps(events).encode()
        ids = tuple((e["call_id"], e["event_id"]) for e in events)
        keyed.append(((position, 0), Job(body, ids)))
        if rng.random() < duplicate_share:
            late = rng.random() < 0.5
            key = (position + rng.randint(20, 200), 2) if late else (position, 1)
            keyed.append((key, Job(body, ids, copy_of=position, late=late)))
    keyed.sort(key=lambda item: item[0])
    jobs = [job for _key, job in keyed]
    index = {}
    for i, job in enumerate(jobs):  # copy_of: from the position among the originals to the job index
        if job.copy_of is None:
            index[len(index)] = i
    for job in jobs:
        if job.copy_of is not None:
            job.copy_of = index[job.copy_of]
    return jobs


class Dispatcher:
    """Hands the jobs out in order; a copy never goes to the client that took its original (it takes
    one of the next few jobs instead)."""

    def __init__(self, jobs, deadline=None):
        self.jobs, self.deadline, self.head, self.lock = jobs, deadline, 0, threading.Lock()
        self.taken = [False] * len(jobs)
        self.same_client = 0

    def take(self, me):
        with self.lock:
            if self.deadline is not None and time.monotonic() > self.deadline:
                return None
            jobs, taken, n = self.jobs, self.taken, len(self.jobs)
            while self.head < n and taken[self.head]:
                self.head += 1
            if self.head == n:
                return None
            chosen = None
            for i in range(self.head, min(self.head + 32, n)):
                if taken[i]:
                    continue
                copy_of = jobs[i].copy_of
                if copy_of is None or jobs[copy_of].sender != me:
                    chosen = i
                    break
            if chosen is None:
                chosen = self.head
                self.same_client += 1
            taken[chosen] = True
            jobs[chosen].sender = me
            return jobs[chosen]


class ClientStats:
    def __init__(self):
        self.latencies, self.statuses, self.errors = [], collections.Counter(), collections.Counter()
        self.accepted = self.duplicates = self.retries = self.connects = self.requests = 0
        self.refusals = []


def client(me, port, headers, dispatcher, stats, retries=3):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        while (job := dispatcher.take(me)) is not None:
            job.start = time.perf_counter()
            for attempt in range(retries + 1):
                if attempt:
                    stats.retries += 1
                    time.sleep(0.05 * attempt)
                if conn.sock is None:
                    stats.connects += 1
                start = time.perf_counter()
                try:
                    conn.request("POST", CTI_PATH, job.body, headers)
                    response = conn.getresponse()
                    data = response.read()
                except (OSError, http.client.HTTPException) as exc:
                    conn.close()
                    stats.errors[type(exc).__name__] += 1
                    continue
                stats.latencies.append(time.perf_counter() - start)
                stats.requests += 1
                stats.statuses[response.status] += 1
                job.status = response.status
                if response.status == 200:
                    answer = json.loads(data)
                    stats.accepted += answer["accepted"]
                    stats.duplicates += answer["duplicates"]
                    break
                if len(stats.refusals) < 5:
                    stats.refusals.append(f"{response.status} {data[:300]!r}")
                if response.status not in RETRY_STATUS:
                    break
            job.end = time.perf_counter()
    finally:
        conn.close()


def run_load(port, db, key, jobs, clients, seconds):
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json", "X-Odoo-Database": db}
    deadline = time.monotonic() + seconds if seconds else None
    dispatcher = Dispatcher(jobs, deadline)
    stats = [ClientStats() for _ in range(clients)]
    threads = [threading.Thread(target=client, args=(i, port, headers, dispatcher, stats[i]), daemon=True)
               for i in range(clients)]
    cpu_before, busy_before = os.times(), _machine_busy()
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - start
    cpu_after, busy_after = os.times(), _machine_busy()
    total = ClientStats()
    for s in stats:
        total.latencies += s.latencies
        total.statuses.update(s.statuses)
        total.errors.update(s.errors)
        total.refusals += s.refusals
        for name in ("accepted", "duplicates", "retries", "connects", "requests"):
            setattr(total, name, getattr(total, name) + getattr(s, name))
    client_cpu = (cpu_after.user + cpu_after.system) - (cpu_before.user + cpu_before.system)
    machine = (busy_after[0] - busy_before[0], busy_after[1] - busy_before[1])
    return {"wall": wall, "total": total, "same_client": dispatcher.same_client, "client_cpu": client_cpu,
            "machine": machine}


def verify(db, prefix, jobs):
    """Stored calls and events of the run against what was sent (and answered 200)."""
    sent = [job for job in jobs if job.start is not None]
    calls_sent = {c for job in sent for c, _e in job.events}
    events_sent = {pair for job in sent for pair in job.events}
    confirmed = {pair for job in sent if job.status == 200 for pair in job.events}
    complete = collections.Counter(c for c, _e in confirmed)
    like = prefix.replace("_", r"\_") + "%"
    calls = _psql(db, f"SELECT count(*) FROM crm_service_call WHERE pbx_call_id LIKE '{like}'")
    rows = _psql(db, "SELECT c.pbx_call_id || '|' || e.pbx_event_id FROM crm_service_call_event e"
                     f" JOIN crm_service_call c ON c.id = e.call_id WHERE c.pbx_call_id LIKE '{like}'")
    stored = collections.Counter(tuple(row.split("|", 1)) for row in rows)
    folded = _psql(db, f"""SELECT pbx_call_id, state, coalesce(outcome, ''), coalesce(team_id, 0),
                                  coalesce(user_id, 0), coalesce(customer_number, '')
                             FROM crm_service_call WHERE pbx_call_id LIKE '{like}'""")
    dup_events = int(_psql(db, "SELECT count(*) - count(DISTINCT (call_id, pbx_event_id))"
                               " FROM crm_service_call_event")[0])
    dup_calls = int(_psql(db, "SELECT count(*) FROM (SELECT 1 FROM crm_service_call"
                              " GROUP BY company_id, pbx_call_id HAVING count(*) > 1) d")[0])
    return {
        "calls_sent": len(calls_sent), "events_sent": len(events_sent), "confirmed": len(confirmed),
        "calls_stored": int(calls[0]), "events_stored": sum(stored.values()),
        "missing": len(confirmed - set(stored)), "unexpected": len(set(stored) - events_sent),
        "stored_twice": sum(1 for n in stored.values() if n > 1),
        "complete": {c for c, n in complete.items() if n == 3},
        "folded": [row.split("|") for row in folded],
        "dup_events": dup_events, "dup_calls": dup_calls,
    }


def _ms(values, q):
    return float(np.percentile(values, q)) * 1000 if len(values) else float("nan")


def report(batch, args, jobs, run, check, team_id, user_id):
    """Print one batch size's run; True when every check of the database and the answers passed."""
    wall, total = run["wall"], run["total"]
    sent = [job for job in jobs if job.start is not None]
    copies = [job for job in sent if job.copy_of is not None]
    pairs = [(jobs[job.copy_of], job) for job in copies if jobs[job.copy_of].start is not None]
    other_client = sum(1 for a, b in pairs if a.sender != b.sender)
    overlapping = sum(1 for a, b in pairs if a.start < b.end and b.start < a.end)
    delivered = total.accepted + total.duplicates
    non_200 = sum(n for status, n in total.statuses.items() if status != 200)
    unanswered = sum(1 for job in sent if job.status != 200)
    title = "one event per request" if batch == 1 else f"{batch} events per request"
    late = sum(1 for job in copies if job.late)
    print(f"\nbatch {batch} ({title}): {check['calls_sent']:,} calls, {check['events_sent']:,} distinct "
          f"events in {len(sent):,} requests ({len(copies):,} sent twice: {len(copies) - late:,} right after "
          f"the original, {late:,} later), {args.clients} clients, {args.workers} workers")
    print(f"  wall {wall:.2f} s: {delivered / wall:,.0f} events/s (accepted {total.accepted:,} + duplicates "
          f"{total.duplicates:,}), {total.requests / wall:,.0f} requests/s")
    lat = total.latencies
    print(f"  latency per request: p50 {_ms(lat, 50):.1f} ms, p95 {_ms(lat, 95):.1f} ms, p99 "
          f"{_ms(lat, 99):.1f} ms, max {_ms(lat, 100):.1f} ms")
    statuses = ", ".join(f"{status}: {n:,}" for status, n in sorted(total.statuses.items()))
    errors = ", ".join(f"{name}: {n}" for name, n in total.errors.items()) or "none"
    print(f"  non-200 answers: {non_200} (statuses {statuses}); connection errors: {errors}; retries "
          f"{total.retries}; requests without a 200 in the end: {unanswered}; connections opened "
          f"{total.connects:,} for {total.requests:,} requests")
    for refusal in total.refusals:
        print(f"    e.g. {refusal}")
    cores = os.cpu_count()
    busy = run["machine"][0] / run["machine"][1] * cores
    odoo, postgres, client_ = (run[name] / wall for name in ("server_cpu", "postgres_cpu", "client_cpu"))
    print(f"  CPU: machine {busy:.2f} of {cores} cores busy: Odoo (master, workers) {odoo:.2f}, PostgreSQL "
          f"(the database's backends) {postgres:.2f}, this load generator {client_:.2f}, the rest (other "
          f"processes, exited ones) {busy - odoo - postgres - client_:.2f}")
    if run["logged"]:
        n, queries, sql, other = run["logged"]
        print(f"  in the workers (Odoo's request log, {n:,} requests): {queries:.1f} queries, SQL "
              f"{sql * 1000:.1f} ms, the rest {other * 1000:.1f} ms per request on average (wall times)")
    print(f"  duplicate pairs {len(pairs):,}: sent by two different clients {other_client:,}, overlapping "
          f"in time {overlapping:,} (copies the dispatcher had to give the original's client: "
          f"{run['same_client']})")
    print(f"  answers: accepted {total.accepted:,} (distinct events sent {check['events_sent']:,}), "
          f"duplicates {total.duplicates:,} (events delivered again {delivered - check['events_sent']:,})")
    folded = check["folded"]
    done = [row for row in folded if row[0] in check["complete"]]
    good = sum(1 for row in done if row[1] == "done" and row[2] == "answered")
    team = sum(1 for row in folded if int(row[3]) == team_id)
    agent = sum(1 for row in done if int(row[4]) == user_id)
    e164 = sum(1 for row in folded if row[5].startswith("+336"))
    print(f"  database: calls stored {check['calls_stored']:,} (distinct call ids sent "
          f"{check['calls_sent']:,}), events stored {check['events_stored']:,} (distinct event ids sent "
          f"{check['events_sent']:,}); missing {check['missing']}, unexpected {check['unexpected']}, "
          f"stored twice {check['stored_twice']}")
    print(f"  folded: {good:,} of {len(done):,} complete calls ended and answered, agent matched on "
          f"{agent:,}; queue -> team on {team:,} of {len(folded):,} calls, number in E.164 on {e164:,}")
    print(f"  duplicates stored: {check['dup_events']} (events, whole table); calls per PBX id > 1: "
          f"{check['dup_calls']}")
    return (check["calls_stored"] == check["calls_sent"] and check["events_stored"] == check["events_sent"]
            and not check["missing"] and not check["unexpected"] and not check["stored_twice"]
            and not check["dup_events"] and not check["dup_calls"] and non_200 == 0 and not unanswered
            and total.accepted == check["events_sent"] and good == len(done) and team == len(folded))


REQUEST_LINE = re.compile(rf'"POST {CTI_PATH} HTTP/1\.[01]" (\d+) - (\d+) ([\d.]+) ([\d.]+)')
GEVENT_CRASH = "pkg_resources.DistributionNotFound"


def _server_requests(path, start, end):
    """``(requests, mean queries, mean SQL s, mean other s)`` of the webhook requests Odoo logged between
    two offsets of its log (werkzeug's INFO lines: status, queries, SQL seconds, other seconds)."""
    with open(path, "rb") as log:
        log.seek(start)
        text = log.read(end - start).decode(errors="replace")
    rows = [(int(m[2]), float(m[3]), float(m[4])) for m in REQUEST_LINE.finditer(text)]
    if not rows:
        return None
    return len(rows), *(sum(row[i] for row in rows) / len(rows) for i in range(3))


def _server_log_problems(path):
    """``(lines, gevent process crashes, other error lines)`` of the server log."""
    lines = path.read_text(errors="replace").splitlines()
    gevent = sum(1 for line in lines if line.startswith(GEVENT_CRASH))
    bad = [line for line in lines if " ERROR " in line or " CRITICAL " in line or "Traceback" in line
           or '" 500 ' in line]
    # each crash of the gevent (longpolling) process prints one traceback: not the webhook's
    tracebacks = sum(1 for line in bad if line.startswith("Traceback"))
    if gevent and tracebacks <= gevent:
        bad = [line for line in bad if not line.startswith("Traceback")]
    return len(lines), gevent, bad


def webhook(args):
    batches = [int(b) for b in args.batch.split(",") if b.strip()]
    if any(not 1 <= b <= 99 for b in batches):
        raise SystemExit("--batch: sizes from 1 to 99 (the webhook takes at most 100 events)")
    if not 0 <= args.duplicate_share <= 1:
        raise SystemExit("--duplicate-share: from 0 to 1")
    stamp = time.strftime("%Y%m%d%H%M%S")
    key, team_id, user_id = prepare_cti_database(args.db, stamp, args.update)
    port = args.http_port or _free_port()
    log_path = LOGS / f"bench-cti-server-{stamp}.log"
    rng = random.Random(args.seed)
    server = Server(args.db, args.workers, port, log_path, args.log_level)
    ok = True
    try:
        print(f"server: {' '.join(server.command)} (log: {log_path})", flush=True)
        started = time.perf_counter()
        server.wait_ready()
        print(f"ready in {time.perf_counter() - started:.1f} s", flush=True)
        # warm-up: every worker has served a few calls before the timing
        warm = make_jobs(f"w{stamp}-", 8 * args.workers, 3, 0, args.clients, rng)
        run_load(port, args.db, key, warm, args.clients, None)
        for batch in batches:
            prefix = f"b{stamp}x{batch}-"
            jobs = make_jobs(prefix, args.calls, batch, args.duplicate_share, args.clients, rng)
            offset, (odoo, postgres) = log_path.stat().st_size, server.cpu_seconds()
            run = run_load(port, args.db, key, jobs, args.clients, args.seconds)
            odoo_after, postgres_after = server.cpu_seconds()
            run["server_cpu"], run["postgres_cpu"] = odoo_after - odoo, postgres_after - postgres
            run["logged"] = _server_requests(log_path, offset, log_path.stat().st_size)
            check = verify(args.db, prefix, jobs)
            ok &= report(batch, args, jobs, run, check, team_id, user_id)
    finally:
        server.stop()
    count, gevent, bad = _server_log_problems(log_path)
    print(f"\nserver log: {count:,} lines, {len(bad)} errors (ERROR / CRITICAL / Traceback / 500): "
          f"{log_path}")
    for line in bad[:20]:
        print(f"    {line}")
    if gevent:
        print(f"WARNING: Odoo's gevent (longpolling / websocket) process crashed {gevent} times at its start "
              f"and was respawned each time ({GEVENT_CRASH}, see the log): every respawn imports Odoo "
              "again, taking CPU from the workers, so these figures are too low; fix the environment "
              "(pkg_resources must find gevent's requirements zope.interface and zope.event) and "
              "measure again")
    print("target: at least 500 events/s on 2 cores, 0 duplicates stored; the checks of the answers and "
          "the database " + ("passed" if ok else "did NOT pass"))
    return 0 if ok and not bad else 1

if __name__ == "__main__":
    raise SystemExit(main())
