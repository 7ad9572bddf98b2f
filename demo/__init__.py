"""The demo city year: generated through ``service/`` like any other client of the use cases.

Kept out of ``service/`` so that it holds only the use cases and their plumbing; nothing in the
product imports this package except the ``kinerja demo`` command (``api/cli_demo.py``).
"""
