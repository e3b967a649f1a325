#!/usr/bin/python
# -*- coding: utf-8 -*-
# Every bond of the host, or of a namespace, as `netbond --json show` gives them.
from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: bond_info
short_description: Read the bonds of a host
version_added: 0.1.0
description:
  - Returns every bond of the managed host (or of a network namespace), or the ones named, with
    their mode, options, slaves (link state, failure counts, LACP port states), active slave and
    802.3ad aggregator. The same data as C(netbond --json show).
author:
  - netbond maintainers
attributes:
  check_mode:
    support: full
    description: Reads only.
  diff_mode:
    support: none
options:
  names:
    description: Only these bonds; a name that is not a bond fails.
    type: list
    elements: str
extends_documentation_fragment:
  - netbond.netbond.netbond
seealso:
  - module: netbond.netbond.bond
'''

EXAMPLES = r'''
- netbond.netbond.bond_info:
  register: info

- ansible.builtin.debug:
    msg: "{{ item.name }}: {{ item.mode }}, active {{ item.activeSlave }}"
  loop: "{{ info.bonds }}"
'''

RETURN = r'''
bonds:
  description: The bonds, each as C(netbond --json show BOND) gives it.
  returned: always
  type: list
  elements: dict
  sample: [{name: bond0, mode: active-backup, up: true, activeSlave: eth1, slaves: [{name: eth1, miiStatus: up}]}]
'''

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.netbond.netbond.plugins.module_utils.netbond import COMMON_ARGUMENT_SPEC, Netbond, NetbondError


def main():
    module = AnsibleModule(
        argument_spec=dict(names=dict(type='list', elements='str'), **COMMON_ARGUMENT_SPEC),
        supports_check_mode=True,
    )
    params = module.params
    netbond = Netbond(module, params['executable'], params['netns'])
    try:
        if params['names']:
            bonds = [netbond.run(['show', name]) for name in params['names']]
        else:
            bonds = netbond.run(['show'])
    except NetbondError as error:
        module.fail_json(msg=str(error), **error.result())
    module.exit_json(changed=False, bonds=bonds)


if __name__ == '__main__':
    main()
