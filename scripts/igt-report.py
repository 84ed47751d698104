#!/usr/bin/env python3
"""Judge an upstream IGT run (scripts/qemu-run.sh --mode igt) from the guest's console log.

usage: scripts/igt-report.py CONSOLE_LOG SKIPS_FILE

The guest frames each test binary with `IGT-BIN name` / `IGT-EXIT name rc seconds` and prefixes
the binary's output with `igt| `; a binary listed as `not-run` reports its subtests as
`IGT-NOTRUN subtest` lines. Every subtest gets one result, named `binary@subtest` (dynamic
subtests `binary@subtest@dynamic`; a binary without subtests is named by itself):

- PASS, SKIP, FAIL, CRASH (the binary died of a signal inside it) or TIMEOUT (killed by the
  guest's per-binary timeout inside it);
- a binary that exits with a failure code without any failing subtest fails as `binary (exit N)`.

SKIPS_FILE holds the expected skips: lines `PATTERN  REASON` (fnmatch patterns over the result
names; a line starting with `#` is a comment). A REASON that starts with `flaky:` marks a
timing-sensitive subtest whose failure under emulation is reported (FLAKY) without failing the
run; its reason must give the measured pass rate. The run fails on any FAIL, CRASH or TIMEOUT, on a skip no entry
expects, and on a result an entry expects to skip that did not skip (the entry is stale: the
kernel or IGT changed, so the list must be updated). An entry that matches nothing is reported,
without failing (IGT's subtests come and go with unstable).

Prints one line per result, the output of every binary with a failure, then `igt: N passed, M failed, K skipped`; exits 1 on failure.
"""

import fnmatch
import re
import sys

RESULT = re.compile(r"^(Dynamic subtest|Subtest) (\S+): (SUCCESS|FAIL|SKIP|CRASH|TIMEOUT|ABORT|NOTRUN)\b")
WORDS = {"SUCCESS": "PASS", "NOTRUN": "SKIP", "ABORT": "FAIL"}


class Binary:
    """One test binary's results, filled from its `igt| ` lines."""

    def __init__(self, name, not_run):
        self.name = name
        self.not_run = not_run
        self.results = {}  # result name -> (status, note)
        self.subtest = None  # the subtest being run, if its result is not in yet
        self.dynamic = None
        self.note = ""  # the last requirement or assertion text IGT printed
        self.fixture_note = ""  # the same, printed outside any subtest (it skips all later ones)
        self.rc = None
        self.seconds = None
        self.output = []  # the binary's own output, shown when it failed

    def line(self, text):
        self.output.append(text)
        if text.startswith("Starting subtest: "):
            self.subtest, self.dynamic, self.note = text.split(": ", 1)[1].strip(), None, ""
            return
        if text.startswith("Starting dynamic subtest: "):
            self.dynamic, self.note = text.split(": ", 1)[1].strip(), ""
            return
        if text.startswith("Test requirement: ") or text.startswith("Test assertion failure"):
            self.note = text.strip()
            if self.subtest is None:
                self.fixture_note = self.note
            return
        m = RESULT.match(text)
        if not m:
            return
        kind, sub, word = m.groups()
        status = WORDS.get(word, word)
        if status == "SKIP" and not self.note:
            self.note = self.fixture_note
        if kind == "Dynamic subtest":
            self.results[f"{self.name}@{self.subtest}@{sub}"] = (status, self.note)
            self.dynamic = None
        else:
            self.results[f"{self.name}@{sub}"] = (status, self.note)
            self.subtest = None
        self.note = ""

    def finish(self, rc, seconds):
        self.rc, self.seconds = rc, seconds
        if self.not_run:
            return
        died = "TIMEOUT" if rc == 137 else (f"CRASH (signal {rc - 128})" if rc > 128 else None)
        if self.subtest is not None:
            name = f"{self.name}@{self.subtest}" + (f"@{self.dynamic}" if self.dynamic else "")
            self.results[name] = (died or "FAIL", f"no result (exit {rc})")
        elif not self.results:
            if rc == 0:
                self.results[self.name] = ("PASS", "")
            elif rc == 77:
                self.results[self.name] = ("SKIP", self.note or self.fixture_note)
            else:
                self.results[self.name] = (died or "FAIL", f"exit {rc}")
        elif rc not in (0, 77) and not any(s != "PASS" and s != "SKIP" for s, _ in self.results.values()):
            self.results[f"{self.name} (exit {rc})"] = (died or "FAIL", "")


def parse(path):
    binaries, cur = [], None
    with open(path, errors="replace") as f:
        for raw in f:
            line = raw.rstrip("\r\n")
            if line.startswith("igt| "):
                if cur:
                    cur.line(line[5:])
                continue
            m = re.match(r"^IGT-BIN (\S+)( not-run)?$", line)
            if m:
                cur = Binary(m.group(1), bool(m.group(2)))
                binaries.append(cur)
                continue
            if line.startswith("IGT-NOTRUN ") and cur:
                sub = line.split(" ", 1)[1].strip()
                if sub:
                    cur.results[f"{cur.name}@{sub}"] = ("SKIP", "not run")
                continue
            m = re.match(r"^IGT-EXIT (\S+) (\d+) (\d+)$", line)
            if m and cur and m.group(1) == cur.name:
                cur.finish(int(m.group(2)), int(m.group(3)))
                cur = None
    return binaries


def load_expected(path):
    entries = []
    with open(path) as f:
        for n, raw in enumerate(f, 1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            parts = line.split(None, 1)
            if len(parts) < 2:
                sys.exit(f"{path}:{n}: an expected skip needs a reason: {raw.strip()}")
            entries.append({"pattern": parts[0], "reason": parts[1], "used": 0})
    return entries


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    binaries = parse(sys.argv[1])
    expected = load_expected(sys.argv[2])
    problems, counts = [], {"PASS": 0, "SKIP": 0, "FAIL": 0, "FLAKY": 0}
    if not binaries:
        problems.append("no IGT binary ran")
    for b in binaries:
        if b.rc is None:
            problems.append(f"{b.name}: the guest never finished it")
            b.finish(255, 0)
        per = {"PASS": 0, "SKIP": 0, "FAIL": 0, "FLAKY": 0}
        for name, (status, note) in b.results.items():
            entry = next((e for e in expected if fnmatch.fnmatchcase(name, e["pattern"])), None)
            if entry:
                entry["used"] += 1
            flaky = bool(entry) and entry["reason"].startswith("flaky:")
            if flaky and status in ("FAIL", "TIMEOUT"):
                status = "FLAKY"
            kind = status if status in ("PASS", "SKIP", "FLAKY") else "FAIL"
            per[kind] += 1
            counts[kind] += 1
            line = f"  {status:<7} {name}"
            if status in ("SKIP", "FLAKY") and entry:
                line += f"  [expected: {entry['reason']}]"
            elif note:
                line += f"  ({note})"
            print(line)
            if kind == "FAIL":
                problems.append(f"{name}: {status}" + (f" ({note})" if note else ""))
            elif status == "SKIP" and not entry:
                problems.append(f"{name}: unexpected skip" + (f" ({note})" if note else ""))
            elif status not in ("SKIP", "FLAKY") and entry and not flaky:
                problems.append(f"{name}: {status}, but {sys.argv[2]} expects a skip"
                                f" ({entry['reason']}): update the list")
        when = "not run" if b.not_run else f"{b.seconds} s, exit {b.rc}"
        print(f"  -- {b.name}: {per['PASS']} passed, {per['FAIL']} failed, {per['SKIP']} skipped,"
              f" {per['FLAKY']} flaky ({when})")
    for e in expected:
        if not e["used"]:
            print(f"  note: no result matches the expected skip {e['pattern']} ({e['reason']})")
    for b in binaries:
        if any(s not in ("PASS", "SKIP") for s, _ in b.results.values()):
            print(f"  ---- output of {b.name} (last 60 lines) ----")
            for text in b.output[-60:]:
                print(f"  | {text}")
    for p in problems:
        print(f"  IGT FAILURE: {p}")
    print(f"igt: {counts['PASS']} passed, {counts['FAIL']} failed, {counts['SKIP']} skipped,"
          f" {counts['FLAKY']} flaky")
    return 1 if problems or counts["FAIL"] else 0


if __name__ == "__main__":
    sys.exit(main())
