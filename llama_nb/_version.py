"""The package version, in a module of its own so that the layers below the entry points can name it."""

__version__ = "0.1.0"
