"""The REST API (/api/v1/): the same capabilities as the browser, for integrations.

Every endpoint starts from the visibility selectors (DESIGN §4.2) and writes only through the
services; expert-facing serializers have no resident fields at all (DESIGN §4.1).
"""
