export {
  CACHE_NAMESPACES,
  analysisKey,
  companyKey,
  criteriaKey,
  jobKey,
  inScope,
  invalidationPatterns,
  namespaceOf,
  normaliseText,
  noteKey,
  segment,
  textHash,
  type AnalysisKeyParts,
  type CacheNamespace,
  type InvalidationScope,
} from './keys';
export {
  DEFAULT_POLICIES,
  RedisCache,
  type CacheSource,
  type NamespacePolicy,
  type NamespaceStats,
  type RedisCacheOptions,
} from './redis-cache';
export {
  MINHASH_SIZE,
  bandHashes,
  candidateIdentity,
  minhash,
  sameCandidate,
  shingles,
  similarity,
} from './similarity';
export {
  DEFAULT_NEAR_DUPLICATE_POLICY,
  NearDuplicateIndex,
  decideNearDuplicate,
  type NearDuplicateDecision,
  type NearDuplicatePolicy,
  type NearMatch,
} from './near-duplicates';
export {
  CRITERIA_REUSE_THRESHOLD,
  CriteriaReuseIndex,
  type CriteriaMatch,
  type Criterion as ReusableCriterion,
} from './criteria-reuse';
