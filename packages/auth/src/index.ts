export {
  API_KEY_PREFIX,
  hashApiKey,
  createUserWithKey,
  createApiKey,
  rotateApiKey,
  revokeApiKey,
  findKeyOwner,
} from './api-keys';
