"""Benchmarks: `python bench/run.py` (or `make bench`) runs every one and prints one table."""
