"""Date and number formats per language (FORMAT_MODULE_PATH); English uses Django's own."""
