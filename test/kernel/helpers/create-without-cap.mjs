// Run by netns.test.ts in a child process without CAP_NET_ADMIN: tries to create a bond and
// prints the error it got as JSON.
const { createBond } = await import(process.argv[2]);
try {
  await createBond('nocap0');
  console.log(JSON.stringify({ name: 'no error' }));
} catch (error) {
  console.log(JSON.stringify({ name: error.name, code: error.code, errno: error.errno, message: error.message }));
}
