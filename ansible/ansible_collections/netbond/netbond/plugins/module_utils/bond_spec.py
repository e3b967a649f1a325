# -*- coding: utf-8 -*-
# Generated from lib/plan/spec-schema.ts by test/unit/ansible-collection.test.ts (npm run gen:ansible); do not edit.
from __future__ import absolute_import, division, print_function

__metaclass__ = type

# Module option -> the BondSpec key netbond takes (the keys of sub-options and dicts are the same in snake_case).
SPEC_FIELDS = {
    'name': 'name',
    'state': 'state',
    'slaves': 'slaves',
    'active_slave': 'activeSlave',
    'up': 'up',
    'mtu': 'mtu',
    'mac': 'mac',
    'addresses': 'addresses',
    'routes': 'routes',
    'vlans': 'vlans',
}

# The argument spec of the spec's own fields (besides the bond options), as the doc fragment documents them.
SPEC_ARGUMENT_SPEC = {
    'name': {'type': 'str', 'required': True},
    'state': {'type': 'str', 'choices': ['present', 'absent'], 'default': 'present'},
    'slaves': {'type': 'list', 'elements': 'raw'},
    'active_slave': {'type': 'str'},
    'up': {'type': 'bool'},
    'mtu': {'type': 'int'},
    'mac': {'type': 'str'},
    'addresses': {'type': 'list', 'elements': 'raw'},
    'routes': {'type': 'list', 'elements': 'dict', 'options': {
        'destination': {'type': 'str', 'required': True},
        'gateway': {'type': 'str'},
        'metric': {'type': 'int'},
    }},
    'vlans': {'type': 'list', 'elements': 'dict', 'options': {
        'id': {'type': 'int', 'required': True},
        'name': {'type': 'str'},
        'protocol': {'type': 'str', 'choices': ['802.1Q', '802.1ad']},
        'up': {'type': 'bool'},
        'mtu': {'type': 'int'},
        'addresses': {'type': 'list', 'elements': 'raw'},
        'routes': {'type': 'list', 'elements': 'dict', 'options': {
            'destination': {'type': 'str', 'required': True},
            'gateway': {'type': 'str'},
            'metric': {'type': 'int'},
        }},
    }},
}
