import rules

from trongtam.org.rules import (
    is_admin,
    is_chairman,
    is_council,
    is_head,
    is_office,
    is_province_wide,
    is_vice_chairman,
)

rules.add_perm("directives.manage_directive", is_office | is_chairman | is_admin)
rules.add_perm("directives.view_directive_list", is_province_wide | is_council | is_vice_chairman | is_head)
