"""The one place that runs WeasyPrint. PDFs are cached by the content of their HTML and
rendered in parallel worker processes (WeasyPrint is CPU-bound Python)."""
from __future__ import annotations

import hashlib
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .writer import atomic_write

CACHE_DIR = Path(".cache/pdf")


@dataclass
class PdfStats:
    rendered: int = 0
    cached: int = 0


def _render_one(html: str) -> bytes:
    import weasyprint  # imported in the worker: keeps start-up of the CLI fast

    return weasyprint.HTML(string=html).write_pdf()


@dataclass
class PdfRenderer:
    cache_dir: Path = CACHE_DIR
    stats: PdfStats = field(default_factory=PdfStats)

    def _cache_path(self, html: str) -> Path:
        return self.cache_dir / (hashlib.sha256(html.encode("utf-8")).hexdigest() + ".pdf")

    def render_many(self, documents: list[str], workers: int | None = None) -> list[bytes]:
        """PDF bytes for each HTML document; only those not cached are rendered, across all cores."""
        results: list[bytes | None] = []
        missing: list[int] = []
        for index, html in enumerate(documents):
            cached = self._cache_path(html)
            if cached.exists():
                results.append(cached.read_bytes())
                self.stats.cached += 1
            else:
                results.append(None)
                missing.append(index)
        if missing:
            todo = [documents[i] for i in missing]
            if len(todo) == 1:
                rendered = [_render_one(todo[0])]
            else:
                with ProcessPoolExecutor(max_workers=workers or os.cpu_count()) as pool:
                    rendered = list(pool.map(_render_one, todo, chunksize=max(1, len(todo) // 16)))
            for index, pdf in zip(missing, rendered):
                atomic_write(self._cache_path(documents[index]), pdf)
                results[index] = pdf
            self.stats.rendered += len(todo)
        return results  # type: ignore[return-value]
