"""What can go wrong behind the service layer, as types a front end can act on.

The data layer raises plain exceptions (``ValueError`` for bad options, ``OSError`` for files,
DuckDB's own errors); :func:`service_error` maps them once, at the service boundary, so callers
branch on a type instead of on exception class names.
"""

from __future__ import annotations


class ServiceError(Exception):
    """Base class; ``str(error)`` is a sentence for the user."""


class OptionsError(ServiceError, ValueError):
    """The user's options cannot work (unknown source or time zone, bad dates …).

    Also a ``ValueError``, so command-line code that reports ``ValueError`` as a usage error
    (exit code 2) keeps doing so.
    """


class SourceUnavailable(ServiceError):
    """The transcripts could not be read (permissions, a vanished mount, a full disk …)."""


class DataError(ServiceError):
    """The engine failed while reading or querying (a bug or a broken cache, not the user's
    fault); the message keeps the original error's type for the report."""


def service_error(error: BaseException, *, opening: bool = False) -> ServiceError:
    """``error`` as a :class:`ServiceError` (unchanged when it already is one).

    ``opening``: the error came from creating the workspace, where a ``ValueError`` means the
    options were refused.
    """
    if isinstance(error, ServiceError):
        return error
    if opening and isinstance(error, ValueError):
        return OptionsError(str(error))
    if isinstance(error, OSError):
        return SourceUnavailable(str(error))
    return DataError(f"{type(error).__name__}: {error}")
