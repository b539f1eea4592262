"""The search index under `make serve`: one entry list per page, kept between rebuilds.

Why: under `mkdocs serve --dirty` a rebuild indexes only the pages it rebuilt. The search plugin
(mkdocs-material) then merges them into the previous index assuming one page changed, and
mkdocs-static-i18n appends every language's entries again on each rebuild: with both, the served
index doubled on every edit (100 MB after the first edit of a 100-procedure library, 800 MB after
four), and the rebuild slowed down with it. Here the entries of each page replace that page's
entries of the previous build, pages no longer in the site are dropped, and every write of the
index writes the whole, current one.

Used by generators/publish/mkdocs_hooks.py only while serving; a `mkdocs build` indexes every page afresh
and needs none of this. No MkDocs import: the search plugin's index object is duck-typed (its
``add_entry_from_context(page)`` appends to ``entries``; ``generate_search_index(prev)`` returns the
JSON the plugin writes).
"""
from __future__ import annotations

import json


class ServedIndex:
    """Search entries by page URL, across the rebuilds of one `mkdocs serve` process."""

    def __init__(self) -> None:
        self.active = False  # set by the hook's on_startup for `mkdocs serve`
        self.entries_by_page: dict[str, list[dict]] = {}
        self.pages_by_language: dict[str, set[str]] = {}
        self._json: str | None = None

    def attach(self, index) -> None:
        """Make the plugin's ``index`` (built afresh for each language's build) record what it
        indexes here, and write the whole kept index whenever the plugin writes."""
        original_add = index.add_entry_from_context

        def add_entry_from_context(page):
            first = len(index.entries)
            original_add(page)
            # The same dict objects as the plugin's: later edits of an entry (the hook retitles a
            # page's own entry) show here too.
            self.entries_by_page[page.url] = index.entries[first:]
            self._json = None

        def generate_search_index(prev=None):
            return self.json(index.config)

        index.add_entry_from_context = add_entry_from_context
        index.generate_search_index = generate_search_index

    def set_pages(self, language: str, page_urls: set[str]) -> None:
        """The pages of ``language`` in this build: entries of any other page are dropped."""
        if self.pages_by_language.get(language) != page_urls:
            self.pages_by_language[language] = page_urls
            self._json = None

    def json(self, plugin_config: dict) -> str:
        """The index as the search plugin writes it (same keys and separators), of the current pages."""
        if self._json is None:
            current = set().union(*self.pages_by_language.values()) if self.pages_by_language else None
            if current is not None:
                for url in [url for url in self.entries_by_page if url not in current]:
                    del self.entries_by_page[url]
            docs = [entry for url in sorted(self.entries_by_page) for entry in self.entries_by_page[url]]
            config = {key: plugin_config[key] for key in ("lang", "separator", "pipeline", "fields")}
            self._json = json.dumps({"config": config, "docs": docs}, separators=(",", ":"), default=str)
        return self._json


SERVED = ServedIndex()  # module state: MkDocs loads the hooks file afresh for every rebuild
