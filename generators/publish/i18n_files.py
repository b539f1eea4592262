"""mkdocs-static-i18n's sorting of ``docs/`` into languages, made cheap for a large library.

On every build of each language, mkdocs-static-i18n (``on_files``) makes a new copy of every file of
``docs/`` with ``create_i18n_file`` (and another for each language's alternates) to work out which
language it is in and where it goes: path arithmetic, the same for the same file every time. A library
of 100 procedures has about 4,800 files: `make serve` sorted them all twice on every rebuild (most of
a rebuild's 2.9 s at N=100; 1.0 s without it), and a cold build once per language.

Two things are done about it, and each file gets what the plugin itself gives it (tests/test_i18n_files.py):

* files with nothing to sort are kept out of the plugin's reach (``set_aside`` before it, ``put_back``
  after it): a file that is no page and has no language in its name (the generator puts the language
  in the name: ``form-1_zh.pdf``, a chart's SVG) is a default-language file at its own address in
  every language's build (with ``fallback_to_default``);
* ``create_i18n_file``'s result is remembered by everything it reads (``remember_sorting``): the next
  build (the other language, or the next rebuild of `make serve`) gets a fresh copy of it. The
  plugin has no public way to do this; it looks up ``suffix.create_i18n_file`` each time it sorts, and
  a plugin without it (another version) is left as it is.

Nothing here is used when the plugin is absent or configured otherwise (``docs_structure: suffix``
and ``fallback_to_default: true`` are what mkdocs.yml sets).
"""
from __future__ import annotations

import os

from mkdocs.structure.files import File, Files

# The files taken out by set_aside, put back by put_back in the same build (MkDocs runs one build at a
# time in a process; mkdocs-static-i18n's second language is a second build, after the first).
_SET_ASIDE: list = []


def _i18n(config):
    plugin = config["plugins"].get("i18n")
    if plugin is None or getattr(plugin.config, "docs_structure", None) != "suffix":
        return None
    return plugin if plugin.config.fallback_to_default is True else None


def needs_no_sorting(file, docs_dir: str, localized: set[str] = frozenset()) -> bool:
    """A file of docs/ (the theme's are never sorted), no page, no language suffix in its name
    (mkdocs-static-i18n reads the last suffix of the name without its extension: ``changes.en.xml``
    is English), no translation of it beside it (``localized``: what the translated files of docs/
    stand for: ``img.zh.svg`` stands for ``img.svg``, which the plugin replaces with it), and not a
    name the plugin renames. ``docs_dir``: absolute, ending with a separator."""
    name = file.src_uri.rpartition("/")[2]
    return (not file.is_documentation_page() and name.count(".") == 1
            and not name.startswith((".", "README.", "index.")) and not name.endswith("README.html")
            and file.src_uri not in localized
            and (file.abs_src_path or "").startswith(docs_dir))


def _localized(files, languages: list[str]) -> set[str]:
    """The file each translated file of ``files`` stands for (mkdocs-static-i18n's ``norm_src_uri``)."""
    from mkdocs_static_i18n.config import RE_LOCALE

    out = set()
    for file in files:
        head, _, name = file.src_uri.rpartition("/")
        parts = name.split(".")
        if len(parts) >= 3 and (parts[-2] in languages or RE_LOCALE.match(parts[-2])):
            out.add((head + "/" if head else "") + ".".join(parts[:-2] + parts[-1:]))
            out.add(file.src_uri.replace(f".{parts[-2]}", "", 1))  # the plugin's own reckoning of it
    return out


def set_aside(files, config):
    _SET_ASIDE.clear()
    plugin = _i18n(config)
    if plugin is None:
        return files
    remember_sorting()
    _read_settings(config)
    docs_dir = os.path.join(os.path.abspath(config["docs_dir"]), "")
    localized = _localized(files, plugin.all_languages)
    kept = []
    for file in files:
        (_SET_ASIDE if needs_no_sorting(file, docs_dir, localized) else kept).append(file)
    return Files(kept) if _SET_ASIDE else files


def put_back(files, config):
    plugin = _i18n(config)
    if plugin is None or not _SET_ASIDE:
        return files
    from mkdocs_static_i18n import suffix

    default, languages = plugin.default_language, plugin.all_languages  # (properties: worked out on each call)
    others = [language for language in sorted(plugin.build_languages) if language != default]
    for file in _SET_ASIDE:
        # What mkdocs-static-i18n records of a default-language file in any language's build: the file
        # lists itself, and its copy for each other language (made as the plugin makes it); its sitemap
        # of alternates reads them of pages only: kept alike for any other reader.
        file.locale, file.locale_alternate_of, file.localization = default, default, None
        file.norm_src_uri = file.src_uri
        file.alternates = {default: file}
        for language in others:
            file.alternates[language] = suffix.create_i18n_file(file, language, default, languages, config)
        files.append(file)
    _SET_ASIDE.clear()
    return files


# (what create_i18n_file reads) -> the attributes of the file it made, as it made it
_SORTED: dict[tuple, dict] = {}
_SORTED_LIMIT = 200_000  # a long `make serve` session with many renamed files starts afresh
# The configuration being built, and what of it create_i18n_file reads: read once per build (set_aside),
# a configuration's options being slow to read one file at a time.
_SETTINGS: list = [None, ()]


def _read_settings(config) -> None:
    _SETTINGS[:] = [config, (config.docs_dir, config.site_dir, config.use_directory_urls)]


def remember_sorting() -> None:
    """Wrap mkdocs-static-i18n's ``create_i18n_file`` (once per process) so that a file sorted before
    is copied, not worked out again."""
    try:
        from mkdocs_static_i18n import suffix
    except ImportError:
        return
    create = getattr(suffix, "create_i18n_file", None)
    if create is None or getattr(create, "remembered", False):
        return

    def create_i18n_file(file, current_language, default_language, all_languages, config):
        if _SETTINGS[0] is not config:
            _read_settings(config)
        key = (file.src_uri, file.dest_uri, file.inclusion, current_language, default_language,
               tuple(all_languages), _SETTINGS[1])
        made = _SORTED.get(key)
        if made is None:
            result = create(file, current_language, default_language, all_languages, config)
            if len(_SORTED) > _SORTED_LIMIT:
                _SORTED.clear()
            _SORTED[key] = {name: value for name, value in vars(result).items() if name != "alternates"}
            return result
        copy = File.__new__(File)
        copy.__dict__.update(made)
        copy.alternates = {current_language: copy}  # as create_i18n_file makes them: listing itself
        return copy

    create_i18n_file.remembered = True
    create_i18n_file.__wrapped__ = create  # the plugin's own (tests compare with it)
    suffix.create_i18n_file = create_i18n_file
