"""A fake WeChat API on loopback for the tests and for trying the live path without a mini program
(``wxdata fake-server``): real HTTP (``http``), WeChat's rules and scripted faults (``rules``,
``fake``).
"""
