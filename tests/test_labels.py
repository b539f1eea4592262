"""Interface labels: every key in both languages, Chinese with full-width punctuation (GB/T 15834)."""
from __future__ import annotations

import re

from generators.labels import LABELS

CJK = r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]"
# Half-width , ; : ( ) " ? ! touching a Chinese character (codes such as "QP-XS-01" or "A/2" stay half-width).
HALF_WIDTH_BESIDE_CJK = re.compile(rf"(?<={CJK})\s*[,;:()\"?!]|[,;:()\"?!]\s*(?={CJK})")


def test_every_label_has_chinese_and_english():
    missing = [key for key, text in LABELS.items() if not (text.get("zh") and text.get("en"))]
    assert not missing


def test_chinese_labels_use_full_width_punctuation_beside_chinese_characters():
    wrong = {key: text["zh"] for key, text in LABELS.items() if HALF_WIDTH_BESIDE_CJK.search(text["zh"])}
    assert not wrong


def test_the_punctuation_check_itself_flags_half_width_and_passes_codes():
    assert HALF_WIDTH_BESIDE_CJK.search("本程序以中文版为准;英文版为译文")
    assert HALF_WIDTH_BESIDE_CJK.search("A(数量)")
    assert not HALF_WIDTH_BESIDE_CJK.search("编号 QP-XS-01，版号 A/2（现行）")
