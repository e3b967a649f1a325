// node --import this, with NETBOND_MODULE_LIST=FILE: lists the modules the process loads there.
import { register } from 'node:module';

register(new URL('./module-list-hooks.mjs', import.meta.url), { data: { file: process.env.NETBOND_MODULE_LIST } });
