# -*- coding: utf-8 -*-
# Running the netbond command on the managed host and reading its JSON interface. Every module of
# the collection goes through here: the command line is a list (no shell), the spec goes on
# standard input, and a failure comes back as netbond's own JSON error line (exit status 1: what
# had changed was rolled back; 2: nothing was changed; 3: a rollback did not complete).
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

# The options every module has, as the netbond doc fragment documents them.
COMMON_ARGUMENT_SPEC = dict(netns=dict(type='str'), executable=dict(type='path'))


class NetbondError(Exception):
    """netbond exited non-zero; `report` is its JSON error (name, code, message, rolledBack, ...)."""

    def __init__(self, rc, report, stderr):
        super(NetbondError, self).__init__(report.get('message') or stderr.strip() or 'netbond exited with status %d' % rc)
        self.rc = rc
        self.report = report
        self.stderr = stderr

    def result(self):
        """The fields a module adds to fail_json."""
        out = {'rc': self.rc, 'error': self.report}
        if 'rolledBack' in self.report:
            out['rolled_back'] = self.report['rolledBack']
        return out


def _error_report(stderr):
    for line in reversed(stderr.splitlines()):
        line = line.strip()
        if line.startswith('{'):
            try:
                parsed = json.loads(line)
            except ValueError:
                continue
            if isinstance(parsed, dict) and isinstance(parsed.get('error'), dict):
                return parsed['error']
    return {}


class Netbond(object):
    """The netbond command of this host, for one namespace."""

    def __init__(self, module, executable=None, netns=None):
        self.module = module
        self.executable = executable or module.get_bin_path('netbond', required=True)
        self.netns = netns

    def run(self, args, spec=None):
        """Runs `netbond --json [--netns NS] ARGS`; returns its parsed JSON output or raises NetbondError."""
        argv = [self.executable, '--json']
        if self.netns:
            argv += ['--netns', self.netns]
        argv += list(args)
        data = None if spec is None else json.dumps(spec)
        rc, out, err = self.module.run_command(argv, data=data, binary_data=True, check_rc=False)
        if rc != 0:
            raise NetbondError(rc, _error_report(err), err)
        out = out.strip()
        return json.loads(out) if out else None

    def live_spec(self, name):
        """The bond as a spec (`netbond export spec`), or {name, state: absent} when it does not exist."""
        try:
            return self.run(['export', 'spec', name])
        except NetbondError as error:
            if error.report.get('code') == 'ENODEV':
                return {'name': name, 'state': 'absent'}
            raise
