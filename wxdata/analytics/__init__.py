"""Pure pandas over the tidy frame, no I/O, for cohorts of days, weeks or months (``period=``):
the users array every table is arithmetic on (``cells``), cohort matrices and period over period
(``cohort``), the current era's average curve (``average``, its window from ``era``), flagged
cohorts (``anomalies``), weekends and holidays of days (``days``), headline figures (``kpis``),
the formulas they share (``stats``) and the cohort-to-cohort spread their tests allow for
(``spread``), decay models, their judgement on a held-out offset and projections (``decay/``),
the statistical choices every screen shares (``defaults``) and the docstrings' example frame
(``example``).
"""
