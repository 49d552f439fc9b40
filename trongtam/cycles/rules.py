import rules

from trongtam.org.rules import is_admin, is_chairman, is_internal, is_office

rules.add_perm("cycles.view_period", is_internal)
rules.add_perm("cycles.manage_period", is_admin | is_office)
rules.add_perm("cycles.assign_task", is_chairman)
