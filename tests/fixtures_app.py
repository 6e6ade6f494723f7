"""Fixtures for the dashboard tests (AppTest and the real browser)."""
