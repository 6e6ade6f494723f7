"""The push side: the Monday digest (``wxdata digest``) and the alerts after each sync
(``wxdata alert``), sent to WeCom, Feishu/Lark, DingTalk or e-mail.

``content`` says what a digest says (the Overview's sentences, the KPI table, the flagged
cohorts, per app and period), ``images`` draws its PNG with kaleido, ``messages`` writes it in
each channel's format within its size limit, ``channels`` sends over real HTTP and SMTP with each
service's rules, ``alerts`` finds what is worth an alert, and ``run`` ties them together for the
command line and the dashboard's Data page. docs/digest.md is the operator's guide.
"""
