"""The organisation: people, roles, units and who evaluates whom.

Public face:
  operations  the evaluation chain: OrgSnapshot / evaluator_of / superior_of (also given
              to the engine as EvaluatorDirectory) and set_evaluator, its overrides
  people      save_user (UserData), set_roles
  units       save_unit, default_administration_id
  passwords   set_password (set_password_from_console), hash_password, check_password,
              check_password_evenly (same cost for unknown e-mails)
  errors      OrgError, the one refusal of the organisation services
  permissions require_role, can_see_user, headed_units, units_in_scope: the permission
              layer every other domain checks with; can_manage (only an Admin changes
              an Admin)
  password_policy  password_problems: the rules every password set must meet
  imports     import_file: the organisation from CSV/XLSX, all rows or none
  listing     users_page (one page of users with filters), org_chart (units with member
              counts from one query)
"""
