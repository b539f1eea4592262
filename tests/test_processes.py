"""A killed build leaves no process behind: its workers die with it (generators/source/lifeline.py)."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

from conftest import PUBLISHED, ROOT, cli_command, copy_project


def _children() -> dict[int, list[int]]:
    """Every live process's children, from /proc (zombies left out: they hold nothing)."""
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        state, ppid = stat.rsplit(")", 1)[1].split()[:2]
        if state != "Z":
            tree.setdefault(int(ppid), []).append(int(entry.name))
    return tree


def _descendants(pid: int) -> set[int]:
    tree, found, todo = _children(), set(), [pid]
    while todo:
        for child in tree.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def _alive(pids: set[int]) -> set[int]:
    live = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            live.add(pid)
    return live


def _wait_for(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"waited {seconds} s for {what}")


def test_a_build_killed_while_rendering_pdfs_leaves_no_worker_running(tmp_path):
    procedures = tmp_path / "procedure"
    procedures.mkdir()
    for name in ("_shared.yaml", "_deviations.yaml", PUBLISHED.name, "contract-order-review.yaml"):
        shutil.copy(ROOT / "procedure" / name, procedures / name)
    project = copy_project(tmp_path / "p", procedures)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    build = subprocess.Popen(cli_command("build"), cwd=project, env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    everyone: set[int] = set()
    try:
        fonts = project / ".cache" / "fonts"

        def rendering_pdfs() -> set[int]:
            # The compact fonts are made (their workers have ended) and Python workers are running:
            # WeasyPrint's. (Graphviz's `dot` is a child too, but runs no Python and ends by itself.)
            if len(list(fonts.glob("*.otf"))) < 2:
                return set()
            workers = set()
            for pid in _descendants(build.pid):
                try:
                    if b"python" in Path(f"/proc/{pid}/cmdline").read_bytes():
                        workers.add(pid)
                except OSError:
                    pass
            return workers

        workers = _wait_for(rendering_pdfs, 600, "the build to start its PDF workers")
        assert build.poll() is None, "the build ended before it could be killed mid-PDF"
        everyone |= _descendants(build.pid) | workers
        build.send_signal(signal.SIGKILL)
        build.wait(timeout=60)
        _wait_for(lambda: not _alive(everyone), 60, "the workers of the killed build to end")
    finally:
        if build.poll() is None:
            build.kill()
            build.wait()
        for pid in _alive(everyone):  # a failed run leaves nothing behind either
            os.kill(pid, signal.SIGKILL)


def test_pdf_workers_leave_no_temporary_font_folders(tmp_path):
    # WeasyPrint copies each @font-face font into a folder of its own per document; the workers remove it.
    temp = tmp_path / "tmp"
    temp.mkdir()
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from generators.render.fonts import font_faces\n"
        "from generators.render.pdf import PdfRenderer\n"
        "html = '<style>' + font_faces(Path(sys.argv[1])) + '</style><p>受控文件 Controlled</p>'\n"
        "pdfs = PdfRenderer(cache_dir=Path(sys.argv[2])).render_many([html, html + '<p>2</p>'])\n"
        "assert all(p.startswith(b'%PDF') for p in pdfs)\n"
    )
    if (ROOT / ".cache" / "fonts").is_dir():  # the compact fonts made before (a speed-up only)
        shutil.copytree(ROOT / ".cache" / "fonts", tmp_path / "fonts")
    env = dict(os.environ, PYTHONPATH=str(ROOT), TMPDIR=str(temp))
    done = subprocess.run([*cli_command()[:2], "-c", script, str(tmp_path / "fonts"), str(tmp_path / "pdf")],
                          env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in temp.iterdir()) == []
