"""The team lead's dashboard (R-LEAD-1, R-LEAD-2): numbers, charts, risk lists, reassign, CSV.

The engine (``desktop.services.reads.dashboard``) computes everything; this window only asks for it in
the runner's read lane and paints the answer, so a slow database never freezes the workstation.
It re-reads when opened, when the period or the horizon changes and once a minute while it is on
screen; a request made while one is running is folded into one more pass, never queued up.
Lists have no row cap: the lead sees every ticket at risk, not the first screenful.

The package holds the window by panel: ``window`` (this frame: period, refresh, export),
``cards`` (the headline numbers), ``charts`` (Qt Charts, loaded with the dashboard only),
``lists`` (the risk lists and reassigning), ``tables`` (their models) and ``labels`` (codes and
durations in the reader's language). ``ui.dashboard_menu`` imports the window on first use, so
start-up never loads Qt Charts.
"""
