"""reconcile — monthly budget follow-up for Swedish public-sector units."""

__version__ = "0.1.0"
