export { uniquePrefix, deletePrefix, testRedis, TEST_REDIS_URL } from './redis';
export { tempDir } from './temp';
export { startProcess, type RunningProcess } from './process';
export { generateTextResumes, seededRandom, type GeneratedResume } from './resumes';
export { sharedDataDir, REPO_ROOT } from './shared-data';
export { startS3Server, type S3TestServer } from './s3-server';
