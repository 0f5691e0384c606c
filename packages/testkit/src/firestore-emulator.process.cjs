// Runs the Firestore emulator from npm `@firestore-emulator/server` (patched in patches/ for
// query cursors, offsets, update-time preconditions and a loopback bind) as its own process, so a
// test can stop it by PID. Prints `FIRESTORE EMULATOR LISTENING <port>`.
const { FirestoreServer } = require('@firestore-emulator/server');

const server = new FirestoreServer();
server.start(0, '127.0.0.1').then(
  (port) => process.stdout.write(`FIRESTORE EMULATOR LISTENING ${port}\n`),
  (error) => {
    process.stderr.write(`firestore emulator failed to start: ${error.stack}\n`);
    process.exit(1);
  },
);
process.on('SIGTERM', () => {
  server.stop();
  process.exit(0);
});
