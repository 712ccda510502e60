"""Developer tools that are not part of any running service."""
