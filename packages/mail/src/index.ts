export { checkAddress, isHeaderSafe, type AddressCheck } from './address';
export {
  TEMPLATE_VARIABLES,
  DEFAULT_TEMPLATES,
  REJECTION_REASONS,
  checkTemplate,
  templateVariables,
  type EmailTemplate,
  type TemplateValues,
  type TemplateVariable,
  type TemplateProblem,
} from './templates';
export {
  emailRenderer,
  renderEmail,
  escapeHtml,
  type EmailRenderer,
  type RenderedEmail,
  type RenderResult,
} from './render';
export {
  OutboxTransport,
  SmtpTransport,
  composeMessage,
  type MailTransport,
  type OutgoingMail,
  type SendHooks,
  type SendResult,
  type LookupResult,
  type SmtpOptions,
} from './transports';
export { classifySendError, type SendFailure, type SendFailureKind } from './errors';
export {
  localPersonaliser,
  llmPersonaliser,
  personalise,
  templateHash,
  type NoteLlm,
  type Personaliser,
  type PersonalisationInput,
  type PersonaliseOptions,
  type PersonalisedNotes,
} from './personalise';
export { cleanSentence, MAX_SENTENCE_CHARS } from './sentence';
export { messageIdFor, parseMailbox } from './message-id';
export { pendingEmailsKey, pendingMember, parsePendingMember } from './pending';
export {
  unsubscribeToken,
  verifyUnsubscribeToken,
  unsubscribeFooter,
  type UnsubscribeSubject,
} from './unsubscribe';
export {
  checkCompanyInfo,
  companyInfoFor,
  llmCompanyExtractor,
  localCompanyExtractor,
  type CompanyExtractor,
  type CompanyInfo,
} from './company';
