"""Pure pandas over the tidy frame, no I/O: the users array every table is arithmetic on
(``cells``), cohort matrices, averages and week over week (``cohort``), flagged cohorts
(``anomalies``), headline figures (``kpis``), the formulas they share (``stats``), decay models
and projections (``decay/``), the statistical choices every screen shares (``defaults``) and the
docstrings' example frame (``example``).
"""
