"""What the core announces to the code built on it (the core never imports `reviews/`).

`committees_placed` is sent by the committee services, inside their transaction, when committees
take a place in the tree: `created` lists new committees (with every committee below them, all new
too), `moved` lists committees whose place or level changed (their subtrees moved with them).
A receiver keeping something derived from a committee's place (reviews.campaign: the deadline
that holds for it) updates it in the same transaction, so a reader never sees it stale."""

from django.dispatch import Signal

committees_placed = Signal()
