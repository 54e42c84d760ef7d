"""Messages, tasks and notifications, mounted at /messages/ (staff only)."""

from django.urls import path

from otclinic.clinic.messaging import views, views_tasks

urlpatterns = [
    path("", views.inbox, name="messages-inbox"),
    path("badge/", views.badge, name="messages-badge"),
    path("new/", views.thread_new, name="thread-new"),
    path("new/patient/<uuid:patient_id>/", views.thread_new_patient, name="thread-new-patient"),
    path("new/episode/<uuid:episode_id>/", views.thread_new_episode, name="thread-new-episode"),
    path("new/note/<uuid:note_id>/", views.thread_new_note, name="thread-new-note"),
    path("new/claim/<uuid:claim_id>/", views.thread_new_claim, name="thread-new-claim"),
    path("threads/<uuid:thread_id>/", views.thread_detail, name="thread-detail"),
    path("threads/<uuid:thread_id>/messages/", views.thread_messages, name="thread-messages"),
    path(
        "threads/<uuid:thread_id>/participants/",
        views.thread_participants,
        name="thread-participants",
    ),
    path(
        "threads/<uuid:thread_id>/participants/remove/",
        views.thread_participant_remove,
        name="thread-participant-remove",
    ),
    path("threads/<uuid:thread_id>/tasks/", views_tasks.thread_task_new, name="thread-task-new"),
    path(
        "notifications/<uuid:notification_id>/",
        views.notification_open,
        name="notification-open",
    ),
    path("notifications/read/", views.notifications_read, name="notifications-read"),
    path("tasks/", views_tasks.task_list, name="tasks"),
    path("tasks/new/", views_tasks.task_new, name="task-new"),
    path("tasks/<uuid:task_id>/done/", views_tasks.task_done, name="task-done"),
]
