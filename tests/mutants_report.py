"""Write the mutation-testing report (``make mutants`` runs it after ``mutmut run``).

Reads mutmut's results, lists every surviving mutant with its diff, and marks those listed in
tests/mutants-equivalent.txt ("mutant-name: why no test can tell it from the original") as
equivalent. The score counts killed (and timed-out) mutants over the checked mutants that are not
equivalent; "no tests" mutants count as surviving; mutants not checked yet are reported apart.
"""
from __future__ import annotations

import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MUTMUT = str(Path(sys.executable).parent / "mutmut")
EQUIVALENT = ROOT / "tests" / "mutants-equivalent.txt"
HAND_MADE = ROOT / ".cache" / "hand-mutants.md"  # tests/hand_mutants.py's table, written by `make mutants`


def results() -> dict[str, str]:
    out = subprocess.run([MUTMUT, "results", "--all", "true"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    found = {}
    for line in out.splitlines():
        name, sep, status = line.strip().rpartition(": ")
        if sep and name.startswith("generators."):
            found[name] = status.strip()
    return found


def equivalents() -> dict[str, str]:
    if not EQUIVALENT.exists():
        return {}
    pairs = (line.split(":", 1) for line in EQUIVALENT.read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#"))
    return {name.strip(): reason.strip() for name, reason in pairs}


def _mutated_line(name: str) -> str:
    diff = subprocess.run([MUTMUT, "show", name], cwd=ROOT, capture_output=True, text=True).stdout
    added = [line[1:].strip() for line in diff.splitlines() if line.startswith("+") and not line.startswith("+++")]
    return " / ".join(added).replace("`", "'") or "a line removed"


def module_of(name: str) -> str:
    return name.split(".x_")[0] if ".x_" in name else name.rsplit(".", 1)[0]


def main(target: Path) -> int:
    found, equivalent = results(), equivalents()
    by_module: dict[str, Counter] = defaultdict(Counter)
    for name, status in found.items():
        by_module[module_of(name)]["equivalent" if name in equivalent and status != "killed" else status] += 1
    killed = sum(c["killed"] + c["timeout"] for c in by_module.values())
    unchecked = sum(c["not checked"] for c in by_module.values())
    counted = sum(sum(v for k, v in c.items() if k not in ("equivalent", "skipped", "not checked")) for c in by_module.values())
    score = 100.0 * killed / counted if counted else 0.0
    lines = ["# Mutation testing report", "",
             "Written by `make mutants` (mutmut, configuration in pyproject.toml `[tool.mutmut]`). Score = killed",
             "mutants / all mutants except those listed as equivalent (with the reason) in `tests/mutants-equivalent.txt`;",
             "a mutant no test runs counts as surviving.", "",
             f"**Mutation score: {score:.1f}%** ({killed} killed of {counted} checked; "
             f"{sum(c['equivalent'] for c in by_module.values())} equivalent; "
             f"{unchecked} of {len(found)} mutants not checked yet: an interrupted `make mutants` resumes where it stopped)", "",
             "| module | killed | survived | no tests | timeout | equivalent | not checked |", "|---|---|---|---|---|---|---|"]
    for module in sorted(by_module):
        c = by_module[module]
        lines.append(f"| `{module}` | {c['killed']} | {c['survived']} | {c['no tests']} | {c['timeout']} | {c['equivalent']} "
                     f"| {c['not checked']} |")
    if HAND_MADE.is_file():
        table = HAND_MADE.read_text(encoding="utf-8").strip()
        caught = table.count("| caught (test fails) |")
        lines += ["", f"## Mutants made by hand: {caught} of {table.count(chr(10)) - 1} caught", "",
                  "mutmut leaves decorated functions alone; the mutated modules' properties are broken by hand in a",
                  "copy of the checkout instead (`tests/hand_mutants.py`; a test fails if a new one has no row).", "", table]
    lines += ["", "## Equivalent mutants", "",
              "Each with the line mutmut wrote, so a reason that no longer fits its mutant (the numbers move when the",
              "function changes) shows.", ""]
    lines += [f"- `{name}`: {reason} (`{_mutated_line(name)}`)" for name, reason in sorted(equivalent.items())
              if name in found] or ["None."]
    survivors = [n for n, s in sorted(found.items()) if s in ("survived", "no tests", "suspicious") and n not in equivalent]
    lines += ["", f"## Unexplained survivors: {len(survivors)}", ""]
    for name in survivors:
        diff = subprocess.run([MUTMUT, "show", name], cwd=ROOT, capture_output=True, text=True).stdout.strip()
        lines += [f"### `{name}` ({found[name]})", "", "```diff", diff, "```", ""]
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"mutation score {score:.1f}%: {killed} killed of {counted} checked ({unchecked} not checked), "
          f"{len(survivors)} unexplained survivor(s); see {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "tests" / "mutants-report.md"))
