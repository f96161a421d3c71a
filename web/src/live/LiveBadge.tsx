import type { LiveState } from "./useLiveEvents";

const WORDS: Record<LiveState, string> = {
  connecting: "Connecting to live updates…",
  live: "Live: this page updates by itself",
  retrying: "Live updates interrupted; reconnecting…",
  signedOut: "Live updates stopped: your session ended. Sign in again with your wallet.",
};

/** Whether the page updates by itself, and how many updates arrived that the person has not looked at. */
export function LiveBadge({ state, count, onClear }: { state: LiveState; count: number; onClear: () => void }) {
  return (
    <span className={`live ${state}`} data-testid="live-state">
      <span className="dot" aria-hidden="true" /> {WORDS[state]}
      {count > 0 && (
        <button className="badge-button" onClick={onClear} aria-label={`${count} new update${count === 1 ? "" : "s"}; mark as seen`}>
          {count} new
        </button>
      )}
    </span>
  );
}
