"""Fixtures around the fake WeChat server (wxdata/fake.py)."""
