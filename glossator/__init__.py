"""Glossator: a static site generator for annotated reader editions."""
__version__ = "0.1.0"
