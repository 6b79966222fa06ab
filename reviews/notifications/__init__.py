"""Telling people: the in-app inbox, the e-mail outbox and its background delivery."""
