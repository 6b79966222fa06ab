"""Every write to the core goes through here, in one transaction with its history and counters.

The committee's own status counters (Committee.n_*) are changed only by these functions,
in the same transaction as the assessment change, so a tally read from them is always exact.

One module per entity; import a service from the module that holds it (nothing is re-exported here):

- `terms`: term_parse_code, term_get_or_create, term_update, term_before.
- `committees`: committee_create, committees_bulk_create, committee_update, committee_name.
- `resolutions`: resolution_create, resolutions_bulk_create (ResolutionRow), resolution_update,
  resolution_delete.
- `indicators`: indicator_create, indicators_bulk_create, indicator_update,
  indicators_bulk_update_content (IndicatorContentEdit), indicator_adjust_target
  (adjustment_problem, ADJUSTMENT_FIELDS), indicator_delete.
- `assessments`: assessments_update (AssessmentEdit, EditResult, AssessmentConflict, Conflict),
  assessments_resuggest, committee_recount, stage_open (StageOpened).
- `people`: account_get_or_create, role_grant (RoleGrant), role_revoke, person_update.
- `lineage`: committee_predecessors_set, indicator_predecessors_set, committee_lineage_set.

Private helpers shared by several of them, never imported from outside this package: `_history`
(the history rows: Judgement, the AssessmentChange and content-change rows), `_validation`
(full_clean per batch, numbers taken, the rules a status obeys), `_counters` (moving a committee's
counters), `_groups` (a group's suggestion follows its parts') and `_insert` (many rows in one
executemany, as bulk_create would store them: the history rows, most given as their values alone,
and a big batch's indicators and assessments with their ids read back).

Bulk writes: one implementation per entity. committees_bulk_create, resolutions_bulk_create and
indicators_bulk_create are what committee_create, resolution_create and indicator_create call
with one row, and what the workbook import and the demo call with many. The same validation as
full_clean (fields, choices, lengths; uniqueness checked in one query per batch, not a query per
row), the same history rows, one transaction.
"""
