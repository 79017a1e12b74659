"""Drive gdb against a vmos kernel halted in QEMU, for host suites.

A host suite (tests/run.py, "Host suites") that checks something only gdb
can see -- the gdb helpers, reverse execution -- does three things:

    from gdbsession import Reporter, Session
    rep = Reporter('gdbhelp')
    with Session(cmdline='ktest=fault') as s:      # QEMU halted, stub up
        out = s.gdb(['break panic_trap', 'continue', 'bt'])
    rep.check('backtrace', 'selftest_fault_deliberately' in out, out[-400:])
    sys.exit(rep.done())

Session boots build/os.iso (or env VMOS_ISO, which run.py sets) with
QEMU's gdb stub on a free loopback port, halted before the first
instruction; disk_mb=N attaches a fresh swap disk of N MiB.  gdb() runs one `gdb -batch` over tools/gdbinit -- the same
setup a student gets from tools/gdb -- then the given commands, and
returns everything gdb printed.  gdb may be run more than once against
the same QEMU, but each run detaches at its end and QEMU then lets the
guest run on: a later run stops it wherever it is by then (or finds QEMU
gone, if the guest has finished).  Checks that need one stop belong in
one run (a `python` block can use what one command printed in the next).
The guest's serial output goes to a log file beside the test logs.

Reporter prints the harness protocol (TEST-PASS, TEST-FAIL, TEST-DONE)
and done() returns the exit status run.py expects: 0 if every check
passed, 1 otherwise.
"""

import os
import socket
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(TOP, 'tools'))
import qemu  # noqa: E402


class Reporter:
    """The TEST-* lines of one host suite."""

    def __init__(self, suite):
        self.suite = suite
        self.passed = self.failed = 0

    def check(self, case, ok, reason=''):
        """Report case as passed if ok, else failed with reason (one line)."""
        if ok:
            self.passed += 1
            print('TEST-PASS %s.%s' % (self.suite, case), flush=True)
        else:
            self.failed += 1
            reason = ' | '.join(l for l in str(reason).splitlines() if l.strip())
            print('TEST-FAIL %s.%s: %s' % (self.suite, case, reason[-600:]), flush=True)
        return ok

    def done(self):
        print('TEST-DONE %s passed=%d failed=%d' % (self.suite, self.passed, self.failed),
              flush=True)
        return 0 if self.failed == 0 else 1


def free_port():
    """A TCP port nobody listens on now (QEMU takes it a moment later)."""
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def iso_path():
    return os.environ.get('VMOS_ISO', os.path.join(qemu.BUILD, 'os.iso'))


def log_dir():
    d = os.environ.get('VMOS_TEST_LOGS', os.path.join(qemu.BUILD, 'test-logs'))
    os.makedirs(d, exist_ok=True)
    return d


class Session:
    """One QEMU, halted, with a gdb stub; see the module docstring."""

    def __init__(self, cmdline=None, mem='256M', extra=None, name='gdb', iso=None, disk_mb=0,
                 cpus=1):
        # One CPU unless asked: the checks read "the running process" as
        # cpus[0].proc, which is only the process being looked at when
        # there is no other CPU for it to run on.
        self.iso = iso or iso_path()
        self.port = free_port()
        self.log_path = os.path.join(log_dir(), name + '-serial.log')
        disk = None
        if disk_mb:
            disk = qemu.make_scratch_disk(os.path.join(log_dir(), name + '-disk.img'),
                                          disk_mb << 20)
        args = qemu.qemu_args(self.iso, mem=mem, cmdline=cmdline, gdb_port=self.port,
                              extra=extra, disk=disk, cpus=cpus)
        self.log = open(self.log_path, 'w')
        self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=self.log,
                                     stderr=subprocess.STDOUT)

    def gdb(self, commands, timeout=120):
        """Run gdb -batch with tools/gdbinit, then commands; return its output
        (stdout and stderr together).  A gdb that outlives timeout is killed
        and what it printed is returned with a last line saying so."""
        with tempfile.NamedTemporaryFile('w', suffix='.gdb', delete=False) as f:
            f.write('\n'.join(commands) + '\n')
            script = f.name
        argv = ['gdb', '-q', '-batch', '-nx',
                '-ex', 'set $vmos_port = %d' % self.port,
                '-x', os.path.join(TOP, 'tools', 'gdbinit')]
        # gdbinit reads build/kernel.elf; another ISO (make coverage's)
        # has its own kernel beside it, whose symbols must be the ones used.
        elf = os.path.join(os.path.dirname(os.path.abspath(self.iso)), 'kernel.elf')
        if os.path.isfile(elf) and os.path.abspath(elf) != os.path.join(qemu.BUILD, 'kernel.elf'):
            argv += ['-ex', 'file ' + elf]
        argv += ['-x', script]
        try:
            r = subprocess.run(argv, cwd=TOP, stdin=subprocess.DEVNULL, capture_output=True,
                               text=True, errors='replace', timeout=timeout)
            return r.stdout + r.stderr
        except subprocess.TimeoutExpired as e:
            out = (e.stdout or b'') + (e.stderr or b'')
            if isinstance(out, bytes):
                out = out.decode('utf-8', 'replace')
            return out + '\n(gdb killed after %ds)\n' % timeout
        finally:
            os.unlink(script)

    def serial(self):
        """What the guest has printed so far."""
        self.log.flush()
        with open(self.log_path, errors='replace') as f:
            return f.read()

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self.log.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
