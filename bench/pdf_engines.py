"""WeasyPrint (as the build runs it, render/pdf.py) against a persistent headless Chromium printing the
same print HTML through the DevTools protocol (Playwright, Debian's Chromium), on a sample of blank
forms, checklists and procedure copies of the library in the current folder.

    PYTHONPATH=$PWD .venv/bin/python bench/pdf_engines.py [SAMPLE_PER_KIND]

Prints CPU seconds and wall seconds per document and kind, for each engine. CPU seconds count the
whole process tree (Chromium's browser, renderer and GPU processes too), read from /proc, so other
work on the machine moves them less than wall-clock time. The HTML is what `generators build` hands
to the PDF renderer (captured, nothing is written to docs/).
"""
from __future__ import annotations

import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"


def print_documents() -> dict[str, str]:
    """Every print HTML document of a build, by its output path: the build runs with PDF rendering
    replaced by capture, and writes to a temporary docs folder."""
    from generators.render import pdf
    from generators import build, check

    captured: dict[str, str] = {}

    def capture(self, documents, workers=None, names=None):
        captured.update(zip(names or [str(i) for i in range(len(documents))], documents))
        return pdf.Rendering(self, documents, [b"" for _ in documents], [], None, None)

    pdf.PdfRenderer.start = capture
    result = check.check_paths(["procedure"])
    with tempfile.TemporaryDirectory() as docs:
        build.build_site(result.procedures, Path(docs))
    return captured


def tree_cpu() -> float:
    """CPU seconds of this process and every live descendant (Chromium's processes are not waited for)."""
    parents: dict[int, list[tuple[int, int]]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents.setdefault(int(fields[1]), []).append((int(entry), int(fields[11]) + int(fields[12])))
    total, stack = 0, [os.getpid()]
    while stack:
        for pid, ticks in parents.get(stack.pop(), []):
            total += ticks
            stack.append(pid)
    own = resource.getrusage(resource.RUSAGE_SELF)
    return total / os.sysconf("SC_CLK_TCK") + own.ru_utime + own.ru_stime


def main() -> None:
    per_kind = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    documents = print_documents()
    kinds = {"forms": [], "checklists": [], "procedures": []}
    for name, html in documents.items():
        kind = "forms" if "/form-" in name else "checklists" if "checklist" in name else "procedures"
        kinds[kind].append(html)
    rng = random.Random(2)
    sample = {kind: rng.sample(docs, min(per_kind, len(docs))) for kind, docs in kinds.items() if docs}

    from generators.render import pdf
    pdf._render_one(sample["forms"][0])  # warm: fonts and shared stylesheet, as a worker after its first document
    for kind, docs in sample.items():
        cpu, wall = tree_cpu(), time.perf_counter()
        for html in docs:
            pdf._render_one(html)
        print(f"WeasyPrint (render/pdf.py worker): {kind}: {(tree_cpu() - cpu) / len(docs):.2f} CPU s, "
              f"{(time.perf_counter() - wall) / len(docs):.2f} s wall per document ({len(docs)})", flush=True)

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        files = {}
        for kind, docs in sample.items():
            files[kind] = []
            for i, html in enumerate(docs):
                path = Path(folder) / f"{kind}-{i}.html"  # as a file: the compact fonts are file: URLs
                path.write_text(html, encoding="utf-8")
                files[kind].append(path)
        page.goto(files["forms"][0].as_uri())
        page.pdf(prefer_css_page_size=True)
        for kind, paths in files.items():
            cpu, wall = tree_cpu(), time.perf_counter()
            for path in paths:
                page.goto(path.as_uri())
                page.pdf(prefer_css_page_size=True, print_background=True)
            print(f"Chromium (one persistent page): {kind}: {(tree_cpu() - cpu) / len(paths):.2f} CPU s, "
                  f"{(time.perf_counter() - wall) / len(paths):.2f} s wall per document ({len(paths)})", flush=True)
        browser.close()


if __name__ == "__main__":
    main()
