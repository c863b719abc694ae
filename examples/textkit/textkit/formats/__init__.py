"""Plain-text output formats."""

from .table import table
