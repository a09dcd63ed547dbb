"""Offline guard: in CPU mode any connection to a non-local address raises at once.

Libraries sometimes catch network errors and quietly fall back, so every blocked attempt is also appended to
the file named by ``NJ_NETWORK_LOG`` (the test suite sets it and fails a notebook that tried).
"""

from __future__ import annotations

import ipaddress
import os
import socket

_original_connect = socket.socket.connect
_original_connect_ex = socket.socket.connect_ex
_original_getaddrinfo = socket.getaddrinfo
_LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", ""}


class NetworkBlockedError(ConnectionRefusedError):
    """Raised for a network call in CPU mode, which must run offline."""


def _is_local(host: object) -> bool:
    if host is None:
        return True
    host = host.decode() if isinstance(host, bytes) else str(host)
    if host in _LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


def _refuse(target: object) -> None:
    log = os.environ.get("NJ_NETWORK_LOG")
    if log:
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(f"{target}\n")
    raise NetworkBlockedError(
        f"network access to {target!r} is blocked: CPU mode runs offline. Use bundled data and packaged models "
        '(nlpjourney.data, nlpjourney.models), or run with MODE = "gpu" for Hub models and datasets.'
    )


def _address_host(address: object) -> object:
    if isinstance(address, tuple) and address:
        return address[0]
    return None  # AF_UNIX paths and the like are local


def _guarded_connect(self: socket.socket, address: object) -> None:
    if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_local(_address_host(address)):
        _refuse(address)
    return _original_connect(self, address)


def _guarded_connect_ex(self: socket.socket, address: object) -> int:
    if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_local(_address_host(address)):
        _refuse(address)
    return _original_connect_ex(self, address)


def _guarded_getaddrinfo(host: object, *args: object, **kwargs: object):
    if not _is_local(host):
        _refuse(host)
    return _original_getaddrinfo(host, *args, **kwargs)


def block_network() -> None:
    """Make non-local connections and name look-ups in this process raise :class:`NetworkBlockedError`."""
    socket.socket.connect = _guarded_connect
    socket.socket.connect_ex = _guarded_connect_ex
    socket.getaddrinfo = _guarded_getaddrinfo


def allow_network() -> None:
    """Undo :func:`block_network`."""
    socket.socket.connect = _original_connect
    socket.socket.connect_ex = _original_connect_ex
    socket.getaddrinfo = _original_getaddrinfo


def is_blocked() -> bool:
    return socket.socket.connect is _guarded_connect
