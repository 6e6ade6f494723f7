"""The vocabulary every layer shares, with no I/O: natural weeks in UTC+8 (``weeks``), a validated
weekly answer (``payload``), the tidy frame (``tidy``), the per-week load report (``report``),
mini programs by name and appid (``apps``), the exception tree (``errors``), keeping credentials
out of every text (``secrets``) and single flight (``flight``).
"""
