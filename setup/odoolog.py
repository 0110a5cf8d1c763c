"""Read the log of an Odoo test run (setup/test.sh) and report what matters.

    python setup/odoolog.py LOG --modules a,b[,...] [--browser]

Prints a human report on stderr and one line of shell assignments on stdout:
    ran=N passed=N failed=N skipped=N complete=0|1 suite_warnings=N tour_skips=N other_warnings=N

- test counts come from Odoo's own summary (odoo.tests.result: "N failed, N error(s) of N tests"),
  skips from the per-test "skipped Class.method : reason" records, failures are listed from the
  per-test "FAIL:" / "ERROR:" records;
- suite warnings: WARNING/ERROR/CRITICAL records emitted while a suite module was being loaded
  ("Loading module X (i/N)"), during the post-install tests, from a suite logger, or naming a
  suite module or engine; records of core modules loaded before are listed but not counted;
- tour skips: Odoo skips a browser test (and still succeeds) when Chrome or websocket-client is
  missing; with --browser (Chromium is installed) every such skip is a failure.
"""

import argparse
import re
import sys
from dataclasses import dataclass, field

RECORD = re.compile(
    r"^(?P<ts>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+) (?P<pid>\d+) (?P<level>[A-Z?]+) (?P<db>\S+) "
    r"(?P<logger>[\w.\-]+): (?P<msg>.*)$"
)
SUMMARY = re.compile(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests")
LOADING = re.compile(r"^Loading module (\w+) \(\d+/\d+\)")
SKIPPED = re.compile(r"^skipped (\S+) : (.*)$")
# skip reasons of browser tests (odoo/tests/common.py: ChromeBrowser, _find_executable)
TOUR_SKIP_REASON = re.compile(r"chrome|chromium|websocket|browser|devtools", re.IGNORECASE)
# warnings odoo/tests/common.py logs right before such a skip
TOUR_SKIP_WARNING = re.compile(
    r"^(Chrome executable not found|websocket-client module is not installed|Chrome headless failed to start)"
)
ENGINES = ("crm_lifecycle", "crm_capability", "crm_mining", "crm_callcenter")
BAD_LEVELS = {"WARNING", "ERROR", "CRITICAL"}
POST_TESTS = "<post-install tests>"


def records(path):
    """Yield log records (a header line plus its continuation lines, e.g. a traceback)."""
    current = None
    with open(path, encoding="utf-8", errors="replace") as f:
        for raw in f:
            text = raw.rstrip("\n")
            m = RECORD.match(text)
            if m:
                if current:
                    yield current
                current = dict(m.groupdict(), extra=[])
            elif current is not None:
                current["extra"].append(text)
    if current:
        yield current


@dataclass
class Report:
    suite: set
    mention: re.Pattern | None
    loading: str | None = None
    summary: tuple | None = None
    failures: list = field(default_factory=list)
    skips: list = field(default_factory=list)
    tour_skips: list = field(default_factory=list)
    suite_warn: list = field(default_factory=list)
    other_warn: list = field(default_factory=list)

    def is_ours(self, rec):
        logger = rec["logger"]
        if self.loading in self.suite or self.loading == POST_TESTS:
            return True
        if any(logger == f"odoo.addons.{m}" or logger.startswith(f"odoo.addons.{m}.") for m in self.suite):
            return True
        if self.mention is None:
            return False
        return bool(self.mention.search(rec["msg"]) or any(self.mention.search(x) for x in rec["extra"][:20]))

    def feed(self, rec):
        msg, logger, level = rec["msg"], rec["logger"], rec["level"]
        if logger == "odoo.modules.loading" and (m := LOADING.match(msg)):
            self.loading = m.group(1)
            return
        if logger == "odoo.service.server" and msg.startswith("Starting post tests"):
            self.loading = POST_TESTS
        if logger == "odoo.tests.result":
            if m := SUMMARY.search(msg):
                self.summary = tuple(int(x) for x in m.groups())
            if level == "ERROR" and "halted" in msg:
                self.failures.append(msg)
            return
        if m := SKIPPED.match(msg):
            self.skips.append(f"{m.group(1)}: {m.group(2)}")
            if TOUR_SKIP_REASON.search(m.group(2)):
                self.tour_skips.append(f"{logger}: {msg}")
            return
        if level not in BAD_LEVELS:
            return
        if msg.startswith(("FAIL: ", "ERROR: ")):
            self.failures.append(describe(rec, tail_lines=6))
        elif level == "WARNING" and TOUR_SKIP_WARNING.search(msg):
            self.tour_skips.append(f"{logger}: {msg}")
        else:
            tail = 12 if level != "WARNING" else 4
            (self.suite_warn if self.is_ours(rec) else self.other_warn).append(describe(rec, tail))

    def counts(self):
        complete = self.summary is not None
        if complete:
            failed_n, errors_n, ran = self.summary
            failed = failed_n + errors_n
        else:
            ran, failed = 0, len(self.failures) + 1
        skipped = len(self.skips)
        passed = max(ran - failed - skipped, 0) if complete else 0
        return {"ran": ran, "passed": passed, "failed": failed, "skipped": skipped, "complete": int(complete)}


def describe(rec, tail_lines=12):
    line = f"{rec['level']} {rec['logger']}: {rec['msg']}"
    if rec["extra"]:
        # the end of a traceback says what went wrong
        tail = [x for x in rec["extra"] if x.strip()][-tail_lines:]
        line += "\n" + "\n".join("      | " + x for x in tail)
    return line


def print_section(title, lines, limit, out=sys.stderr):
    if lines:
        print(f"{title} ({len(lines)}):", file=out)
        for line in lines[:limit]:
            print("  " + line, file=out)


def analyse(path, modules, browser):
    suite = set(modules)
    names = sorted(suite | set(ENGINES), key=len, reverse=True)
    mention = re.compile(r"\b(" + "|".join(map(re.escape, names)) + r")\b")
    report = Report(suite=suite, mention=mention)
    for rec in records(path):
        report.feed(rec)
    counts = report.counts()
    if not counts["complete"]:
        print("Odoo did not report a test result (installation or start-up failed).", file=sys.stderr)
    print_section("Failed Odoo tests", report.failures, 50)
    print_section("Skipped Odoo tests", report.skips, 30)
    print_section("WARNING/ERROR lines from the suite's modules", report.suite_warn, 60)
    print_section("Warnings of core modules loaded before the suite (not counted)", report.other_warn, 20)
    if browser:
        print_section("Browser tests skipped although Chromium is installed", report.tour_skips, 20)
    counts.update(
        suite_warnings=len(report.suite_warn),
        tour_skips=len(report.tour_skips),
        other_warnings=len(report.other_warn),
    )
    print(" ".join(f"{k}={v}" for k, v in counts.items()))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("log")
    parser.add_argument("--modules", default="")
    parser.add_argument("--browser", action="store_true", help="Chromium is installed: tour skips fail")
    args = parser.parse_args(argv)
    analyse(args.log, [m for m in args.modules.split(",") if m], args.browser)
    return 0


if __name__ == "__main__":
    sys.exit(main())
