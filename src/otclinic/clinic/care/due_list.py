"""What the home page's due list says of an episode besides the episode check's findings: its
overdue goals and its certification requests to follow up (a reminder due to the physician, a
refusal not yet answered with a new request).

Both are computed with the episode check's answer and stored with it (`EpisodeCheck.reminders`,
`care.episode_checks`), under the same three keys: a write to a goal, a goal's measure, a
certification request, its reminders or a physician raises the episode's `facts_version` in the
writer's transaction, as a write to the check's documents does; the clinic date and the code's
digest do the rest. The home page then reads them with the episodes, in no query of their own
(they were two: the goals' latest measures in four correlated subqueries, and the requests).
"""

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from otclinic.clinic.care.models import CertificationRequest
from otclinic.clinic.care.selectors_certification import (
    CertificationFollowUp,
    certification_follow_ups_of_episodes,
)
from otclinic.clinic.care.selectors_goals import overdue_goals


@dataclass(frozen=True)
class Reminder:
    """One line of the due list, with the keys that order it among the others of its kind."""

    episode_id: uuid.UUID
    text: str
    order: tuple[str, ...]


def _request_order(request: CertificationRequest) -> list[str]:
    return [request.sent_on.isoformat(), request.created_at.isoformat()]


def _remind_text(follow_up: CertificationFollowUp) -> str:
    r, step = follow_up.request, follow_up.due
    assert step is not None
    return (
        f"Certification {step.label} to {r.physician}: plan v{r.plan.version} sent "
        f"{r.sent_on:%b %d}, signature due by {r.deadline:%b %d}"
    )


def _refused_text(r: CertificationRequest) -> str:
    return (
        f"{r.physician} refused to certify plan v{r.plan.version} on {r.closed_on:%b %d}: "
        "revise the plan and send it again"
    )


def reminders_as_json(
    episodes: Iterable[tuple[uuid.UUID, uuid.UUID]], *, as_of: dt.date
) -> dict[uuid.UUID, dict[str, list[Any]]]:
    """For each (episode id, organization id): its overdue goals, certification reminders due
    and refusals on `as_of`, as stored (`{"goals": [[target date, text]], "remind": [[sent,
    made, text]], "refused": [...]}`). One query for the goals, one or two per organization
    for the requests."""
    by_org: dict[uuid.UUID, list[uuid.UUID]] = {}
    for episode_id, organization_id in episodes:
        by_org.setdefault(organization_id, []).append(episode_id)
    found: dict[uuid.UUID, dict[str, list[Any]]] = {
        pk: {"goals": [], "remind": [], "refused": []} for ids in by_org.values() for pk in ids
    }
    for goal in overdue_goals(list(found), as_of=as_of):
        found[goal.episode_id]["goals"].append([goal.target_date.isoformat(), goal.text])
    for organization_id, ids in by_org.items():
        due, refused = certification_follow_ups_of_episodes(
            organization_id=organization_id, episode_ids=ids, as_of=as_of
        )
        for follow_up in due:
            r = follow_up.request
            found[r.plan.episode_id]["remind"].append([*_request_order(r), _remind_text(follow_up)])
        for r in refused:
            found[r.plan.episode_id]["refused"].append([*_request_order(r), _refused_text(r)])
    return found


def reminders_from_json(
    stored: dict[uuid.UUID, dict[str, list[Any]]], *, own: set[uuid.UUID]
) -> tuple[list[Reminder], list[Reminder], list[Reminder]]:
    """The overdue goals of every episode of `stored` (oldest target first), and the reminders
    due (oldest sent first) and refusals (newest first) of the episodes in `own` (those the
    user is the therapist of), as the due list shows them."""

    def lines(kind: str, episode_ids: Iterable[uuid.UUID]) -> list[Reminder]:
        return [
            Reminder(pk, line[-1], tuple(line[:-1]))
            for pk in episode_ids
            for line in stored[pk][kind]
        ]

    goals = sorted(lines("goals", stored), key=lambda r: r.order)
    mine = [pk for pk in stored if pk in own]
    remind = sorted(lines("remind", mine), key=lambda r: r.order)
    refused = sorted(lines("refused", mine), key=lambda r: r.order, reverse=True)
    return goals, remind, refused
