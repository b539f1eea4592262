"""Docs-as-code publisher for controlled procedures.

Stages (read -> check -> write), each in its own module:

* ``yamltree`` / ``loader``: read a YAML source into the frozen model of ``model``,
  never raising for user mistakes;
* ``rules``: small validation rules that each yield ``Diagnostic`` objects;
* ``render``: pure functions from the model to Markdown, DOT, HTML and PDF;
* ``build``: writes generated files (only when their content changed).

Nothing here imports MkDocs: the MkDocs hook in ``mkdocs_hooks.py`` is a thin shim.
"""
