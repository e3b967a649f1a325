# -*- coding: utf-8 -*-
# Generated from lib/plan/spec-schema.ts by test/unit/ansible-collection.test.ts (npm run gen:ansible); do not edit.
from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    DOCUMENTATION = r'''
options:
  name:
    description:
      - 'The bond''s interface name.'
    type: str
    required: true
  state:
    description:
      - 'C(absent) deletes the bond (its VLANs go with it).'
    type: str
    choices: ['present', 'absent']
    default: 'present'
  slaves:
    description:
      - 'The interfaces to enslave, in order (the first gives the bond its MAC address); the whole list. Each is a string (its C(name)) or a dict with C(name), C(queue_id), C(prio), C(actor_port_prio).'
    type: list
    elements: raw
  active_slave:
    description:
      - 'The slave to make active (active-backup, balance-tlb, balance-alb).'
    type: str
  up:
    description:
      - 'Bring the bond up (true, the default) or leave it down.'
    type: bool
  mtu:
    description:
      - 'The bond''s MTU.'
    type: int
  mac:
    description:
      - 'The bond''s MAC address.'
    type: str
  addresses:
    description:
      - 'IPv4 and IPv6 addresses in CIDR notation; the whole list, but addresses the kernel manages (IPv6 link-local) are left alone. Each is a string (its C(address)) or a dict with C(address), C(broadcast).'
    type: list
    elements: raw
  routes:
    description:
      - 'Routes through the bond; the whole list, but the connected routes of its addresses are left alone.'
    type: list
    elements: dict
    suboptions:
      destination:
        description:
          - 'A network in CIDR notation, or C(default).'
        type: str
        required: true
      gateway:
        description:
          - 'The next hop.'
        type: str
      metric:
        description:
          - 'The route''s metric.'
        type: int
  vlans:
    description:
      - 'VLANs over the bond (the bond as a trunk); a VLAN over the bond that is not listed is deleted. Taking the bond down for a mode change keeps the VLANs; what the kernel flushes (their IPv6 addresses and routes) is put back.'
    type: list
    elements: dict
    suboptions:
      id:
        description:
          - 'The VLAN id, 1-4094.'
        type: int
        required: true
      name:
        description:
          - 'The VLAN''s interface name; default C(<bond>.<id>).'
        type: str
      protocol:
        description:
          - 'The tag protocol; default C(802.1Q).'
        type: str
        choices: ['802.1Q', '802.1ad']
      up:
        description:
          - 'Up (default as the bond) or down.'
        type: bool
      mtu:
        description:
          - 'The VLAN''s MTU, at most the bond''s.'
        type: int
      addresses:
        description:
          - 'As the bond''s C(addresses). Each is a string (its C(address)) or a dict with C(address), C(broadcast).'
        type: list
        elements: raw
      routes:
        description:
          - 'As the bond''s C(routes): routes through the VLAN, which must be up.'
        type: list
        elements: dict
        suboptions:
          destination:
            description:
              - 'A network in CIDR notation, or C(default).'
            type: str
            required: true
          gateway:
            description:
              - 'The next hop.'
            type: str
          metric:
            description:
              - 'The route''s metric.'
            type: int
'''
