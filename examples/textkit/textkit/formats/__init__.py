"""Plain-text output formats."""

from .tabular import table
