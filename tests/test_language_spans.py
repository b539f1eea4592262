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
