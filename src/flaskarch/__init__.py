"""flaskarch: a linter and architecture-conformance checker for layered Flask backends."""

__version__ = "0.1.0"
