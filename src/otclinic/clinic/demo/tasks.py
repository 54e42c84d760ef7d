"""The demo's background task (Django's Tasks framework, through the django-tasks backport)."""

from typing import Any

from django_tasks import task

from otclinic.clinic.demo.seed import seed_demo


@task()
def seed_demo_clinic(scale: int, random_seed: int) -> dict[str, Any]:
    """`otclinic demo seed --background`: the demo clinic seeded by a worker."""
    result = seed_demo(scale=scale, random_seed=random_seed)
    return {"summary": result.summary()}
