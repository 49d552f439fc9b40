import rules

from trongtam.org.rules import is_admin, is_internal, is_office

rules.add_perm("workdays.view_calendar", is_internal)
rules.add_perm("workdays.manage_calendar", is_admin | is_office)
