"""Virus scanning of uploaded files, pluggable by a setting.

``VIRUS_SCANNER`` names the class (dotted path): ``NoScanner`` by default (the
demo has no scanner), ``ClamdScanner`` to ask ClamAV's daemon, found at
``CLAMD_ADDRESS`` — ``tcp://host:port`` or ``unix:///path/to/clamd.sock`` —
over its INSTREAM protocol. A scanner answers ``ScanResult``; a scanner that
is configured but cannot answer raises ``ScannerUnavailable``, and the upload
is refused: a file that was not checked is never kept.
"""

from __future__ import annotations

import socket
import struct
from dataclasses import dataclass
from typing import IO
from urllib.parse import urlparse

from django.conf import settings
from django.utils.module_loading import import_string

CHUNK = 64 * 1024


@dataclass(frozen=True)
class ScanResult:
    clean: bool
    found: str = ""  # the signature found, when not clean


class ScannerUnavailable(Exception):
    """The scanner is configured but did not answer."""


class Scanner:
    def scan(self, file: IO[bytes]) -> ScanResult:  # pragma: no cover - interface
        raise NotImplementedError


class NoScanner(Scanner):
    """No scanning (the demo, and deployments that scan at the storage)."""

    def scan(self, file: IO[bytes]) -> ScanResult:
        return ScanResult(clean=True)


class ClamdScanner(Scanner):
    """ClamAV's clamd, over TCP or a Unix socket: the file is streamed in
    chunks (``zINSTREAM``), each prefixed with its length as four bytes in
    network order and ended by a zero length; clamd answers
    ``stream: OK`` or ``stream: <signature> FOUND``."""

    def __init__(self, address: str | None = None, timeout: float | None = None):
        self.address = address if address is not None else settings.CLAMD_ADDRESS
        self.timeout = timeout if timeout is not None else settings.CLAMD_TIMEOUT

    def _connect(self) -> socket.socket:
        url = urlparse(self.address)
        if url.scheme == "unix":
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.settimeout(self.timeout)
            sock.connect(url.path)
            return sock
        if url.scheme == "tcp" and url.hostname and url.port:
            return socket.create_connection(
                (url.hostname, url.port), timeout=self.timeout
            )
        raise ScannerUnavailable(f"CLAMD_ADDRESS is not usable: {self.address!r}")

    def scan(self, file: IO[bytes]) -> ScanResult:
        try:
            with self._connect() as sock:
                sock.sendall(b"zINSTREAM\0")
                file.seek(0)
                while chunk := file.read(CHUNK):
                    sock.sendall(struct.pack("!L", len(chunk)) + chunk)
                sock.sendall(struct.pack("!L", 0))
                reply = _read_reply(sock)
        except OSError as exc:
            raise ScannerUnavailable(str(exc)) from exc
        finally:
            file.seek(0)
        return _result(reply)


def _read_reply(sock: socket.socket) -> str:
    data = b""
    while b"\0" not in data and len(data) < 4096:
        part = sock.recv(4096)
        if not part:
            break
        data += part
    return data.split(b"\0", 1)[0].decode("utf-8", "replace").strip()


def _result(reply: str) -> ScanResult:
    _, _, verdict = reply.partition(": ")
    if verdict == "OK":
        return ScanResult(clean=True)
    if verdict.endswith(" FOUND"):
        return ScanResult(clean=False, found=verdict.removesuffix(" FOUND"))
    # "INSTREAM size limit exceeded. ERROR", an empty reply, anything else:
    # the file was not checked.
    raise ScannerUnavailable(reply or "no answer")


def scanner() -> Scanner:
    """The scanner the settings name."""
    cls = import_string(settings.VIRUS_SCANNER)
    instance: Scanner = cls()
    return instance
