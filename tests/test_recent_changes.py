"""What changed: the recent-changes page and the Atom feed, per language, from the revisions' states."""
from __future__ import annotations

import dataclasses
import datetime as dt
import xml.etree.ElementTree as ET
from urllib.parse import urljoin, urlparse

import pytest

from conftest import FIXTURES
from generators.control.history import procedure_revisions
from generators.render.site import render_pages
from generators.control import lifecycle
from generators.control.lifecycle import State
from generators.source.library import Library
from generators.source.loader import load_file
from generators.control.recent import recent_changes
from generators.render import feed

ATOM = "{http://www.w3.org/2005/Atom}"


def _revision(proc, version: str, effective: str | None, approved_by: str | None = "丙", change: str = "修改"):
    """``proc`` as its ``version``, with one revision entry of its own."""
    entry = dataclasses.replace(proc.revisions[-1], version=version, approved_by=approved_by,
                                changes=(dataclasses.replace(proc.revisions[-1].changes[0], zh=change, en=change),))
    return dataclasses.replace(proc, version=version, effective_date=effective, revisions=(entry,))


def _notices(versions: list[tuple[str, str | None, str | None]], today: str, approvals: dict | None = None):
    """Notices of one procedure whose versions are (version, effective date, approver)."""
    base = load_file(FIXTURES / "minimal.yaml")[0]
    models = {v: _revision(base, v, eff, who, change=f"change {v}") for v, eff, who in versions}
    approvals = approvals if approvals is not None else {v: "2026-01-01" for v, _, _ in versions}
    facts = lifecycle.facts(models, approvals)
    return recent_changes([("minimal", models, lifecycle.status(facts, today), facts)], today)


def test_pending_revisions_come_first_soonest_first_then_those_in_force_newest_first():
    notices = _notices([("A/0", "2026-01-10", "丙"), ("A/1", "2026-06-01", "丙"), ("A/2", "2026-12-01", "丙"),
                        ("A/3", "2027-03-01", "丙")], today="2026-11-27")
    assert [(n.version, n.state, n.effective_from) for n in notices] == [
        ("A/2", State.PENDING, "2026-12-01"), ("A/3", State.PENDING, "2027-03-01"),
        ("A/1", State.CURRENT, "2026-06-01"), ("A/0", State.SUPERSEDED, "2026-01-10")]
    assert notices[0].entry.changes[0].en == "change A/2"
    assert [n.previous for n in notices] == ["A/1", "A/2", "A/0", None]  # what each is compared with


def test_drafts_and_revisions_older_than_a_year_are_not_announced():
    notices = _notices([("A/0", "2025-01-10", "丙"), ("A/1", "2026-06-01", "丙"), ("A/2", "2026-12-01", None)],
                       today="2026-11-27")
    assert [(n.version, n.state) for n in notices] == [("A/1", State.CURRENT)]
    unmerged = _notices([("A/0", "2026-06-01", "丙"), ("A/1", "2026-12-01", "丙")], today="2026-11-27",
                        approvals={"A/0": "2026-05-01"})
    assert [n.version for n in unmerged] == ["A/0"]


def test_a_revision_replaced_before_its_date_is_not_said_to_have_taken_effect():
    # A/1 was approved for 2026-12-01, then A/2 for 2026-11-20: A/1 was never in force.
    notices = _notices([("A/0", "2026-01-10", "丙"), ("A/1", "2026-12-01", "丙"), ("A/2", "2026-11-20", "丙")],
                       today="2026-12-05")
    assert [(n.version, n.state) for n in notices] == [("A/2", State.CURRENT), ("A/0", State.SUPERSEDED)]


@pytest.fixture(scope="module")
def shipped(shipped_history):
    """The shipped library with its real git history."""
    return shipped_history


def _pages(shipped, today: str, site_url: str = ""):
    procedures, histories = shipped
    revisions = {p.slug: procedure_revisions(p, histories[p.slug], today) for p in procedures}
    library = Library([revisions[p.slug].shown for p in procedures])
    return revisions, render_pages(library, revisions=revisions, today=today, site_url=site_url)


def test_page_and_feed_announce_every_pending_revision_in_both_languages(shipped):
    procedures, _ = shipped
    today = (min(dt.date.fromisoformat(p.effective_date) for p in procedures) - dt.timedelta(days=1)).isoformat()
    revisions, out = _pages(shipped, today, site_url="https://qa.example.com/procedures/")
    pending = [(rev.source, rev.status) for rev in revisions.values() if rev.source.version in rev.status.pending]
    assert pending, "every shipped revision has an effective date after the day before the earliest one"
    for lang in ("zh", "en"):
        page, atom = out[f"changes.{lang}.md"], ET.fromstring(out[f"changes.{lang}.xml"])
        entries = {e.findtext(f"{ATOM}title"): e for e in atom.iter(f"{ATOM}entry")}
        for proc, _ in pending:
            heading = f"### {proc.number} {proc.title[lang]} {proc.version}"
            assert heading in page.replace("&#45;", "-"), heading
            section = page[page.index(heading):].split("\n### ")[0]
            assert proc.effective_date in section and "history.md#version-" in section
            if len(revisions[proc.slug].models) > 1:
                assert "/compare/" in section
            entry = next(e for title, e in entries.items() if title.startswith(f"{proc.number} {proc.title[lang]} {proc.version}"))
            assert entry.find(f"{ATOM}category").get("term") == "pending"
            link = entry.find(f"{ATOM}link[@rel='alternate']").get("href")
            assert link.startswith("https://qa.example.com/procedures/" + ("en/" if lang == "en" else "") + "library/")
            text = "".join(entry.find(f"{ATOM}content").itertext())
            own = next(r for r in proc.revisions if r.version == proc.version)
            for change in own.changes:
                assert " ".join(change[lang].split()) in " ".join(text.split())
        assert page.index("## ") < page.index(pending[0][0].number)  # under the first section: pending
    # Only the pending entries: revisions before the newest may already have taken effect on that day.
    zh_ids, en_ids = ({e.findtext(f"{ATOM}id") for e in ET.fromstring(out[f"changes.{lang}.xml"]).iter(f"{ATOM}entry")
                       if e.find(f"{ATOM}category").get("term") == "pending"} for lang in ("zh", "en"))
    assert len(zh_ids) == sum(len(rev.status.pending) for rev in revisions.values()) and not zh_ids & en_ids


def test_once_in_force_a_revision_moves_to_took_effect_and_its_feed_entry_is_updated(shipped):
    procedures, _ = shipped
    latest = max(p.effective_date for p in procedures)
    out = _pages(shipped, latest)[1]
    proc = next(p for p in procedures if p.effective_date == latest)
    title = f"{proc.number} {proc.title['en']} {proc.version}"
    entry = next(e for e in ET.fromstring(out["changes.en.xml"]).iter(f"{ATOM}entry")
                 if e.findtext(f"{ATOM}title").startswith(title))
    assert entry.findtext(f"{ATOM}updated") == f"{latest}T00:00:00Z"  # feed readers show it again on that day
    assert entry.find(f"{ATOM}category").get("term") == "current"
    page = out["changes.en.md"].replace("&#45;", "-")
    assert page.index("{ #in-force }") < page.index(f"### {title}")


def test_feed_links_are_relative_to_the_feed_without_a_site_address():
    base = load_file(FIXTURES / "minimal.yaml")[0]
    models = {"A/1": base}
    facts = lifecycle.facts(models, {"A/1": "2026-11-03"})
    notices = recent_changes([("minimal", models, lifecycle.status(facts, "2026-11-27"), facts)], "2026-11-27")
    atom = ET.fromstring(feed.atom(notices, "en", "2026-11-27"))
    link = atom.find(f"{ATOM}entry/{ATOM}link[@rel='alternate']").get("href")
    assert urljoin("https://host/en/library/changes.xml", link) == "https://host/en/library/minimal/history/a-1/"
    assert atom.find(f"{ATOM}link[@rel='self']") is None


def test_built_site_has_the_page_and_a_valid_feed_per_language_whose_links_resolve(built_site):
    site = built_site / "site"
    for prefix in ("", "en/"):
        assert (site / prefix / "library" / "changes" / "index.html").is_file()
        feed_file = site / prefix / "library" / "changes.xml"
        atom = ET.parse(feed_file).getroot()
        assert atom.tag == f"{ATOM}feed" and atom.findtext(f"{ATOM}id").startswith("urn:uuid:")
        for link in atom.iter(f"{ATOM}link"):
            href = link.get("href")
            target = urlparse(href).path
            assert not urlparse(href).scheme, href  # tests build without SITE_URL: links relative to the feed
            resolved = (feed_file.parent / target).resolve()
            assert (resolved / "index.html").is_file(), href
        page = (site / prefix / "library" / "changes" / "index.html").read_text(encoding="utf-8")
        assert 'href="../changes.xml"' in page
