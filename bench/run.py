"""Benchmark: check, generate, build and serve a synthetic library of N procedures.

Run with `make bench`. Writes bench/RESULTS.md. Timings are wall-clock seconds of real
subprocesses on this machine; peak memory is the largest resident set of any one of them.
"""
from __future__ import annotations

import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))
import synthetic  # noqa: E402

SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "10,100,300").split(",")]
SERVE_SIZES = {10, 100}
PDF_SIZE = 10
PY = sys.executable
ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONUNBUFFERED="1")


def run(args: list[str], cwd: Path) -> tuple[float, float, str]:
    """(seconds, peak RSS in MB, output) of one command, measured with wait4."""
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        proc = subprocess.Popen(args, cwd=cwd, env=dict(ENV, PYTHONPATH=str(cwd)), stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - started
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(args)}\n{text[-3000:]}")
    return elapsed, usage.ru_maxrss / 1024, text


def project(n: int, base: Path) -> Path:
    path = base / f"n{n}"
    for part in ("docs", "overrides", "generators", "mkdocs.yml"):
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, path / part, ignore=shutil.ignore_patterns("library", "__pycache__"))
        else:
            shutil.copy(source, path / part)
    synthetic.library(path / "procedure", n)
    return path


def counts(output: str) -> str:
    if output.startswith("up to date"):
        return "up to date: dot 0, WeasyPrint 0, written 0 (build stamp unchanged)"
    dot = re.search(r"(\d+) drawn by dot", output)
    pdf = re.search(r"(\d+) rendered by WeasyPrint", output)
    written = re.search(r"(\d+) written", output)
    return f"dot {dot[1] if dot else '?'}, WeasyPrint {pdf[1] if pdf else '?'}, written {written[1] if written else '?'}"


def serve_edit(path: Path) -> tuple[float, int]:
    """Seconds from saving one YAML edit to the served page showing it, and rebuilds it caused."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = path / "serve.log"
    with open(log, "w") as out:
        server = subprocess.Popen([PY, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"], cwd=path,
                                  env=dict(ENV, PYTHONPATH=str(path)), stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/library/proc-0000/"

    def page() -> str:
        try:
            return urllib.request.urlopen(url, timeout=5).read().decode("utf-8")
        except OSError:
            return ""

    try:
        deadline = time.monotonic() + 600
        while "QP-SYN-000" not in page():
            if time.monotonic() > deadline:
                raise SystemExit("serve did not come up\n" + log.read_text())
            time.sleep(0.5)
        time.sleep(2)
        before = log.read_text().count("Building documentation")
        source = path / "procedure" / "proc-0000.yaml"
        text = source.read_text(encoding="utf-8")
        marker = "BENCHEDIT"
        source.write_text(text.replace("scope:\n  zh: ", f"scope:\n  zh: {marker}", 1), encoding="utf-8")
        started = time.perf_counter()
        while marker not in page():
            if time.perf_counter() - started > 600:
                raise SystemExit("edit never showed\n" + log.read_text())
            time.sleep(0.1)
        elapsed = time.perf_counter() - started
        time.sleep(5)
        return elapsed, log.read_text().count("Building documentation") - before
    finally:
        server.terminate()
        server.wait(timeout=30)


def pdf_overhead(path: Path) -> tuple[float, float, int]:
    """Seconds per PDF: WeasyPrint alone on the same HTML, and through the generator (one worker)."""
    import weasyprint

    from generators.check import check_paths
    from generators.library import Library
    from generators.build import printable_documents
    from generators.pdf import PdfRenderer

    library = Library(check_paths([str(path / "procedure")]).procedures)
    documents = list(printable_documents(library, "2026-01-01").values())[:40]
    weasyprint.HTML(string=documents[0]).write_pdf()  # warm up fonts
    started = time.perf_counter()
    for html in documents:
        weasyprint.HTML(string=html).write_pdf()
    alone = (time.perf_counter() - started) / len(documents)
    with tempfile.TemporaryDirectory() as cache:
        renderer = PdfRenderer(cache_dir=Path(cache))
        started = time.perf_counter()
        renderer.render_many(documents, workers=1)
        ours = (time.perf_counter() - started) / len(documents)
    return alone, ours, len(documents)


def main() -> None:
    rows, notes = [], []
    check_times = {}
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        for n in SIZES:
            path = project(n, base)
            peak = 0.0
            t_check, m, out = run([PY, "-m", "generators", "check"], path)
            peak = max(peak, m)
            check_times[n] = t_check
            t_gen, m, gen_out = run([PY, "-m", "generators", "build", "--no-pdf"], path)
            peak = max(peak, m)
            t_mk1, m, _ = run([PY, "-m", "mkdocs", "build"], path)
            peak = max(peak, m)
            t_floor, m, _ = run([PY, "-m", "mkdocs", "build"], path)
            peak = max(peak, m)
            t_gen2, m, gen2_out = run([PY, "-m", "generators", "build", "--no-pdf"], path)
            peak = max(peak, m)
            if n >= 300:  # the no-change site build is the same mkdocs build as the floor: reuse it
                t_mk2 = t_floor
                notes.append(f"N={n}: the no-change figure is the no-change generation plus the floor build "
                             "(one mkdocs build of unchanged pages), to keep the run under an hour")
            else:
                t_mk2, m, _ = run([PY, "-m", "mkdocs", "build"], path)
                peak = max(peak, m)
            row = {"n": n, "check": t_check, "generate": t_gen, "cold": t_gen + t_mk1, "floor": t_floor,
                   "nochange": t_gen2 + t_mk2, "peak": peak, "cold_counts": counts(gen_out),
                   "nochange_counts": counts(gen2_out)}
            if n == PDF_SIZE:
                t_pdf, m, pdf_out = run([PY, "-m", "generators", "build"], path)
                row["pdf"] = f"{t_pdf:.1f} s ({counts(pdf_out)})"
                t_pdf2, m2, pdf2_out = run([PY, "-m", "generators", "build"], path)
                row["pdf_again"] = f"{t_pdf2:.1f} s ({counts(pdf2_out)})"
                row["peak"] = max(row["peak"], m, m2)
                alone, ours, count = pdf_overhead(path)
                notes.append(f"PDF, one worker, {count} documents of N={n}: WeasyPrint alone {alone:.3f} s/PDF, "
                             f"through the generator {ours:.3f} s/PDF ({ours / alone:.2f}x)")
            if n in SERVE_SIZES:
                row["serve"], row["rebuilds"] = serve_edit(path)
            rows.append(row)
            print(row, flush=True)
            shutil.rmtree(path, ignore_errors=True)
    write_results(rows, notes, check_times)


def write_results(rows, notes, check_times) -> None:
    cpu = next((l.split(":", 1)[1].strip() for l in Path("/proc/cpuinfo").read_text().splitlines()
                if l.startswith("model name")), platform.processor())
    mem = next((l.split()[1] for l in Path("/proc/meminfo").read_text().splitlines() if l.startswith("MemTotal")), "?")
    lines = ["# Benchmark results", "",
             f"Machine: {os.cpu_count()} cores, {cpu}, {int(mem) // 1024 // 1024} GiB, Python {platform.python_version()}, "
             f"{time.strftime('%Y-%m-%d')}. Command: `make bench` (bench/run.py). Seconds, wall clock.", "",
             "| N | check | generate (pages, charts) cold | site cold | floor: mkdocs build | cold / floor | site, no change | no change / floor | serve: edit → page | rebuilds per edit | peak RSS MB |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        serve = f"{r['serve']:.1f}" if "serve" in r else "—"
        rebuilds = str(r.get("rebuilds", "—"))
        lines.append(f"| {r['n']} | {r['check']:.2f} | {r['generate']:.2f} | {r['cold']:.2f} | {r['floor']:.2f} | "
                     f"{r['cold'] / r['floor']:.2f} | {r['nochange']:.2f} | {r['nochange'] / r['floor']:.2f} | {serve} | "
                     f"{rebuilds} | {r['peak']:.0f} |")
    lines += ["", "Graphviz / WeasyPrint runs and files written:", ""]
    for r in rows:
        lines.append(f"- N={r['n']}: cold: {r['cold_counts']}; no change: {r['nochange_counts']}")
        if "pdf" in r:
            lines.append(f"- N={r['n']} with PDFs: cold {r['pdf']}; again {r['pdf_again']}")
    if 100 in check_times and 300 in check_times:
        lines.append(f"- check: N=300 takes {check_times[300] / check_times[100]:.2f}x N=100 (linear would be 3x)")
    lines += [f"- {note}" for note in notes]
    (ROOT / "bench" / "RESULTS.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


def check_only() -> None:
    """`BENCH_CHECK_ONLY=1`: time `check` alone (best of three) and append it to RESULTS.md."""
    lines = ["", f"check alone, best of 3 ({time.strftime('%Y-%m-%d %H:%M')}):", ""]
    times = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in SIZES:
            path = project(n, Path(tmp))
            best = min(run([PY, "-m", "generators", "check"], path)[0] for _ in range(3))
            times[n] = best
            lines.append(f"- N={n}: {best:.2f} s")
    if 100 in times and 300 in times:
        lines.append(f"- N=300 / N=100: {times[300] / times[100]:.2f}x (linear: 3x)")
    with open(ROOT / "bench" / "RESULTS.md", "a", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    check_only() if os.environ.get("BENCH_CHECK_ONLY") else main()
