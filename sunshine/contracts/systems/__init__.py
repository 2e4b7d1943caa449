"""One module per source system, each defining `SYSTEM` by hand from its contract.

Hand-written rather than parsed so the package needs no contract files at run time;
`tests/test_contracts.py` checks every module against the contracts when they exist.
"""
