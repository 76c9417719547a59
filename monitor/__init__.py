"""Militancy Monitor: schema, loading, filters, aggregations, figures, maps, importers and export."""
from .load import DataFileError, load_events, load_groups, load_milestones
from .schema import EVENTS, GROUPS, MILESTONES

__all__ = ["DataFileError", "EVENTS", "GROUPS", "MILESTONES", "load_events", "load_groups", "load_milestones"]
