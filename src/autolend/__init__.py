"""autolend: an open-source auto-finance lending platform."""

__version__ = "0.1.0"
