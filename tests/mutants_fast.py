"""A fast first pass over the unchecked mutants of generators/rules/, for `make mutants`'s long run.

mutmut runs, for each mutant, every test that reached the mutated function: for a rule that is
every test that runs `check` (hundreds, many with temporary git repositories), so each mutant that
survives the fast tests costs minutes. This pass runs only the fast, exact tests, and records each
mutant they kill in mutmut's own results (exit code 1, mutmut's "killed"), so `mutmut run` skips it:

1. every rule case (tests/rules/*/, the comparison test_check.py's rule-case test makes: the exact
   output, the exit status, nothing on stderr), in one process, the mutant switched on through
   MUTANT_UNDER_TEST as mutmut's trampolines read it; the cases naming rule codes the mutated
   function writes run first;
2. for the mutants no case kills, tests/test_mutants.py under pytest (`-x`), one run per mutant.

What neither kills stays unchecked for `mutmut run`. Run it with mutmut stopped (both write the
results), after `mutmut run` has generated the mutants, from the checkout:
.venv/bin/python tests/mutants_fast.py
"""
from __future__ import annotations

import contextlib
import io
import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MUTANTS = ROOT / "mutants"
CASES = sorted(p for p in (ROOT / "tests" / "rules").iterdir() if (p / "expected.txt").is_file())


def unchecked() -> dict[Path, list[str]]:
    found = {}
    for meta in sorted((MUTANTS / "generators" / "rules").glob("*.py.meta")):
        names = [n for n, code in json.loads(meta.read_text())["exit_code_by_key"].items() if code is None]
        if names:
            found[meta] = names
    return found


def record(meta: Path, killed: set[str]) -> None:
    data = json.loads(meta.read_text())
    data["exit_code_by_key"].update({n: 1 for n in killed if data["exit_code_by_key"].get(n) is None})
    meta.write_text(json.dumps(data))


class _Timeout(Exception):
    pass


def _alarm(*_):
    raise _Timeout()


def rule_case_fails(case: Path) -> bool:
    from generators.cli import main
    from generators.rules.terminology import glossary

    home, out, err = os.getcwd(), io.StringIO(), io.StringIO()
    os.chdir(case)
    glossary.cache_clear()
    try:
        signal.alarm(10)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = main(["check", "--today", "2026-12-01", "."])
    except _Timeout:
        return False  # a hang is mutmut's to time out
    except BaseException:
        return True
    finally:
        signal.alarm(0)
        os.chdir(home)
    expected = (case / "expected.txt").read_text(encoding="utf-8")
    return not (out.getvalue() == expected and err.getvalue() == ""
                and status == (1 if expected.splitlines()[-1].startswith("FAILED") else 0))


def main() -> int:
    sys.path.insert(0, str(MUTANTS))  # mutmut's copy of the sources, with its trampolines
    os.environ["CLI_IN_PROCESS"] = "1"
    signal.signal(signal.SIGALRM, _alarm)
    os.environ["MUTANT_UNDER_TEST"] = ""
    broken = [c.name for c in CASES if rule_case_fails(c)]
    if broken:
        print(f"the rule cases fail without any mutant: {broken}")
        return 1
    total = killed_by_cases = killed_by_tests = 0
    for meta, names in unchecked().items():
        source = meta.with_suffix("").read_text(encoding="utf-8")
        killed = set()
        for name in names:
            func = name.rsplit("__mutmut_", 1)[0].rsplit(".", 1)[1]
            codes = set(re.findall(r'"([a-z]+(?:-[a-z]+)+)"', source[source.find(f"def {func}__mutmut_orig"):][:4000]))
            os.environ["MUTANT_UNDER_TEST"] = name
            if any(rule_case_fails(c) for c in sorted(CASES, key=lambda c: c.name not in codes)):
                killed.add(name)
        os.environ["MUTANT_UNDER_TEST"] = ""
        killed_by_cases += len(killed)
        for name in (n for n in names if n not in killed):
            run = subprocess.run([sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "tests/test_mutants.py"],
                                 cwd=MUTANTS, capture_output=True, text=True,
                                 env=dict(os.environ, MUTANT_UNDER_TEST=name, CLI_IN_PROCESS="1"))
            if run.returncode == 1 and " failed" in run.stdout:
                killed.add(name)
                killed_by_tests += 1
        record(meta, killed)
        total += len(names)
        print(f"{meta.name.removesuffix('.meta')}: {len(killed)} of {len(names)} killed", flush=True)
    print(f"{killed_by_cases} killed by the rule cases, {killed_by_tests} by tests/test_mutants.py, "
          f"{total - killed_by_cases - killed_by_tests} of {total} left to mutmut")
    return 0


if __name__ == "__main__":
    sys.exit(main())
