/** Where a signed-in API key is kept: this tab only, or this device when the user asks. */
const KEY = 'shortlist.apiKey';

export function loadApiKey(): string | null {
  try {
    return sessionStorage.getItem(KEY) ?? localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function saveApiKey(key: string, remember: boolean): void {
  clearApiKey();
  (remember ? localStorage : sessionStorage).setItem(KEY, key);
}

export function clearApiKey(): void {
  try {
    sessionStorage.removeItem(KEY);
    localStorage.removeItem(KEY);
  } catch {
    /* storage disabled: nothing to clear */
  }
}
