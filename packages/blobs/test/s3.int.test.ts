import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { listeningAddresses, startS3Server, type S3TestServer } from '@shortlist/testkit';
import { S3BlobStore } from '../src';
import { describeBlobStoreContract } from './blob-store.contract';

describeBlobStoreContract('S3 (s3rver, or TEST_S3_ENDPOINT)', async () => {
  const server: S3TestServer = await startS3Server();
  const store = new S3BlobStore({
    bucket: server.bucket,
    region: server.region,
    endpoint: server.endpoint,
    forcePathStyle: server.forcePathStyle,
    accessKeyId: server.accessKeyId,
    secretAccessKey: server.secretAccessKey,
    prefix: server.prefix,
    partSizeBytes: 5 * 1024 * 1024,
  });
  return {
    store,
    keyPrefix: '',
    leftovers: async () => {
      const listed = await store.client.send(
        new ListObjectsV2Command({ Bucket: server.bucket, Prefix: server.prefix }),
      );
      return (listed.Contents ?? []).map((o) => o.Key ?? '');
    },
    close: async () => {
      store.close();
      await server.stop();
    },
  };
});

describe('s3rver test server', () => {
  it('listens on 127.0.0.1 only', async () => {
    const server = await startS3Server();
    try {
      if (server.pid === null) return; // an external S3 is not ours to inspect
      expect(listeningAddresses(Number(new URL(server.endpoint).port))).toEqual(['127.0.0.1']);
    } finally {
      await server.stop();
    }
  });
});
