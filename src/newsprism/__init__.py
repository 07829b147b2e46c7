"""newsprism: every story through the whole spectrum."""

__version__ = "0.1.0"
