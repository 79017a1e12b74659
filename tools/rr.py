"""Record a vmos run and replay it exactly: QEMU's record/replay, set up for vmos.

`make qemu RECORD=1`, `make run RECORD=1` and `make test RECORD=1` record;
`make replay` and `make replay-gdb` replay (README, "Going backwards from a
panic").  This module is what they share: tools/qemu.py builds the QEMU
command line from what it keeps here.

How QEMU does it.  Under `-icount` the emulated CPU's clock counts
instructions, so the guest computes the same thing every time it is given
the same inputs.  With `rr=record` QEMU writes every input that does not
come from the guest itself -- the host clock, the serial port's input,
interrupts from the host side, the order in which disk requests complete
-- to an event log; with `rr=replay` it reads them back from the log at
the very same instruction, and the run repeats exactly, as often as you
like.  Under gdb a replay can even go backwards: QEMU cannot run code
backwards, but it can reload a snapshot of the machine and replay forward
to the instruction before (`reverse-stepi`), or to the last breakpoint or
watchpoint hit before where you are (`reverse-continue`).

Two things must be right for that (tools/qemu.py:_rr_args does them):

- Every block device goes through QEMU's `blkreplay` driver, which
  records when each request completes.  The snapshot QEMU takes when
  recording starts (`rrsnapshot=init`) must be stored in every writable
  image, and a raw image or a read-only `-cdrom` cannot hold snapshots
  ("writable but does not support snapshots").  So the ISO is attached
  through a qcow2 overlay (cd.qcow2, whose backing file is the ISO; what
  is written goes to the overlay) as an ide-cd behind blkreplay, and the
  swap disk is a qcow2 image behind blkreplay too.  The swap disk starts
  empty, so its qcow2 needs no backing image.
- One more qcow2 image, attached to no device, holds the machine's state
  (its memory and registers) for the snapshot: snapshots.qcow2.

The vapic deadlock.  To go backwards QEMU stops the machine, loads the
snapshot and resets the devices.  On a PC the APIC comes with a "vapic"
helper (an old speed-up for Windows XP's TPR accesses) whose reset asks
the vCPU thread to run a piece of work (run_on_cpu) and waits for it, while
the main thread holds the replay mutex.  If the vCPU thread, just stopped,
has gone round its loop to take that replay mutex before it sleeps, each
thread waits for the other for ever: QEMU sits idle, gdb waits, and SIGTERM
no longer ends QEMU.  Whether the vCPU thread gets there first is a race of
host threads, lost more often the busier the host (on this 2-CPU machine,
with two busy loops beside it, every reverse-continue hung).  vmos has no
use for the vapic, so recordings run without it (`-global
apic-common.vapic=off`, in _rr_args), and the reset has no work to hand to
the vCPU thread.  Threads' stacks from gdb -p on a hung QEMU showed it:
the main thread in qemu_devices_reset -> do_run_on_cpu, the vCPU thread in
replay_mutex_lock.

A recording is a directory, build/rr/<name>/:

    recording.json      how the machine was set up: memory, kernel command
                        line, disk, transport, error rules, extra arguments
    os.iso, kernel.elf  copies of the ISO that was booted and its unstripped
                        kernel: a replay must boot exactly the same bytes,
                        and gdb must read the symbols of that kernel, even
                        after `make` has rebuilt build/
    cd.qcow2            the ISO's overlay (backing file os.iso)
    swap.qcow2          the swap disk (when there is one)
    snapshots.qcow2     the machine state of snapshot "init" (and of any
                        `savevm` made while replaying)
    replay.bin          QEMU's event log
    cmdline-*.txt, blkdebug-*.conf   the kernel command line and error rules
    serial.log          everything the guest printed while it was recorded
    replay-serial.log   everything it printed at the last replay

A replay must print exactly serial.log again; compare_serial() checks that.
The directory can be copied elsewhere (to a TA, say) and replayed there:
every path inside it is relative, and the QEMU command line is rebuilt from
recording.json.

Limits (README, "Limits of record/replay"): record/replay needs TCG with a
single thread (-icount does not combine with the multi-threaded TCG, so QEMU
uses thread=single itself); one CPU only (QEMU 7.2 refuses -smp with
record/replay; tools/qemu.py:_rr_check says so before QEMU starts); KVM
cannot record; recording costs time.
"""

import json
import os
import shutil
import subprocess
import time

QEMU_IMG = 'qemu-img'
SNAPSHOT = 'init'            # the snapshot taken when recording starts
META = 'recording.json'


class Recording:
    """A recording directory and what recording.json says about it."""

    def __init__(self, path, meta):
        self.dir = os.path.abspath(path)
        self.meta = meta

    def file(self, name):
        return os.path.join(self.dir, name)

    @property
    def name(self):
        return os.path.basename(self.dir)

    @property
    def kernel(self):
        """The unstripped kernel of the ISO recorded, for gdb."""
        return self.file('kernel.elf')

    def qemu_kwargs(self, mode):
        """The keyword arguments of tools/qemu.py:qemu_args that set up the
        recorded machine, to record (mode 'record') or replay ('replay')."""
        m = self.meta
        return dict(mem=m['mem'], cmdline=m['cmdline'],
                    disk=self.file('swap.qcow2') if m['disk'] else None,
                    disk_transport=m['disk_transport'], blkdebug=m['blkdebug'],
                    extra=m['extra'], kvm=False, rr=(mode, self.dir),
                    cpus=m.get('cpus', 1))

    def save(self):
        with open(self.file(META), 'w') as f:
            json.dump(self.meta, f, indent=1)
            f.write('\n')


def qemu_img(*args):
    """Run qemu-img quietly; a readable error if it is missing or fails."""
    try:
        subprocess.run([QEMU_IMG] + list(args), check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True)
    except FileNotFoundError:
        raise RuntimeError('qemu-img not found: run tools/install-deps (package qemu-utils)')
    except subprocess.CalledProcessError as e:
        raise RuntimeError('qemu-img %s: %s' % (' '.join(args), e.stderr.strip()))


def prepare(path, iso, mem='256M', cmdline=None, disk_bytes=0, disk_transport=None,
            blkdebug=None, extra=None, what='', cpus=1):
    """Make a fresh recording directory at path (an old one there is
    removed) for a boot of iso with the given machine, and return its
    Recording.  disk_bytes: the size of the swap disk, 0 for none.  what
    says in words what is recorded (shown by tools/replay)."""
    if os.path.exists(path):
        shutil.rmtree(path)
    os.makedirs(path)
    rec = Recording(path, {
        'what': what,
        'recorded': time.strftime('%Y-%m-%d %H:%M:%S'),
        'mem': str(mem),
        'cpus': int(cpus),
        'cmdline': cmdline,
        'disk': disk_bytes,
        'disk_transport': disk_transport,
        'blkdebug': blkdebug,
        'extra': list(extra or []),
        'status': None,
        'seconds': None,
    })
    shutil.copyfile(iso, rec.file('os.iso'))
    elf = os.path.join(os.path.dirname(os.path.abspath(iso)), 'kernel.elf')
    if os.path.isfile(elf):
        shutil.copyfile(elf, rec.file('kernel.elf'))
    # The backing file is named relative to the overlay, so the directory
    # can move.  The sizes of the two other images are what QEMU sees: the
    # snapshot image's is irrelevant (a snapshot's state is stored beside
    # the disk's contents, not in them).
    qemu_img('create', '-q', '-f', 'qcow2', '-b', 'os.iso', '-F', 'raw', rec.file('cd.qcow2'))
    qemu_img('create', '-q', '-f', 'qcow2', rec.file('snapshots.qcow2'), '1M')
    if disk_bytes:
        qemu_img('create', '-q', '-f', 'qcow2', rec.file('swap.qcow2'), str(disk_bytes))
    rec.save()
    return rec


def load(path):
    """The Recording at path; ValueError when it is not one."""
    meta = os.path.join(path, META)
    if not os.path.isfile(meta):
        raise ValueError('%s is not a recording (no %s): record one with '
                         'RECORD=1 on make qemu, make run or make test' % (path, META))
    with open(meta) as f:
        return Recording(path, json.load(f))


def latest(base):
    """The most recently recorded directory under base, or None."""
    found = [os.path.join(base, d) for d in os.listdir(base)] if os.path.isdir(base) else []
    found = [d for d in found if os.path.isfile(os.path.join(d, META))]
    return max(found, key=lambda d: os.path.getmtime(os.path.join(d, 'replay.bin'))
               if os.path.exists(os.path.join(d, 'replay.bin')) else 0) if found else None


def finish(rec, status, seconds):
    """Note how the recorded run ended."""
    rec.meta['status'] = status
    rec.meta['seconds'] = round(seconds, 2)
    rec.save()


def compare_serial(rec):
    """(same, message): does the last replay's serial output equal the
    recording's, byte for byte?  The message says where they part."""
    try:
        with open(rec.file('serial.log'), 'rb') as f:
            want = f.read()
        with open(rec.file('replay-serial.log'), 'rb') as f:
            got = f.read()
    except OSError as e:
        return False, 'cannot compare the serial output: %s' % e
    if got == want:
        return True, 'serial output identical to the recording (%d bytes)' % len(want)
    at = next((i for i, (a, b) in enumerate(zip(want, got)) if a != b), min(len(want), len(got)))
    line = want[:at].count(b'\n') + 1
    return False, ('serial output differs from the recording at byte %d (line %d): '
                   'recorded %d bytes, replayed %d; see %s and %s'
                   % (at, line, len(want), len(got), rec.file('serial.log'),
                      rec.file('replay-serial.log')))
