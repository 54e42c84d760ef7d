"""Each episode's episode-check answer, stored, and never shown once it could be out of date.

The home page's due list shows the episode check's answer for every open episode a clinician
works on. Running the check on every view read every note of every episode each time; instead
the answer is kept in `EpisodeCheck`, one row per episode, with the rest of what the due list
says of the episode (its overdue goals and certification follow-ups, `care.due_list`), valid
while three keys hold:

- `facts_version`: raised in the same transaction as every write to what the check reads (the
  episode, its plans, recertifications, evaluations, notes, progress reports and discharge, its
  referral and coverage, the payer's settings, a user's role) and to what the due list reads
  besides (goals, their measures on notes and progress reports, certification requests and
  their reminders, a referring physician). The model signals and the bulk-update hook below do
  it, so no service can forget; a write that rolls back rolls the raise back with it.
- `computed_for`: the clinic date the answer was computed for. The check's answer moves with
  the date (a report falls due, a certification lapses), so an answer of yesterday is stale.
- `rules_version`: a digest of the check's code and rule files, so a release that changes a
  rule recomputes every answer.

A row that fails any key is recomputed when it is next read (`results_for`), from the episode's
documents read afresh, and stored only if `facts_version` is still the one read before those
documents were: a write that commits while the answer is being computed raises the version, the
conditional store finds no row, and the next view computes again. The daily job
(`refresh_open_episodes`) computes the day's answers early so the first view of the day does
not pay for them.
"""

import datetime as dt
import functools
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from django.contrib.auth import get_user_model
from django.db.models import F, Model, QuerySet
from django.db.models.signals import post_delete, post_save

from otclinic.clinic.care import adapters, due_list, selectors_certification, selectors_goals
from otclinic.clinic.care.adapters import EPISODE_PREFETCH, EPISODE_SELECT, episode_facts
from otclinic.clinic.care.models import (
    CertificationReminder,
    CertificationRequest,
    DischargeSummary,
    Episode,
    EpisodeCheck,
    EpisodeStatus,
    Evaluation,
    Goal,
    GoalAssessment,
    GoalProgress,
    PlanOfCare,
    ProgressReport,
    Recertification,
    TreatmentNote,
)
from otclinic.clinic.common import models as common_models
from otclinic.clinic.common.digests import files_digest
from otclinic.clinic.payers.adapters import policy_for_payer
from otclinic.clinic.payers.models import Coverage, Payer
from otclinic.clinic.referrals.models import Referral, ReferringPhysician
from otclinic.domain.care import goals as domain_goals
from otclinic.domain.compliance import certification_reminders
from otclinic.domain.compliance import episode as episode_check
from otclinic.domain.compliance.episode import check_episode, result_as_json, result_from_json
from otclinic.domain.compliance.episode_model import EpisodeResult

# --- what makes a stored answer stale --------------------------------------------------------------

# Documents of one episode: a write to one of them changes that episode's answer.
EPISODE_DOCUMENTS: tuple[type[Model], ...] = (
    PlanOfCare,
    Recertification,
    Evaluation,
    TreatmentNote,
    ProgressReport,
    DischargeSummary,
)

# What the due list stores besides (care.due_list), and the path from each to its episode: its
# first step a foreign key of the row (still there when the row is deleted), then the rest.
DUE_LIST_PARTS: dict[type[Model], tuple[str, str]] = {
    Goal: ("plan", "episode_id"),
    GoalProgress: ("goal", "plan__episode_id"),
    GoalAssessment: ("goal", "plan__episode_id"),
    CertificationRequest: ("plan", "episode_id"),
    CertificationReminder: ("request", "plan__episode_id"),
}


@functools.cache
def rules_version() -> str:
    """A digest of the check's code and rule files: a release that changes any of them makes
    every stored answer stale."""
    compliance = Path(episode_check.__file__).parent
    return files_digest(
        [
            *sorted(compliance.glob("episode*.py")),
            compliance / "payer_policy.py",
            compliance / "findings.py",
            compliance.parent / "rules" / "payer_policies.yaml",
            Path(adapters.__file__),
            Path(__file__),
            # The due list's goals and certification follow-ups, stored with the answer.
            Path(due_list.__file__),
            Path(selectors_goals.__file__),
            Path(selectors_certification.__file__),
            Path(domain_goals.__file__),
            Path(certification_reminders.__file__),
            certification_reminders.RULES_FILE,
        ]
    )


def invalidate_episodes(*, organization_id: uuid.UUID, episode_ids: Iterable[Any]) -> None:
    """Make the stored answers of these episodes stale, in the caller's transaction.

    A row is made first for an episode that has none, so that a reader computing its first
    answer concurrently (which read the version before the documents) cannot store it.
    """
    ids = list(dict.fromkeys(episode_ids))
    if not ids:
        return
    EpisodeCheck.objects.bulk_create(
        [EpisodeCheck(episode_id=pk, organization_id=organization_id) for pk in ids],
        ignore_conflicts=True,
    )
    _raise_versions(EpisodeCheck.objects.filter(episode_id__in=ids))


def invalidate_organization(*, organization_id: uuid.UUID) -> None:
    """Make every stored answer of an organization stale (a payer's settings or a user's role
    changed: rare writes that can change the answer of many episodes)."""
    _raise_versions(EpisodeCheck.objects.filter(organization_id=organization_id))


def _raise_versions(rows: QuerySet[EpisodeCheck]) -> None:
    rows.update(
        facts_version=F("facts_version") + 1,
        result=None,
        reminders=None,
        computed_for=None,
        no_plan=False,
    )


# --- reading the answers ---------------------------------------------------------------------------


def results_for(
    episodes: Sequence[Episode], *, as_of: dt.date
) -> dict[uuid.UUID, EpisodeResult | None]:
    """The episode check's answer on `as_of` for each episode (None before it has a plan of
    care): the stored answer where it is current, else computed and stored."""
    return {pk: answer.result for pk, answer in answers_for(episodes, as_of=as_of).items()}


@dataclass(frozen=True)
class Answer:
    """An episode's stored answer: the check's result (None before a plan of care) and what
    else the due list says of it (`due_list.reminders_as_json`'s object)."""

    result: EpisodeResult | None
    reminders: dict[str, list[Any]]


def answers_for(episodes: Sequence[Episode], *, as_of: dt.date) -> dict[uuid.UUID, Answer]:
    """`results_for` with the due list's reminders of each episode.

    The stale ones are read again with `EPISODE_PREFETCH`, after their rows: documents that
    came with `episodes` may be older than the versions read now, so they are never used.
    """
    return _answers(_stored_rows(episodes), [episode.pk for episode in episodes], as_of=as_of)


def answers_for_stored(
    stored: Sequence[tuple[uuid.UUID, uuid.UUID, EpisodeCheck | None]], *, as_of: dt.date
) -> dict[uuid.UUID, Answer]:
    """`answers_for`, given each episode's id, organization and stored row as a caller read
    them with the episode's columns (`stored_row`; None for an episode that has none yet)."""
    rows = {pk: row for pk, _, row in stored if row is not None}
    missing = [(pk, organization_id) for pk, organization_id, row in stored if row is None]
    if missing:
        rows.update(_made_rows(missing))
    return _answers(rows, [pk for pk, _, _ in stored], as_of=as_of)


def _answers(
    stored: dict[uuid.UUID, EpisodeCheck], episode_ids: list[uuid.UUID], *, as_of: dt.date
) -> dict[uuid.UUID, Answer]:
    answers: dict[uuid.UUID, Answer] = {}
    stale: list[EpisodeCheck] = []
    for pk in episode_ids:
        row = stored[pk]
        if _current(row, as_of):
            result = None if row.no_plan else result_from_json(cast(dict[str, Any], row.result))
            answers[pk] = Answer(result, cast(dict[str, list[Any]], row.reminders))
        else:
            stale.append(row)
    if stale:
        answers.update(_recompute(stale, as_of=as_of))
    return answers


# The columns of a stored answer: a caller may read them with its episodes
# (`select_related("stored_check")`), and `results_for` then uses those rows.
STORED_FIELDS = (
    "organization",
    "facts_version",
    "computed_for",
    "rules_version",
    "result",
    "no_plan",
    "reminders",
)
# The same as a caller reads them as columns (`values_list`) with its episodes: the row's
# episode first (None when the episode has no row yet), then what `stored_row` builds it from.
STORED_COLUMNS = ("stored_check__episode_id", *(f"stored_check__{f}" for f in STORED_FIELDS))
_STORED_ATTNAMES = ("episode_id", "organization_id", *STORED_FIELDS[1:])


def stored_row(values: Sequence[Any]) -> EpisodeCheck | None:
    """The stored row read as `STORED_COLUMNS` (None when the episode has none yet)."""
    if values[0] is None:
        return None
    return EpisodeCheck.from_db("default", _STORED_ATTNAMES, values)


def _stored_rows(episodes: Sequence[Episode]) -> dict[uuid.UUID, EpisodeCheck]:
    """Every episode's row, versions read before any document is (the rows that came with
    `episodes`, read with them, and the others now); missing rows made first."""
    rows: dict[uuid.UUID, EpisodeCheck] = {}
    unread = []
    for episode in episodes:
        if not Episode.stored_check.is_cached(episode):
            unread.append(episode.pk)
        elif Episode.stored_check.related.get_cached_value(episode) is not None:
            rows[episode.pk] = episode.stored_check  # the row read with it: no query
    if unread:
        rows.update({r.episode_id: r for r in EpisodeCheck.objects.filter(episode_id__in=unread)})
    missing = [(e.pk, e.organization_id) for e in episodes if e.pk not in rows]
    if missing:
        rows.update(_made_rows(missing))
    return rows


def _made_rows(missing: list[tuple[uuid.UUID, uuid.UUID]]) -> dict[uuid.UUID, EpisodeCheck]:
    """The rows of episodes (id, organization) that had none, made now (or by a concurrent
    request) and read back, their versions before any document is read."""
    EpisodeCheck.objects.bulk_create(
        [EpisodeCheck(episode_id=pk, organization_id=org) for pk, org in missing],
        ignore_conflicts=True,
    )
    made = EpisodeCheck.objects.filter(episode_id__in=[pk for pk, _ in missing])
    return {r.episode_id: r for r in made}


def _current(row: EpisodeCheck, as_of: dt.date) -> bool:
    return (
        row.computed_for == as_of
        and row.rules_version == rules_version()
        and (row.no_plan or row.result is not None)
        and row.reminders is not None
    )


def _recompute(rows: list[EpisodeCheck], *, as_of: dt.date) -> dict[uuid.UUID, Answer]:
    """Each row's answer from its episode's documents, read now (after the row's version), and
    stored unless a write has raised the version since."""
    full = (
        Episode.objects.select_related(*EPISODE_SELECT)
        .prefetch_related(*EPISODE_PREFETCH)
        .in_bulk([r.episode_id for r in rows])
    )
    reminders = due_list.reminders_as_json(
        [(r.episode_id, r.organization_id) for r in rows], as_of=as_of
    )
    answers: dict[uuid.UUID, Answer] = {}
    for row in rows:
        result = live_result(full[row.episode_id], as_of=as_of)
        answers[row.episode_id] = Answer(result, reminders[row.episode_id])
        EpisodeCheck.objects.filter(
            episode_id=row.episode_id, facts_version=row.facts_version
        ).update(
            computed_for=as_of,
            rules_version=rules_version(),
            result=None if result is None else result_as_json(result),
            no_plan=result is None,
            reminders=reminders[row.episode_id],
        )
    return answers


def live_result(episode: Episode, *, as_of: dt.date) -> EpisodeResult | None:
    """The episode check run now on the episode's documents (which `EPISODE_PREFETCH` reads)."""
    facts = episode_facts(episode, as_of=as_of)
    if facts is None:
        return None
    payer = episode.coverage.payer if episode.coverage else None
    return check_episode(facts, policy=policy_for_payer(payer))


def refresh_open_episodes(*, as_of: dt.date, chunk: int = 200) -> int:
    """Compute the answers of every open episode that has none current for `as_of` (the daily
    job, so that the first views of the day read stored answers). Returns how many."""
    open_ids = list(
        Episode.objects.filter(status=EpisodeStatus.OPEN)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    done = 0
    for start in range(0, len(open_ids), chunk):
        episodes = list(Episode.objects.filter(pk__in=open_ids[start : start + chunk]))
        stored = _stored_rows(episodes)
        stale = [stored[e.pk] for e in episodes if not _current(stored[e.pk], as_of)]
        if stale:
            _recompute(stale, as_of=as_of)
        done += len(stale)
    return done


# --- the writes that make answers stale ------------------------------------------------------------


def _on_document(sender: type[Model], instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if raw or kwargs.get("signal") is post_delete:
        # No row is made for an episode that may be going away with this document (a cascade);
        # one that exists is made stale.
        _raise_versions(EpisodeCheck.objects.filter(episode_id=instance.episode_id))
        return
    invalidate_episodes(organization_id=instance.organization_id, episode_ids=[instance.episode_id])


def _on_due_list_part(sender: type[Model], instance: Any, **kwargs: Any) -> None:
    """A goal, a goal's measure, a certification request or reminder: its episode's row."""
    first, rest = DUE_LIST_PARTS[sender]
    parent = sender._meta.get_field(first).related_model
    assert isinstance(parent, type) and issubclass(parent, Model)
    episode_ids = parent._default_manager.filter(pk=getattr(instance, f"{first}_id")).values_list(
        rest, flat=True
    )
    invalidate_episodes(organization_id=instance.organization_id, episode_ids=list(episode_ids))


def _on_physician(sender: type[Model], instance: ReferringPhysician, **kwargs: Any) -> None:
    """A physician's name is in the certification follow-ups of every plan sent to them."""
    if kwargs.get("created"):
        return  # nothing has been sent to them yet
    invalidate_organization(organization_id=instance.organization_id)


def _on_episode(sender: type[Model], instance: Episode, **kwargs: Any) -> None:
    if kwargs.get("signal") is post_delete:
        return  # its row goes with it (on_delete=CASCADE)
    invalidate_episodes(organization_id=instance.organization_id, episode_ids=[instance.pk])


def _on_referral_or_coverage(sender: type[Model], instance: Any, **kwargs: Any) -> None:
    field = "referral" if sender is Referral else "coverage"
    ids = Episode.objects.filter(**{field: instance.pk}).values_list("pk", flat=True)
    invalidate_episodes(organization_id=instance.organization_id, episode_ids=list(ids))


def _on_payer(sender: type[Model], instance: Payer, **kwargs: Any) -> None:
    if kwargs.get("created"):
        return  # no episode is covered by it yet
    invalidate_organization(organization_id=instance.organization_id)


def _on_user(sender: type[Model], instance: Any, **kwargs: Any) -> None:
    """A user's role decides how their documents count; a sign-in (which saves only
    `last_login`) changes nothing the check reads."""
    fields = kwargs.get("update_fields")
    if kwargs.get("created") or (fields is not None and "role" not in fields):
        return
    if instance.organization_id:
        invalidate_organization(organization_id=instance.organization_id)


def _on_bulk_update(*, model: type[Model], rows: list[tuple[Any, Any]], fields: list[str]) -> None:
    """`QuerySet.update` of tenant rows sends no per-row signal: the same rules, for its rows."""
    by_org: dict[Any, list[Any]] = {}
    if model is Episode:
        for pk, org in rows:
            by_org.setdefault(org, []).append(pk)
    elif model in EPISODE_DOCUMENTS:
        ids = [pk for pk, _ in rows]
        for org, episode_id in model._default_manager.filter(pk__in=ids).values_list(
            "organization_id", "episode_id"
        ):
            by_org.setdefault(org, []).append(episode_id)
    elif model in (Referral, Coverage):
        field = "referral" if model is Referral else "coverage"
        ids = [pk for pk, _ in rows]
        for org, episode_id in Episode.objects.filter(**{f"{field}__in": ids}).values_list(
            "organization_id", "pk"
        ):
            by_org.setdefault(org, []).append(episode_id)
    elif model in DUE_LIST_PARTS:
        path = "__".join(DUE_LIST_PARTS[model])
        ids = [pk for pk, _ in rows]
        for org, episode_id in model._default_manager.filter(pk__in=ids).values_list(
            "organization_id", path
        ):
            by_org.setdefault(org, []).append(episode_id)
    elif model in (Payer, ReferringPhysician) or (model is get_user_model() and "role" in fields):
        for org in {org for _, org in rows if org}:
            invalidate_organization(organization_id=org)
    for org, episode_ids in by_org.items():
        invalidate_episodes(organization_id=org, episode_ids=episode_ids)


def connect() -> None:
    """Register the invalidations (called once, from the care app's `ready()`)."""
    for model in EPISODE_DOCUMENTS:
        for signal in (post_save, post_delete):
            signal.connect(
                _on_document, sender=model, dispatch_uid=f"episode_check_{model.__name__}"
            )
    for signal in (post_save, post_delete):
        signal.connect(_on_episode, sender=Episode, dispatch_uid="episode_check_episode")
        for model in (Referral, Coverage):
            signal.connect(
                _on_referral_or_coverage,
                sender=model,
                dispatch_uid=f"episode_check_{model.__name__}",
            )
        signal.connect(_on_payer, sender=Payer, dispatch_uid="episode_check_payer")
        signal.connect(_on_physician, sender=ReferringPhysician, dispatch_uid="episode_check_md")
        for model in DUE_LIST_PARTS:
            signal.connect(
                _on_due_list_part, sender=model, dispatch_uid=f"episode_check_{model.__name__}"
            )
    post_save.connect(_on_user, sender=get_user_model(), dispatch_uid="episode_check_user")
    if _on_bulk_update not in common_models.update_listeners:
        common_models.update_listeners.append(_on_bulk_update)
