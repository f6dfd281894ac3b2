"""Benchmark harness for `make bench` (SPEC §5).

Each app may have a `benchmarks` module that registers operations with
`@operation`; the runner times them on the reference dataset and compares
each with the same work written by hand in SQL (the floor).
"""
