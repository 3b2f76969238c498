"""Adapters for training frameworks: `finetrack.integrations.transformers.FinetrackCallback`."""
