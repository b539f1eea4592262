"""Faithful transcription: each A/0 fixture says what its seed document says, nothing more, nothing less.

For every ``tests/fixtures/<slug>-a0.yaml`` the seed document's text is ``tests/fixtures/seed/<slug>.txt``
(a character-for-character copy of its span in the seed file; see ``seed/INDEX.md``). Texts are compared
after normalisation (NFKC, whitespace and punctuation removed), so full-width and half-width punctuation
and line breaks do not matter, and every other character does:

- every sentence of every Chinese text in the fixture is in the seed document (editorial text is exempt:
  the revision log, the approval block and ``gap:`` / ``tbd:`` markers, which say what the seed lacks);
- every sentence of the seed document is in the fixture, or is listed in ``<slug>-a0.left-out.yaml`` with
  the reason it is left out; what remains may only be clause numbering (4.1.1, a), 第三条, 一、).
"""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES, run_cli

SEED = FIXTURES / "seed"
SEED_FILE = SEED / "000_540819b8196322be.txt"
A0_FIXTURES = sorted(FIXTURES.glob("*-a0.yaml"))
EDITORIAL_KEYS = {"revisions", "approval", "gap", "tbd"}
NUMBERING_KEYS = {"number", "clause"}  # the source's own numbering (第三条, 一、1., 4.1.1), compared as numbering
SENTENCE_END = re.compile(r"[。；;！？!?\n]")
CJK = re.compile(r"[\u3400-\u9fff]")
# What may stay uncovered in a seed sentence: clause numbers and list markers, nothing else.
NUMBERING = re.compile(r"(?:[0-9]+|[a-h]|第[一二三四五六七八九十百零]+[章条节]|[一二三四五六七八九十]+)+")
WINDOW = 8  # a fixture text and a seed sentence overlapping by this many characters cover each other


def normalise(text: str) -> str:
    """Compare what is written, not how it is punctuated or wrapped."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in text if unicodedata.category(ch)[0] not in "PZC")


def sentences(text: str) -> list[str]:
    return [piece for piece in (normalise(p) for p in SENTENCE_END.split(text)) if piece]


def chinese_texts(node, path: str = "") -> list[tuple[str, str]]:
    """(path, text) for every string holding Chinese, outside editorial parts and English texts."""
    found: list[tuple[str, str]] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in EDITORIAL_KEYS or key in NUMBERING_KEYS or key == "en":
                continue
            found += chinese_texts(value, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += chinese_texts(value, f"{path}[{i}]")
    elif isinstance(node, str) and CJK.search(node):
        found.append((path, node))
    return found


def slug_of(fixture: Path) -> str:
    return fixture.name.removesuffix("-a0.yaml")


def seed_text(slug: str) -> str:
    return (SEED / f"{slug}.txt").read_text(encoding="utf-8")


def left_out(slug: str) -> list[dict]:
    path = FIXTURES / f"{slug}-a0.left-out.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8")) or [] if path.exists() else []


def uncovered(sentence: str, corpus: list[str]) -> list[str]:
    """The runs of ``sentence`` that no corpus text covers (a corpus text inside the sentence covers
    its characters; one sharing a window of WINDOW characters covers that window)."""
    if any(sentence in text for text in corpus):
        return []
    covered = [False] * len(sentence)
    for text in corpus:
        if len(text) < 2:
            continue
        start = sentence.find(text)
        while start >= 0:
            covered[start:start + len(text)] = [True] * len(text)
            start = sentence.find(text, start + 1)
    joined = "\0".join(corpus)
    for i in range(len(sentence) - WINDOW + 1):
        if sentence[i:i + WINDOW] in joined:
            covered[i:i + WINDOW] = [True] * WINDOW
    mask = "".join("1" if c else "0" for c in covered)
    return [sentence[m.start():m.end()] for m in re.finditer("0+", mask)]


def check_fixture_in_seed(fixture: Path) -> list[str]:
    """Fixture sentences that are not in the seed document."""
    data = yaml.safe_load(fixture.read_text(encoding="utf-8"))
    seed = normalise(seed_text(slug_of(fixture)))
    return [f"{path}: {sentence!r} (from {text!r})"
            for path, text in chinese_texts(data) for sentence in sentences(text) if sentence not in seed]


def check_seed_in_fixture(fixture: Path) -> list[str]:
    """Seed sentences (with the part not covered) that the fixture neither transcribes nor lists as left out."""
    slug = slug_of(fixture)
    data = yaml.safe_load(fixture.read_text(encoding="utf-8"))
    corpus = [s for _, text in chinese_texts(data) for s in sentences(text)]
    corpus += [normalise(entry["text"]) for entry in left_out(slug)]
    missing = []
    for line in seed_text(slug).splitlines():
        for sentence in sentences(line):
            rest = [run for run in uncovered(sentence, corpus) if not NUMBERING.fullmatch(run)]
            if rest:
                missing.append(f"{sentence!r}: not transcribed {rest}")
    return missing


@pytest.mark.parametrize("fixture", A0_FIXTURES, ids=[slug_of(f) for f in A0_FIXTURES])
def test_every_chinese_sentence_of_the_a0_fixture_is_in_its_seed_document(fixture: Path):
    invented = check_fixture_in_seed(fixture)
    assert not invented, "not in the seed:\n" + "\n".join(invented)


@pytest.mark.parametrize("fixture", A0_FIXTURES, ids=[slug_of(f) for f in A0_FIXTURES])
def test_every_seed_sentence_is_in_the_a0_fixture_or_left_out_with_a_reason(fixture: Path):
    missing = check_seed_in_fixture(fixture)
    assert not missing, "seed text missing from the fixture and from its left-out list:\n" + "\n".join(missing)


@pytest.mark.parametrize("fixture", A0_FIXTURES, ids=[slug_of(f) for f in A0_FIXTURES])
def test_left_out_entries_quote_the_seed_and_give_a_reason(fixture: Path):
    seed = normalise(seed_text(slug_of(fixture)))
    for entry in left_out(slug_of(fixture)):
        assert set(entry) == {"text", "reason"}, entry
        assert normalise(entry["text"]) in seed, f"left-out text not in the seed: {entry['text']!r}"
        assert str(entry["reason"]).strip(), f"no reason for leaving out {entry['text']!r}"


@pytest.mark.parametrize("fixture", A0_FIXTURES, ids=[slug_of(f) for f in A0_FIXTURES])
def test_check_of_the_a0_fixture_lists_exactly_the_seeds_gaps(fixture: Path):
    result = run_cli("check", fixture.name, cwd=FIXTURES)
    expected = (FIXTURES / f"{slug_of(fixture)}-a0.expected.txt").read_text(encoding="utf-8")
    assert result.stdout == expected
    assert "Traceback" not in result.stderr


def test_the_twenty_seed_documents_and_the_collections_own_lines_make_up_the_seed_file():
    index = (SEED / "INDEX.md").read_text(encoding="utf-8")
    documents = sorted(p for p in SEED.glob("*.txt") if p != SEED_FILE)
    assert len(documents) == 20
    for doc in documents:
        assert f"`{doc.stem}`" in index, f"{doc.name} is not in INDEX.md"
    in_documents = [line for doc in documents for line in doc.read_text(encoding="utf-8").splitlines()
                    if line.strip()]
    seed_lines = SEED_FILE.read_text(encoding="utf-8").splitlines()
    collection = [seed_lines[0], seed_lines[2], *seed_lines[744:747]]  # lines 1, 3, 745-747 (INDEX.md)
    assert collection[:2] == ["销售过程控制流程", "合集下载"] and all("、" in line for line in collection[2:])
    in_seed = [line for line in seed_lines if line.strip()]
    for line in collection:
        in_seed.remove(line)
    assert sorted(in_documents) == sorted(in_seed)


def test_normalising_ignores_punctuation_width_and_wrapping_but_not_words():
    assert normalise("准备充分、及时、无误;营销计划\n准确可行。") == normalise("准备充分，及时，无误；营销计划准确可行")
    assert normalise("销售部（负责）") == normalise("销售部(负责)")
    assert normalise("每月5日前") != normalise("每月日前")


def test_a_seed_sentence_left_uncovered_is_reported_and_numbering_is_not():
    corpus = [normalise("业务部负责提供与产品特性有关的信息和文件")]
    assert uncovered(normalise("4.1.1业务部负责提供与产品特性有关的信息和文件。"), corpus) == ["411"]
    assert NUMBERING.fullmatch("411")
    rest = uncovered(normalise("4.1.2对关键、重要和特殊的过程要明确其有关的技术标准"), corpus)
    assert rest and not all(NUMBERING.fullmatch(r) for r in rest)
