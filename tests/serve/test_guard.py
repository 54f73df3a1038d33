"""What every request passes: the host it names, the page it comes from, and its size."""

from __future__ import annotations

import pytest

from tailor import limits
from tailor.serve.jobs import REQUEST_BYTES
from tests.conftest import EXAMPLES
from tests.serve.conftest import App, upload

CASEY = EXAMPLES / "casey-morgan.md"


def test_an_11_mb_cv_is_refused_with_413_and_the_server_stays_up(app):
    response = app.post(
        "/api/critique", files={"cv": ("big.pdf", b"%PDF-1.7\n" + b"0" * 11_000_000)}
    )
    assert response.status_code == 413
    assert response.json() == {"detail": "big.pdf is over 10 MB, the limit for a CV file"}
    assert app.post("/api/read", files={"cv": upload(CASEY)}).status_code == 200


def test_the_page_says_the_same_of_an_11_mb_upload(app):
    response = app.post("/upload", files={"cv": ("big.md", b"# x\n" * 2_800_000)})
    assert response.status_code == 413
    assert "big.md is over 10 MB, the limit for a CV file" in response.text
    assert app.get("/").status_code == 200


def test_a_body_declared_over_the_request_limit_is_refused_before_it_is_read(app):
    async def endless():
        yield b"x" * 1024
        raise AssertionError("the body was read")

    response = app.post(
        "/api/read",
        content=endless(),
        headers={"content-length": str(REQUEST_BYTES + 1), "content-type": "multipart/form-data"},
    )
    assert response.status_code == 413
    assert "the most tailor takes in one request" in response.json()["detail"]


def test_a_chunked_body_is_cut_off_once_it_passes_the_limit(app):
    sent = 0

    async def chunks():
        nonlocal sent
        yield b'--zzz\r\nContent-Disposition: form-data; name="cv"; filename="cv.md"\r\n\r\n'
        while sent < 4 * REQUEST_BYTES:
            sent += limits.MIB
            yield b"x" * limits.MIB

    response = app.post(
        "/api/read",
        content=chunks(),
        headers={"content-type": "multipart/form-data; boundary=zzz"},
    )
    assert response.status_code == 413
    assert sent <= REQUEST_BYTES + 2 * limits.MIB  # not the whole stream


@pytest.mark.parametrize(
    "headers",
    [
        {"origin": "http://evil.example"},
        {"origin": "http://127.0.0.1:9999"},  # another port is another origin
        {"origin": "null"},
        {"sec-fetch-site": "cross-site"},
        {"sec-fetch-site": "same-site"},
    ],
)
def test_a_post_from_another_sites_page_is_refused(app, headers):
    response = app.post("/api/critique", files={"cv": upload(CASEY)}, headers=headers)
    assert response.status_code == 403
    assert response.json() == {"detail": "refused: the request came from another site's page"}
    upload_page = app.post("/upload", files={"cv": upload(CASEY)}, headers=headers)
    assert upload_page.status_code == 403


@pytest.mark.parametrize(
    "headers",
    [{"origin": "http://127.0.0.1:8765"}, {"sec-fetch-site": "same-origin"}, {}],
)
def test_a_post_from_this_apps_page_or_a_script_is_served(app, headers):
    response = app.post("/api/read", files={"cv": upload(CASEY)}, headers=headers)
    assert response.status_code == 200


def test_a_get_from_anywhere_is_served(app):
    assert app.get("/", headers={"origin": "http://evil.example"}).status_code == 200


@pytest.mark.parametrize(
    "host",
    [
        "evil.example",
        "evil.example:8765",
        "10.0.0.5:8765",
        "",
        "localhost.evil.example",
        "127.0.0.1.nip.io:8765",
        "localhost.:8765",
        "[localhost]:8765",
        "[127.0.0.1]",
        "[::1]junk",
        "[::1",
        "127.0.0.1:8765:80",
    ],
)
def test_on_loopback_a_host_other_than_this_machine_is_refused(app, host):
    """A page of another site whose name was rebound to 127.0.0.1 names its own host."""
    response = app.get("/", headers={"host": host})
    assert response.status_code == 421


@pytest.mark.parametrize("host", ["localhost:8765", "127.0.0.1", "[::1]:8765"])
def test_on_loopback_this_machine_by_any_name_is_served(app, host):
    assert app.get("/", headers={"host": host}).status_code == 200


@pytest.mark.parametrize("host", ["127.0.0.2:8765", "localhost", "LocalHost:8765", "[::1]"])
def test_on_loopback_any_loopback_address_is_served(app, host):
    assert app.get("/", headers={"host": host}).status_code == 200


@pytest.mark.parametrize("host", ["192.168.1.20:8765", "[fe80::1]:8765", "cv-box.lan:8765"])
def test_bound_to_the_network_its_addresses_and_given_names_are_served(host):
    app = App(loopback_only=False, names=frozenset({"cv-box.lan"}))
    assert app.get("/", headers={"host": host}).status_code == 200


def test_bound_to_the_network_another_name_is_refused_as_a_rebinding_page_would_send_it():
    app = App(loopback_only=False, names=frozenset({"cv-box.lan"}))
    response = app.post(
        "/api/read",
        files={"cv": upload(CASEY)},
        headers={"host": "attacker.example:8765", "origin": "http://attacker.example:8765"},
    )
    assert response.status_code == 421
    assert "answers to its address or name, not to 'attacker.example:8765'" in response.text


def test_on_loopback_a_name_given_is_served_as_behind_a_reverse_proxy():
    app = App(names=frozenset({"CV.example.lan"}))
    assert app.get("/", headers={"host": "cv.example.lan"}).status_code == 200
    assert app.get("/", headers={"host": "other.example.lan"}).status_code == 421


def test_bound_to_the_network_origins_are_still_checked():
    app = App(loopback_only=False)
    response = app.post(
        "/api/read",
        files={"cv": upload(CASEY)},
        headers={"host": "192.168.1.20:8765", "origin": "http://evil.example"},
    )
    assert response.status_code == 403


def test_every_answer_forbids_framing_and_scripts_from_elsewhere(app):
    for response in (app.get("/"), app.post("/api/read", files={"cv": ("x.md", b"")})):
        policy = response.headers["content-security-policy"]
        assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert "script-src" not in policy  # scripts fall back to 'self': no inline script
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["cache-control"] == "no-store"


def test_an_ipv4_mapped_loopback_address_is_this_machine(app):
    assert app.get("/", headers={"host": "[::ffff:127.0.0.1]:8765"}).status_code == 200
    assert app.get("/", headers={"host": "[::ffff:10.0.0.5]:8765"}).status_code == 421
