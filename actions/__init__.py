"""Thin rasa-sdk adapters over the `bot` package."""
