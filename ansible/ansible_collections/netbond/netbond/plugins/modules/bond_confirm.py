#!/usr/bin/python
# -*- coding: utf-8 -*-
# The second half of a confirmed commit: keep (or undo) the change a bond run made with
# confirm_timeout, through `netbond confirm` / `netbond rollback`.
from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: bond_confirm
short_description: Confirm or roll back a pending netbond checkpoint
version_added: 0.1.0
description:
  - M(netbond.netbond.bond) with I(confirm_timeout) leaves a checkpoint that a guard process on the
    host rolls back at its deadline. This module keeps the change (C(state=confirmed)) or restores
    the state before it now (C(state=rolled_back)).
  - The pattern is M(netbond.netbond.bond) with I(confirm_timeout), then
    M(ansible.builtin.wait_for_connection), then bond_confirm. If the change cut the host off, the confirmation never arrives and the host
    restores itself.
  - Fails when the checkpoint is gone (already rolled back at its deadline, or confirmed).
author:
  - netbond maintainers
attributes:
  check_mode:
    support: full
    description: Reports what it would do, and the checkpoint stays pending.
  diff_mode:
    support: none
options:
  checkpoint:
    description: The checkpoint's id (C(checkpoint.id) of the bond module's result); default the only open one.
    type: str
  state:
    description: Keep the change, or restore the state before it now.
    type: str
    choices: [confirmed, rolled_back]
    default: confirmed
extends_documentation_fragment:
  - netbond.netbond.netbond
seealso:
  - module: netbond.netbond.bond
'''

EXAMPLES = r'''
- netbond.netbond.bond:
    name: bond0
    mode: 802.3ad
    confirm_timeout: 120
  register: change

- ansible.builtin.wait_for_connection:
    timeout: 60

- netbond.netbond.bond_confirm:
    checkpoint: "{{ change.checkpoint.id }}"
  when: change.checkpoint is defined
'''

RETURN = r'''
checkpoint:
  description: The checkpoint as it was when confirmed or rolled back (id, bonds, status, owner).
  returned: success
  type: dict
error:
  description: netbond's error.
  returned: failure
  type: dict
'''

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.netbond.netbond.plugins.module_utils.netbond import COMMON_ARGUMENT_SPEC, Netbond, NetbondError


def main():
    module = AnsibleModule(
        argument_spec=dict(
            checkpoint=dict(type='str'),
            state=dict(type='str', choices=['confirmed', 'rolled_back'], default='confirmed'),
            **COMMON_ARGUMENT_SPEC
        ),
        supports_check_mode=True,
    )
    params = module.params
    netbond = Netbond(module, params['executable'], params['netns'])
    try:
        if module.check_mode:
            entries = netbond.run(['checkpoints'])
            open_ids = [entry['id'] for entry in entries]
            found = params['checkpoint'] in open_ids if params['checkpoint'] else len(open_ids) == 1
            if not found:
                module.fail_json(msg='no such open checkpoint: %s (open: %s)' % (params['checkpoint'] or '(the only one)', ', '.join(open_ids) or 'none'))
            module.exit_json(changed=True)
        verb = 'confirm' if params['state'] == 'confirmed' else 'rollback'
        entry = netbond.run([verb] + ([params['checkpoint']] if params['checkpoint'] else []))
    except NetbondError as error:
        module.fail_json(msg=str(error), **error.result())
    module.exit_json(changed=True, checkpoint=entry)


if __name__ == '__main__':
    main()
