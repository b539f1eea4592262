"""generators/publish/i18n_files.py: mkdocs-static-i18n's sorting of docs/ into languages, with the files
that need no sorting set aside and each file's sorting remembered, gives every file of every language
the address, language and alternates the plugin itself gives it, build after build."""
from __future__ import annotations

import os

import pytest
from mkdocs.config import load_config
from mkdocs.structure.files import get_files

from generators.publish import i18n_files


def _what_the_plugin_gives(files) -> dict:
    return {f.src_uri: (f.dest_uri, f.url, f.abs_dest_path, getattr(f, "locale", None),
                        getattr(f, "localization", None), getattr(f, "norm_src_uri", None),
                        getattr(f, "locale_alternate_of", None),
                        sorted((lang, alt.src_uri, alt.dest_uri, alt.url) for lang, alt in getattr(f, "alternates", {}).items()))
            for f in files}


@pytest.fixture
def site_config(built_site, monkeypatch):
    """The built project's configuration, its plugin set up as for a build of both languages; the
    plugin's own create_i18n_file is put back after the test (remember_sorting wraps it)."""
    from mkdocs_static_i18n import suffix

    own = getattr(suffix.create_i18n_file, "__wrapped__", suffix.create_i18n_file)  # (wrapped by an earlier build here)
    monkeypatch.setattr(suffix, "create_i18n_file", own)
    monkeypatch.chdir(built_site)
    monkeypatch.delenv("PROCEDURES_SITE_LOCALE", raising=False)
    config = load_config(str(built_site / "mkdocs.yml"))
    config["plugins"]["i18n"].on_config(config)
    return config


def test_sorting_with_files_set_aside_and_remembered_gives_every_file_what_the_plugin_gives(site_config):
    plugin = site_config["plugins"]["i18n"]
    for language in ("zh", "en"):
        plugin.current_language = language
        by_the_plugin = _what_the_plugin_gives(plugin.on_files(get_files(site_config), site_config))
        assert any(uri.endswith(".pdf") for uri in by_the_plugin) and any(uri.endswith(".svg") for uri in by_the_plugin)
        firsts = None
        for _ in range(2):  # the second build takes every file's sorting from the first
            files = i18n_files.set_aside(get_files(site_config), site_config)
            assert not any(f.src_uri.endswith((".pdf", ".svg")) for f in files)
            files = i18n_files.put_back(plugin.on_files(files, site_config), site_config)
            assert _what_the_plugin_gives(files) == by_the_plugin, language
            pages = {f.src_uri: f for f in files.documentation_pages()}
            if firsts is not None:  # a fresh copy: nothing MkDocs set on the first build's file
                assert all(pages[uri] is not firsts[uri] and pages[uri].page is None for uri in pages)
            for file in pages.values():
                file.page = object()
            firsts = pages


def test_a_sorting_remembered_under_one_configuration_is_not_given_under_another(site_config):
    plugin = site_config["plugins"]["i18n"]
    plugin.current_language = "en"
    site_config["use_directory_urls"] = False
    by_the_plugin = _what_the_plugin_gives(plugin.on_files(get_files(site_config), site_config))
    assert by_the_plugin["index.en.md"][:2] == ("en/index.html", "en/index.html")

    def sorted_by_us():
        files = i18n_files.set_aside(get_files(site_config), site_config)
        return _what_the_plugin_gives(i18n_files.put_back(plugin.on_files(files, site_config), site_config))

    site_config["use_directory_urls"] = True
    assert sorted_by_us()["index.en.md"][:2] == ("en/index.html", "en/")
    site_config["use_directory_urls"] = False
    assert sorted_by_us() == by_the_plugin


def test_a_file_with_a_language_in_its_name_or_a_page_is_left_to_the_plugin():
    from mkdocs.structure.files import File

    docs = "/project/docs/"

    def file(uri):
        return File(uri, docs, "/site", True)

    assert i18n_files.needs_no_sorting(file("library/p/form-1_zh.pdf"), docs)
    assert i18n_files.needs_no_sorting(file("library/p/p_flowchart_en.svg"), docs)
    assert not i18n_files.needs_no_sorting(file("library/changes.en.xml"), docs)
    assert not i18n_files.needs_no_sorting(file("library/p/index.zh.md"), docs)
    assert not i18n_files.needs_no_sorting(file("library/.manifest.json"), docs)
    assert not i18n_files.needs_no_sorting(File("assets/logo.png", "/theme/", "/site", True), docs)
    assert not i18n_files.needs_no_sorting(file("img.svg"), docs, {"img.svg"})  # img.zh.svg beside it


def test_a_file_with_a_translation_beside_it_is_left_to_the_plugin(site_config, tmp_path):
    """``img.zh.svg`` replaces ``img.svg`` in the Chinese build and is not in the English one: the plugin
    decides, so neither is set aside."""
    plugin = site_config["plugins"]["i18n"]
    docs = tmp_path / "docs"
    docs.mkdir()
    for name in ("index.zh.md", "index.en.md"):
        (docs / name).write_text("# x\n", encoding="utf-8")
    for name in ("img.svg", "img.zh.svg", "pic.png"):
        (docs / name).write_text("<svg/>", encoding="utf-8")
    site_config["docs_dir"] = str(docs)
    for language in ("zh", "en"):
        plugin.current_language = language
        by_the_plugin = _what_the_plugin_gives(plugin.on_files(get_files(site_config), site_config))
        files = i18n_files.set_aside(get_files(site_config), site_config)
        assert sorted(f.src_uri for f in i18n_files._SET_ASIDE) == ["pic.png"]
        assert _what_the_plugin_gives(i18n_files.put_back(plugin.on_files(files, site_config), site_config)) == by_the_plugin
