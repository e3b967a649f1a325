// What the test bed prints at the end besides the counts: the slowest tests of every suite, the
// tests that used more than half their budget (they are the next to fail on a busy machine), and
// the wall time of each phase, and every failed test with its error (the end of a CI log is often
// all that is kept of it). The timings come from timing-reporter.mjs, one file per suite.
import { readdir, readFile } from 'node:fs/promises';

const SLOWEST = 10;
/** A test that used more than this share of its budget is listed as a warning. */
const WARN_SHARE = 0.5;

async function readTimings(resultsDir) {
  const tests = [];
  for (const entry of (await readdir(resultsDir)).filter((name) => name.endsWith('.timings.jsonl')).sort()) {
    const suite = entry.slice(0, -'.timings.jsonl'.length);
    const text = await readFile(`${resultsDir}/${entry}`, 'utf8');
    for (const line of text.split('\n').filter(Boolean)) tests.push({ suite, ...JSON.parse(line) });
  }
  return tests;
}

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
const describe = (test) => `${test.suite}  ${test.file} > ${test.name}`;

/** The slowest tests and the warnings, as text. */
export async function timingReport(resultsDir) {
  const tests = await readTimings(resultsDir);
  if (tests.length === 0) return 'timings: no suite wrote any';
  const lines = [`the ${SLOWEST} slowest tests (wall time / budget):`];
  for (const test of [...tests].sort((a, b) => b.ms - a.ms).slice(0, SLOWEST)) {
    lines.push(`  ${seconds(test.ms).padStart(8)} / ${seconds(test.budgetMs).padEnd(8)} ${describe(test)}`);
  }
  const close = tests.filter((test) => test.ms > test.budgetMs * WARN_SHARE).sort((a, b) => b.ms / b.budgetMs - a.ms / a.budgetMs);
  if (close.length === 0) lines.push(`no test used more than ${WARN_SHARE * 100}% of its budget`);
  for (const test of close) {
    lines.push(`warning: ${describe(test)} used ${Math.round((100 * test.ms) / test.budgetMs)}% of its budget (${seconds(test.ms)} of ${seconds(test.budgetMs)})`);
  }
  return lines.join('\n');
}

/** Every failed test with the first line of its error, or '' when none failed. */
export async function failureReport(resultsDir) {
  const failed = (await readTimings(resultsDir)).filter((test) => test.state === 'failed');
  return failed.map((test) => `FAILED ${describe(test)}\n  ${test.error ?? 'no error recorded'}`).join('\n');
}

function clock(s) {
  const whole = Math.round(s);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}

/** Each phase's wall time (minutes:seconds), where it ran and when it started, and the total. */
export function phaseTable(phases, totalSeconds) {
  const width = Math.max(...phases.map((p) => p.name.length), 'phase'.length);
  const lines = [`${'phase'.padEnd(width)}  ${'where'.padEnd(6)}  ${'starts'.padStart(6)}  ${'wall'.padStart(6)}`];
  for (const phase of phases) {
    lines.push(`${phase.name.padEnd(width)}  ${phase.lane.padEnd(6)}  ${(phase.start === undefined ? '' : clock(phase.start)).padStart(6)}  ${clock(phase.seconds).padStart(6)}`);
  }
  lines.push(`${'total'.padEnd(width)}  ${''.padEnd(6)}  ${''.padStart(6)}  ${clock(totalSeconds).padStart(6)}`);
  return lines.join('\n');
}
