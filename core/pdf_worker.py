"""A part renderer: ``python -m core.pdf_worker PARENT_PID``, started by
``core.pdf.PartRenderers`` to lay out parts of a long document beside others.

It is a new interpreter, not a fork: it holds nothing of its parent (no
database connection, no listening socket, no threads' locks). It dies with its
parent (``PR_SET_PDEATHSIG``), so a render whose worker is killed leaves no
process behind.

Protocol: stdin carries a JSON list of ``[index, html]``; for each, in order,
stdout gets a frame ``>IQ`` (index, length) followed by the PDF's bytes. Any
failure ends the process with a non-zero status and its traceback on stderr.
"""

from __future__ import annotations

import ctypes
import json
import os
import signal
import struct
import sys

FRAME = struct.Struct(">IQ")
PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """Ask Linux to kill this process when its parent dies; then make sure the
    parent is still the one that started it (it may have died already)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the parent's cleanup only
        pass
    if os.getppid() != parent:
        sys.exit(3)


def main(argv: list[str]) -> int:
    die_with_parent(int(argv[1]))
    # Frames go to a private copy of stdout; anything else printed (a logging
    # handler, a warning) goes to stderr and cannot corrupt them.
    frames = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from core.pdf import render_pdf_from_html

    parts = json.loads(sys.stdin.buffer.read())
    for index, html in parts:
        pdf = render_pdf_from_html(html)
        frames.write(FRAME.pack(index, len(pdf)))
        frames.write(pdf)
        frames.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
