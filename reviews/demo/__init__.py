"""The Bắc Kạn demo: the review documents and workflow states loaded by load_demo."""
