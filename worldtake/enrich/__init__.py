"""Enrichment stages: language, publication and event dates, entities, translation."""
