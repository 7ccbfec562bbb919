"""Benchmarks (scripts run as `python bench/NAME.py`) and their results (bench/README.md)."""
