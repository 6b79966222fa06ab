"""`make bench`: speed figures on a national-scale synthetic term, printed as `name: value` lines."""
