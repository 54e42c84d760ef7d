from django.apps import AppConfig


class AssistantConfig(AppConfig):
    name = "otclinic.clinic.assistant"
    label = "assistant"
    verbose_name = "Documentation assistant (language model)"

    def ready(self) -> None:
        # The note page (care, below) asks whether to offer the assistant (care.hooks).
        from otclinic.clinic.assistant import selectors
        from otclinic.clinic.care.hooks import note_assistant_offered, note_pending_proposals

        note_assistant_offered.register(selectors.assistant_offered)
        note_pending_proposals.register(selectors.pending_proposals)
