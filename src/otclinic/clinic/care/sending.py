"""How a PDF reaches a physician: a pluggable sender per channel.

- `DirectEmailSender`: Direct secure email through Django's email backend (the SMTP relay of
  the clinic's Direct provider), the PDF attached.
- `FaxSender` over a `FaxGateway`: `HttpFaxGateway` posts the PDF to the HTTP fax gateway
  configured in settings (`OTCLINIC_FAX_GATEWAY_URL`); tests and other providers pass their own
  gateway (`OTCLINIC_FAX_GATEWAY` names its class).

A sender answers what became of the sending (`SendOutcome`) or raises `SendFailed`, saying
whether trying again could help (`retry`). Nothing here logs an address, a number or the PDF.
"""

import base64
import json
import smtplib
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Outgoing:
    """One PDF for one physician."""

    destination: str  # a fax number or a Direct address
    subject: str
    body: str  # the cover message: no patient name (it travels outside the PDF)
    filename: str
    content: bytes


@dataclass(frozen=True)
class SendOutcome:
    status: str  # "sent" (handed over) or "delivered" (the receiving end confirmed it)
    reference: str = ""


class SendFailed(Exception):
    """The sending failed: `reason` is shown to the clinic; `retry` says whether to try again."""

    def __init__(self, reason: str, *, retry: bool) -> None:
        super().__init__(reason)
        self.reason, self.retry = reason, retry


class PhysicianSender(Protocol):
    def send(self, outgoing: Outgoing) -> SendOutcome: ...


class DirectEmailSender:
    """Direct secure email: a message with the PDF attached, through the email backend."""

    def send(self, outgoing: Outgoing) -> SendOutcome:
        message = EmailMessage(
            outgoing.subject,
            outgoing.body,
            settings.OTCLINIC_DIRECT_FROM_EMAIL,
            [outgoing.destination],
        )
        message.attach(outgoing.filename, outgoing.content, "application/pdf")
        try:
            message.send()
        except smtplib.SMTPRecipientsRefused as exc:
            raise SendFailed("The Direct address was refused.", retry=False) from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise SendFailed(
                f"The mail server did not take it ({type(exc).__name__}).", retry=True
            ) from exc
        return SendOutcome("sent")


@dataclass(frozen=True)
class FaxAnswer:
    """The gateway's answer: queued or sent (accepted), delivered, or failed with a reason."""

    reference: str
    status: str
    reason: str = ""


class FaxGateway(Protocol):
    def send_fax(self, *, number: str, filename: str, content: bytes) -> FaxAnswer: ...


class HttpFaxGateway:
    """A fax gateway with a JSON API: POST {to, filename, pdf (base64)} with a bearer token;
    it answers {id, status, reason}. Network errors and 5xx answers are worth another try."""

    def send_fax(self, *, number: str, filename: str, content: bytes) -> FaxAnswer:
        url = settings.OTCLINIC_FAX_GATEWAY_URL
        if not url:
            raise SendFailed(
                "No fax gateway is configured (OTCLINIC_FAX_GATEWAY_URL).", retry=False
            )
        payload = json.dumps(
            {"to": number, "filename": filename, "pdf": base64.b64encode(content).decode()}
        ).encode()
        request = urllib.request.Request(  # noqa: S310 - the URL comes from the settings
            url,
            data=payload,
            method="POST",
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {settings.OTCLINIC_FAX_GATEWAY_TOKEN}",
            },
        )
        try:
            with urllib.request.urlopen(  # noqa: S310
                request, timeout=settings.OTCLINIC_FAX_GATEWAY_TIMEOUT
            ) as response:
                answer = json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as exc:
            raise SendFailed(
                f"The fax gateway answered {exc.code}.", retry=exc.code >= 500
            ) from exc
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise SendFailed(
                f"The fax gateway could not be reached ({type(exc).__name__}).", retry=True
            ) from exc
        return FaxAnswer(
            str(answer.get("id", "")),
            str(answer.get("status", "sent")),
            str(answer.get("reason", "")),
        )


class FaxSender:
    """A fax through a gateway; a failure the gateway reports is final (the number is wrong, the
    line refused), an unreachable gateway is tried again."""

    def __init__(self, gateway: FaxGateway) -> None:
        self.gateway = gateway

    def send(self, outgoing: Outgoing) -> SendOutcome:
        answer = self.gateway.send_fax(
            number=outgoing.destination, filename=outgoing.filename, content=outgoing.content
        )
        if answer.status == "failed":
            raise SendFailed(answer.reason or "The fax gateway could not deliver it.", retry=False)
        status = "delivered" if answer.status == "delivered" else "sent"
        return SendOutcome(status, answer.reference)


def fax_gateway() -> FaxGateway:
    path = settings.OTCLINIC_FAX_GATEWAY
    try:
        gateway: FaxGateway = import_string(path)()
    except ImportError as exc:
        raise ImproperlyConfigured(f"OTCLINIC_FAX_GATEWAY: cannot import {path!r}") from exc
    return gateway


def sender_for(channel: str) -> PhysicianSender:
    """The sender for a channel: "direct" or "fax"."""
    if channel == "direct":
        return DirectEmailSender()
    if channel == "fax":
        return FaxSender(fax_gateway())
    raise ValueError(f"no sender for the channel {channel!r}")
