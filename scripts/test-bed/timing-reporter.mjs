// A vitest reporter that writes each test's wall time beside its budget (its own `timeout`, or its
// project's testTimeout), one JSON object per line, to the file named by NETBOND_TIMINGS_FILE. The
// test bed (run-all.mjs) reads these files to print the slowest tests and those that came close to
// their budget: a test that needs more than half its budget on a quiet run fails on a busy one.
// A failed test also carries the first line of its first error, so the end of a CI log (often all
// that is kept of it) names what failed and why, not only how many.
import { appendFileSync } from 'node:fs';
import { relative } from 'node:path';

const ERROR_CHARS = 400;

function firstLine(error) {
  const text = String(error?.message ?? error ?? 'no error recorded').trim().split('\n')[0];
  return text.length > ERROR_CHARS ? `${text.slice(0, ERROR_CHARS)}...` : text;
}

export default class TimingReporter {
  onInit(vitest) {
    this.root = vitest.config.root;
  }

  onTestRunEnd(testModules) {
    const file = process.env.NETBOND_TIMINGS_FILE;
    if (!file) return;
    const lines = [];
    for (const testModule of testModules) {
      for (const test of testModule.children.allTests()) {
        const diagnostic = test.diagnostic();
        if (!diagnostic) continue; // skipped or never ran
        const result = test.result();
        lines.push(
          JSON.stringify({
            file: relative(this.root, testModule.moduleId),
            name: test.fullName,
            ms: Math.round(diagnostic.duration),
            budgetMs: test.options.timeout ?? test.project.config.testTimeout,
            state: result.state,
            ...(result.state === 'failed' ? { error: firstLine(result.errors?.[0]) } : {}),
          }),
        );
      }
      // A file that fails to load, or a beforeAll/afterAll that throws, fails outside any test.
      for (const suite of [testModule, ...testModule.children.allSuites()]) {
        const error = suite.errors()[0];
        if (!error) continue;
        const name = suite.type === 'module' ? '(the file itself)' : `${suite.fullName} (a hook)`;
        lines.push(JSON.stringify({ file: relative(this.root, testModule.moduleId), name, ms: 0, budgetMs: 0, state: 'failed', error: firstLine(error) }));
      }
    }
    if (lines.length > 0) appendFileSync(file, `${lines.join('\n')}\n`);
  }
}
