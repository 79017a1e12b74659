"""Build the QEMU command line for vmos, in one place.

Every host script that boots the kernel (tools/run-in-qemu, tests/run.py)
asks this module for the command line, so the machine they boot is always
the same: one CPU model, no network, the ISO as a CD-ROM, the serial port on
stdio and the isa-debug-exit device at I/O port 0xf4.

Exit status.  When the kernel writes a value V to port 0xf4, QEMU exits at
once with status 2*V+1.  The kernel uses V like this:

    V = 0..63     the command (or test suite) exited with status V
    V = 64..126   the command was killed by signal V-64
    V = 127       kernel panic

An even status (in practice 0) means QEMU stopped without the kernel ever
writing to the device: the CPU reset (a triple fault, with -no-reboot) or
QEMU was quit from its monitor.  exit_status_meaning() decodes a status.
Beware: QEMU's own start-up errors (bad option, missing ISO) exit with 1,
which looks like V = 0; callers check that the ISO exists first, and the
test harness never trusts the status without a TEST-DONE line.

Coverage.  A kernel built for coverage (make coverage) writes its gcov
counters to I/O port 0xe9 as the run ends; qemu_args(debugcon=PATH) adds
QEMU's isa-debugcon device there, whose bytes go to the file PATH
(tools/gcov-collect reads it).  Reading port 0xe9 answers 0xe9 only when
the device is present, so a coverage kernel booted without it skips the
dump.

The swap disk.  disk= attaches a raw image as a virtio-blk PCI device
(drive id "swap", cache=unsafe: the image is scratch, so QEMU never
flushes it).  disk_transport picks the device QEMU shows the kernel:

    None / 'transitional'  QEMU's default, legacy and modern at once (the
                           kernel takes modern)
    'legacy'               disable-modern=on: virtio 0.9.5 registers only
    'modern'               disable-legacy=on: virtio 1.x only (device 0x1042)

blkdebug= puts QEMU's error-injection driver between the device and the
image: raw format -> blkdebug -> file.  Its value is the text of a
blkdebug configuration, written to build/blkdebug-<hash>.conf.  In QEMU
7.2 a rule waits for its event: "pwritev" (any write) works, there is no
"preadv", and "read_aio"/"write_aio" come from the raw layer above
blkdebug.  Once active, a rule fails the next request of its iotype (by
default any) that touches its sector.  The precise rule is the "none"
event (active from the start) narrowed by iotype and sector, e.g. to fail
the first write that touches sector 2056 with EIO (errno 5):

    [inject-error]
    event = "none"
    iotype = "write"
    sector = "2056"
    errno = "5"
    once = "on"

Record and replay.  rr=('record', DIR) or ('replay', DIR) sets the same
machine up for QEMU's record/replay into the recording directory DIR
(tools/rr.py explains it and makes DIR): the ISO and the disk are qcow2
images behind the blkreplay driver, a third qcow2 image holds the
snapshot, and -icount runs in rr mode.  The serial port is then always
the scripted one (stdio, no monitor): the caller copies what the guest
prints to DIR/serial.log (record) or DIR/replay-serial.log (replay).

Environment: KVM=1 uses KVM with the host CPU (never automatic: results
must not depend on the machine).  This module reads no other variables.
"""

import hashlib
import os
import tempfile

QEMU = 'qemu-system-x86_64'
DEBUG_EXIT_PORT = 0xf4
DEBUGCON_PORT = 0xe9

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.join(REPO, 'build')

# Values of V (see the docstring above).
EXIT_MAX = 63
SIGNAL_BASE = 64
PANIC = 127


def gdb_port():
    """TCP port of QEMU's gdb stub: one per user, so students sharing a
    machine do not collide.  tools/gdb computes the same number."""
    return 25000 + os.getuid() % 5000


def kvm_requested(kvm=None):
    """True when KVM should be used: the argument, else env KVM=1."""
    if kvm is None:
        return os.environ.get('KVM') == '1'
    return bool(kvm)


def cpus_requested(cpus=None):
    """How many CPUs the guest gets: the argument, else env CPUS, else 1."""
    if cpus is None:
        cpus = os.environ.get('CPUS') or 1
    n = int(cpus)
    if n < 1:
        raise ValueError('CPUS must be at least 1, not %d' % n)
    return n


def _escape(path):
    """Escape a path for a QEMU -opt a=b,c=d list: a comma is doubled."""
    return path.replace(',', ',,')


def write_cmdline_file(cmdline, build_dir=BUILD):
    """Write the kernel command line to build/cmdline-<hash>.txt (no
    trailing newline) and return its path.  The name depends only on the
    contents, so parallel runs with the same command line share a file and
    runs with different ones never overwrite each other."""
    return _write_by_contents(cmdline.encode(), build_dir, 'cmdline-%s.txt')


def write_blkdebug_file(config, build_dir=BUILD):
    """Write a blkdebug configuration to build/blkdebug-<hash>.conf and
    return its path (named by its contents, like write_cmdline_file)."""
    return _write_by_contents(config.encode(), build_dir, 'blkdebug-%s.conf')


def _write_by_contents(data, build_dir, pattern):
    """Write data to build_dir/(pattern % hash of data) and return the path.
    Concurrent writers (the threads of tests/run.py -j, several harnesses
    at once) each write a temporary file of their own and rename it into
    place, so a reader never sees a half-written file and two writers of
    the same contents never trip over each other's temporary file."""
    digest = hashlib.sha1(data).hexdigest()[:12]
    os.makedirs(build_dir, exist_ok=True)
    path = os.path.join(build_dir, pattern % digest)
    fd, tmp = tempfile.mkstemp(dir=build_dir, prefix='.' + os.path.basename(path) + '.')
    try:
        with os.fdopen(fd, 'wb') as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
    return path


_SIZE_UNITS = {'': 1, 'K': 1 << 10, 'M': 1 << 20, 'G': 1 << 30, 'T': 1 << 40}


def parse_size(text):
    """Bytes in a size written as for `truncate -s`: 256M, 1G, 64K (powers
    of 1024; an optional 'iB' is allowed), a bare number of bytes, or 0.
    ValueError on anything else."""
    t = str(text).strip().upper()
    if t.endswith('IB'):
        t = t[:-2]
    unit = t[-1] if t and t[-1] in 'KMGT' else ''
    number = t[:-1] if unit else t
    if not number.isdigit():
        raise ValueError('bad size %r (write e.g. 256M, 1G or 0)' % text)
    return int(number) * _SIZE_UNITS[unit]


def make_scratch_disk(path, size):
    """A fresh sparse image of size bytes at path.  The old file is
    unlinked first, so a QEMU still running on it keeps its own copy."""
    os.makedirs(os.path.dirname(path) or '.', exist_ok=True)
    if os.path.exists(path):
        os.unlink(path)
    with open(path, 'wb') as f:
        f.truncate(size)
    return path


DISK_TRANSPORTS = {
    None: '',
    'transitional': '',
    'legacy': ',disable-modern=on',
    'modern': ',disable-legacy=on',
}


def _disk_args(disk, transport, blkdebug, rr_dir=None):
    if transport not in DISK_TRANSPORTS:
        raise ValueError('unknown disk transport %r (legacy, modern or transitional)'
                         % transport)
    image = _escape(os.path.abspath(disk))
    device = ['-device', 'virtio-blk-pci,drive=swap' + DISK_TRANSPORTS[transport]]
    if rr_dir is not None:
        # Recorded: blkreplay on top, over blkdebug when there are error
        # rules (so that its sectors are still the guest's), over the
        # qcow2 image that can hold the snapshot.
        qcow2 = 'driver=qcow2,file.driver=file,file.filename=' + image
        if blkdebug is not None:
            conf = _escape(write_blkdebug_file(blkdebug, rr_dir))
            qcow2 = 'driver=blkdebug,config=%s,image.%s' % (
                conf, qcow2.replace(',file.', ',image.file.'))
        return ['-drive', 'if=none,id=swap-image,cache=unsafe,' + qcow2,
                '-drive', 'if=none,id=swap,driver=blkreplay,image=swap-image'] + device
    if blkdebug is None:
        drive = 'driver=raw,file.driver=file,file.filename=' + image
    else:
        conf = _escape(write_blkdebug_file(blkdebug))
        drive = ('driver=raw,file.driver=blkdebug,file.config=%s,'
                 'file.image.driver=file,file.image.filename=%s' % (conf, image))
    return ['-drive', 'if=none,id=swap,cache=unsafe,' + drive] + device


RR_MODES = ('record', 'replay')


def _rr_check(rr, kvm, icount, cpus=1):
    """ValueError unless rr is None or (mode, dir) that can work."""
    if rr is None:
        return
    mode, _ = rr
    if mode not in RR_MODES:
        raise ValueError('rr mode must be record or replay, not %r' % mode)
    if kvm:
        raise ValueError('KVM cannot record or replay: unset KVM=1 (record/replay '
                         'needs the TCG emulator)')
    if icount:
        raise ValueError('record/replay sets its own -icount; drop ICOUNT/--icount')
    if cpus > 1:
        # QEMU 7.2: "Record/replay feature is not supported for 'smp'".
        raise ValueError('QEMU cannot record or replay a machine with %d CPUs: '
                         'record with CPUS=1' % cpus)


def _rr_args(mode, rr_dir):
    """The CD-ROM, the snapshot image and -icount of a recorded or replayed
    run (tools/rr.py has the why).  The snapshot image comes first: QEMU
    stores a snapshot's machine state in the first image that can hold
    snapshots."""
    d = os.path.abspath(rr_dir)
    f = lambda name: _escape(os.path.join(d, name))     # noqa: E731
    return [
        '-drive', 'if=none,id=rr-snapshots,driver=qcow2,file.driver=file,file.filename='
        + f('snapshots.qcow2'),
        '-drive', 'if=none,id=cd-image,driver=qcow2,file.driver=file,file.filename='
        + f('cd.qcow2'),
        '-drive', 'if=none,id=cd,driver=blkreplay,image=cd-image',
        '-device', 'ide-cd,drive=cd',
        '-icount', 'shift=auto,rr=%s,rrfile=%s,rrsnapshot=init' % (mode, f('replay.bin')),
        # Without it, going backwards can deadlock QEMU 7.2 (tools/rr.py,
        # "The vapic deadlock").
        '-global', 'apic-common.vapic=off',
    ]


def _cpu_args(kvm, icount, cpus=1):
    """-cpu, -icount and, for several CPUs, -smp and how TCG runs them.

    With one CPU nothing is added, so CPUS=1 is the command line it always
    was.  With several, TCG runs a host thread per guest CPU
    (thread=multi), unless the clock counts instructions (-icount): that
    needs every CPU on one thread, taking turns, so that the count is
    deterministic.  Record/replay refuses several CPUs altogether
    (_rr_check)."""
    if kvm and icount:
        raise ValueError('icount needs the TCG emulator; unset KVM=1')
    smp = ['-smp', str(cpus)] if cpus > 1 else []
    if kvm:
        return ['-enable-kvm', '-cpu', 'host'] + smp
    args = ['-cpu', 'qemu64'] + smp
    if cpus > 1:
        args += ['-accel', 'tcg,thread=%s' % ('single' if icount else 'multi')]
    if icount:
        # One instruction = 1 ns of virtual time, and never wait for the
        # host clock: timings become repeatable (used by benchmarks).
        args += ['-icount', 'shift=0,sleep=off']
    return args


def _serial_args(interactive):
    if interactive:
        # Serial port and monitor share the terminal: Ctrl-A X quits,
        # Ctrl-A C switches to the monitor.
        return ['-nographic', '-serial', 'mon:stdio']
    # Scripts: serial on stdin/stdout and no monitor on the same stream.
    return ['-display', 'none', '-serial', 'stdio', '-monitor', 'none']


def qemu_args(iso, mem='256M', cmdline=None, gdb_port=None, extra=None,
              kvm=None, icount=False, disk=None, disk_transport=None,
              blkdebug=None, interactive=False, debugcon=None, rr=None, cpus=None):
    """Return the QEMU command line (a list) that boots ISO.

    cmdline   if not None, overrides GRUB's kernel command line: it is
              written to a file and handed to the kernel as the fw_cfg
              file opt/vmos/cmdline.
    gdb_port  if set, QEMU starts halted and waits for gdb on that port.
    kvm       True/False, or None to follow env KVM=1.
    cpus      guest CPUs (-smp), or None to follow env CPUS (default 1).
    icount    deterministic instruction-counting clock (TCG only).
    disk      path of a raw image attached as a virtio disk (swap).
    disk_transport  None/'transitional', 'legacy' or 'modern' (above;
              ignored without a disk).
    blkdebug  text of a blkdebug configuration to put under the disk.
    debugcon  path of a file that receives what the guest writes to I/O
              port 0xe9 (the coverage kernel's counters); truncated first.
    extra     more arguments, appended last.
    rr        ('record' or 'replay', DIR): record/replay (above); iso is
              then unused (DIR/cd.qcow2 is booted) and disk is DIR's qcow2.
    """
    _rr_check(rr, kvm_requested(kvm), icount, cpus_requested(cpus))
    rr_dir = rr[1] if rr else None
    cd = ['-cdrom', iso] if rr is None else []
    args = [QEMU] + cd + ['-boot', 'd', '-m', str(mem),
                          '-no-reboot', '-nic', 'none',
                          '-device', 'isa-debug-exit,iobase=%#x,iosize=0x04'
                          % DEBUG_EXIT_PORT]
    args += _cpu_args(kvm_requested(kvm), icount, cpus_requested(cpus))
    if rr is not None:
        # Always the scripted serial port: QEMU records the input of a
        # port given as -serial DEV (not one spelt -chardev ... -serial
        # chardev:ID), and the caller keeps a copy of the output, which
        # needs a pipe.  tools/run-in-qemu plays the terminal's part.
        args += _rr_args(*rr) + _serial_args(False)
    else:
        args += _serial_args(interactive)
    if cmdline is not None:
        # A recording keeps its own copy: it must replay without build/.
        path = write_cmdline_file(cmdline, rr_dir or BUILD)
        args += ['-fw_cfg', 'name=opt/vmos/cmdline,file=' + _escape(path)]
    if disk is not None:
        args += _disk_args(disk, disk_transport, blkdebug, rr_dir)
    elif blkdebug is not None:
        raise ValueError('blkdebug rules need a disk')
    if debugcon is not None:
        args += ['-chardev', 'file,id=debugcon,path=' + _escape(os.path.abspath(debugcon)),
                 '-device', 'isa-debugcon,iobase=%#x,chardev=debugcon' % DEBUGCON_PORT]
    if gdb_port is not None:
        # Listen on the loopback interface only: nobody else on the
        # network can attach a debugger to your kernel.
        args += ['-S', '-gdb', 'tcp:127.0.0.1:%d' % gdb_port]
    args += list(extra or [])
    return args


def qmp_args(path):
    """Arguments for a QMP socket at path, for qmp_inject_nmi."""
    return ['-qmp', 'unix:%s,server=on,wait=off' % _escape(path)]


def qmp_inject_nmi(path, timeout=5):
    """Send an NMI to every guest CPU through the QMP socket at path: the
    kernel answers with its panic report (trap.c), where each CPU and each
    process is.  True if QEMU took the command."""
    import json
    import socket
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(timeout)
            s.connect(path)
            f = s.makefile('rw')
            f.readline()                                    # the greeting
            for cmd in ('qmp_capabilities', 'inject-nmi'):
                f.write(json.dumps({'execute': cmd}) + '\n')
                f.flush()
                while True:                                 # skip events
                    reply = json.loads(f.readline() or '{}')
                    if 'event' not in reply:
                        break
                if 'return' not in reply:
                    return False
            return True
    except (OSError, ValueError):
        return False


def exit_status_meaning(status):
    """Decode a QEMU exit status.  Returns (kind, value):

        ('exit', V)         command exit status V (0..63)
        ('signal', N)       command killed by signal N
        ('panic', 127)      kernel panic
        ('reset', status)   even status: triple fault or reset
        ('qemu-killed', N)  QEMU itself died of host signal N
                            (a negative subprocess returncode)
    """
    if status < 0:
        return ('qemu-killed', -status)
    if status % 2 == 0:
        return ('reset', status)
    value = (status - 1) // 2
    if value <= EXIT_MAX:
        return ('exit', value)
    if value < PANIC:
        return ('signal', value - SIGNAL_BASE)
    return ('panic', value)


def describe_status(status):
    """A short human description of a QEMU exit status."""
    kind, value = exit_status_meaning(status)
    if kind == 'exit':
        return 'exit status %d' % value
    if kind == 'signal':
        return 'command killed by signal %d' % value
    if kind == 'panic':
        return 'kernel panic'
    if kind == 'reset':
        return 'triple fault or reset (no debug-exit)'
    return 'QEMU killed by host signal %d' % value
