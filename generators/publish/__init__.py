"""Publishing: what readers get besides the pages themselves.

``preview`` (the PREVIEW=1 draft build of a pull request: stamped 草稿 / DRAFT — not for use
everywhere, kept out of search engines). Nothing here imports MkDocs; the hook passes what it
needs to the templates.
"""
