"""Document control: what the site may claim about each revision, computed from dates, git and records.

One module per concept: ``lifecycle`` (the state of each revision on a given day), ``fingerprint``
(the content an approval covers), ``approvals`` (each version's approval commit, from main's
first-parent history), ``history_check`` (``check --history``), ``withdrawal`` (the withdrawal
register) and ``deviations`` (recorded, accepted departures from the rules). Nothing here imports MkDocs.
"""
