"""Business functions of the platform, one module per domain, named by business event.

Each function is keyword-only, takes a ``session`` and the acting ``actor`` (a ``User``), checks the
tenant, and commits one transaction.
"""
