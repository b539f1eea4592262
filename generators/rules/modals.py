"""Modal verbs: a requirement in the Chinese stays a requirement in the English, and nothing more.

The English style for requirements (docs/glossary, "Requirements"): 应 / 应当 / 应该 → "shall",
必须 / 须 → "shall" or "must", 不得 → "shall not", 宜 / 建议 → "should" (a text the source presents as
a recommendation keeps 应 as "should"). Each text is compared in its two languages, quotations aside
(《…》 titles, cited words):

- a Chinese text with more sentences that state a requirement than the English has modal verbs
  (shall, must, should, is to / are to) has lost a requirement: it reads as a statement of fact. A
  modal verb that stands for a 需要 ("needs to") does not count: where the English has fewer "need"
  words than the Chinese has 需要, the missing ones are taken to be rendered by a modal verb, which
  then carries no 应 (当《合同》需要更改时，应重新评审 → "when the contract must change, it undergoes
  review" has lost the 应);
- a 需要 rendered as "shall" or "must" (more English modal verbs than Chinese requirements, fewer
  "need" words than 需要) makes a requirement of what the glossary renders "needs to";
- a Chinese 不得 with no negative modal in the English (shall not, must not, may not) has lost a
  prohibition;
- an English "shall" or "must" where the Chinese states no requirement at all makes a rule the source
  does not (a recommendation or a description turned into a requirement).

A warning, not an error: a sentence can carry its force in other words, and a reviewer decides.
The revision log is not checked: it cites and reports, it does not require.
"""
from __future__ import annotations

import re

from ..source.diagnostics import warning
from ..source.model import Procedure
from .registry import rule
from .texts import walk_texts

# 应 as a modal verb, not inside a word: 相应, 对应, 响应, 适应, 反应, 回应, 供应, 答应, 效应, 感应, 呼应
# (应 second), 应收, 应付, 应用, 应急, 应对, 应变, 应聘, 应酬, 应届 (应 first).
_YING = re.compile(r"(?<![相对响适反回供答效感呼])应(?![收付用急对变聘酬届])")
_MUST = re.compile(r"必须|(?<![无必])须(?![知])|务必")
_NOT = re.compile(r"不得|严禁|禁止")
# What may carry a requirement in Chinese without a modal verb above (需要 "needs to", 要 "is to").
_OTHER_REQUIREMENT = re.compile(r"需要|(?<![重主只需])要(?![求素点])")
# Quotations: titles and cited words. Not single quotes: an apostrophe ("the company's") is no quote.
# 需要 as "needs to": not the noun (的需要, 有需要, 根据需要, 按需要, 如需要, 满足需要, 自身需要, 需要。).
_NEED = re.compile(r"(?<![的有据按如照足身])需要(?![。，；、）)]|$)")
_QUOTED = re.compile(r'"[^"]*"|“[^”]*”|《[^》]*》|「[^」]*」')
_SENTENCE = re.compile(r"(?<=[。；！？?\n])")
_QUESTION = re.compile(r"[？?]\s*$")

_EN_MODAL = re.compile(r"\b(?:shall|must|should|(?:is|are) to)\b", re.IGNORECASE)
_EN_NEED = re.compile(r"\bneed(?:s|ed)?\b", re.IGNORECASE)
_EN_STRONG = re.compile(r"\b(?:shall|must)\b", re.IGNORECASE)
_EN_NOT = re.compile(r"\b(?:shall|must|may|should)\s+not\b|\b(?:shan't|mustn't)\b|\bnever\b|\bno\s+\w+\s+(?:shall|may)\b",
                     re.IGNORECASE)

HINT = ("translate 应/应当/应该 as 'shall', 必须/须 as 'shall' or 'must', 不得 as 'shall not', 宜/建议 as "
        "'should', 需要 as 'needs to' (docs/glossary.en.md, Requirements)")


def _requirements(zh: str) -> list[str]:
    """The modal verbs of each Chinese sentence that states a requirement (one entry per sentence)."""
    found = []
    for sentence in _SENTENCE.split(zh):
        if _QUESTION.search(sentence):
            continue  # a question (a decision such as 是否属于应报告的不良事件？) asks; it does not require
        words = [m.group(0) for pattern in (_NOT, _MUST, _YING) for m in pattern.finditer(sentence)]
        if words:
            found.append(words[0])
    return found


def _needs(zh: str) -> int:
    """How many times the Chinese says 需要 ("needs to"), questions aside."""
    return sum(len(_NEED.findall(s)) for s in _SENTENCE.split(zh) if not _QUESTION.search(s))


def _place(where: str, field: str) -> str:
    return ": ".join(p for p in (where, field.replace("_", " ")) if p)


def modal_verbs(proc: Procedure):
    for text, where, field in walk_texts(proc):
        if where.startswith("revision ") or not text.zh or not text.en:
            continue  # a revision-log entry cites the original; it does not require
        zh, en = _QUOTED.sub("", text.zh), _QUOTED.sub("", text.en)
        required = _requirements(zh)
        place = _place(where, field)
        modals = len(_EN_MODAL.findall(en))
        # 需要 the English does not say with "need": each is taken to be one of its modal verbs.
        for_need = min(max(0, _needs(zh) - len(_EN_NEED.findall(en))), modals)
        if _NOT.search(zh) and not _EN_NOT.search(en):
            yield warning(text.pos, "modal-verb",
                          f"{place}: the Chinese forbids ('{_NOT.search(zh).group(0)}') and the English does not say 'shall not'",
                          HINT)
        elif len(required) > modals - for_need:
            words = "、".join(dict.fromkeys(required))
            of_them = f", {for_need} of them for '需要' ('needs to')" if for_need else ""
            yield warning(text.pos, "modal-verb",
                          f"{place}: {len(required)} Chinese sentence(s) state a requirement ('{words}'), the English has "
                          f"{modals} modal verb(s){of_them}: a requirement reads as a statement of fact",
                          HINT)
        elif for_need:
            yield warning(text.pos, "modal-verb",
                          f"{place}: '需要' reads as '{_EN_MODAL.search(en).group(0)}' in the English, a requirement: "
                          "the glossary has 'needs to'",
                          HINT)
        elif not required and _EN_STRONG.search(en) and not _OTHER_REQUIREMENT.search(zh):
            yield warning(text.pos, "modal-verb",
                          f"{place}: the English requires ('{_EN_STRONG.search(en).group(0)}') where the Chinese states no requirement",
                          HINT)


rule(modal_verbs)
