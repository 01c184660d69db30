"""Benchmarks: API writes, reads, environment updates and wall time of real `pulumi` runs.

`python -m benchmarks.bench` (`make bench`) drives the real Pulumi CLI against the emulator and
writes BENCHMARKS.md. Nothing here is imported by the package or run by `make test`.
"""
