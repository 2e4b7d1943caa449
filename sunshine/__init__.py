"""Sunshine: follow welfare money from budget to household."""
