"""The one error extraction raises for unusable input (re-exported by etl.extract.article)."""


class ExtractionError(Exception):
    """The input is not a page we can extract an article from; the message says why."""


class DecodingError(ExtractionError, ValueError):
    """The bytes are not an HTML page we can read (empty, binary, ...)."""
