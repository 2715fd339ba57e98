"""The SSRF guard: every unsafe URL form is refused for live businesses, with a test resolver."""

from __future__ import annotations

import pytest
from fastfaktura.domain.errors import ValidationFailed
from fastfaktura.webhooks.ssrf import check_url, is_public_address, system_resolver

PUBLIC = "93.184.215.14"
NAMES = {
    "hooks.example.com": [PUBLIC, "2606:2800:21f:cb07:6820:80da:af6b:8b2c"],
    "internal.example.com": ["10.0.0.7"],
    "mixed.example.com": [PUBLIC, "192.168.1.4"],
    "metadata.example.com": ["169.254.169.254"],
    "ec2v6.example.com": ["fd00:ec2::254"],
    "cgnat.example.com": ["100.64.3.2"],
    "mapped.example.com": ["::ffff:127.0.0.1"],
    "loop.example.com": ["127.0.0.1"],
    "zero.example.com": ["0.0.0.0"],
}


def resolver(host: str, port: int) -> list[str]:
    return NAMES.get(host, [])


def refused(url: str, **kwargs) -> str:
    with pytest.raises(ValidationFailed) as caught:
        check_url(url, resolve=resolver, **kwargs)
    assert caught.value.status == 422
    assert caught.value.details == [{"field": "url", "issue": "unsafe_url", "value": url}]
    return caught.value.message


def test_a_public_https_name_is_accepted_with_its_checked_addresses():
    target = check_url("https://Hooks.Example.com./in/ff?x=1", resolve=resolver)
    assert (target.scheme, target.host, target.port, target.path) == ("https", "hooks.example.com", 443, "/in/ff?x=1")
    assert target.addresses == tuple(NAMES["hooks.example.com"])
    assert check_url("https://hooks.example.com:8443", resolve=resolver).port == 8443
    assert check_url("https://hooks.example.com", resolve=resolver).path == "/"


@pytest.mark.parametrize("url", [
    "http://hooks.example.com/in", "ftp://hooks.example.com/", "hooks.example.com/in", "//hooks.example.com",
    "HTTP://hooks.example.com"])
def test_live_businesses_need_https(url):
    assert "https" in refused(url)


@pytest.mark.parametrize("url", [
    "https://127.0.0.1/", "https://10.0.0.1/", "https://93.184.215.14/",  # any IP literal, even public
    "https://2130706433/",  # decimal 127.0.0.1
    "https://0177.0.0.1/", "https://017700000001/",  # octal
    "https://0x7f000001/", "https://0x7f.0.0.1/",  # hex
    "https://127.1/", "https://0/", "https://0.0.0.0/",
    "https://[::1]/", "https://[::ffff:127.0.0.1]/", "https://[fd00:ec2::254]/", "https://[::]/",
    "https://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]/",
    "https://169.254.169.254/latest/meta-data/",
])
def test_ip_literals_in_every_spelling_are_refused(url):
    assert "IP address" in refused(url)


@pytest.mark.parametrize("url", ["https://localhost/", "https://LOCALHOST:8443/", "https://api.localhost/",
                                 "https://localhost./"])
def test_localhost_is_refused(url):
    assert "localhost" in refused(url)


@pytest.mark.parametrize("host", ["internal", "mixed", "metadata", "ec2v6", "cgnat", "mapped", "loop", "zero"])
def test_names_resolving_to_any_non_public_address_are_refused(host):
    assert "non-public address" in refused(f"https://{host}.example.com/hook")


@pytest.mark.parametrize("url", [
    "https://user:pass@hooks.example.com/", "https://hooks.example.com@10.0.0.1/",
    "https://nowhere.example.com/",  # does not resolve
    "https://hooks.example.com:99999/", "https://hooks.example.com:0/", "https:///path",
    "https://hooks.example.com/a b", "https://hooks.example.com/\n", "https://hööks.example.com/",
    "https://hooks_.example.com/", "https://-hooks.example.com/", "https://%31%32%37.0.0.1/",
    "https://[fe80::1%25eth0]/", "https://[::1/", "https://hooks.example.com:-1/",
    "https://hooks.example.com:x/", "https://" + "a" * 2048 + ".com/",
])
def test_malformed_or_unresolvable_urls_are_refused(url):
    refused(url)


def test_the_local_sandbox_may_use_http_127_0_0_1_only_when_the_stack_says_so():
    target = check_url("http://127.0.0.1:8765/hook", allow_local_http=True, resolve=resolver)
    assert (target.scheme, target.host, target.port, target.addresses) == ("http", "127.0.0.1", 8765, ("127.0.0.1",))
    assert "IP address" not in refused("http://127.0.0.1:8765/hook")  # a live business: https first
    for url in ["http://localhost:8765/", "http://10.0.0.1:8765/", "http://[::1]:8765/", "http://2130706433:80/",
                "http://hooks.example.com/", "http://x@127.0.0.1:8765/"]:
        refused(url, allow_local_http=True)


@pytest.mark.parametrize(("address", "public"), [
    ("93.184.215.14", True), ("2606:2800:21f:cb07:6820:80da:af6b:8b2c", True), ("::ffff:93.184.215.14", True),
    ("127.0.0.1", False), ("10.1.2.3", False), ("172.16.0.1", False), ("192.168.0.1", False),
    ("169.254.169.254", False), ("100.64.0.1", False), ("100.127.255.254", False), ("0.0.0.0", False),
    ("224.0.0.1", False), ("255.255.255.255", False), ("198.18.0.1", False),
    ("::1", False), ("::", False), ("fe80::1", False), ("fd00:ec2::254", False), ("fc00::1", False),
    ("::ffff:10.0.0.1", False), ("::ffff:169.254.169.254", False), ("::127.0.0.1", False),
    ("64:ff9b::a9fe:a9fe", False), ("2002:a00:1::", False), ("ff02::1", False), ("not an address", False),
])
def test_public_addresses(address, public):
    assert is_public_address(address) is public


def test_the_system_resolver_answers_strings_and_nothing_for_unknown_names():
    assert "127.0.0.1" in system_resolver("localhost", 443) or "::1" in system_resolver("localhost", 443)
    assert system_resolver("name.invalid", 443) == []
