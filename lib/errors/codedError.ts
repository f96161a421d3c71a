/**
 * The one shape of a library failure: a stable `code` that callers (HTTP layer, CLI, UI) branch on, never the
 * message text. Each library declares its own class and code union on top of it, so codes stay owned by the
 * library that raises them.
 */
export abstract class CodedError<Code extends string> extends Error {
  /** Stable reason, safe to branch on or map to an HTTP status, exit code or UI message. */
  readonly code: Code;

  /**
   * @param name - the subclass's name, passed in rather than read from the class so that minified builds keep it
   * @param code - stable reason
   * @param message - what was wrong and, where useful, what to do
   * @param options - `cause` keeps the underlying error
   */
  protected constructor(name: string, code: Code, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = name;
    this.code = code;
  }
}
