"""The review campaign: deadlines cascaded down the tree, and who has sent, who is late."""
