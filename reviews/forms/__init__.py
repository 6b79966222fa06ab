"""The review\x27s forms: the assessment form and the report editor."""
