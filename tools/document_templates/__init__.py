"""The tool that builds the documents service's .docx templates (see :mod:`.build`)."""
