"""Documents service: the Word and PDF documents the framework names, versioned."""
