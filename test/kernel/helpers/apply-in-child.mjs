/* global setInterval */
// Run by transaction.test.ts as a process of its own, to be killed with SIGKILL: applies the specs
// (JSON in argv) with the options (JSON; `stopAtStep: K` makes the onStep hook of step K wait
// forever), printing "step K" as each step starts and "applied <result JSON>" when done, then
// waits to be killed.
const [dist, specsJson, optionsJson] = process.argv.slice(2);
const { applyBonds } = await import(dist);
const { stopAtStep, ...options } = JSON.parse(optionsJson);
const onStep = async (index) => {
  console.log(`step ${index}`);
  if (index === stopAtStep) await new Promise(() => setInterval(() => undefined, 1000));
};
try {
  const result = await applyBonds(JSON.parse(specsJson), { ...options, onStep });
  console.log(`applied ${JSON.stringify(result)}`);
} catch (error) {
  console.log(`failed ${error.message} [${error.syscall}]`);
}
setInterval(() => undefined, 1000);
