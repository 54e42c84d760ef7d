"""The chat-completions provider against a local server: answers, streams and every failure."""

from collections.abc import Iterator

import pytest

from otclinic.clinic.assistant.provider import ChatProvider, ProviderError, ProviderTimeout
from tests.chat_server import ChatServer, chat_server

ASK = [{"role": "user", "content": "Draft it."}]
REPLY = "Pt completed therapeutic activity (97530) for 23 minutes with CGA."


@pytest.fixture
def server() -> Iterator[ChatServer]:
    with chat_server() as running:
        running.reply = REPLY
        yield running


def provider(server: ChatServer, **options: object) -> ChatProvider:
    return ChatProvider(base_url=server.base_url + "/", model="tiny", **options)  # type: ignore[arg-type]


def test_a_completion_answers_the_models_text(server: ChatServer) -> None:
    assert provider(server, api_key="k-1").complete(ASK) == REPLY
    assert server.requests == [
        {"model": "tiny", "messages": ASK, "stream": False, "temperature": 0.2}
    ]
    assert server.headers[0]["Authorization"] == "Bearer k-1"


def test_a_stream_is_read_piece_by_piece_into_the_whole_answer(server: ChatServer) -> None:
    p = provider(server)
    assert len(list(p.pieces(ASK))) > 1
    assert p.stream(ASK) == REPLY
    assert server.requests[-1]["stream"] is True
    assert "Authorization" not in server.headers[-1]


@pytest.mark.parametrize("stream", [False, True])
def test_an_http_error_names_the_status(server: ChatServer, stream: bool) -> None:
    server.mode = "error"
    p = provider(server)
    with pytest.raises(ProviderError, match="HTTP 500"):
        p.stream(ASK) if stream else p.complete(ASK)


@pytest.mark.parametrize("stream", [False, True])
def test_a_slow_model_times_out(server: ChatServer, stream: bool) -> None:
    server.mode, server.delay = "slow", 2.0
    p = provider(server, timeout=0.3)
    with pytest.raises(ProviderTimeout, match=r"longer than 0\.3 s"):
        p.stream(ASK) if stream else p.complete(ASK)


@pytest.mark.parametrize("mode", ["malformed", "wrong-shape"])
def test_an_answer_that_is_not_a_completion_is_refused(server: ChatServer, mode: str) -> None:
    server.mode = mode
    with pytest.raises(ProviderError, match="not a chat completion"):
        provider(server).complete(ASK)


def test_a_stream_piece_that_is_not_a_chunk_is_refused(server: ChatServer) -> None:
    server.mode = "malformed"
    with pytest.raises(ProviderError, match="not a chat chunk"):
        provider(server).stream(ASK)


def test_a_stream_cut_short_is_refused(server: ChatServer) -> None:
    server.mode = "cut-short"
    with pytest.raises(ProviderError, match="ended before it was complete"):
        provider(server).stream(ASK)


def test_a_server_that_is_not_there_is_a_plain_failure() -> None:
    with chat_server() as gone:
        url = gone.base_url
    with pytest.raises(ProviderError, match="could not be reached"):
        ChatProvider(base_url=url, model="tiny", timeout=2).complete(ASK)


def test_the_failure_message_never_quotes_the_text(server: ChatServer) -> None:
    server.mode = "wrong-shape"
    with pytest.raises(ProviderError) as failure:
        provider(server).complete(ASK)
    assert REPLY not in str(failure.value)
