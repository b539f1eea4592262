"""`make serve` (mkdocs serve --dirty) regenerates when a procedure changes: one edit, one rebuild
of the pages that changed, no reload loop."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request

from conftest import ROOT, copy_project, run_cli


SERVE_OPTIONS = ["--dirty", "--no-strict"]  # as the Makefile's serve target


def test_make_serve_runs_the_incremental_server_on_the_given_port():
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "mkdocs serve " + " ".join(SERVE_OPTIONS) + " --dev-addr 127.0.0.1:$(PORT)" in text and "PORT ?= 8000" in text


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_one_yaml_edit_gives_exactly_one_rebuild_with_the_new_text(tmp_path):
    project = copy_project(tmp_path / "project")
    assert run_cli("build", cwd=project).returncode == 0
    port = _free_port()
    log = tmp_path / "serve.log"
    env = dict(os.environ, PYTHONPATH=str(project), NO_MKDOCS_2_WARNING="1", PYTHONUNBUFFERED="1")
    with open(log, "w") as out:
        server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", *SERVE_OPTIONS, "-a", f"127.0.0.1:{port}"],
                                  cwd=project, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}/library/sales-process-control/"

        def page() -> str:
            try:
                return urllib.request.urlopen(url, timeout=2).read().decode("utf-8")
            except OSError:
                return ""

        assert _wait_for(lambda: "销售过程控制流程" in page(), 60), log.read_text()
        builds_before = log.read_text().count("Building documentation")
        built_before = log.read_text().count("Documentation built")
        source = project / "procedure" / "sales-process-control.yaml"
        source.write_text(source.read_text(encoding="utf-8").replace("title: {zh: 销售, en: Sales}",
                                                                        "title: {zh: 现场销售, en: On-site sales}"), encoding="utf-8")
        assert _wait_for(lambda: "现场销售" in page(), 60), log.read_text()
        assert _wait_for(lambda: log.read_text().count("Documentation built") > built_before, 60), log.read_text()
        time.sleep(5)  # a reload loop would show up as further builds here
        text = log.read_text()
        assert text.count("Building documentation") - builds_before == 1, text
        assert "written" in text  # the watcher regenerated the pages
    finally:
        server.terminate()
        server.wait(timeout=10)
