"""What people see, without Streamlit and without I/O: numbers written for a Chinese or English
reader (``fmt``), Plotly figures (``charts/``), tables (``tables``), the changes in words
(``narrative``) and the downloads (``export``: CSV, JSON, XLSX).
"""
