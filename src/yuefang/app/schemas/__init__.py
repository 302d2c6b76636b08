"""Pydantic schemas of the API, per entity: ``XCreate``, ``XUpdate``, ``XPublic``, ``XList``."""
