"""textkit: small text utilities, an example package to freeze into an image."""

from .fuzzy import closest, distance

__version__ = "1.0"
__all__ = ["closest", "distance"]
