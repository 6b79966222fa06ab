"""The review workbook (.xlsx): reading cells, opening files safely, importing and exporting."""
