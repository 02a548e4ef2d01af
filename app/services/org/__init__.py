"""The organisation: people, roles, units and who evaluates whom.

Public face:
  operations  save_user, set_roles, set_password (set_password_from_console), save_unit,
              set_evaluator; check_password_evenly (same cost for unknown e-mails);
              OrgSnapshot / evaluator_of / evaluation_chain (the evaluation chain, also
              given to the engine as EvaluatorDirectory)
  permissions require_role, can_see_user, headed_units, units_in_scope: the permission
              layer every other domain checks with; can_manage (only an Admin changes
              an Admin)
  password_policy  password_problems: the rules every password set must meet
  imports     import_file: the organisation from CSV/XLSX, all rows or none
  listing     users_page (one page of users with filters), org_chart (units with member
              counts from one query)
"""
