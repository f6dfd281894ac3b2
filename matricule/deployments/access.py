"""Which permission lets a viewer do what in the deployments app.

- `DEPLOYMENT_PLAN` (operations planner): operations, positions, searches and assignments
  in their scope, UN readiness, unit readiness and the critical skills list.
- `DEPLOYMENT_VIEW` (inspector, and planners): read all of that, change nothing.
- `DEPLOYMENT_STAFF` (head of unit): the assignments of the staff of their unit subtree.
An officer reads their own missions through their account (`/moi/missions/`).
"""

from __future__ import annotations

from matricule.accounts.roles import Perm

# Who sees the "Missions" tab of a record.
READ_PERMS = frozenset({Perm.DEPLOYMENT_PLAN, Perm.DEPLOYMENT_VIEW, Perm.DEPLOYMENT_STAFF})
