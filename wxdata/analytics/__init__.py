"""Pure pandas over the tidy frame, no I/O: the users array every table is arithmetic on
(``cells``), cohort matrices and week over week (``cohort``), the current era's average curve
(``average``, its window from ``era``), flagged cohorts (``anomalies``), headline figures
(``kpis``), the formulas they share (``stats``) and the week-to-week spread their tests allow for
(``spread``), decay models, their judgement on a held-out week and projections (``decay/``), the
statistical choices every screen shares (``defaults``) and the docstrings' example frame
(``example``).
"""
