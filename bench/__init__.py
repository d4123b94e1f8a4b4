"""Benchmarks, run by hand (``python bench/suite.py``); never asserted in tests."""
