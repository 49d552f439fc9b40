"""Who may see the league tables and change their rules.

The league of a signed round is published within the government: the province-wide roles, the council, the
Vice-Chairmen and every head see all of it (units, heads' names and titles, scores, levels, ranks; nothing else
about a person). Home Affairs sets the rules (the demotion of repeat violations, the levels for each title).
"""

from __future__ import annotations

import rules

from trongtam.org.rules import is_council, is_head, is_home_affairs, is_province_wide, is_vice_chairman

rules.add_perm("rankings.view_league", is_province_wide | is_council | is_vice_chairman | is_head)
rules.add_perm("rankings.change_settings", is_home_affairs)
