/** "42 min left", "3 h 5 min left", "2 d 4 h left" or "expired", for an expiry in unix seconds against chain time. Rounds up to the minute. */
export function timeLeft(expiresAt: number, now: number): string {
  const s = expiresAt - now;
  if (s <= 0) return "expired";
  const minutes = Math.ceil(s / 60);
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  if (d > 0) return `${d} d ${h} h left`;
  if (h > 0) return m === 0 ? `${h} h left` : `${h} h ${m} min left`;
  return `${m} min left`;
}
