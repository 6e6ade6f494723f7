"""WeChat's server API: one HTTP boundary with its errcode table (``http``), the stable access
token fetched once however many ask (``token``), and the weekly-retention client with retries
(``client``). Nothing here knows about caching or spans of weeks.
"""
