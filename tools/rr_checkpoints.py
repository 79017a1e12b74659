"""Extra snapshots while a replay runs under gdb, so that going backwards
need not start from the beginning of the recording.

How QEMU goes backwards (tools/rr.py has the rest): it loads the newest
snapshot taken before where you are and replays forward from it, once to
find the last breakpoint or watchpoint hit, once more to stop there.  A
recording has one snapshot of its own, "init", at instruction 0, so
without more of them every reverse-continue replays the whole run up to
where you are, twice when the hit it finds is late.  On the `kernel`
suite's recording (2.5 billion instructions, 10 s to replay) that is 10 to
21 s a reverse-continue.

So `make replay-gdb CHECKPOINTS=1` (tools/replay --gdb --checkpoints)
starts a Checkpointer beside the replay.  It asks
QEMU (over QMP, QEMU's JSON control socket) every quarter of a second
where the replay is; when the machine is running, in stretches never
replayed before, and STEP instructions past the last checkpoint, it has
QEMU save one (HMP `savevm`).  QEMU's gdb stub does not tell gdb about
the short stop a `savevm` makes, and the breakpoints gdb set live in QEMU,
not in guest memory, so the snapshot is of the guest alone.  A later
reverse-continue then starts at most STEP instructions before where you
are, plus what it has to walk back to the hit it is looking for.

A snapshot holds all of guest memory that is not zero: up to 256 MiB for
the default machine (vmos fills freed pages with a pattern, so little of
it stays zero).  So at most MAX_KEPT are kept: when there are more, every
other one is dropped and STEP doubles, and the checkpoints always cover
the whole stretch replayed, evenly.  When the replay ends, tools/replay
deletes them again (restore()): the recording directory is as it was, and
as small, for the next replay or for copying it to a TA.

What it bought, measured on this 2-CPU machine (TCG; a reverse-continue
from the end of the run):

    recording            hit wanted                     without   with
    kernel suite (2.5 G  the last kprintf (late)         22.9 s    7.0 s
      instructions)      selftest_run (early)            11.1 s    9.7 s
    vm suite (3.1 G)     the last sys_write (late)       89.7 s    1.4 s
                         pci_init (early)                31.8 s    did not return

Why it is not on by default: walking back over several checkpoints to a
hit far behind (the last row) left QEMU 7.2 busy for minutes without
answering, its main and vCPU threads taking the replay mutex in turn,
with thinning or without.  A checkpoint is taken while the machine runs,
perhaps with a disk request of the swap pager in flight, and replaying
up to the instruction just before one may be what QEMU cannot do; going
back within the last stretch, the common case of "who wrote this just
before the panic", worked every time.  Try it when a trip back without it
is too slow; if it hangs, Ctrl-C, and replay without it.
"""

import json
import os
import shutil
import socket
import threading
import time

STEP = 250 * 1000 * 1000    # instructions between checkpoints, at first (1 to 2 s of replay)
MAX_KEPT = 8                # checkpoints kept at most (each up to the guest's RAM on disk)
POLL = 0.25                 # seconds between looks at the replay
PREFIX = 'vmos-ckpt-'


class Qmp:
    """The smallest QMP client: one command at a time, events skipped."""

    def __init__(self, path, timeout=30.0):
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                self.sock.connect(path)
                break
            except OSError:
                self.sock.close()
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        self.sock.settimeout(timeout)
        self.buf = b''
        self._read()                        # the greeting
        self.command('qmp_capabilities')

    def _read(self):
        while b'\n' not in self.buf:
            data = self.sock.recv(65536)
            if not data:
                raise EOFError('QEMU closed its QMP socket')
            self.buf += data
        line, self.buf = self.buf.split(b'\n', 1)
        return json.loads(line)

    def command(self, name, **args):
        self.sock.sendall(json.dumps({'execute': name, 'arguments': args}).encode() + b'\n')
        while True:
            msg = self._read()
            if 'event' in msg:
                continue
            if 'error' in msg:
                raise RuntimeError('%s: %s' % (name, msg['error'].get('desc')))
            return msg.get('return')

    def hmp(self, line):
        """An HMP command; its output ('' when it succeeded quietly)."""
        return self.command('human-monitor-command', **{'command-line': line})

    def close(self):
        self.sock.close()


class Checkpointer(threading.Thread):
    """Saves a snapshot every `step` instructions of new replay (above).
    log(msg) reports what it does; taken lists (name, icount)."""

    def __init__(self, qmp_path, log, step=STEP, max_kept=MAX_KEPT):
        super().__init__(daemon=True)
        self.qmp_path, self.log = qmp_path, log
        self.step, self.max_kept = step, max_kept
        self.taken = []
        self.stopping = threading.Event()

    def run(self):
        try:
            qmp = Qmp(self.qmp_path)
        except (OSError, EOFError, RuntimeError, ValueError):
            return                          # QEMU did not start, or is gone
        try:
            self._loop(qmp)
        except (OSError, EOFError, RuntimeError, ValueError):
            pass                            # QEMU ended: so do we
        finally:
            qmp.close()

    def _loop(self, qmp):
        next_at, number, frontier = self.step, 0, 0
        while not self.stopping.wait(POLL):
            if qmp.command('query-status').get('status') != 'running':
                continue
            icount = qmp.command('query-replay').get('icount', 0)
            new_ground = icount >= frontier
            frontier = max(frontier, icount)
            if icount < next_at or not new_ground:
                continue                    # not yet, or going over old ground
            number += 1
            name = '%s%d' % (PREFIX, number)
            out = qmp.hmp('savevm ' + name)
            if out.strip():
                # "Record/replay does not allow making snapshot right now":
                # between two events of the log; try again shortly.
                number -= 1
                continue
            self.taken.append((name, icount))
            next_at = icount + self.step
            if len(self.taken) > self.max_kept:
                # Every other one goes, counting from the newest, which
                # stays: it is the one nearest to where you are.
                kept = self.taken[::-1][0::2][::-1]
                for gone in self.taken:
                    if gone not in kept:
                        qmp.hmp('delvm ' + gone[0])
                self.taken = kept
                self.step *= 2
                next_at = icount + self.step
            self.log('replay: checkpoint %s at instruction %d (%d kept)'
                     % (name, icount, len(self.taken)))

    def stop(self):
        self.stopping.set()


def save_images(rec):
    """Before a replay that takes checkpoints: a copy of the snapshot image
    (small: it holds only "init") to put back afterwards."""
    shutil.copyfile(rec.file('snapshots.qcow2'), rec.file('snapshots.qcow2.orig'))


def restore(rec, qemu_img):
    """After it: the snapshot image as it was, and the checkpoints' parts
    in the disk images (their changed blocks) deleted.  qemu_img(*args)
    runs qemu-img."""
    saved = rec.file('snapshots.qcow2.orig')
    if not os.path.exists(saved):
        return
    os.replace(saved, rec.file('snapshots.qcow2'))
    for image in ('cd.qcow2', 'swap.qcow2'):
        path = rec.file(image)
        if not os.path.exists(path):
            continue
        for name in snapshot_names(path, qemu_img):
            if name.startswith(PREFIX):
                qemu_img('snapshot', '-d', name, path)


def snapshot_names(path, qemu_img):
    out = qemu_img('snapshot', '-l', path) or ''
    names = []
    for line in out.splitlines()[2:]:       # a title and a header first
        fields = line.split()
        if len(fields) >= 2:
            names.append(fields[1])
    return names
