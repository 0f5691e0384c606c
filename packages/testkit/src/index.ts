export { uniquePrefix, deletePrefix, testRedis, TEST_REDIS_URL } from './redis';
export { tempDir } from './temp';
export { startProcess, type RunningProcess } from './process';
export {
  startQuickStack,
  type BatchState,
  type QuickStack,
  type QuickStackOptions,
} from './quick-stack';
export { generateTextResumes, seededRandom, type GeneratedResume } from './resumes';
export { sharedDataDir, REPO_ROOT } from './shared-data';
export { startS3Server, type S3TestServer } from './s3-server';
export {
  SmtpSink,
  startSmtpSink,
  type ReceivedMail,
  type DeliveryAttempt,
  type SinkReply,
  type SmtpSinkOptions,
} from './smtp-sink';
export {
  startOpenAiServer,
  scoringResponder,
  instanceOf,
  fakeTokens,
  type OpenAiServer,
  type OpenAiServerOptions,
  type ChatBody,
  type Fault,
  type RecordedRequest,
  type Responder,
  type RouteHandler,
} from './openai-server';
export { addBatchEndpoints, type BatchEndpoints, type FakeBatch } from './openai-batches';
export { startFirestoreEmulator, type FirestoreTestEmulator } from './firestore-emulator';
export { listeningAddresses } from './listening';
export { freePort } from './ports';
export {
  generateResumeSpecs,
  mergedYears,
  formatRange,
  resumeText,
  resumeHtml,
  resumeRtf,
  resumePdf,
  resumeDocx,
  scannedPdf,
  unicodePdf,
  garbledPdf,
  grayPng,
  truncateBytes,
  slowPdf,
  FIXTURE_NOW,
  HIDDEN_SNIPPETS,
  DOCX_HIDDEN_SNIPPETS,
  type ResumeSpec,
  type SpecJob,
  type ResumePdfOptions,
  type ResumeDocxOptions,
} from './resume-fixtures';
export { mailResponder, type MailResponderOptions } from './mail-responder';
