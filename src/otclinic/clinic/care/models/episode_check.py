"""Each episode's episode-check answer, kept between the changes of what the check reads.

Not a record of care: a stored computation (`care.episode_checks`), so it is neither audited nor
shown anywhere as such; the home page's due list reads it instead of running the
check on every view.
"""

from django.db import models

from otclinic.clinic.care.models.episode import Episode


class EpisodeCheck(models.Model):
    """The episode check's answer for one episode, valid while all three keys still hold:
    `facts_version` (raised in the same transaction as every write to what the check reads),
    `computed_for` (the clinic date it was computed for) and `rules_version` (the check's code
    and rule files). `result` is `result_as_json`'s object; null until computed. `reminders`
    is what else the home page's due list says of the episode, computed with it
    (`care.due_list.reminders_as_json`: its overdue goals and its certification requests to
    follow up); null until computed."""

    episode = models.OneToOneField(
        Episode, on_delete=models.CASCADE, primary_key=True, related_name="stored_check"
    )
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="+"
    )
    facts_version = models.PositiveBigIntegerField(default=0)
    computed_for = models.DateField(null=True, blank=True)
    rules_version = models.CharField(max_length=64, blank=True)
    result = models.JSONField(null=True, blank=True)
    # "Nothing to check yet": the episode has no plan of care (the check needs one).
    no_plan = models.BooleanField(default=False)
    reminders = models.JSONField(null=True, blank=True)

    def __str__(self) -> str:
        return f"episode check of {self.episode_id} for {self.computed_for}"
