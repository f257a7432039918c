"""The engine: pure functions from typed tables to a Report. No files, no Excel."""
