"""MkDocs hooks: the only glue between MkDocs and the generators (keep it thin).

* ``on_config`` adds the generated procedure pages to the nav sections, sets the search
  languages of the language being built, and passes the date the revision statuses were
  computed for (``extra.status_as_of``) to the templates;
* ``on_page_context`` points the language switch at the same page in the other language, as a
  link relative to the page (works whether both languages are built in one process or each in
  its own, see generators/publish/sitebuild.py);
* for a pull-request preview (PREVIEW=1), ``on_config`` passes the draft stamp (``extra.draft``);
* ``on_post_build`` writes the redirect pages of addresses published before, and a sitemap at each
  language's root when both languages are built in one process (see generators.publish.sitemap);
* ``on_files`` keeps the files with no language to sort (PDFs, charts) out of mkdocs-static-i18n's
  sorting, which copied each of them for each language on every build (generators/publish/i18n_files.py);
* ``on_env`` keeps the theme's compiled templates in .cache/jinja (each build and rebuild compiled them);
* under `mkdocs serve`, ``on_startup`` and ``on_env`` keep the search index whole and current across
  rebuilds (generators/publish/serve_search.py);
* ``on_serve`` starts the worker that regenerates docs/library/ when procedure/ changes
  (generators/publish/watch.py): it writes only changed files, so MkDocs sees one change and rebuilds once.
"""
from __future__ import annotations

# MkDocs loads this file by its path, as a module of its own, not as part of the generators package:
# every import of the package here is absolute (generators.…), never relative.

import json
import logging
import posixpath
import sys
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.plugins import CombinedEvent, event_priority

# MkDocs loads this file by its path, not as a module of the package: a relative import fails here
# ("No module named 'generators/publish/mkdocs_hooks'"), so the generators are imported by their full
# name (the checkout is on PYTHONPATH: the Makefile exports it).

log = logging.getLogger("mkdocs.hooks.procedures")
NAV_FILE = "library/.nav.json"
REDIRECTS_FILE = "library/.redirects.json"
STATUS_FILE = "library/.status.json"
# lunr languages of each site language's search index (Chinese pages hold English words too:
# numbers, codes); the Chinese text itself is segmented by jieba at build time.
SEARCH_LANGUAGES = {"zh": ["en", "zh"], "en": ["en"]}


def _i18n(config):
    return config["plugins"].get("i18n")


def _built_locales(config) -> list[str]:
    """The locales this process builds: one (``build_only_locale``, see sitebuild) or all."""
    i18n = _i18n(config)
    if i18n is None:
        return [config["theme"]["language"]]
    return [lang.locale for lang in i18n.config.languages if lang.build]


@event_priority(100)  # before the search plugin reads its own configuration
def on_config(config):
    search = config["plugins"].get("material/search") or config["plugins"].get("search")
    built = _built_locales(config)
    if search is not None and not search.config.lang:
        langs = []
        for locale in built:
            langs += [lang for lang in SEARCH_LANGUAGES.get(locale, [locale]) if lang not in langs]
        search.config.lang = langs
    i18n = _i18n(config)
    if i18n is not None and i18n.config.build_only_locale and config.get("site_url"):
        # Each language is its own site under its link ("/" or "/en/"): canonical URLs and the
        # sitemap must carry the language's folder.
        link = next(lang.link for lang in i18n.config.languages if lang.locale == i18n.config.build_only_locale)
        site_path = urlsplit(config["site_url"]).path.rstrip("/") + "/"
        config["site_url"] = config["site_url"].rstrip("/") + "/" + link.strip("/") + ("/" if link.strip("/") else "")
        # Pages get their language switch in on_page_context; the theme's own pages (404.html, built
        # before any page and served at any address) name each language's root by its absolute path.
        config["extra"]["alternate"] = [
            {"name": lang.name, "lang": lang.locale, "link": lang.link,
             "href": site_path + _language_root(lang.link), "root": site_path + _language_root(lang.link)}
            for lang in i18n.config.languages]
    from generators.render import preview
    _serve_status_script(config)

    status = {}
    try:
        status = json.loads((Path(config["docs_dir"]) / STATUS_FILE).read_text(encoding="utf-8"))
        config["extra"]["status_as_of"] = str(status.get("as_of", ""))
    except (OSError, ValueError, AttributeError):
        pass
    # A draft when asked (PREVIEW=1) or when the generator built one (control/gate.py: not main's approved state).
    draft = preview.requested() or isinstance(status, dict) and status.get("draft") is True
    config["extra"]["draft"] = ({"stamp": preview.stamp(), "zh": preview.banner("zh"), "en": preview.banner("en")}
                                if draft else None)
    nav_path = Path(config["docs_dir"]) / NAV_FILE
    try:
        generated = json.loads(nav_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        log.warning("no generated pages in docs/library: run 'make generate' first")
        return config
    for section in config["nav"] or []:
        if not isinstance(section, dict):
            continue
        for entries in section.values():
            if isinstance(entries, list) and entries and isinstance(entries[0], str):
                extra = generated.get(entries[0], [])
                entries.extend(p for p in extra if p not in entries)
    return config


class _ExpectedUnderServe(logging.Filter):
    """`make serve` builds dirty on purpose (only what an edit changed): MkDocs' warning about it and its
    note on stale files would be repeated on every start and mean nothing to whoever runs it."""

    EXPECTED = ("A 'dirty' build is being performed", "The directory contains stale files")

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(self.EXPECTED)


def on_startup(command, dirty):
    from generators.publish.serve_search import SERVED

    SERVED.active = command == "serve"
    try:  # jieba (Chinese search segmentation) logs its dictionary loading on every build; it sets its
        import jieba  # own level when imported, so it is imported here first

        jieba.setLogLevel(logging.WARNING)
    except ImportError:
        pass
    if SERVED.active:
        build_log = logging.getLogger("mkdocs.commands.build")
        if not any(isinstance(f, _ExpectedUnderServe) for f in build_log.filters):
            build_log.addFilter(_ExpectedUnderServe())


def _serve_status_script(config) -> None:
    """While serving, every page asks whether the last rebuild failed (generators/publish/serve_status.py)."""
    from generators.publish import serve_status
    from generators.publish.serve_search import SERVED

    if SERVED.active and serve_status.SCRIPT not in [str(s) for s in config.extra_javascript]:
        config.extra_javascript.append(serve_status.SCRIPT)


def _files_before_i18n(files, config):
    """A failed rebuild's status is for `make serve` only: never in a built site. While serving, once
    the worker has removed it (the library builds again), the copy an earlier build made is removed
    too: a dirty rebuild (`mkdocs serve --dirty`) never deletes it, and the browser would keep showing
    a mended failure. Then the files mkdocs-static-i18n has nothing to sort are set aside
    (generators/publish/i18n_files.py)."""
    from generators.publish import i18n_files, serve_status
    from generators.publish.serve_search import SERVED

    found = files.get_file_from_path(serve_status.STATUS_FILE)
    if not SERVED.active and found is not None:
        files.remove(found)
    elif SERVED.active and found is None:
        (Path(config["site_dir"]) / serve_status.STATUS_FILE).unlink(missing_ok=True)
    return i18n_files.set_aside(files, config)


@event_priority(-110)  # after mkdocs-static-i18n (-100) has sorted the files into this build's language
def _files_after_i18n(files, config):
    from generators.publish import i18n_files

    return i18n_files.put_back(files, config)


on_files = CombinedEvent(_files_before_i18n, _files_after_i18n)


# The theme's templates compiled once, not in every build: MkDocs makes a new Jinja environment for each
# language's build and for each rebuild of `make serve`, and compiling Material's templates costs about
# a second each time. Jinja keys each file by the template's name and source, so an edited template is
# compiled again.
TEMPLATE_CACHE = Path(".cache") / "jinja"


def on_env(env, config, files):
    """The compiled templates' cache; and while serving: the search plugin's index of this language's
    build records into, and writes, the index kept across rebuilds (generators/publish/serve_search.py)."""
    import jinja2

    from generators.publish.serve_search import SERVED

    cache = Path(config.config_file_path or "mkdocs.yml").resolve().parent / TEMPLATE_CACHE
    if not cache.parent.is_symlink() and not cache.is_symlink():  # never write through a link out of the project
        try:
            cache.mkdir(parents=True, exist_ok=True)
            env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(cache))
        except OSError:
            pass  # a read-only checkout: the templates are compiled, as without the cache
    search = config["plugins"].get("material/search")
    index = getattr(search, "search_index", None)
    if not SERVED.active or index is None:
        return env
    i18n = _i18n(config)
    locale = i18n.current_language if i18n is not None else config["theme"]["language"]
    if i18n is not None and not getattr(i18n, "building", False):
        # The first language of a rebuild: mkdocs-static-i18n's own copy of every language's entries
        # (it re-sends them to the search plugin, which now writes the kept index instead) would
        # otherwise grow by the whole library on every rebuild.
        entries = getattr(i18n, "search_entries", None)
        if isinstance(entries, list):
            entries.clear()
    SERVED.attach(index)
    SERVED.set_pages(locale, {file.url for file in files.documentation_pages()})
    return env


def _language_root(link: str) -> str:
    """A language's folder relative to the whole site: "/" -> "", "/en/" -> "en/"."""
    stripped = link.strip("/")
    return stripped + "/" if stripped else ""


def _relative(target: str, here: str) -> str:
    """Link from the page at site path ``here`` to site path ``target`` ("" is the site root;
    directory URLs end with "/")."""
    base = (here.rstrip("/") if here.endswith("/") or not here else posixpath.dirname(here)) or "."
    href = posixpath.relpath(target.rstrip("/") or ".", base)
    if target.endswith("/") or not target:
        href = "./" if href == "." else href + "/"
    return href


def _language_switch(context, page, config):
    """Language switch: each entry's ``href`` is the same page in that language, relative to this page
    (the home page of that language when the page has no version in it). Read by overrides/partials/alternate.html."""
    i18n = _i18n(config)
    if i18n is None or len(i18n.config.languages) < 2:
        return context
    current = i18n.current_language
    languages = {lang.locale: lang for lang in i18n.config.languages}
    if current not in languages:
        return context
    here = _language_root(languages[current].link) + page.url
    src = page.file.src_uri
    suffix = f".{current}.md"
    docs = Path(config["docs_dir"])
    alternates = []
    for locale, lang in languages.items():
        root = _language_root(lang.link)
        if src.endswith(suffix):
            exists = (docs / (src[: -len(suffix)] + f".{locale}.md")).is_file()
        else:
            exists = True  # an unsuffixed page is built in every language
        target = root + page.url if exists else root
        # href: the menu's link to this page in that language; root: that language's home (the page
        # head's hreflang alternates, overrides/main.html), both relative to this page.
        alternates.append({"name": lang.name, "lang": locale, "link": lang.link, "href": _relative(target, here),
                           "root": _relative(root, here)})
    config["extra"]["alternate"] = alternates
    return context


def on_page_content(html, page, config, files):
    """English pages: Chinese text in them (names, quoted originals) marked lang="zh-CN"
    (generators/publish/language_spans.py), so it is drawn with Chinese glyph forms. Chinese pages: English in
    them marked lang="en", and each title may break between its words only (generators/publish/phrase_breaks.py)."""
    if page.url.startswith("en/") or config["theme"].get("language") == "en":
        from generators.publish.language_spans import mark_chinese

        return mark_chinese(html)
    from generators.publish.language_spans import mark_english
    from generators.publish.phrase_breaks import titles_break_between_words

    # English in it marked lang="en"; a Chinese title breaks between words (jieba), never inside one
    return titles_break_between_words(mark_english(html))


@event_priority(-50)  # after the search plugin has indexed the page
def on_page_context(context, page, config, nav):
    """Language switch, and the search entry of the page itself titled as the page's front matter
    names it (with its procedure's number): every search result then says which procedure it is."""
    context = _language_switch(context, page, config)
    if "noindex" in str(page.meta.get("robots", "")) and page.canonical_url:
        from generators.publish.sitemap import NOINDEX

        NOINDEX.add(page.canonical_url)
    title = page.meta.get("title")
    search = config["plugins"].get("material/search")
    index = getattr(search, "search_index", None)
    if title and index is not None:
        for entry in reversed(index.entries):
            if entry["location"] == page.url:
                segmenter = getattr(sys.modules.get(type(index).__module__), "jieba", None)  # as the plugin does
                entry["title"] = index._segment_chinese(title) if segmenter else title
                break
    return context


def on_post_build(config):
    """Redirect pages for URLs published before whose content now lives in a fuller page
    (docs/library/.redirects.json, written by the generator), in the language just built."""
    from generators.source.model import LANGUAGES
    from generators.publish.sitemap import drop_noindex_pages, write_language_sitemaps
    from generators.render.redirect import WRITTEN, redirect_html, relative_url

    # Both languages in one process: mkdocs-static-i18n builds English last, inside its own post-build
    # step, so the last call sees the complete sitemap. (Built apart, each language writes its own and
    # generators/publish/sitebuild.py adds the other languages' entries to the root one.)
    drop_noindex_pages(Path(config["site_dir"]))
    write_language_sitemaps(Path(config["site_dir"]), config["site_url"] or "", [f"{lang}/" for lang in LANGUAGES[1:]])
    try:
        moved = json.loads((Path(config["docs_dir"]) / REDIRECTS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    i18n = _i18n(config)
    locale, prefix = config["theme"]["language"], ""
    if i18n is not None:
        locale = i18n.current_language
        if not i18n.config.build_only_locale:  # all languages in one site folder: this one's own folder
            prefix = _language_root(next(lang.link for lang in i18n.config.languages if lang.locale == locale))
    site = Path(config["site_dir"])
    base = (config.get("site_url") or "").rstrip("/")
    # `make serve` rebuilds into the same folder after each edit (and loads this file afresh each time:
    # the record is kept in a module imported once): redirects written there already are not checked
    # again one by one (thousands of files in a large library).
    done = (str(site / prefix), base, locale, json.dumps(moved, sort_keys=True))
    if done in WRITTEN and all((site / prefix / old / "index.html").is_file() for old in list(moved)[:1]):
        return  # (unless the folder was emptied since: a clean build)
    for old, new in moved.items():
        target = site / prefix / old / "index.html"
        if target.exists() and b'http-equiv="refresh"' not in target.read_bytes()[:1000]:
            continue  # a real page there wins
        href = relative_url(new, old)
        canonical = f"{base}/{prefix}{new}" if base else href
        page = redirect_html(href, canonical, locale)
        if target.is_file() and target.read_text(encoding="utf-8") == page:
            continue  # an incremental build under `make serve`: already there
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page, encoding="utf-8")
    WRITTEN.add(done)


def on_serve(server, config, builder):
    import atexit

    from generators.publish.watch import follow_the_worker, start_worker

    # An edit's pages bring a rebuild as soon as the worker has written them; its PDFs come after them:
    # the worker serves them, and they bring no second reload.
    rebuilds = follow_the_worker(server, config["docs_dir"])
    worker = start_worker(Path("procedure"), Path(config["docs_dir"]), log, rebuilds, Path(config["site_dir"]))
    log.info("procedure/ is watched too: on each save the worker re-checks it and regenerates docs/library/ "
             "(a failed check shows here and as a banner on the pages)")
    atexit.register(worker.terminate)
    return server
