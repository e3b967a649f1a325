# -*- coding: utf-8 -*-
# The options every module of the collection has: where netbond runs, and in which namespace.
from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    DOCUMENTATION = r'''
options:
  netns:
    description: The network namespace to act in (an C(ip netns) name); default the host's.
    type: str
  executable:
    description: The netbond command on the managed host; default C(netbond) found on PATH.
    type: path
'''
