"""Document rendering adapters (PDF)."""
