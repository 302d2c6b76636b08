"""yuefang (粤纺): made-to-measure production and cluster governance."""

__version__ = "0.1.0"
