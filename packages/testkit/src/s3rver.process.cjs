// Runs s3rver (an S3-compatible server) on 127.0.0.1 as its own process, so a test can stop it by
// PID. Usage: node s3rver.process.cjs <directory> <bucket>. Prints `S3RVER LISTENING <port>`.
const S3rver = require('s3rver');

const [directory, bucket] = process.argv.slice(2);
const server = new S3rver({
  address: '127.0.0.1',
  port: 0,
  silent: true,
  directory,
  configureBuckets: [{ name: bucket }],
});

server.run().then(
  (address) => process.stdout.write(`S3RVER LISTENING ${address.port}\n`),
  (error) => {
    process.stderr.write(`s3rver failed to start: ${error.stack}\n`);
    process.exit(1);
  },
);
process.on('SIGTERM', () => server.close().finally(() => process.exit(0)));
