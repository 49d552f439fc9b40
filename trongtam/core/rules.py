"""Permissions of the cross-cutting pages: personal API tokens are for the province's own staff."""

import rules

from trongtam.org.rules import is_internal

rules.add_perm("core.use_api_tokens", is_internal)
