"""`tailor serve`: a local web page and JSON API over the library.

The page (`page.py`) walks one CV through reading, critique, rewrite, review and download; the
API (`api.py`) answers as the CLI's `--format json` does; `guard.py` checks every request's
host, origin and size; `store.py` keeps each upload in memory under its own token.
"""
