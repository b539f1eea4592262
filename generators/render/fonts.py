"""A compact CJK font for the PDFs.

Noto Sans CJK holds 65,000 glyphs, and WeasyPrint's subsetting keeps every glyph slot
(it retains glyph ids), so each PDF would carry ~250 KB of font tables. Subsetting Noto
Sans CJK SC once to GB 2312 (6,763 hanzi, ASCII and common punctuation, ~7,500 glyphs)
brings a one-page form to about 80 KB. Characters outside that set fall back to the full
system font. The subsets are cached in .cache/fonts/ and made once per machine.
"""
from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
from concurrent.futures import ProcessPoolExecutor, as_completed
from functools import lru_cache
from pathlib import Path

from ..source.lifeline import die_with_parent
from ..source.progress import Progress

CACHE_DIR = Path(".cache/fonts")
FAMILY = "Noto Sans CJK SC"
EXTRA = "☐✓✔—–…‘’“”·•→←↔●○□■◆△"
WEIGHTS = {"normal": "Regular", "bold": "Bold"}
# A compact font's address in a print document: its folder depends on where the project lies, its file
# name does not (it carries the digest of the system font and the characters it keeps).
FONT_URL = re.compile(r'url\("file://[^"]*/(NotoSansCJKsc-[A-Za-z]+-gb2312-[0-9a-f]{16}\.otf)"\)')


def charset() -> str:
    chars = {chr(c) for c in range(0x20, 0x7F)} | set(EXTRA)
    for first in range(0xA1, 0xF8):
        for second in range(0xA1, 0xFF):
            try:
                chars.add(bytes([first, second]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return "".join(sorted(chars))


def _source(style: str) -> Path | None:
    if not shutil.which("fc-match"):
        return None
    found = subprocess.run(["fc-match", "-f", "%{file}", f"{FAMILY}:style={style}"], capture_output=True, text=True)
    path = Path(found.stdout.strip())
    return path if path.is_file() and "CJK" in path.name else None


def _subset(job: tuple[str, str, str]) -> str:
    source, target, chars = job
    from fontTools import subset
    from fontTools.ttLib import TTCollection, TTFont

    index = 0
    if source.endswith(".ttc"):
        names = [f["name"].getDebugName(1) for f in TTCollection(source, lazy=True).fonts]
        index = names.index(FAMILY)
    font = TTFont(source, fontNumber=index)
    options = subset.Options(desubroutinize=True, hinting=False, layout_features=[], name_IDs=["*"], notdef_outline=True)
    options.drop_tables += ["GSUB", "GPOS", "VORG", "vhea", "vmtx"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in chars])
    subsetter.subset(font)
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    temporary = target + ".tmp"
    font.save(temporary)
    Path(temporary).replace(target)
    return target


def font_faces(cache_dir: Path = CACHE_DIR) -> str:
    """CSS @font-face rules for the compact PDF font ("" when Noto Sans CJK is not installed).

    Worked out once per folder, by its absolute path (``.cache/fonts`` is another folder after a
    change of working folder), and again when a font file it names is gone (a `make clean` under
    `make serve`): rules naming a missing file would make WeasyPrint embed the whole system font."""
    folder = Path(cache_dir).resolve()
    faces, targets = _font_faces(folder)
    if not all(target.exists() for target in targets):
        _font_faces.cache_clear()
        faces, targets = _font_faces(folder)
    return faces


@lru_cache(maxsize=4)
def _font_faces(cache_dir: Path) -> tuple[str, tuple[Path, ...]]:
    chars = charset()
    jobs, faces, targets = [], [], []
    for weight, style in WEIGHTS.items():
        source = _source(style)
        if source is None:
            return "", ()
        stat = source.stat()
        key = hashlib.sha256(f"{source}|{stat.st_size}|{stat.st_mtime_ns}|{chars}".encode()).hexdigest()[:16]
        target = (cache_dir / f"NotoSansCJKsc-{style}-gb2312-{key}.otf").resolve()
        targets.append(target)
        if not target.exists():
            jobs.append((str(source), str(target), chars))
        faces.append(f'@font-face {{ font-family: "PDF Sans"; font-weight: {weight}; src: url("{target.as_uri()}"); }}')
    if jobs:
        with ProcessPoolExecutor(max_workers=len(jobs), initializer=die_with_parent, initargs=(os.getpid(),)) as pool:
            tasks = [pool.submit(_subset, job) for job in jobs]
            progress = Progress("compact PDF fonts (made once, kept in .cache/fonts)", len(tasks))  # after the fork
            try:
                for task in as_completed(tasks):
                    task.result()
                    progress.advance()
            finally:
                progress.finish()
    faces.append('html { font-family: "PDF Sans", "Noto Sans CJK SC", sans-serif; }')
    return "\n".join(faces), tuple(targets)
