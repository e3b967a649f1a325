// Run by driver-features.test.ts inside a namespace, without CAP_SYS_ADMIN (so no new namespace
// for the probe) but with CAP_NET_ADMIN: creates each bond named in argv as JSON
// ({ name, options }) and prints, per bond, the outcome as JSON lines.
const [dist, ...requests] = process.argv.slice(2);
const { createBond } = await import(dist);
for (const request of requests) {
  const { name, options } = JSON.parse(request);
  try {
    await createBond(name, options);
    console.log(JSON.stringify({ name, ok: true }));
  } catch (error) {
    console.log(JSON.stringify({ name, ok: false, error: error.name, code: error.code, message: error.message }));
  }
}
