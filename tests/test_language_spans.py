"""Chinese on English pages is marked lang="zh-CN" (names, quoted originals), and nothing else changes."""
from __future__ import annotations

from generators.publish.language_spans import mark_chinese


def test_each_run_of_chinese_text_is_marked_and_tags_attributes_and_code_are_left_alone():
    html = ('<td>刘洋</td><td title="王强">Approved by 王强 on 2026-11-27</td><code>中文</code>'
            '<p>See 《销售控制程序》 (SD-14).</p><svg><text>中</text></svg><script>var a = "中";</script>')
    marked = mark_chinese(html)
    assert '<td><span lang="zh-CN">刘洋</span></td>' in marked
    assert 'title="王强"' in marked and 'Approved by <span lang="zh-CN">王强</span> on 2026-11-27' in marked
    assert '<span lang="zh-CN">《销售控制程序》</span> (SD-14)' in marked
    assert "<code>中文</code>" in marked and "<text>中</text>" in marked and 'var a = "中";' in marked


def test_english_text_and_curly_quotes_stay_outside_the_marks():
    assert mark_chinese("<p>“quoted” text, 12 items</p>") == "<p>“quoted” text, 12 items</p>"


def test_on_a_chinese_page_english_words_are_marked_and_codes_entities_and_tags_are_left_alone():
    from generators.publish.language_spans import mark_english

    html = ('<p>英文名称改为“Sales Process Control Workflow”（流程 = workflow），见 QP-XS-01 A/1 的 PDF。</p>'
            '<td>A &amp; B</td><a href="a b" title="Open it">打开</a><code>make check</code><svg><text>Yes no</text></svg>')
    marked = mark_english(html)
    assert '“<span lang="en">Sales Process Control Workflow</span>”' in marked
    assert '（流程 = <span lang="en">workflow</span>）' in marked
    assert "见 QP-XS-01 A/1 的 PDF。" in marked  # codes and abbreviations are not English text
    assert "<td>A &amp; B</td>" in marked and 'href="a b" title="Open it"' in marked
    assert "<code>make check</code>" in marked and "<text>Yes no</text>" in marked


def test_a_chinese_title_gets_a_break_opportunity_between_its_words_only():
    from generators.publish.phrase_breaks import titles_break_between_words

    html = '<h1 id="x">集团销售过程及后续管理流程<a class="headerlink" href="#x" title="Permanent link">&para;</a></h1><p>销售过程</p>'
    out = titles_break_between_words(html)
    assert out.startswith('<h1 id="x">集团<wbr>销售<wbr>过程<wbr>及<wbr>后续<wbr>管理<wbr>流程<a class="headerlink"'), out
    assert out.endswith("<p>销售过程</p>") and 'href="#x"' in out
