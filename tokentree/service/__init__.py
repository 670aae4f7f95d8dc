"""The headless service layer between the data layer and any front end (no Textual here).

:mod:`~tokentree.service.backend` is the door to a data set, :mod:`~tokentree.service.refresh`
decides when it is re-read and whether live mode follows the logs, :mod:`~tokentree.service.live`
feeds the watcher's batches to it, :mod:`~tokentree.service.export` writes one node, and
:mod:`~tokentree.service.errors` names what can go wrong. Every call that touches DuckDB may
block, so front ends call them from worker threads.
"""
