"""Benchmark: today's build (the commit before the scaling work) against this checkout, side by side.

Run with `make bench` (N=10, 100 and 300 by default, about 50 minutes on 2 cores; BENCH_SIZES=10,100
for a shorter run). Writes
bench/RESULTS.md. For each N, one synthetic library (bench/synthetic.py) is built twice: by the
generators and MkDocs setup of commit BASELINE (taken out with `git archive` into a temporary
folder) and by this checkout. Timings are wall-clock seconds of real subprocesses on this machine,
with their CPU seconds beside them (the machine may be shared: CPU seconds move less with load);
peak memory is the largest resident set of any one process (wait4).
"""
from __future__ import annotations

import io
import json
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import synthetic  # noqa: E402

BASELINE = os.environ.get("BENCH_BASELINE", "d81b5ae")  # the last commit before issue #17's work
SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "10,100,300").split(",")]
SERVE_SIZES = {int(n) for n in os.environ.get("BENCH_SERVE_SIZES", "10,100").split(",") if n}
BASELINE_SERVE_SIZES = {int(n) for n in os.environ.get("BENCH_BASELINE_SERVE_SIZES", "10").split(",") if n}
ONLY = os.environ.get("BENCH_ONLY", "both")  # "baseline" or "new": run one side (two benches in parallel)
# The baseline's no-change build is one more full build (about its cold figure): at N=300 that is ~25 minutes.
BASELINE_NOCHANGE_SIZES = {int(n) for n in os.environ.get("BENCH_BASELINE_NOCHANGE_SIZES", "10,100").split(",") if n}
OUT = ROOT / "bench" / "out"  # each side's rows, merged into RESULTS.md by the last to finish
SEARCH_SIZE = int(os.environ.get("BENCH_SEARCH_SIZE", "100"))
SERVE_OPTIONS = ["--dirty", "--no-strict"]  # the Makefile's serve target
PDF_SIZES = {int(n) for n in os.environ.get("BENCH_PDF_SIZE", "100").split(",") if n}  # 0 or "": no PDF figures
PARTS = ("docs", "overrides", "generators", "mkdocs.yml", "requirements.txt")
PY = sys.executable
ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONUNBUFFERED="1")
CHROMIUM = "/usr/bin/chromium"
TARGETS_HEADING = "## Targets"  # RESULTS.md from this heading on is kept: the reading of the figures


class Timing:
    def __init__(self, wall: float, cpu: float, peak: float, output: str = ""):
        self.wall, self.cpu, self.peak, self.output = wall, cpu, peak, output

    def to_json(self) -> dict:
        return {"wall": self.wall, "cpu": self.cpu, "peak": self.peak}

    def __add__(self, other: "Timing") -> "Timing":
        return Timing(self.wall + other.wall, self.cpu + other.cpu, max(self.peak, other.peak), self.output + other.output)

    def __str__(self) -> str:
        return f"{self.wall:.1f} ({self.cpu:.0f})"


def run_retrying(args: list[str], cwd: Path, notes: list[str], attempts: int = 3) -> Timing:
    """``run``, again after a failure (the baseline's Graphviz calls time out after 120 s of wall time on
    a loaded machine; its chart cache keeps what was drawn): the figure adds up every attempt."""
    total = None
    for attempt in range(attempts):
        try:
            timing = run(args, cwd)
        except SystemExit as failed:
            timing = None
            notes.append(f"{' '.join(args[2:])} in {cwd.name} failed (attempt {attempt + 1}): "
                         f"{str(failed).strip().splitlines()[-1][:160]}")
            # the failed attempt's time is not known here: only successful attempts are added
        if timing is not None:
            return timing if total is None else total + timing
    raise SystemExit(f"failed {attempts} times: {' '.join(args)}")


def run(args: list[str], cwd: Path, **env: str) -> Timing:
    """Wall seconds, CPU seconds (with every waited-for child), peak RSS in MB and output of one command."""
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        proc = subprocess.Popen(["nice", *args], cwd=cwd, env=dict(ENV, PYTHONPATH=str(cwd), **env),
                                stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - started
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(args)} in {cwd}\n{text[-3000:]}")
    return Timing(elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, text)


def baseline_tree(base: Path) -> Path:
    """The BASELINE commit's project files, taken out of git into ``base``."""
    target = base / "baseline-src"
    archive = subprocess.run(["git", "archive", "--format=tar", BASELINE, "docs", "overrides", "generators", "mkdocs.yml"],
                             cwd=ROOT, capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")
    return target


def project(source: Path, n: int, path: Path) -> Path:
    for part in PARTS:
        src = source / part
        if src.is_dir():
            shutil.copytree(src, path / part, ignore=shutil.ignore_patterns("library", "__pycache__"))
        elif src.is_file():
            shutil.copy(src, path / part)
    # A checkout older than issue 35 (the baseline) knows no distribution list or record-control keys.
    synthetic.library(path / "procedure", n, records_control=(source / "generators" / "rules" / "records.py").exists())
    return path


def counts(output: str) -> str:
    if "up to date" in output.splitlines()[0] if output else False:
        return "generation up to date (nothing run or written)"
    dot = re.search(r"(\d+) drawn by dot", output)
    pdf = re.search(r"(\d+) rendered by WeasyPrint", output)
    written = re.search(r"(\d+) written", output)
    return f"dot {dot[1] if dot else '?'}, WeasyPrint {pdf[1] if pdf else '?'}, written {written[1] if written else '?'}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _cpu_seconds(pid: int) -> float:
    """CPU seconds of a process and its waited-for children so far (/proc/<pid>/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(v) for v in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def serve_edit(path: Path, command: list[str]) -> tuple[Timing, int]:
    """From saving one YAML edit to the served page showing it: seconds, CPU seconds of the server
    (with the generator it runs), and the rebuilds it caused."""
    port = _free_port()
    log = path / "serve.log"
    with open(log, "w") as out:
        server = subprocess.Popen(["nice", *command, "-a", f"127.0.0.1:{port}"], cwd=path,
                                  env=dict(ENV, PYTHONPATH=str(path)), stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/library/proc-0000/"

    def page() -> str:
        try:
            return urllib.request.urlopen(url, timeout=5).read().decode("utf-8")
        except OSError:
            return ""

    try:
        deadline = time.monotonic() + 3600
        while "QP-SYN-000" not in page():
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("serve did not come up\n" + log.read_text())
            time.sleep(0.5)
        # The new serve's worker builds the library in memory once at the start (beside MkDocs' first
        # build): an edit is timed from when it is ready, as a reader's edit after start-up would be.
        while "--dirty" in command and "regenerated the whole library" not in log.read_text():
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("serve's worker did not come up\n" + log.read_text())
            time.sleep(0.5)
        time.sleep(3)
        before = log.read_text().count("Building documentation")
        source = path / "procedure" / "proc-0000.yaml"
        marker = f"BENCHEDIT{time.time_ns()}"
        source.write_text(source.read_text(encoding="utf-8").replace("scope:\n  zh: ", f"scope:\n  zh: {marker}", 1),
                          encoding="utf-8")
        started, cpu = time.perf_counter(), _cpu_seconds(server.pid)
        while marker not in page():
            if time.perf_counter() - started > 1800:
                raise SystemExit("edit never showed\n" + log.read_text())
            time.sleep(0.1)
        elapsed, cpu = time.perf_counter() - started, _cpu_seconds(server.pid) - cpu
        time.sleep(8)  # a second rebuild (a reload loop, a late burst of writes) would show here
        return Timing(elapsed, cpu, 0, ""), log.read_text().count("Building documentation") - before
    finally:
        server.terminate()
        server.wait(timeout=60)


def search_in_chromium(site: Path, queries: list[tuple[str, str]]) -> list[str]:
    """For each (page URL, query): ms until the first results show (the index is fetched and built
    on the first query of a page), then ms for a second query on the same page, and the count shown."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from serving import serving

    from playwright.sync_api import sync_playwright

    lines = []
    with serving(site) as base:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            for url, query, second in queries:
                page = browser.new_page()
                page.goto(base + url)
                timings = []
                for text in (query, second):
                    box = page.locator(".md-search__input")
                    box.click()
                    box.fill("")
                    started = time.perf_counter()
                    box.fill(text)
                    box.press("End")
                    page.wait_for_function(
                        """q => { const m = document.querySelector('.md-search-result__meta');
                                  return m && document.querySelector('.md-search-result__item') && m.textContent.trim() !== '' }""",
                        arg=text, timeout=120000)
                    timings.append((time.perf_counter() - started) * 1000)
                    meta = page.locator(".md-search-result__meta").inner_text()
                lines.append(f"{url} '{query}': first results {timings[0]:.0f} ms (index fetched and built), "
                             f"then '{second}' {timings[1]:.0f} ms; shown: {meta}")
                page.close()
            browser.close()
    return lines


def index_bytes(site: Path) -> str:
    parts = []
    for label, path in (("zh", site / "search" / "search_index.json"), ("en", site / "en" / "search" / "search_index.json")):
        if path.is_file():
            docs = json.loads(path.read_text(encoding="utf-8"))["docs"]
            parts.append(f"{label} {path.stat().st_size / 1e6:.2f} MB ({len(docs)} entries)")
    return ", ".join(parts) if len(parts) > 1 else f"one index for both languages: {parts[0]}"


def pages_in(site: Path) -> int:
    return sum(1 for _ in site.rglob("*.html"))


def measure_baseline(n: int, path: Path, notes: list[str]) -> dict:
    row = {}
    gen = run_retrying([PY, "-m", "generators", "build", "--no-pdf"], path, notes)
    mk = run([PY, "-m", "mkdocs", "build"], path)
    row["cold"] = gen + mk
    row["cold_counts"] = counts(gen.output)
    row["index"] = index_bytes(path / "site")
    row["pages"] = pages_in(path / "site")
    row["peak"] = max(gen.peak, mk.peak)
    if n in BASELINE_NOCHANGE_SIZES:
        gen2 = run([PY, "-m", "generators", "build", "--no-pdf"], path)
        mk2 = run([PY, "-m", "mkdocs", "build"], path)
        row["nochange"] = gen2 + mk2
        row["peak"] = max(row["peak"], gen2.peak, mk2.peak)
    else:
        row["nochange"] = None
        notes.append(f"N={n}: baseline no-change not run (it is the generator's stamp check plus one more full "
                     "mkdocs build: about the cold figure)")
    if n in PDF_SIZES:  # the same protocol as the new side: the PDFs after the pages, from cold
        pdf = run([PY, "-m", "generators", "build"], path)
        row["pdf"] = pdf
        notes.append(f"N={n} PDFs, baseline {BASELINE}: cold {pdf} s ({counts(pdf.output)})")
        row["peak"] = max(row["peak"], pdf.peak)
    if n in BASELINE_SERVE_SIZES:
        row["serve"], row["rebuilds"] = serve_edit(path, [PY, "-m", "mkdocs", "serve"])
    return row


def measure_new(n: int, path: Path, notes: list[str]) -> dict:
    row = {}
    gen = run([PY, "-m", "generators", "build", "--no-pdf"], path)
    site = run([PY, "-m", "generators.publish.sitebuild"], path)
    row["cold"] = gen + site
    row["cold_counts"] = counts(gen.output)
    row["mkdocs"] = site
    nochange = run([PY, "-m", "generators", "site", "--no-pdf"], path)  # what `make site` runs
    row["nochange"] = nochange
    assert "site up to date" in nochange.output, nochange.output
    row["index"] = index_bytes(path / "site")
    row["pages"] = pages_in(path / "site")
    row["peak"] = max(gen.peak, site.peak, nochange.peak)
    if n == SEARCH_SIZE:
        row["search"] = search_in_chromium(path / "site", [("/library/", "合同", "客户"), ("/en/library/", "contract", "customer")])
    if n in PDF_SIZES:
        pdf = run([PY, "-m", "generators", "build"], path)
        source = path / "procedure" / "proc-0001.yaml"
        text = source.read_text(encoding="utf-8")
        first_form = re.search(r"forms:\n- id: (\S+)\n  number: \S+\n  version: \S+\n  title:\n    zh: (\S+)", text)
        source.write_text(text.replace(f"    zh: {first_form[2]}", f"    zh: {first_form[2]}改", 1), encoding="utf-8")
        again = run([PY, "-m", "generators", "build"], path)
        row["pdf"] = pdf
        notes.append(f"N={n} PDFs, new: cold {pdf} s ({counts(pdf.output)}); after renaming one form of one procedure "
                     f"{again} s ({counts(again.output)}): only the PDFs whose content changed are rendered again")
        row["peak"] = max(row["peak"], pdf.peak, again.peak)
    if n in SERVE_SIZES:
        run([PY, "-m", "generators", "build"], path)  # as `make serve`: generated with PDFs before serving
        row["serve"], row["rebuilds"] = serve_edit(path, [PY, "-m", "mkdocs", "serve", *SERVE_OPTIONS])  # as `make serve`
    return row


def zensical(n: int, path: Path, notes: list[str]) -> None:
    """The optional second engine, measured only when installed (the project does not depend on it)."""
    if shutil.which("zensical") is None:
        notes.append(f"N={n}: Zensical not installed: second engine not measured")
        return
    try:
        t = run(["zensical", "build"], path)
        notes.append(f"N={n}: Zensical build of the same docs/: {t} s")
    except SystemExit as failed:
        notes.append(f"N={n}: Zensical could not build the docs/: {str(failed).splitlines()[0]}")


def _save(side: str, n: int, row: dict, notes: list[str]) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    data = {key: (value.to_json() if isinstance(value, Timing) else value) for key, value in row.items()}
    (OUT / f"{side}-{n}.json").write_text(json.dumps({"row": data, "notes": notes}, ensure_ascii=False, indent=1))


def _load(side: str, n: int) -> tuple[dict, list[str]] | None:
    try:
        data = json.loads((OUT / f"{side}-{n}.json").read_text())
    except (OSError, ValueError):
        return None
    row = {key: (Timing(**value) if isinstance(value, dict) and "wall" in value else value) for key, value in data["row"].items()}
    return row, data["notes"]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        baseline_src = baseline_tree(base)
        for n in SIZES:
            if ONLY in ("both", "baseline"):
                notes: list[str] = []
                old = measure_baseline(n, project(baseline_src, n, base / f"old-{n}"), notes)
                _save("baseline", n, old, notes)
                print(f"N={n} baseline: {old}", flush=True)
                shutil.rmtree(base / f"old-{n}", ignore_errors=True)
            if ONLY in ("both", "new"):
                notes = []
                path = project(ROOT, n, base / f"new-{n}")
                new = measure_new(n, path, notes)
                zensical(n, path, notes)
                _save("new", n, new, notes)
                print(f"N={n} new: {new}", flush=True)
                shutil.rmtree(path, ignore_errors=True)
    report()


def report() -> None:
    """RESULTS.md from every side and size measured so far (bench/out/)."""
    results, notes = [], []
    for n in sorted({int(p.stem.split("-")[1]) for p in OUT.glob("*-*.json")}):
        old, new = _load("baseline", n), _load("new", n)
        if new:  # the baseline may not have been run at this N (N=300 takes it ~25 minutes)
            results.append((n, old[0] if old else None, new[0]))
            notes += (old[1] if old else []) + new[1]
    write_results(results, notes)


def write_results(results, notes) -> None:
    cpu = next((l.split(":", 1)[1].strip() for l in Path("/proc/cpuinfo").read_text().splitlines()
                if l.startswith("model name")), platform.processor())
    load = os.getloadavg()[0]
    lines = ["# Benchmark results", "",
             f"Machine: {os.cpu_count()} cores, {cpu}, Python {platform.python_version()}, {time.strftime('%Y-%m-%d %H:%M')}, "
             f"load average {load:.1f} at the end. Command: `make bench` (bench/run.py). Baseline: commit {BASELINE} "
             "(BENCH_BASELINE), taken out with `git archive`; new: this checkout. Each cell: wall-clock "
             "seconds (CPU seconds of the process and its children in brackets); the machine is shared, so compare "
             "CPU seconds when the load was high.", "",
             "| N | build | HTML pages | cold (generate + HTML) | no change (`make site`) | PDFs, cold (after the pages) | serve: edit → page | reloads per edit | peak RSS MB |",
             "|---|---|---|---|---|---|---|---|---|"]
    for n, old, new in results:
        if old is None:
            lines.append(f"| {n} | baseline | not run | | | | | | |")
        for name, row in (("baseline", old), ("new", new)) if old else (("new", new),):
            serve = str(row["serve"]) if "serve" in row else "—"
            nochange = row["nochange"] if row.get("nochange") else "not run"
            pdf = str(row["pdf"]) if row.get("pdf") else "—"
            lines.append(f"| {n} | {name} | {row['pages']} | {row['cold']} | {nochange} | {pdf} | {serve} | "
                         f"{row.get('rebuilds', '—')} | {row['peak']:.0f} |")
    lines += ["", "Ratios and details:", ""]
    for n, old, new in results:
        if old is None:
            lines.append(f"- N={n}: MkDocs part of the new build {new['mkdocs']}; search index: new {new['index']}")
            lines.append(f"- N={n}: generation: new {new['cold_counts']}")
            continue
        lines.append(f"- N={n}: cold HTML new/baseline {new['cold'].wall / old['cold'].wall:.2f} wall, "
                     f"{new['cold'].cpu / old['cold'].cpu:.2f} CPU; MkDocs part of the new build {new['mkdocs']}")
        lines.append(f"- N={n}: search index: baseline {old['index']}; new {new['index']}")
        lines.append(f"- N={n}: generation: baseline {old['cold_counts']}; new {new['cold_counts']}")
        for line in new.get("search", []):
            lines.append(f"- N={n}: search in Chromium (new site): {line}")
    sizes = {n: new for n, old, new in results}
    if 100 in sizes and 300 in sizes:
        lines.append(f"- N=300 / N=100 (new, cold HTML): {sizes[300]['cold'].wall / sizes[100]['cold'].wall:.2f}x wall, "
                     f"{sizes[300]['cold'].cpu / sizes[100]['cold'].cpu:.2f}x CPU (linear: 3x)")
    lines += [f"- {note}" for note in notes]
    results_file = ROOT / "bench" / "RESULTS.md"
    previous = results_file.read_text(encoding="utf-8") if results_file.is_file() else ""
    kept = previous[previous.index(TARGETS_HEADING):] if TARGETS_HEADING in previous else ""  # written by people
    results_file.write_text("\n".join(lines) + "\n" + ("\n" + kept if kept else ""), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    report() if sys.argv[1:] == ["--report"] else main()
