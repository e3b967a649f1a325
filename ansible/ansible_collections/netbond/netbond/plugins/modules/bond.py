#!/usr/bin/python
# -*- coding: utf-8 -*-
# Makes one bond of the managed host match the options given, through `netbond apply` (the
# declarative engine: plan in the driver's order, verify, roll back on failure). The spec is built
# here from the options and handed to netbond on standard input; netbond validates it and names
# the field that is wrong. Check mode is `apply --dry-run`; diff is the bond as a spec before and
# after (`netbond export spec`).
from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: bond
short_description: Make a Linux bond (and the VLANs over it) match a spec, live
version_added: 0.1.0
description:
  - Makes a bond of the managed host look like the options given, live, without a reboot. It creates
    it, changes its mode and options (releasing and re-enslaving slaves, taking it down when the
    driver requires), sets its slaves, addresses, routes and VLANs, then reads everything back and
    verifies it. Any failure rolls back everything the run changed.
  - Options left out stay as the kernel has them. C(slaves), C(addresses), C(routes) and C(vlans),
    when given, are the whole list.
  - With I(confirm_timeout) the state before is kept as a checkpoint that a guard process on the
    host restores after that many seconds unless M(netbond.netbond.bond_confirm) confirms it,
    also when the connection to the host is lost (a confirmed commit).
  - Runs the C(netbond) command on the managed host (C(npm install -g netbond)) and needs root (CAP_NET_ADMIN).
author:
  - netbond maintainers
extends_documentation_fragment:
  - netbond.netbond.netbond
  - netbond.netbond.bond_spec
  - netbond.netbond.bond_options
attributes:
  check_mode:
    support: full
    description: Returns the plan (C(steps)) and changes nothing.
  diff_mode:
    support: full
    description: The bond as a spec before and after.
options:
  confirm_timeout:
    description:
      - Seconds (1-86400). Keep the state before as a checkpoint, restored by a guard process at the
        deadline unless M(netbond.netbond.bond_confirm) confirms it first. The result's
        C(checkpoint) names it.
    type: int
  probes:
    description:
      - Connectivity checks run before the change and after it is verified; one that answered before
        and fails after rolls the change back at once. C(gateway), C(gateway6), C(ping:ADDR),
        C(arp:ADDR[@DEV]), C(tcp:HOST:PORT).
    type: list
    elements: str
  default_probes:
    description: With I(confirm_timeout), add the gateway probe when the default route goes through the bond.
    type: bool
    default: true
notes:
  - A failed run reports C(rolled_back); when it is false, the host is in a state nobody asked for
    and C(netbond checkpoints) on the host lists what to roll back.
seealso:
  - module: netbond.netbond.bond_confirm
  - module: netbond.netbond.bond_info
'''

EXAMPLES = r'''
- name: bond0 in 802.3ad over two NICs, the host's addresses on two VLANs
  netbond.netbond.bond:
    name: bond0
    mode: 802.3ad
    miimon: 100
    lacp_rate: fast
    xmit_hash_policy: layer3+4
    slaves: [eth1, eth2]
    mtu: 9000
    vlans:
      - id: 100
        mtu: 1500
        addresses: [10.1.100.10/24]
        routes: [{destination: default, gateway: 10.1.100.1}]
      - id: 200
        addresses: [10.1.200.10/24, 2001:db8:200::10/64]

- name: Change the mode live; rolled back by the host itself unless confirmed within 120 s
  netbond.netbond.bond:
    name: bond0
    mode: active-backup
    miimon: 100
    primary: eth1
    confirm_timeout: 120
  register: change

- name: The host must still answer over SSH
  ansible.builtin.wait_for_connection:
    timeout: 60

- name: Keep the change
  netbond.netbond.bond_confirm:
    checkpoint: "{{ change.checkpoint.id }}"

- name: No bond1 on this host
  netbond.netbond.bond:
    name: bond1
    state: absent
'''

RETURN = r'''
steps:
  description: The steps run (in check mode, the steps that would run), each with what it does and why.
  returned: always
  type: list
  elements: dict
  sample: [{kind: set-option, description: set mode 802.3ad on bond0, reason: mode is balance-rr, wanted 802.3ad}]
state:
  description: The bond after the run, as C(netbond --json show) gives it; null when it is absent.
  returned: success
  type: dict
health:
  description: Whether the bond works after the change (carrier, slaves with link, an LACP partner in 802.3ad).
  returned: when the bond is present and not in check mode
  type: dict
checkpoint:
  description: With I(confirm_timeout), the checkpoint to confirm (C(id)) before C(expiresAt).
  returned: when confirm_timeout is set and not in check mode
  type: dict
probes:
  description: What each probe saw before and after the change.
  returned: when probes ran
  type: list
  elements: dict
spec:
  description: The spec handed to netbond.
  returned: always
  type: dict
error:
  description: netbond's error (name, code, message, the bond, option or slave involved, the failed step).
  returned: failure
  type: dict
rolled_back:
  description: Whether everything the failed run changed was undone.
  returned: when a change failed
  type: bool
'''

import re

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.netbond.netbond.plugins.module_utils.bond_options import BOND_OPTION_KEYS, BOND_OPTION_SPEC
from ansible_collections.netbond.netbond.plugins.module_utils.bond_spec import SPEC_ARGUMENT_SPEC, SPEC_FIELDS
from ansible_collections.netbond.netbond.plugins.module_utils.netbond import COMMON_ARGUMENT_SPEC, Netbond, NetbondError

# The spec's own options and the bond options are generated (module_utils/bond_spec.py,
# bond_options.py); these are the module's.
ARGUMENT_SPEC = dict(
    confirm_timeout=dict(type='int'),
    probes=dict(type='list', elements='str'),
    default_probes=dict(type='bool', default=True),
)
ARGUMENT_SPEC.update(SPEC_ARGUMENT_SPEC)
ARGUMENT_SPEC.update(COMMON_ARGUMENT_SPEC)
ARGUMENT_SPEC.update(BOND_OPTION_SPEC)


def camel(key):
    return re.sub(r'_([a-z0-9])', lambda m: m.group(1).upper(), key)


def without_none(value):
    """Sub-options Ansible filled with None are options left out."""
    if isinstance(value, dict):
        return dict((camel(k), without_none(v)) for k, v in value.items() if v is not None)
    if isinstance(value, list):
        return [without_none(v) for v in value]
    return value


def build_spec(params):
    spec = {'name': params['name']}
    if params['state'] == 'absent':
        spec['state'] = 'absent'
        return spec
    for option, key in BOND_OPTION_KEYS.items():
        if params.get(option) is not None:
            spec[key] = params[option]
    # Ansible has no null for a string option: an empty primary clears it.
    if spec.get('primary') == '':
        spec['primary'] = None
    for option, key in SPEC_FIELDS.items():
        # name and state are given above.
        if option not in ('name', 'state') and params.get(option) is not None:
            spec[key] = without_none(params[option])
    return spec


def predicted(before, spec):
    """What check mode expects the bond to look like: the spec over the bond as it is."""
    if spec.get('state') == 'absent':
        return {'name': spec['name'], 'state': 'absent'}
    after = dict(before) if before.get('state') != 'absent' else {'name': spec['name']}
    after.update(spec)
    return after


def main():
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    params = module.params
    spec = build_spec(params)
    netbond = Netbond(module, params['executable'], params['netns'])
    result = dict(changed=False, spec=spec, steps=[])
    try:
        before = netbond.live_spec(params['name']) if module._diff else None
        if module.check_mode:
            plan = netbond.run(['apply', '-', '--dry-run'], spec)
            result['steps'] = plan['steps']
            result['changed'] = len(plan['steps']) > 0
            if before is not None:
                result['diff'] = dict(before=before, after=predicted(before, spec))
            module.exit_json(**result)
        args = ['apply', '-']
        if params['confirm_timeout'] is not None:
            args += ['--confirm-timeout', str(params['confirm_timeout'])]
            if not params['default_probes']:
                args.append('--no-default-probes')
        for probe in params['probes'] or []:
            args += ['--probe', probe]
        applied = netbond.run(args, spec)
        # One bond: netbond returns its result, with the checkpoint and probes beside it.
        bond = applied['bonds'][0] if 'bonds' in applied else applied
        result['steps'] = bond['steps']
        result['changed'] = len(bond['steps']) > 0
        result['state'] = bond.get('state')
        for key in ('health', 'checkpoint', 'probes'):
            if applied.get(key) is not None or bond.get(key) is not None:
                result[key] = applied.get(key, bond.get(key))
        if before is not None:
            result['diff'] = dict(before=before, after=netbond.live_spec(params['name']))
    except NetbondError as error:
        module.fail_json(msg=str(error), spec=spec, **error.result())
    module.exit_json(**result)


if __name__ == '__main__':
    main()
