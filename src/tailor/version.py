"""tailor's version, as installed (a source tree that is not installed says so)."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("tailor-cv")
except PackageNotFoundError:
    __version__ = "0.0.0+unknown"
