"""Swimlane charts drawn by the real Graphviz: every step in its owner's lane, every flow link drawn."""
from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, run_cli
from generators.render.graphviz import Graphviz
from generators.source.loader import load_file
from generators.source import paths
from generators.render.flowchart import flowchart_dot, wrap
from synthetic import dump, procedure

GOLDEN = ROOT / "tests" / "golden"


def _load(tmp_path: Path, data: dict):
    path = tmp_path / "p.yaml"
    path.write_text(dump(data), encoding="utf-8")
    result = run_cli("check", str(path))
    assert result.returncode == 0, result.stdout
    return load_file(path)[0]


def _lanes(svg: str) -> dict[str, tuple[float, float]]:
    """Role id -> x range of its lane rectangle."""
    lanes = {}
    for match in re.finditer(r'<g id="lane&#45;([^"]+)" class="cluster lane">\s*<title>[^<]*</title>\s*<polygon[^>]*points="([^"]+)"', svg):
        xs = [float(p.split(",")[0]) for p in match[2].split()]
        lanes[match[1].replace("&#45;", "-")] = (min(xs), max(xs))
    return lanes


def _node_x(svg: str, step_id: str) -> float:
    node = re.search(r'<g id="chart&#45;step&#45;' + step_id.replace("-", "&#45;") + r'"[\s\S]*?<path[^>]*d="M([\d.]+),', svg)
    assert node, f"no node for step {step_id}"
    return float(node[1])


def _check_chart(proc, lang: str, svg: str) -> None:
    lanes = _lanes(svg)
    with_steps = [r.id for r in proc.roles
                  if any(s.owner == r.id or any(p.role == r.id for p in s.participants) for s in proc.steps)]
    assert list(lanes) == with_steps, "a lane for each role with a step, none for the others"
    xs = [lanes[r][0] for r in with_steps]
    assert xs == sorted(xs), "lanes are not in the order of the roles list"
    for step in proc.steps:
        left, right = lanes[step.owner]
        assert left <= _node_x(svg, step.id) <= right, f"step {step.id} outside the lane of {step.owner}"
        assert f'xlink:href="./#step-{step.id}"' in svg
        for link in proc.successors(step):
            edge_id = f"flow-{step.id}-{link.target}".replace("-", "&#45;")
            assert f'id="{edge_id}"' in svg, edge_id


@pytest.mark.parametrize("shape", [dict(steps=1, roles=1, documents=1, forms=1), dict(steps=40, roles=12, documents=10, forms=4)],
                         ids=["1 role, 1 step", "12 roles, 40 steps"])
def test_chart_puts_every_step_in_its_owners_lane_in_role_order(tmp_path, shape):
    proc = _load(tmp_path, procedure(1, **shape))
    graphviz = Graphviz(cache_dir=tmp_path / "cache")
    for lang in ("zh", "en"):
        _check_chart(proc, lang, graphviz.svg(flowchart_dot(proc, lang, paths.output_url_from_procedure)))


def test_unchanged_chart_is_not_drawn_again(tmp_path):
    proc = _load(tmp_path, procedure(2, steps=5, roles=3))
    chart = flowchart_dot(proc, "zh", paths.output_url_from_procedure)
    graphviz = Graphviz(cache_dir=tmp_path / "cache")
    first = graphviz.svg(chart)
    second = Graphviz(cache_dir=tmp_path / "cache")
    assert second.svg(chart) == first
    assert (graphviz.stats.drawn, second.stats.drawn, second.stats.cached) == (1, 0, 1)


HOSTILE_TITLE = 'a "quoted" \\ back\\slash <b>&amp; {brace} }> [x]\nnew line \\N \\G'


def test_hostile_text_neither_breaks_nor_injects_into_the_chart(tmp_path):
    data = procedure(3, steps=3, roles=2)
    data["steps"][0]["title"] = {"zh": HOSTILE_TITLE, "en": HOSTILE_TITLE}
    data["roles"][0]["name"] = {"zh": HOSTILE_TITLE, "en": HOSTILE_TITLE}
    data["steps"][0]["substeps"] = [{"zh": HOSTILE_TITLE, "en": HOSTILE_TITLE}]
    proc = _load(tmp_path, data)
    svg = Graphviz(cache_dir=tmp_path / "cache").svg(flowchart_dot(proc, "en", paths.output_url_from_procedure))
    _check_chart(proc, "en", svg)
    assert "<b>" not in svg
    label = "".join(re.findall(r">([^<]*)</text>", svg.split('id="chart&#45;step&#45;s1"')[1].split("</a>")[0]))
    assert "&quot;quoted&quot;" in label or '"quoted"' in label
    assert "&lt;b&gt;&amp;amp;" in label


def test_long_labels_wrap_into_balanced_lines():
    assert wrap("6. 阶段销售计划执行") == ["6. 阶段销售", "计划执行"]
    assert wrap("Phase marketing plan execution") == ["Phase marketing", "plan execution"]
    assert all(len(line) <= 9 for line in wrap("在售中的营销方案执行过程中项目策划主管定期组织完成阶段性的"))


def test_a_chinese_label_breaks_between_words_never_inside_one():
    from generators.source.phrases import words

    for text in ["时限：“标识、隔离并报告”后24小时内", "项目销售主管负责对销售现场进行管理", "集团销售过程及后续管理流程",
                 "在售中的营销方案执行过程中项目策划主管定期组织完成阶段性的"]:
        lines = wrap(text)
        assert len(lines) > 1, text
        ends, position = set(), 0
        for word in words("".join(ch for ch in text)):
            position += len(word)
            ends.add(position)
        cut = 0
        for line in lines[:-1]:
            cut += len(line)
            assert cut in ends, (text, lines)  # each line ends where a word ends


def _golden_source(name: str):
    """minimal: the plain fixture; escaping: the golden-page fixture whose texts need DOT, HTML and Markdown escaping."""
    from generators.source.loader import load_bytes

    if name == "minimal":
        return load_file(FIXTURES / "minimal.yaml")[0]
    return load_bytes("escaping.yaml", (FIXTURES / "golden" / "escaping.a1.yaml").read_bytes(), "escaping")[0]


@pytest.mark.parametrize("name", ["minimal", "escaping"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_dot_source_matches_golden(name, lang, golden):
    chart = flowchart_dot(_golden_source(name), lang, paths.output_url_from_procedure)
    text = chart.layout + "// --- overlay: flow edges routed by neato -n2 ---\n" + chart.overlay
    golden(GOLDEN / f"{name}.flowchart.{lang}.dot", text)


def test_a_routing_that_crashes_neato_still_gets_a_chart(tmp_path):
    # proc-0022 of the synthetic library of 100 makes neato 2.43's orthogonal router crash
    from synthetic import procedure as synthetic_procedure
    import random

    rng = random.Random(0)
    shapes = [dict(steps=rng.randint(5, 40), roles=rng.randint(3, 12), documents=rng.randint(2, 10),
                   forms=rng.randint(1, 4), revisions=rng.randint(1, 6)) for _ in range(23)]
    proc = _load(tmp_path, synthetic_procedure(22, **shapes[22]))
    svg = Graphviz(cache_dir=tmp_path / "cache").svg(flowchart_dot(proc, "en", paths.output_url_from_procedure))
    _check_chart(proc, "en", svg)


def test_chart_hover_text_names_lanes_steps_and_links_never_dot_ids(tmp_path):
    from generators.render.flowchart import readable_titles

    proc = load_file(FIXTURES / "minimal.yaml")[0]
    assert {r.id for r in proc.roles} == {"clerk", "manager"} and {s.owner for s in proc.steps} == {"clerk"}
    for lang, names in (("zh", ["文员", "1. 登记", "2. 报告", "1. 登记 → 2. 报告"]),
                        ("en", ["Clerk", "1. Record", "2. Report", "1. Record → 2. Report"])):
        chart = flowchart_dot(proc, lang, paths.output_url_from_procedure)
        raw = Graphviz(cache_dir=tmp_path / "cache").svg(chart)
        assert "<title>cluster_lane_0</title>" in raw  # what Graphviz writes by itself
        svg = readable_titles(raw, chart.titles)
        titles = re.findall(r"<title>([^<]*)</title>", svg)
        for name in names:
            assert name in titles, (lang, name, titles)
        assert not [t for t in titles if re.search(r"cluster_|step_|&#45;&gt;|->|_outputs|row_", t)], titles
        assert 'id="lane&#45;manager"' not in svg, "the manager owns no step: no lane"


def _geometry(svg: str) -> list[str]:
    return re.findall(r' (?:points|d|x|y)="[^"]*"', svg)


def test_a_revision_pages_chart_is_the_procedure_pages_drawing_with_only_its_step_links(tmp_path):
    """One layout serves both pages: the revision page's chart (here of a procedure the library no longer
    shows, as a withdrawn one) removes the links out (forms, documents, the hand-off's procedure) from
    the procedure page's drawing, which it finds in the cache, and names the hand-off's procedure as the
    library publishes it, without the "not published" aside a missing link used to bring."""
    from generators.control.history import History, procedure_revisions
    from generators.render.site import ARCHIVE, MAIN, render_charts
    from generators.source.library import Library

    complaints = load_file(FIXTURES / "complaint-handling.yaml")[0]
    vigilance_source = (FIXTURES / "every-section.yaml").read_text(encoding="utf-8")
    vigilance_path = tmp_path / "vigilance.yaml"
    vigilance_path.write_text(re.sub(r"(?m)^number: .*$", "number: QP-VG-01", vigilance_source), encoding="utf-8")
    vigilance = load_file(vigilance_path)[0]
    assert vigilance.number == "QP-VG-01"
    graphviz = Graphviz(cache_dir=tmp_path / "cache")

    shown = render_charts(Library([complaints, vigilance]), graphviz)
    revisions = {complaints.slug: procedure_revisions(complaints, History((), False, False), "2026-12-07")}
    archived = render_charts(Library([vigilance]), graphviz, revisions)

    assert (graphviz.stats.drawn, graphviz.stats.cached) == (4, 4), "the revision page's charts come from the cache"
    for lang in ("zh", "en"):
        page = shown[(complaints.slug, complaints.version, lang, MAIN)]
        revision_page = archived[(complaints.slug, complaints.version, lang, ARCHIVE)]
        assert f'xlink:href="../{vigilance.slug}/"' in page
        assert _geometry(revision_page) == _geometry(page)
        hrefs = set(re.findall(r'xlink:href="([^"]*)"', revision_page))
        assert hrefs == {f"./#step-{step.id}" for step in complaints.steps}
        referenced = complaints.end("vigilance").procedure.title[lang]
        named = f"→ 《{referenced}》" if lang == "zh" else f"→ {referenced}"
        assert html.escape(wrap(named, 22)[0], quote=False) in revision_page
        assert ("已引用，未发布" if lang == "zh" else "Referenced, not published") not in revision_page


def test_an_output_the_revision_never_declared_is_shown_as_a_gap_never_by_its_id(tmp_path):
    # An old revision (the transcribed A/0 in git) names outputs its document table does not declare.
    source = (FIXTURES / "minimal.yaml").read_text(encoding="utf-8").replace("outputs: [log]", "outputs: [deal-customer-file]")
    path = tmp_path / "minimal.yaml"
    path.write_text(source, encoding="utf-8")
    proc = load_file(path)[0]
    for lang, gap in (("zh", "待定"), ("en", "To be determined")):
        svg = Graphviz(cache_dir=tmp_path / "cache").svg(flowchart_dot(proc, lang, paths.output_url_from_procedure))
        assert "deal" not in svg and gap in svg, lang
