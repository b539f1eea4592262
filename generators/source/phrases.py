"""Chinese words, so lines break between them, never inside one ("受控文件清 / 单", "纠正措 / 施").

Chinese is written without spaces; jieba (its dictionary, no statistical guessing of new words) finds the
words. Used where a line of Chinese is broken: chart labels (render/flowchart.py wrap), PDF table cells
(render/printable.py) and page titles (publish/mkdocs_hooks.py)."""
from __future__ import annotations

import re
from functools import lru_cache

HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{2,}")


@lru_cache(maxsize=1)
def segmenter():
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


@lru_cache(maxsize=4096)
def words(run: str) -> tuple[str, ...]:
    """The words of a run of Chinese characters, in order (joined, they are the run)."""
    return tuple(segmenter().cut(run, HMM=False))
