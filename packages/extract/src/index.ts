export {
  sniff,
  looksLikeText,
  unreadableReason,
  READABLE_KINDS,
  type FileKind,
  type Sniffed,
} from './sniff';
export { decodeText } from './text';
