// The command table: every `netbond` command, one module each, in the order `netbond --help` lists
// them. A new command is a file here (a CliCommand, lib/cli/context.ts) and its line below.
import type { CliCommand } from '../context.js';
import { activeCommand } from './active.js';
import { applyCommand } from './apply.js';
import { checkpointsCommand } from './checkpoints.js';
import { confirmCommand } from './confirm.js';
import { createCommand } from './create.js';
import { deleteCommand } from './delete.js';
import { enslaveCommand } from './enslave.js';
import { exportCommand } from './export.js';
import { ifenslaveCommand } from './ifenslave.js';
import { importCommand } from './import.js';
import { labCommand } from './lab.js';
import { listCommand } from './list.js';
import { releaseCommand } from './release.js';
import { rollbackCommand } from './rollback.js';
import { setCommand } from './set.js';
import { showCommand } from './show.js';
import { watchCommand } from './watch.js';

export const COMMANDS: readonly CliCommand[] = [
  createCommand,
  deleteCommand,
  enslaveCommand,
  releaseCommand,
  setCommand,
  activeCommand,
  listCommand,
  showCommand,
  watchCommand,
  applyCommand,
  checkpointsCommand,
  confirmCommand,
  rollbackCommand,
  importCommand,
  exportCommand,
  labCommand,
  ifenslaveCommand,
];
