/** "42 min left", "3 h 5 min left" or "expired", for a grant expiry in unix seconds against chain time. */
export function timeLeft(expiresAt: number, now: number): string {
  const s = expiresAt - now;
  if (s <= 0) return "expired";
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.ceil((s % 3600) / 60);
  if (d > 0) return `${d} d ${h} h left`;
  if (h > 0) return `${h} h ${m} min left`;
  return `${m} min left`;
}
