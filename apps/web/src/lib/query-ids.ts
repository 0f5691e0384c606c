/** Candidate ids carried in the address (`?ids=a,b,c`), so compare and email pages survive reloads. */
export function idsFromSearch(search: string, max = 500): string[] {
  const raw = new URLSearchParams(search).get('ids') ?? '';
  return [
    ...new Set(
      raw
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ].slice(0, max);
}
